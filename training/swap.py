"""Gender and relationship swaps: the same story with every gendered person swapped.

The taxonomy says the same words with the genders or the relationship swapped get the same
safety level; tests/test_safety.py and bench/offline_quality.py both hold the screen to that
with this one function.
"""

from __future__ import annotations

import re

_PAIRS = [
    ("he", "she"),
    ("himself", "herself"),
    ("husband", "wife"),
    ("husbands", "wives"),
    ("boyfriend", "girlfriend"),
    ("boyfriends", "girlfriends"),
    ("bf", "gf"),
    ("man", "woman"),
    ("men", "women"),
    ("brother", "sister"),
    ("brothers", "sisters"),
    ("dad", "mom"),
    ("father", "mother"),
    ("son", "daughter"),
    ("sons", "daughters"),
    ("guy", "girl"),
    ("boy", "girl"),
    ("fiance", "fiancee"),
    ("uncle", "aunt"),
    ("grandpa", "grandma"),
    ("mr", "mrs"),
]
_SWAP: dict[str, str] = {}
for _a, _b in _PAIRS:
    _SWAP.setdefault(_a, _b)
    _SWAP.setdefault(_b, _a)
_SWAP.update({"mum": "dad", "hubby": "wifey", "wifey": "hubby"})

# After "her", these words mean "her" was the object ("told her I was...", "hit her again"),
# so it becomes "him"; before anything else (a noun, an adjective) it is possessive: "his".
_AFTER_OBJECT_HER = frozenset(
    """
    i you he she we they it me him her us them my your his our their this that these those
    the a an to about and but or so if when why what how where who for with at in on up out
    off back again too not because anything something everything nothing over down into from
    after before until while as than then just once twice every all enough more less now
    yesterday today tonight last first is was
    """.split()
)
_WORD = re.compile(r"[A-Za-z]+")  # "husband's" -> "husband" + "'s", "he'd" -> "he" + "'d"


def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _next_word(text: str, end: int) -> str | None:
    """The word right after position `end`, or None when punctuation or the end comes first."""
    rest = text[end:]
    if not rest[:1].isspace():
        return None
    m = _WORD.match(rest.lstrip())
    return m.group(0).lower() if m else None


def swap_people(text: str) -> str:
    """The story with he<->she, him<->her, his<->her(s), husband<->wife and so on swapped."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        after = _next_word(text, m.end())
        if low == "her":
            new = "him" if after is None or after in _AFTER_OBJECT_HER else "his"
        elif low == "him":
            new = "her"
        elif low == "his":
            # "his phone" -> "her phone"; a standalone "it was his" -> "it was hers".
            new = "hers" if after is None or after in {"and", "or", "but", "too"} else "her"
        elif low == "hers":
            new = "his"
        else:
            new = _SWAP.get(low, low)
        return _match_case(word, new) if new != low else word

    return _WORD.sub(swap, text)
