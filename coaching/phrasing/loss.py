"""The loss or illness a story is about, in the writer's own word, so phrasings keep it in view.

A grieving writer told "hurry up" needs "when I was talking about losing my mum", not "when it
felt like I needed to hurry up". This only finds the words the writer used; it never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Loss:
    phrase: str  # what to say: "losing my mum", "Grandpa's funeral", "the chemo"
    grief: bool  # a death (as opposed to an illness)


_WHO = (
    r"(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir) (?:late |little |baby |older |younger |best )?[a-z]+"
)
# "since dad died": a parent named the way family says it, with no "my".
_KIN = r"(?:[Mm]um|[Mm]om|[Mm]am|[Dd]ad|[Gg]randad|[Gg]randma|[Gg]randpa|[Nn]an|[Gg]ran)"
_DIED = re.compile(
    rf"\b(?P<who>{_WHO}|{_KIN}|[A-Z][a-z]+) (?:had )?(?:died|passed away|passed|was put down)\b"
)
_LOST = re.compile(
    r"\b(?:lost|losing) (?P<who>(?:my|our) (?:mum|mom|mother|dad|father|sister|brother|son|"
    r"daughter|husband|wife|partner|friend|best friend|grandma|grandpa|grandmother|grandfather|"
    r"baby|dog|cat|aunt|uncle|nan|gran))\b",
    re.IGNORECASE,
)
_FUNERAL = re.compile(
    r"\b(?P<whose>(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er) [a-z]+['’]s|[A-Z][a-z]+['’]s) funeral\b"
)
_WORDS = re.compile(
    r"\b(funeral|miscarriage|grief|chemo|chemotherapy|cancer|diagnosis|biopsy|surgery|"
    r"operation|scan|hospital|illness|diagnosed)(?:s)?\b",
    re.IGNORECASE,
)
_GRIEF_WORDS = {"funeral", "miscarriage", "grief"}
_ILLNESS = {
    "diagnosed": "my diagnosis",
    "hospital": "the hospital stay",
    "illness": "my illness",
    "grief": "my grief",
}


def loss_in(story: str) -> Loss | None:
    """The first death or illness the story names, or None."""
    if m := _DIED.search(story):
        return Loss(f"losing {_lower_possessive(m.group('who'))}", grief=True)
    if m := _LOST.search(story):
        return Loss(f"losing {m.group('who').lower()}", grief=True)
    if m := _FUNERAL.search(story):
        return Loss(f"{_lower_possessive(m.group('whose'))} funeral", grief=True)
    if m := _WORDS.search(story):
        word = m.group(1).lower()
        return Loss(_ILLNESS.get(word, f"the {word}"), grief=word in _GRIEF_WORDS)
    return None


def _lower_possessive(who: str) -> str:
    if re.fullmatch(_KIN, who):
        return who[0].upper() + who[1:]  # "losing Dad", as family says it
    first, _, rest = who.partition(" ")
    return (
        f"{first.lower()} {rest}" if first.lower() in {"my", "our", "his", "her", "their"} else who
    )
