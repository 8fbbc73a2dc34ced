"""What the writer could say, and what the other person could say back.

Phrasings are built from the actual exchange: what the writer shared, and the other person's
reply or action, moved into the second person ("when you went back to your phone"). When the
reply carries a label or an absolute, it is paraphrased instead of quoted (taxonomy). Every
phrasing passes `guard.py` before it leaves here; a template that would not pass falls
back to a plainer one that does.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from coaching.models import Classification, Exchange, Phrasing
from coaching.phrasing import guard
from coaching.phrasing.voice import Person, first_person_fragment, to_second_person
from coaching.taxonomy import Moment, PatternId, Style

log = logging.getLogger(__name__)

P = PatternId


@dataclass(frozen=True, slots=True)
class _Words:
    event: str  # what happened, second person, used when the reply cannot be quoted
    feeling: str  # gentle style
    nvc_feeling: str  # a feeling, not an evaluation
    need: str
    request: str  # what to ask for, after "Could you" / "Would you be willing to"


WORDS: dict[PatternId, _Words] = {
    P.UNSOLICITED_ADVICE: _Words(
        "the answer was a fix for it",
        "a bit alone",
        "lonely",
        "to feel listened to first",
        "just listen for a few minutes before we look for solutions",
    ),
    P.MINIMIZING: _Words(
        "it sounded like it wasn't a big deal",
        "small",
        "sad",
        "this to count as big to me",
        "let it be as big as it feels to me for a minute",
    ),
    P.INVALIDATION: _Words(
        "you said I was making too much of it",
        "unheard",
        "hurt and confused",
        "my feelings to be taken as real",
        "ask me what it's like for me before we decide what's real",
    ),
    P.DEFENSIVENESS: _Words(
        "it turned into how bad you felt",
        "like my hurt got lost",
        "lonely",
        "my hurt to have room too",
        "hear me out first, even if it's hard to hear",
    ),
    P.COMPETING_SUFFERING: _Words(
        "your own hard time came up instead",
        "a little invisible",
        "sad",
        "one of us to be held at a time",
        "take turns, so each of us gets a moment to be heard",
    ),
    P.IMPATIENCE: _Words(
        "it felt like I needed to hurry up",
        "rushed",
        "anxious",
        "time to say the whole thing",
        "give me a few unhurried minutes to finish",
    ),
    P.DISENGAGEMENT: _Words(
        "your attention went somewhere else",
        "alone",
        "lonely",
        "to feel that you're with me",
        "put everything down for ten minutes and talk with me",
    ),
    P.MISTIMED_HUMOR: _Words(
        "it got a laugh",
        "exposed",
        "embarrassed and hurt",
        "tender things handled gently",
        "check in with me before joking when I'm sharing something tender",
    ),
    P.HOLLOW_AFFECTION: _Words(
        "something kind came instead of the conversation",
        "a bit lonely even so",
        "lonely",
        "to actually talk about it",
        "sit down with me and talk about what I said",
    ),
    P.BURDEN_SHIFTING: _Words(
        "the planning came back to me",
        "tired and alone with it",
        "tired",
        "to share the noticing, not just the doing",
        "take one part of it off my mind, from noticing to done",
    ),
}

_MOMENT_PARTNER: dict[Moment, str] = {
    Moment.VULNERABILITY_DISMISSED: "Thank you for trusting me with that, and I'm sorry I "
    "brushed past it. I'm listening this time: would you tell me again?",
    Moment.EMOTIONAL_CRISIS: "I'm sorry I wasn't with you in that. What would help right now: "
    "company, quiet, or talking it through?",
    Moment.REPEATED_MISUNDERSTANDING: "I can see this keeps happening between us, and I want to "
    "change it. What is it like for you when I respond that way?",
    Moment.AFFECTION_FEELS_HOLLOW: "I think I tried to make it better without really hearing "
    "you. Can we talk about what you actually said?",
    Moment.UNRESOLVED_CONFLICT: "I don't want to win this; I want to understand you. Can you "
    "tell me what I missed?",
}
SEED_PARTNER_PROMPT = "How can I show up for you better in moments like that?"
_NO_RUPTURE_PARTNER = "I'm glad we talked it through. Is anything still sitting with you?"

_ABSOLUTE = re.compile(r"\b(?:always|never|every time|everyone|nobody|your fault)\b", re.I)
_QUOTE_MAX = 90
_ELIDED_SUBJECT = re.compile(
    r"(?:[a-z]+ed|went|said|told|got|made|left|put|gave|took|sent|kept|began|came|ran|sat|"
    r"stood|did|had|brought|bought|laughed|shrugged)\b",
    re.IGNORECASE,
)


def phrasings(classification: Classification) -> list[Phrasing]:
    """One phrasing per style, each passing the guard."""
    if not classification.rupture or not classification.patterns:
        return _no_rupture() if classification.disagreement else _unclear()
    pattern = classification.patterns[0].id
    words = WORDS[pattern]
    person = Person.from_actor(classification.exchange.actor)
    event = _event(classification.exchange, pattern, person)
    shared = to_second_person(first_person_fragment(classification.exchange.shared), person)
    opener = f"I told you {shared} and " if shared and len(shared) < 80 else ""
    candidates = {
        Style.GENTLE: [
            f"I felt {words.feeling} when {opener}{event}. Could you {words.request}?",
            f"I felt {words.feeling} when {words.event}. Could you {words.request}?",
        ],
        Style.DIRECT: [
            f"When {opener}{event}, I felt unheard. I need {words.need}. Can we talk about it "
            "tonight?",
            f"When {words.event}, I felt unheard. I need {words.need}. Can we talk about it "
            "tonight?",
        ],
        Style.NVC: [
            f"When {event}, I felt {words.nvc_feeling}, because I need {words.need}. Would you be "
            f"willing to {words.request}?",
            f"When {words.event}, I felt {words.nvc_feeling}, because I need {words.need}. Would "
            f"you be willing to {words.request}?",
        ],
    }
    return [_first_passing(style, texts) for style, texts in candidates.items()]


def partner_prompt(classification: Classification) -> str:
    if not classification.rupture:
        return _NO_RUPTURE_PARTNER if classification.disagreement else SEED_PARTNER_PROMPT
    if classification.moment is not None:
        return _MOMENT_PARTNER[classification.moment]
    return SEED_PARTNER_PROMPT


_UNCLEAR = {
    Style.GENTLE: "I feel like something's been sitting with me and I'd like to tell you "
    "about it. Could we find a few quiet minutes tonight?",
    Style.DIRECT: "I feel unsettled about something between us. Can we talk about it today?",
    Style.NVC: "When something stays unsaid between us, I feel uneasy, because I need us to "
    "be close. Would you be willing to sit down and talk with me tonight?",
}


def _unclear() -> list[Phrasing]:
    return [Phrasing(style=s, text=t) for s, t in _UNCLEAR.items()]


def _no_rupture() -> list[Phrasing]:
    texts = {
        Style.GENTLE: "I feel like we both said our piece, and I'd still like to hear more about "
        "what matters to you in this. Could we talk it over again soon?",
        Style.DIRECT: "I feel okay about where we landed, and I want to check we both do. Can we "
        "take five minutes tonight to make sure?",
        Style.NVC: "When we talked it through, I felt relieved, because I need us both to be "
        "heard. Would you be willing to tell me if anything still bothers you?",
    }
    return [Phrasing(style=s, text=t) for s, t in texts.items()]


def _event(exchange: Exchange, pattern: PatternId, person: Person) -> str:
    """The other person's reply in the second person, or the pattern's paraphrase."""
    reply = exchange.response.strip().rstrip(".!?,;:")
    if (
        not reply
        or len(reply) > _QUOTE_MAX
        or guard.LABEL_RE.search(reply)
        or _ABSOLUTE.search(reply)
    ):
        return WORDS[pattern].event
    if reply.startswith("“"):
        return f"you said {reply}"
    spoken = to_second_person(reply, person)
    spoken = re.sub(r"^(?:(?:and|but|so|then|just)\s+)+", "", spoken, flags=re.IGNORECASE)
    if _ELIDED_SUBJECT.match(spoken):  # "went back to his phone": the subject was left out
        spoken = "you " + spoken
    if re.match(r"(?:you|your)\b", spoken, re.IGNORECASE):
        return spoken[0].lower() + spoken[1:]
    return WORDS[pattern].event


def _first_passing(style: Style, texts: list[str]) -> Phrasing:
    for text in texts:
        text = re.sub(r"\s+", " ", text).strip()
        if guard.passes(text, style):
            return Phrasing(style=style, text=text)
    # The last template is written to pass, so this means a guard rule changed under it. The
    # person still gets a phrasing: the plain one that names no moment (tested against the
    # guard), and the log says which rule to look at (never the text, which quotes them).
    log.error("no %s template passed the guard: %s", style, guard.problems(texts[-1], style))
    return Phrasing(style=style, text=_UNCLEAR[style])
