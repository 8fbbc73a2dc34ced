"""Can the offline coach read this text? It reads English only, and says so instead of guessing.

Non-native English is still English: it keeps the little words (I, the, my, he, and), which is
what this counts, so "My husband is good man but always he say is not so bad" passes while
"Mi esposo nunca me escucha cuando le hablo" does not.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_ENGLISH = frozenset(
    "i me my mine you your he him his she her they them their we us our it its the a an and but "
    "or so to of in on at for with about from that this what when why how is are was were be "
    "been am do did does not no don't didn't i'm i've it's just like said told feel felt "
    "because if then there when she's he's they're can can't would could should have has had "
    "ok okay yes really very".split()
)
_LATIN = re.compile(r"[a-zA-Z]")


def readable_english(text: str) -> bool:
    """True when the text is (probably) English, or too short to tell."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        letters = [c for c in text if c.isalpha()]
        return not letters or sum(1 for c in letters if _LATIN.match(c)) / len(letters) > 0.6
    english = sum(1 for w in words if w in _ENGLISH)
    return english / len(words) >= 0.12
