"""Repair from the writer's side: phrasings for a writer who caused the hurt, or shared it.

`caused`: a repair attempt toward the other person. It names the moment and what the writer
did ("When you told me about the biopsy, I jumped straight to fixing it"), owns it without an
excuse or self-punishment, guesses the other person's feeling tentatively, and invites them
to say more. `both`: the writer's part owned first ("I'm sorry I rushed you"), then how the
writer felt about the other's part ("And when you walked out, I felt alone"), then an
invitation. Every phrasing passes the guard for its role; a template that would not falls back
to a plainer one that does.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from coaching.models import Classification, Exchange, Phrasing, WriterRole
from coaching.phrasing import guard
from coaching.phrasing.owning import owning
from coaching.phrasing.relationship import Relationship
from coaching.phrasing.voice import Person, tidy_ending, tidy_spacing, to_second_person
from coaching.taxonomy import Moment, PatternId, Style

log = logging.getLogger(__name__)

SEED_REPAIR_QUESTION = "How can I show up for you better in moments like that?"


@dataclass(frozen=True, slots=True)
class Felt:
    """How the writer felt about the other person's part (`both`), in the hurt wording."""

    event: str  # what they did, said to them: "you went back to your phone"
    plain: str  # the pattern's paraphrase, when the event cannot be used
    feeling: str  # gentle and direct
    nvc_feeling: str  # a feeling, not an evaluation
    need: str  # what the writer needs, after "I need"
    request: str  # after "Would you be willing to"


@dataclass(frozen=True, slots=True)
class Scene:
    """Who is listening and what the story holds, as the templates read it."""

    listener: Person
    relationship: Relationship = Relationship.UNKNOWN
    when: str = "tonight"  # when to talk, fitted to the relationship
    close: str = "Can we talk about it tonight?"  # the same, as a question
    loss: str = ""  # the loss or illness, said to the listener ("the biopsy"), or ""
    grief: bool = False  # the loss is a death
    felt: Felt | None = None  # `both`: the writer's feeling about the other's part


# How the moment is named when the exchange cannot name it, said to the other person.
_MOMENT_OPENER: dict[Moment, str] = {
    Moment.VULNERABILITY_DISMISSED: "When you opened up to me",
    Moment.EMOTIONAL_CRISIS: "When you were having a hard time",
    Moment.REPEATED_MISUNDERSTANDING: "More than once lately, when you came to me with "
    "something hard",
    Moment.AFFECTION_FEELS_HOLLOW: "When you needed to talk",
    Moment.UNRESOLVED_CONFLICT: "When we argued",
}
_OPENER = "When you came to me"
_START_AGAIN = {
    "tonight": "Could we start again tonight and really hear each other?",
    "soon": "Could we start again next time we speak, and really hear each other?",
    "this week": "Could we find ten minutes this week to start again?",
}

_WORDS_MAX = 70
_ABSOLUTE = re.compile(r"\b(?:always|never|every time|everyone|nobody|your fault)\b", re.I)
_THIRD_PERSON = re.compile(
    r"\b(?:he|him|his|himself|she|her|hers|herself|they|them|their|themselves)\b", re.I
)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|myself|we|us|our)\b", re.I)
# The writer's own act as the story tells it: "I sent you three links", "I went to bed".
_ACT = re.compile(
    r"^I (?:just |only |then )?(?:[a-z]+ed|went|said|told|got|made|left|put|gave|took|sent|"
    r"kept|began|came|ran|sat|stood|did|had|brought|bought|laughed|shrugged|turned)\b"
)


def phrasings(classification: Classification, scene: Scene) -> list[Phrasing]:
    """One phrasing per style for a writer who `caused` the hurt or shares it (`both`)."""
    role, candidates = _candidates(classification, scene)
    return [_first_passing(style, texts, role) for style, texts in candidates.items()]


def variants(classification: Classification, scene: Scene) -> dict[Style, list[str]]:
    """Every wording per style that passes the guard, best first: the first is `phrasings`'s
    (so a person who was offered it lately can get the next one)."""
    role, candidates = _candidates(classification, scene)
    found: dict[Style, list[str]] = {}
    for style, texts in candidates.items():
        first = _first_passing(style, texts, role).text
        passing = [t for t in map(tidy_spacing, texts) if guard.passes(t, style, role)]
        found[style] = list(dict.fromkeys([first, *passing]))
    return found


