"""Negation: the one list of words that say something did not happen, and how rules use it.

Rules read normalised text (`coaching.reading.normalize`: lowercase, straight apostrophes,
"didnt" spelled "didn't"), so the list holds those spellings only. A cue negated in its own
clause ("he never laughed", "she didn't give me advice") did not happen; a cue that is itself a
negation ("didn't say anything", "don't want to be here") carries its negation as its point, and
a negation right before it does not cancel it.
"""

from __future__ import annotations

import re
from functools import cache

# Words, then the phrases that say an act was withheld or replaced ("instead of listening",
# "refused to talk"): they deny what follows them as surely as "not" does.
NEGATIONS: tuple[str, ...] = (
    "not",
    "no",
    "never",
    "nor",
    "cannot",
    "without",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "won't",
    "wouldn't",
    "can't",
    "couldn't",
    "shouldn't",
    "hasn't",
    "haven't",
    "hadn't",
    "instead of",
    "rather than",
    "refused to",
    "stopped",
)

_ANY = "|".join(re.escape(n) for n in sorted(NEGATIONS, key=len, reverse=True))
# "I don't think he...", "I don't know if...": a doubt about what follows, not a denial of it.
_HEDGE = re.compile(r"\b(?:don't|do not|didn't|doesn't) (?:think|know|believe|feel like|guess)\b")
# A cue that opens with a negation: "didn't ...", "do not ...", "no longer ...".
_OPENS = re.compile(r"(?:(?:do|does|did|will|would|can|could) )?(?:" + _ANY + r")\b")


@cache
def _negation_ending(words: int) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + _ANY + r")\b(?:\s+[^\s,;.!?]+){0," + str(words) + r"}\s*$")


def negated_before(text: str, start: int, *, words: int = 3, hedges: bool = True) -> bool:
    """Whether a negation stands in the `words` words before `text[start:]`, with no clause
    punctuation (, ; . ! ?) in between: "he never really laughed" negates "laughed".

    `hedges=False` does not count "I don't think", "I don't know" and the like as negations,
    where a doubt must not cancel what follows ("I don't think I can go on").
    """
    before = text[:start]
    if not hedges:
        before = _HEDGE.sub(" ", before)
    return _negation_ending(words).search(before) is not None


def opens_negated(cue: str) -> bool:
    """Whether the matched cue itself opens with a negation ("didn't ask", "do not want")."""
    return _OPENS.match(cue) is not None
