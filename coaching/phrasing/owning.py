"""What the writer did, in their own mouth: the words a repair attempt is built from.

When the writer is the one who hurt (`writer_role` `caused`, or their part in `both`), each
pattern names what *they* did, in the first person past ("I jumped straight to fixing it"),
a tentative guess at how it left the other person, what the other person may have needed, and
an invitation to say more. The guesses are feelings, never evaluations ("lonely", not
"dismissed"), so the NVC style can use them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from coaching.phrasing.relationship import Relationship
from coaching.taxonomy import PatternId

P = PatternId


@dataclass(frozen=True, slots=True)
class Owning:
    did: str  # what I did, first person past: "I jumped straight to fixing it"
    guess: str  # how it may have left them, after "feeling": "alone with it"
    feeling: str  # the same as one feeling word, for NVC: "lonely"
    need: str  # what they may have needed, after "needed": "company in it more than a plan"
    invitation: str  # a question that invites them to say more
    request: str  # NVC, after "Would you be willing to": "tell me about it again, ..."


OWNING: dict[PatternId, Owning] = {
    P.UNSOLICITED_ADVICE: Owning(
        "I jumped straight to fixing it",
        "alone with it",
        "lonely",
        "company in it more than a plan",
        "Would you tell me about it again? I'm listening.",
        "tell me about it again, so I can just listen",
    ),
    P.MINIMIZING: Owning(
        "I made it sound like it wasn't a big deal",
        "like it didn't count",
        "sad",
        "it to count as much as it does",
        "Would you tell me what it's really been like for you?",
        "tell me what it's really been like for you",
    ),
    P.INVALIDATION: Owning(
        "I told you it wasn't as bad as you felt",
        "like your feelings weren't welcome",
        "hurt and alone",
        "your feelings to be taken as real",
        "Would you tell me how it is for you? I'm listening.",
        "tell me how it is for you, so I can hear it this time",
    ),
    P.DEFENSIVENESS: Owning(
        "I got defensive and made it about me",
        "like your hurt got lost",
        "hurt",
        "room for your hurt first",
        "Could you tell me again, and let me just hear it this time?",
        "tell me again, so I can hear it without defending myself",
    ),
    P.COMPETING_SUFFERING: Owning(
        "I turned it to how hard things are for me",
        "like there wasn't room for you",
        "lonely",
        "a turn to be looked after",
        "Could I hear the rest of it, just about you this time?",
        "tell me the rest of it, so I can be there for you this time",
    ),
    P.IMPATIENCE: Owning(
        "I rushed you",
        "hurried through something that mattered",
        "tense",
        "time to say the whole thing",
        "Would you tell me again, as slowly as you need?",
        "tell me again, and take all the time you need",
    ),
    P.DISENGAGEMENT: Owning(
        "I pulled away instead of staying with you",
        "alone",
        "lonely",
        "to know I was with you",
        "Could I have another chance to listen, with nothing else in the way?",
        "give me another chance to listen, with my full attention",
    ),
    P.MISTIMED_HUMOR: Owning(
        "I made a joke of it",
        "exposed",
        "embarrassed",
        "something tender to be handled gently",
        "Would you tell me about it again, so I can take it as seriously as it deserves?",
        "tell me about it again, so I can take it seriously",
    ),
    P.HOLLOW_AFFECTION: Owning(
        "I offered something nice instead of really being there",
        "alone with it, even so",
        "lonely",
        "to actually talk about it",
        "Could we sit down and talk about what you told me?",
        "sit down with me and talk about what you told me",
    ),
    P.BURDEN_SHIFTING: Owning(
        "I left the work of sorting it out to you",
        "tired and alone with it",
        "tired",
        "to share the load, not carry it",
        "Could I take one part of it off your mind, from noticing to done?",
        "let me take one part of it off your mind, from noticing to done",
    ),
}

# A repair attempt with no pattern named: the moment, owned plainly.
GENERAL = Owning(
    "I didn't respond the way you needed",
    "alone with it",
    "hurt",
    "to feel that I was with you",
    "Would you tell me about it again? I'm listening.",
    "tell me what it was like for you, so I can really listen",
)

# Words that would not fit: a colleague is not asked for tenderness, and grief is not rushed.
_WORK: dict[PatternId, dict[str, str]] = {
    P.MISTIMED_HUMOR: {"need": "it to be taken seriously"},
}
_GRIEF: dict[PatternId, dict[str, str]] = {
    P.IMPATIENCE: {
        "did": "I hurried you through your grief",
        "need": "time to grieve at your own pace",
    },
    P.MINIMIZING: {"did": "I made the loss sound smaller than it is"},
}


def owning(pattern: PatternId | None, relationship: Relationship, grief: bool) -> Owning:
    """The words for what the writer did, fitted to who is listening and to a loss."""
    if pattern is None:
        return GENERAL
    changes: dict[str, str] = {}
    if relationship in (Relationship.COWORKER, Relationship.BOSS):
        changes |= _WORK.get(pattern, {})
    if grief:
        changes |= _GRIEF.get(pattern, {})
    words = OWNING[pattern]
    return replace(words, **changes) if changes else words
