"""The one place a text is cut into sentences and clauses.

`sentences(text)` guarantees:

- every piece is a non-empty, stripped slice of `text`, in order; only whitespace between
  pieces is dropped, so `text` can be found again piece by piece;
- a sentence ends after `.`, `!` or `?` (or a run of them: "?!", "...") followed by whitespace
  or the end of the text, and at every line break;
- a double-quoted passage ("…" or “…”) is never cut: a sentence end inside it does not end the
  sentence, so a reply of two sentences stays with the words that introduce it. A quote left
  open ends at the line break. Single quotes are apostrophes too often to be trusted, so they
  protect nothing.

`clauses(text)` cuts where `sentences` does, and also at ";" and at ", and" / ", but"; the
joint itself is dropped, the sentence's closing stops too ("he left." gives "he left"), so a
rule's `$` is the end of the clause's words. Quotes are kept whole the same way. It is the
scope for rules that must not reach across a clause: a negation before a cue, a `$` that ends
one. A caller that wants quoted sentences cut too removes the quote marks first.

A dot inside a number ("3.5") ends nothing. Two known imperfections, kept because the shipped
models were trained on these cuts: an abbreviation before a space ("e.g. this") is cut like a
sentence end, and a sentence whose stop sits inside a closing quote ('she said "Fine." Then we
ate.') runs on into the next one.
"""

from __future__ import annotations

import re

_QUOTE_MARKS = '"\u201c\u201d'
# A quoted passage: an opening mark, then anything but a quote mark or a line break, then the
# closing mark (or the line break or the end of the text when it was left open).
_QUOTED = re.compile(r"[\"\u201c\u201d][^\"\u201c\u201d\n]*(?:[\"\u201c\u201d]|(?=\n)|\Z)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSE_END = re.compile(r"[.!?]+(?:\s+|\Z)|\n+|\s*;\s*|,\s+(?:and|but)\s+", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The text's sentences, quotes kept whole (see the module docstring for the guarantees)."""
    return _cut(text, _SENTENCE_END)


def clauses(text: str) -> list[str]:
    """The text's clauses: sentences cut again at ";" and ", and" / ", but", quotes kept whole."""
    return _cut(text, _CLAUSE_END)


def _cut(text: str, boundary: re.Pattern[str]) -> list[str]:
    # Boundaries are looked for in a copy where quoted passages are blanked out (same length,
    # so positions carry over), then the original is cut at them.
    masked = _QUOTED.sub(_blank, text) if any(q in text for q in _QUOTE_MARKS) else text
    pieces: list[str] = []
    start = 0
    for end in boundary.finditer(masked):
        pieces.append(text[start : end.start()])
        start = end.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _blank(match: re.Match[str]) -> str:
    return "x" * (match.end() - match.start())