def _candidates(
    classification: Classification, scene: Scene
) -> tuple[WriterRole, dict[Style, list[str]]]:
    role: WriterRole = "both" if classification.writer_role == "both" else "caused"
    if role == "both":
        return role, _both(classification, scene)
    return role, _caused(classification, scene)


def writer_pattern(classification: Classification) -> PatternId | None:
    """The pattern the writer did: the first marked by="writer", or with `caused` the first
    unmarked one (every pattern of a `caused` story is the writer's)."""
    for hit in classification.patterns:
        if hit.by == "writer" or (hit.by is None and classification.writer_role == "caused"):
            return hit.id
    return None


def other_pattern(classification: Classification) -> PatternId | None:
    """The pattern the other person did: the first not marked by="writer" (with `both`)."""
    if classification.writer_role == "caused":
        return None
    return next((hit.id for hit in classification.patterns if hit.by != "writer"), None)


# --- caused ----------------------------------------------------------------------------------


def _caused(classification: Classification, scene: Scene) -> dict[Style, list[str]]:
    words = owning(writer_pattern(classification), scene.relationship, scene.grief)
    opener = _opener(classification, scene)
    moment = _moment_opener(classification.moment)
    act = _act(classification.exchange, scene.listener)
    acts = [a for a in (act, words.did) if a]
    said = [(o, a) for o in dict.fromkeys((opener, moment)) for a in acts]
    gentle = "{}, and I'm sorry. I think it might have left you feeling {}. {}"
    direct = "{}. I'm sorry; that's on me. I wonder if it left you feeling {}. {}"
    nvc = "{}. I imagine you felt {} and needed {}. I'm sorry. Would you be willing to {}?"
    return {
        Style.GENTLE: [gentle.format(_join(o, a), words.guess, words.invitation) for o, a in said]
        + [gentle.format(words.did, words.guess, words.invitation)],
        Style.DIRECT: [
            direct.format(_join(o, a), words.guess, SEED_REPAIR_QUESTION) for o, a in said
        ]
        + [direct.format(words.did, words.guess, SEED_REPAIR_QUESTION)],
        Style.NVC: [
            nvc.format(_join(o, a), words.feeling, words.need, words.request) for o, a in said
        ]
        + [nvc.format(words.did, words.feeling, words.need, words.request)],
    }


def _join(opener: str, act: str) -> str:
    return f"{opener}, {act}" if opener else act


def _opener(classification: Classification, scene: Scene) -> str:
    """The moment, said to the other person: what they told the writer, else the loss or
    illness the story names, else the kind of moment."""
    told = _their_words(classification.exchange.shared, scene.listener)
    if told:
        return f"When you told me {told}"
    if scene.loss:
        return f"When you told me about {scene.loss}"
    return _moment_opener(classification.moment)


def _moment_opener(moment: Moment | None) -> str:
    return _MOMENT_OPENER[moment] if moment is not None else _OPENER


def _their_words(shared: str, listener: Person) -> str:
    """What the other person told the writer, in the second person ("your hip isn't healing",
    "about the audition"), or "" when it is the writer's own words or would read oddly."""
    text = re.sub(r"^(?:that|how)\s+", "", shared.strip().rstrip(".!?,;:"), flags=re.I)
    if not text or text.endswith(("…", "...")) or len(text) > _WORDS_MAX:
        return ""
    if _FIRST_PERSON.search(text) or guard.LABEL_RE.search(text) or _ABSOLUTE.search(text):
        return ""
    if text.lower().startswith("about "):
        spoken = text
    elif re.match(rf"(?:{listener.subject}|{listener.possessive})\b", text, re.I):
        spoken = to_second_person(text, listener)
    else:
        return ""
    spoken = tidy_ending(spoken)
    if _THIRD_PERSON.search(spoken) or re.search(r"[\"“”]", spoken) or len(spoken.split()) < 2:
        return ""
    return spoken[0].lower() + spoken[1:]


def _act(exchange: Exchange, listener: Person) -> str:
    """The writer's own act as the story tells it ("I went to bed"), or "" when the reply is the
    other person's, is quoted, or would read oddly (the pattern's words are used then)."""
    act = tidy_ending(exchange.response.strip().rstrip(".!?,;:"))
    if not _ACT.match(act) or len(act) > _WORDS_MAX or act.endswith(("…", "...")):
        return ""
    if re.search(r"[\"“”']", act) or _THIRD_PERSON.search(act) or _ABSOLUTE.search(act):
        return ""
    if guard.LABEL_RE.search(act) or re.search(r"\b[A-Z][a-z]+", act[1:]):
        return ""  # a name, or a label the writer used: the pattern's words say it better
    return act


