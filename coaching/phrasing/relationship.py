"""Who the writer is talking to, read from the story's words ("my dad", "my boss").

The listener is the person the writer told or who answered ("I told my husband…", "my boss
said…"), not whoever the story mentions first: in "my mum passed away and when I told my
husband…" the phrasing is for the husband. What to ask for, and when, depends on it: a boss
is not asked "tonight?", a parent is not asked to "take turns".
"""

from __future__ import annotations

import re
from enum import StrEnum


class Relationship(StrEnum):
    PARTNER = "partner"
    FRIEND = "friend"
    PARENT = "parent"
    CHILD = "child"  # the writer's (adult) child
    SIBLING = "sibling"
    ROOMMATE = "roommate"
    COWORKER = "coworker"
    BOSS = "boss"
    UNKNOWN = "unknown"


R = Relationship
NOUNS: dict[str, Relationship] = {
    **dict.fromkeys(
        (
            "husband",
            "wife",
            "partner",
            "boyfriend",
            "girlfriend",
            "fiance",
            "fiancé",
            "fiancee",
            "fiancée",
            "spouse",
            "bf",
            "gf",
        ),
        R.PARTNER,
    ),
    **dict.fromkeys(("friend", "bestie", "mate", "bff"), R.FRIEND),
    **dict.fromkeys(
        (
            "mom",
            "mum",
            "mother",
            "mam",
            "mama",
            "dad",
            "father",
            "papa",
            "stepmom",
            "stepmum",
            "stepdad",
            "stepfather",
            "stepmother",
            "parents",
        ),
        R.PARENT,
    ),
    **dict.fromkeys(("son", "daughter", "stepson", "stepdaughter"), R.CHILD),
    **dict.fromkeys(("sister", "brother", "sis", "bro", "twin"), R.SIBLING),
    **dict.fromkeys(("roommate", "flatmate", "housemate", "roomie"), R.ROOMMATE),
    **dict.fromkeys(("coworker", "co-worker", "colleague", "teammate"), R.COWORKER),
    **dict.fromkeys(("boss", "manager", "supervisor", "lead"), R.BOSS),
}
_NOUN = "|".join(sorted((re.escape(n) for n in NOUNS), key=len, reverse=True))
# "my dad", "my older sister", "my team lead": the noun, not a possessive ("my dad's funeral").
_MENTION = re.compile(rf"\bmy (?:[a-z-]+ )?({_NOUN})\b(?!['’]s)", re.IGNORECASE)
_TOLD = re.compile(
    r"\b(?:told|tell|telling|said to|asked|texted|messaged|called|rang|confided in|opened up "
    r"to|admitted to|explained to|mentioned to|showed|with|when)\s+$",
    re.IGNORECASE,
)
_ANSWERED = re.compile(
    r"^\s*(?:just |then |only )?(?:said|says|told|laughed|kept|went|shrugged|sighed|rolled|"
    r"replied|answered|asked|changed|made|started|turned|walked|looked|scrolled|checked|"
    r"didn't|did|was|is|goes|just|nodded|interrupted|cut)\b",
    re.IGNORECASE,
)


# The writer addressing the listener in their own quoted words: "I said 'Dad, can you just…'".
# (Only the writer's words: in "he said 'Mum, don't start'" the listener is the one speaking.)
_ADDRESSED = re.compile(
    r"\bI (?:said|asked|told (?:him|her|them)|texted|begged|snapped|yelled|called out|whispered)"
    r"[,:]?\s*[\"'“‘](?:\w+ )?(mum|mom|mam|mama|dad|papa|sis|bro)\b",
    re.IGNORECASE,
)


def listener_noun(story: str) -> str:
    """The word the writer uses for the listener ("husband", "boss"), or ""."""
    mentions = list(_MENTION.finditer(story))
    if not mentions and (m := _ADDRESSED.search(story)):
        return m.group(1).lower()
    for m in mentions:  # the one the writer told
        if _TOLD.search(story[: m.start()]):
            return m.group(1).lower()
    for m in mentions:  # the one who answered
        if _ANSWERED.match(story[m.end() :]):
            return m.group(1).lower()
    return mentions[0].group(1).lower() if mentions else ""


def relationship_of(story: str) -> Relationship:
    return NOUNS.get(listener_noun(story), R.UNKNOWN)
