"""The pieces of a text the sentence encoder reads: its sentences, long ones in overlapping parts.

The safety screen and understanding read a story through the same encoder, and they cut it the
same way, so a sentence both read is encoded once (the encoder remembers its recent sentences).
The encoder reads at most 256 tokens of a piece, so a long sentence is cut into overlapping
parts: a cue at the end of a rambling sentence is still read.
"""

from __future__ import annotations

from coaching.reading.normalize import normalize
from coaching.reading.sentences import sentences

LONGEST_PIECE = 400  # characters: well inside the encoder's 256 tokens
_OVERLAP = 120
# Quote marks go before cutting, so a quoted passage is cut into sentences too.
QUOTE_MARKS = str.maketrans({'"': " ", "\u201c": " ", "\u201d": " "})


def pieces(text: str) -> list[str]:
    """`text`, or when longer than LONGEST_PIECE, overlapping pieces of it cut at spaces."""
    out: list[str] = []
    while len(text) > LONGEST_PIECE:
        cut = text.rfind(" ", _OVERLAP + 1, LONGEST_PIECE)
        cut = cut if cut > 0 else LONGEST_PIECE
        out.append(text[:cut])
        text = text[cut - _OVERLAP :]
    out.append(text)
    return out


def encoder_units(text: str, limit: int) -> list[str]:
    """The first `limit` pieces of `text`'s sentences, normalised as the screen reads them."""
    norm = normalize(text).translate(QUOTE_MARKS)
    return [p for s in sentences(norm) for p in pieces(s)][:limit]