# --- both ------------------------------------------------------------------------------------


def _both(classification: Classification, scene: Scene) -> dict[Style, list[str]]:
    pattern = writer_pattern(classification)
    words = owning(pattern, scene.relationship, scene.grief)
    if pattern is None:
        own = dict.fromkeys(Style, "I know I said things I regret, and I'm sorry.")
    else:
        own = {
            Style.GENTLE: f"I'm sorry {words.did}; that wasn't fair to you.",
            Style.DIRECT: f"{words.did}, and I'm sorry; that's on me.",
            Style.NVC: f"I'm sorry {words.did}.",
        }
    start_again = _START_AGAIN.get(scene.when, _START_AGAIN["soon"])
    felt = scene.felt
    if felt is None:
        return {
            Style.GENTLE: [
                f"{own[Style.GENTLE]} I've been feeling hurt too, after how it went between "
                f"us. {start_again}"
            ],
            Style.DIRECT: [
                f"{own[Style.DIRECT]} I felt hurt too, and I need us both to be heard. "
                f"{scene.close}"
            ],
            Style.NVC: [
                f"{own[Style.NVC]} When it went the way it did, I felt sad, because I need us "
                "both to be heard. Would you be willing to start again with me, so we can each "
                "say our piece?"
            ],
        }
    events = list(dict.fromkeys((felt.event, felt.plain)))
    if scene.loss and not any(scene.loss in e for e in events):
        # A grief or illness stays in view: the writer's hurt came while they spoke of it.
        events = [f"I told you how hard {scene.loss} has been and {e}" for e in events] + events
    return {
        Style.GENTLE: [
            f"{own[Style.GENTLE]} And when {e}, I felt {felt.feeling}. {start_again}"
            for e in events
        ],
        Style.DIRECT: [
            f"{own[Style.DIRECT]} When {e}, I felt {felt.feeling}, and I need {felt.need}. "
            f"{scene.close}"
            for e in events
        ]
        + [f"{own[Style.DIRECT]} When {felt.plain}, I felt {felt.feeling}. {scene.close}"],
        Style.NVC: [
            f"{own[Style.NVC]} When {e}, I felt {felt.nvc_feeling}, because I need {felt.need}. "
            f"Would you be willing to {felt.request}?"
            for e in events
        ]
        + [
            f"{own[Style.NVC]} When {felt.plain}, I felt {felt.nvc_feeling}. Would you be "
            "willing to start again with me?"
        ],
    }


# --- the guard -------------------------------------------------------------------------------

# Written to pass the guard for their role (tests/test_repair.py checks): what a person gets
# if a rule changes under every template above.
FALLBACK: dict[WriterRole, dict[Style, str]] = {
    "caused": {
        Style.GENTLE: "I didn't respond the way you needed, and I'm sorry. I think it might have "
        "left you feeling alone with it. Would you tell me about it again? I'm listening.",
        Style.DIRECT: "I didn't respond the way you needed. I'm sorry; that's on me. "
        + SEED_REPAIR_QUESTION,
        Style.NVC: "When you came to me, I didn't respond the way you needed. I imagine you "
        "felt hurt. I'm sorry. Would you be willing to tell me about it again?",
    },
    "both": {
        Style.GENTLE: "I know I said things I regret, and I'm sorry. I've been feeling hurt "
        "too. Could we start again and really hear each other?",
        Style.DIRECT: "I know I said things I regret, and I'm sorry. I felt hurt too. Could "
        "we talk it through?",
        Style.NVC: "I know I said things I regret, and I'm sorry. When it went the way it "
        "did, I felt sad. Would you be willing to start again with me?",
    },
}


def _first_passing(style: Style, texts: list[str], role: WriterRole) -> Phrasing:
    for text in texts:
        text = tidy_spacing(text)
        if guard.passes(text, style, role):
            return Phrasing(style=style, text=text)
    # Never the text in the log: it quotes the person's story.
    log.error(
        "no %s %s repair template passed the guard: %s",
        role,
        style,
        guard.problems(texts[-1], style, role),
    )
    return Phrasing(style=style, text=FALLBACK[role][style])
