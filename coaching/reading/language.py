"""Can the offline coach read this text? It reads English only, and says so instead of guessing.

Non-native English is still English: it keeps the little words (I, the, my, he, and), which is
what this counts, so "My husband is good man but always he say is not so bad" passes while
"Mi esposo nunca me escucha cuando le hablo" does not.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# Words that are English and not also common words of the languages people most often write
# to us in instead ("me", "a", "no", "so" are Spanish, Italian or French too).
_ENGLISH = frozenset(
    "my mine you your he him his she her they them their we us our it its the an and but "
    "or to of in on at for with about from that this what when why how is are was were be "
    "been am do did does not don't didn't i'm i've it's just like said told feel felt "
    "because if then there she's he's they're can can't would could should have has had "
    "ok okay yes really very".split()
)
_OTHER = (
    frozenset(
        "el la los las que de y en un una por para con mi es está no pero cuando muy le lo se su "
        "le les des et est je tu il elle nous vous pas avec pour mais une qui dans sur mon ma "
        "der die das und ich nicht ist mit sie er es ein eine zu auf mein meine aber wenn "
        "il lo gli che di e non per con mio mia sono ma quando è "
        "o os as do da em um uma não com meu minha eu ele ela mas quando".split()
    )
    - _ENGLISH
)
_LATIN = re.compile(r"[a-zA-Z]")


def readable_english(text: str) -> bool:
    """True when the text is (probably) English, or too short to tell."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        letters = [c for c in text if c.isalpha()]
        return not letters or sum(1 for c in letters if _LATIN.match(c)) / len(letters) > 0.6
    english = sum(1 for w in words if w in _ENGLISH)
    other = sum(1 for w in words if w in _OTHER)
    return english / len(words) >= 0.12 and english >= other
