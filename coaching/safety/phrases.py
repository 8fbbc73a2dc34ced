"""The screen's word lists, read from the data files in `coaching/safety/phrases/`.

A file holds one regular expression a line; `#` starts a comment line, and a `[name]` line
starts a named section. Everything is matched on the normalised text with accents folded
(`fold`), and patterns are folded the same way when read, so "matarme", "suicídio" and
"möchte" match whether or not the writer typed the accents.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

from coaching.safety.people import fill

_PACKAGE = "coaching.safety"
_FOLDER = "phrases"


def fold(text: str) -> str:
    """`text` without accents: "é" -> "e", "ã" -> "a", "ö" -> "o" (other scripts unchanged)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", bare)


@cache
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """The lines of `phrases/<name>.txt` by section ("" before the first header), slots filled."""
    text = (resources.files(_PACKAGE) / _FOLDER / f"{name}.txt").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {"": []}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = re.fullmatch(r"\[([a-z_]+)\]", line)
        if header:
            current = header.group(1)
            found.setdefault(current, [])
            continue
        found[current].append(fold(fill(line)))
    return {key: tuple(lines) for key, lines in found.items()}


def patterns(name: str, section: str = "") -> tuple[str, ...]:
    """Every line of one file (or one section of it): a rule each."""
    return sections(name)[section]


def alternation(name: str, section: str = "") -> re.Pattern[str]:
    """One file (or section) as one regex: any of its lines, between word boundaries."""
    return re.compile(r"\b(?:" + "|".join(patterns(name, section)) + r")\b")
