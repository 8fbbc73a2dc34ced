"""A cheap gate in front of the lexicon regexes, so a story is only scanned by rules that can match.

Almost every rule starts at a word boundary with a known word ("\\b(?:want|wish)..."). From the
regex itself we derive the few three-character openings a match can have; a story whose words
open with none of them cannot match, and the rule is skipped without scanning. Rules whose
opening cannot be worked out (a wildcard first, say) always run, so the gate never changes an
answer, only how long it takes: two hundred scans of every story were most of the latency.
"""

from __future__ import annotations

import re
import sre_constants as c
import sre_parse
from collections.abc import Iterable
from typing import Any

_WIDTH = 3
_LIMIT = 4000  # more openings than this and the rule just always runs
# Any non-space character that does not continue a word: where a "\b"-led match can begin.
_WORD_START = re.compile(r"(?<!\w)\S")


class _Unknown(Exception):
    pass


def openings(pattern: str) -> frozenset[str] | None:
    """Every 3-character opening of a match (shorter at a pattern's end), or None if unknown."""
    try:
        parsed = sre_parse.parse(pattern)
        if not _anchored(list(parsed)):
            return None
        found = _expand(list(parsed), {""})
    except (_Unknown, RecursionError):
        return None
    return frozenset(found)


def _anchored(items: list[tuple[Any, Any]]) -> bool:
    """True when every way into the pattern starts at a word boundary (or a lookbehind)."""
    if not items:
        return False
    op, arg = items[0]
    if op is c.BRANCH:
        return all(_anchored(list(branch)) for branch in arg[1])
    if op is c.SUBPATTERN:
        return _anchored(list(arg[-1]))
    return (op is c.AT and arg is c.AT_BOUNDARY) or op is c.ASSERT_NOT


def text_openings(text: str) -> frozenset[str]:
    """The 3-character openings of every word in `text`, and of its shorter tails."""
    out: set[str] = set()
    for m in _WORD_START.finditer(text):
        chunk = text[m.start() : m.start() + _WIDTH]
        for n in range(1, len(chunk) + 1):
            out.add(chunk[:n])
    return frozenset(out)


def may_match(gate: frozenset[str] | None, present: frozenset[str]) -> bool:
    return gate is None or not gate.isdisjoint(present)


def _expand(items: list[tuple[Any, Any]], prefixes: set[str]) -> set[str]:
    """Extend each prefix with what `items` can match, until every prefix is _WIDTH long."""
    for op, arg in items:
        if all(len(p) >= _WIDTH for p in prefixes):
            break
        done = {p for p in prefixes if len(p) >= _WIDTH}
        todo = prefixes - done
        prefixes = done | _step(op, arg, todo)
        if len(prefixes) > _LIMIT:
            raise _Unknown
    return prefixes


def _step(op: Any, arg: Any, prefixes: set[str]) -> set[str]:
    if op is c.LITERAL:
        return {p + chr(arg) for p in prefixes}
    if op is c.AT:
        if arg in (c.AT_BOUNDARY, c.AT_BEGINNING, c.AT_BEGINNING_LINE, c.AT_NON_BOUNDARY):
            return prefixes
        raise _Unknown
    if op is c.SUBPATTERN:
        return _expand(list(arg[-1]), prefixes)
    if op is c.BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            out |= _expand(list(branch), prefixes)
        return out
    if op is c.IN:
        chars = _chars(arg)
        return {p + ch for p in prefixes for ch in chars}
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, body = arg
        if high > 6 and low == 0:
            raise _Unknown
        out = set(prefixes) if low == 0 else set()
        current = prefixes
        for count in range(1, min(high, _WIDTH) + 1):
            current = _expand(list(body), current)
            if count >= low:
                out |= current
        return out
    if op in (c.ASSERT, c.ASSERT_NOT):
        return prefixes  # lookarounds consume nothing
    raise _Unknown


def _chars(items: Iterable[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    negate = False
    for op, arg in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            out.add(chr(arg))
        elif op is c.RANGE:
            low, high = arg
            if high - low > 60:
                raise _Unknown
            out |= {chr(x) for x in range(low, high + 1)}
        else:
            raise _Unknown
    if negate:
        raise _Unknown
    return out
