"""What the writer could say, and what the other person could say back.

Phrasings are built from the actual exchange: what the writer shared, and the other person's
reply or action, moved into the second person ("when you went back to your phone"). When the
reply carries a label or an absolute, it is paraphrased instead of quoted (taxonomy). Every
phrasing passes `guard.py` before it leaves here; a template that would not pass falls
back to a plainer one that does.

This is the entry point for every writer role: a writer who was hurt gets the templates here;
one who caused the hurt, or shares it, gets a repair attempt (`repair.py`), which takes the
listener, the relationship and the loss as read here, and for `both` the hurt wording below
for the other person's part. A writer who caused it gets no partner prompt: they are the one
repairing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from coaching.models import Classification, Exchange, Phrasing
from coaching.phrasing import guard, repair
from coaching.phrasing.loss import Loss, loss_in
from coaching.phrasing.relationship import Relationship, listener_noun, relationship_of
from coaching.phrasing.voice import (
    Person,
    first_person_fragment,
    tidy_ending,
    tidy_spacing,
    to_second_person,
)
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
        "you went straight to fixing it",
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
        "there didn't seem to be time for it",
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
        "you made light of it",
        "exposed",
        "embarrassed and hurt",
        "tender things handled gently",
        "check in with me before joking when I'm sharing something tender",
    ),
    P.HOLLOW_AFFECTION: _Words(
        "you did something kind instead of talking about it",
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


def phrasings(classification: Classification, story: str = "") -> list[Phrasing]:
    """One phrasing per style, each passing the guard. `story` (the writer's words) tells who
    is being spoken to and whether a loss or illness must stay in view."""
    return [
        Phrasing(style=s, text=texts[0]) for s, texts in variants(classification, story).items()
    ]


def variants(classification: Classification, story: str = "") -> dict[Style, list[str]]:
    """Every wording per style that passes the guard, best first. The first is what
    `phrasings` gives; the others say the same with less of the story (the history uses them
    so a person is not offered the same words twice)."""
    relationship = relationship_of(story)
    person = _listener(classification.exchange.actor, story)
    found = loss_in(story)
    loss = _loss_said_to(found.phrase, person, classification.exchange.actor) if found else ""
    if classification.rupture and classification.writer_role in ("caused", "both"):
        scene = _scene(classification, person, relationship, found, loss)
        return repair.variants(classification, scene)
    if not classification.rupture or not classification.patterns:
        if classification.disagreement and not loss:
            return {p.style: [p.text] for p in _no_rupture(relationship)}
        return {p.style: [p.text] for p in _unclear(relationship, loss)}
    pattern = classification.patterns[0].id
    words = _fitted(WORDS[pattern], pattern, relationship, grief=bool(found and found.grief))
    event = _event(classification.exchange, pattern, person, words)
    shared = to_second_person(first_person_fragment(classification.exchange.shared), person)
    opener = f"I told you {shared} and " if shared and len(shared) < 80 else ""
    if loss and not _mentions(opener + event, loss):
        opener = f"I told you how hard {loss} has been and "
    plain = f"I was talking about {loss} and " if loss else ""
    close = _CLOSE[_group(relationship)]
    candidates = {
        Style.GENTLE: [
            f"I felt {words.feeling} when {opener}{event}. Could you {words.request}?",
            f"I felt {words.feeling} when {opener}{words.event}. Could you {words.request}?",
            f"I felt {words.feeling} when {plain}{words.event}. Could you {words.request}?",
        ],
        Style.DIRECT: [
            f"When {opener}{event}, I felt unheard. I need {words.need}. {close}",
            f"When {opener}{words.event}, I felt unheard. I need {words.need}. {close}",
            f"When {plain}{words.event}, I felt unheard. I need {words.need}. {close}",
        ],
        Style.NVC: [
            f"When {opener if loss else ''}{event}, I felt {words.nvc_feeling}, because I need "
            f"{words.need}. Would you be willing to {words.request}?",
            f"When {plain}{words.event}, I felt {words.nvc_feeling}, because I need {words.need}. "
            f"Would you be willing to {words.request}?",
            # Never reached by `phrasings` (the one above passes): a second wording for
            # `variants`, so NVC has more than one way to say it.
            f"When {plain}{words.event}, I felt {words.nvc_feeling}. I need {words.need}. "
            f"Would you be willing to {words.request}?",
        ],
    }
    wordings: dict[Style, list[str]] = {}
    for style, texts in candidates.items():
        first = _first_passing(style, texts).text
        passing = [t for t in map(tidy_spacing, texts) if guard.passes(t, style)]
        wordings[style] = list(dict.fromkeys([first, *passing]))
    return wordings


def _scene(
    classification: Classification,
    person: Person,
    relationship: Relationship,
    found: Loss | None,
    loss: str,
) -> repair.Scene:
    """What a repair attempt needs from the story. The loss goes only when it is clearly the
    listener's or nobody's ("the biopsy", "losing your dad"), never "my ...": whose it is
    cannot be told from the writer's side."""
    group = _group(relationship)
    grief = bool(found and found.grief)
    felt = None
    other = repair.other_pattern(classification)
    if other is not None:
        words = _fitted(WORDS[other], other, relationship, grief=grief)
        event = _event(classification.exchange, other, person, words)
        felt = repair.Felt(
            event=event,
            plain=words.event,
            feeling=words.feeling,
            nvc_feeling=words.nvc_feeling,
            need=words.need,
            request=words.request,
        )
    return repair.Scene(
        listener=person,
        relationship=relationship,
        when=_WHEN[group],
        close=_CLOSE[group],
        loss="" if re.search(r"\bmy\b", loss, re.IGNORECASE) else loss,
        grief=grief,
        felt=felt,
    )


def _listener(actor: str, story: str) -> Person:
    """How to speak of the listener: the story's own pronoun, else the word for the one told
    ("my husband" when the story's first "my ..." is the mum who died)."""
    noun = listener_noun(story)
    low = actor.strip().lower()
    if noun and (low.startswith("my ") or low in ("", "they")) and noun not in low:
        return Person.from_actor(f"my {noun}")
    return Person.from_actor(actor)


def _loss_said_to(phrase: str, person: Person, actor: str) -> str:
    """The loss as said to the listener. A "his"/"her" the listener's pronoun does not cover is
    the listener's when the story calls them by name ("Jess told me her cat died"), else it
    becomes "the": a third person in the listener's place is not something to send."""
    said = to_second_person(phrase, person)
    left = _THIRD_PERSON.search(said)
    if left is None:
        return said
    if re.fullmatch(r"[A-Z][a-z]+", actor.strip()):
        pronoun = "he" if left.group(0).lower() in ("he", "him", "his", "himself") else "she"
        return to_second_person(said, Person.from_actor(pronoun))
    return _THIRD_PERSON.sub("the", said)


def _mentions(text: str, loss: str) -> bool:
    key = loss.split()[-1].lower().removesuffix("'s")
    return key in text.lower()


_WORK = frozenset({Relationship.COWORKER, Relationship.BOSS})
# Who does not share a home with the writer, as far as the story says: "tonight" is not
# assumed for them, nor for a name the story never places ("I told Sam…").
_FAMILY = frozenset(
    {
        Relationship.PARENT,
        Relationship.CHILD,
        Relationship.SIBLING,
        Relationship.FRIEND,
        Relationship.UNKNOWN,
    }
)


def _group(relationship: Relationship) -> str:
    if relationship in _WORK:
        return "work"
    return "apart" if relationship in _FAMILY else "home"


# When to talk: "tonight" is for people who share a home; work gets a time in working hours.
_WHEN = {"home": "tonight", "apart": "soon", "work": "this week"}
_CLOSE = {
    "home": "Can we talk about it tonight?",
    "apart": "Could we talk about it next time we speak?",
    "work": "Could we find ten minutes this week to talk it through?",
}
# Requests that would not fit: a parent is not asked to "take turns", a boss is not asked for
# tenderness or to "put everything down".
_FITTED: dict[tuple[str, PatternId], dict[str, str]] = {
    ("elder", P.COMPETING_SUFFERING): {
        "request": "hear mine through first, and then I'd like to hear about yours",
        "need": "room for what I'm going through",
    },
    ("work", P.COMPETING_SUFFERING): {
        "request": "hear me out on this first",
        "need": "room for what I'm going through",
    },
    ("work", P.DISENGAGEMENT): {
        "request": "give me ten minutes of your full attention this week to go over it",
        "need": "to know it has been heard",
    },
    ("work", P.MISTIMED_HUMOR): {
        "request": "take it seriously when I raise something that matters to me",
        "need": "what I raise to be taken seriously",
        "feeling": "embarrassed",
    },
}
_GRIEF: dict[PatternId, dict[str, str]] = {
    P.IMPATIENCE: {
        "event": "my grief seemed to be on a clock",
        "need": "time to grieve at my own pace",
        "request": "let me take as long as I need with it",
    },
}


def _fitted(words: _Words, pattern: PatternId, relationship: Relationship, grief: bool) -> _Words:
    changes: dict[str, str] = {}
    if relationship in (Relationship.PARENT, Relationship.CHILD, Relationship.BOSS):
        changes |= _FITTED.get(("elder", pattern), {})
    if relationship in _WORK:
        changes |= _FITTED.get(("work", pattern), {})
    if grief:
        changes |= _GRIEF.get(pattern, {})
    return replace(words, **changes) if changes else words


def partner_prompt(classification: Classification) -> str:
    """A line the other person could say to repair; "" when the writer caused the hurt (the
    writer is the one repairing, and their phrasings already carry the invitation)."""
    if not classification.rupture:
        return _NO_RUPTURE_PARTNER if classification.disagreement else SEED_PARTNER_PROMPT
    if classification.writer_role == "caused":
        return ""
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


def _unclear(relationship: Relationship = Relationship.UNKNOWN, loss: str = "") -> list[Phrasing]:
    group = _group(relationship)
    when = _WHEN[group]
    if not loss and relationship is Relationship.PARTNER:  # "I need us to be close"
        return [Phrasing(style=s, text=t) for s, t in _UNCLEAR.items()]
    need = "us to work well together" if group == "work" else "to feel less alone in it"
    if loss:
        gentle = f"I've been feeling the weight of {loss}, and I'd like to tell you about it."
        direct = f"I feel unsettled about {loss} and how it went between us."
        nvc = f"When I think about {loss}, I feel sad and uneasy, because I need {need}."
    else:  # "feeling something that's been sitting with me" is not how anyone talks
        gentle = "I feel like something's been sitting with me, and I'd like to tell you about it."
        direct = "I feel unsettled about how something went between us."
        nvc = f"When something stays unsaid between us, I feel uneasy, because I need {need}."
    texts = {
        Style.GENTLE: f"{gentle} Could we find a few quiet minutes {when}?",
        Style.DIRECT: f"{direct} Can we talk about it {when}?",
        Style.NVC: f"{nvc} Would you be willing to sit down and talk with me {when}?",
    }
    return [_first_passing(s, [t]) for s, t in texts.items()]


def _no_rupture(relationship: Relationship = Relationship.UNKNOWN) -> list[Phrasing]:
    when = _WHEN[_group(relationship)]
    texts = {
        Style.GENTLE: "I feel like we both said our piece, and I'd still like to hear more about "
        "what matters to you in this. Could we talk it over again soon?",
        Style.DIRECT: "I feel okay about where we landed, and I want to check we both do. Can we "
        f"take five minutes {when} to make sure?",
        Style.NVC: "When we talked it through, I felt relieved, because I need us both to be "
        "heard. Would you be willing to tell me if anything still bothers you?",
    }
    return [Phrasing(style=s, text=t) for s, t in texts.items()]


def _event(exchange: Exchange, pattern: PatternId, person: Person, words: _Words) -> str:
    """The other person's reply in the second person, or the pattern's paraphrase."""
    reply = exchange.response.strip().rstrip(".!?,;:")
    if (
        not reply
        or reply.endswith("…")
        or len(reply) > _QUOTE_MAX
        or guard.LABEL_RE.search(reply)
        or _ABSOLUTE.search(reply)
    ):
        return words.event
    if reply.startswith("“"):
        return f"you said {reply}"
    if person.subject == "they":  # a name: the reply's own pronoun says who the listener is
        person = _pronoun_in(reply) or person
    spoken = to_second_person(reply, person)
    spoken = re.sub(r"^(?:(?:and|but|so|then|just)\s+)+", "", spoken, flags=re.IGNORECASE)
    if _ELIDED_SUBJECT.match(spoken):  # "went back to his phone": the subject was left out
        spoken = "you " + spoken
    spoken = tidy_ending(spoken)
    narration = re.sub(r"“[^”]*”", "", spoken)
    if _THIRD_PERSON.search(narration) or re.search(r"\byou,? [A-Z][a-z]", narration):
        return words.event  # "her laptop" or "you Maya": not something a person would send
    if re.match(r"(?:you|your)\b", spoken, re.IGNORECASE) and len(spoken.split()) > 1:
        return spoken[0].lower() + spoken[1:]
    return words.event


_THIRD_PERSON = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)


def _pronoun_in(reply: str) -> Person | None:
    """ "he"/"she" when the reply speaks of its subject with only that one."""
    narration = re.sub(r"“[^”]*”", "", reply).lower()
    he = re.search(r"\b(?:he|him|his|himself)\b", narration)
    she = re.search(r"\b(?:she|her|hers|herself)\b", narration)
    if bool(he) == bool(she):
        return None
    return Person.from_actor("he" if he else "she")


def _first_passing(style: Style, texts: list[str]) -> Phrasing:
    for text in texts:
        text = tidy_spacing(text)
        if guard.passes(text, style):
            return Phrasing(style=style, text=text)
    # The last template is written to pass, so this means a guard rule changed under it. The
    # person still gets a phrasing: the plain one that names no moment (tested against the
    # guard), and the log says which rule to look at (never the text, which quotes them).
    log.error("no %s template passed the guard: %s", style, guard.problems(texts[-1], style))
    return Phrasing(style=style, text=_UNCLEAR[style])
