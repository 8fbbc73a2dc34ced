"""A cheap gate in front of the lexicon regexes: a clause is only scanned by rules that can match.

From each regex we derive a handful of word openings, one of which every match must contain
("want to die" needs a word opening with "want" or "wish" or ...). An index of the story's
word openings says which clauses hold one; only those are scanned. Most rules are about words an
ordinary story never uses, so most scans are skipped.
A rule whose needs cannot be worked out always runs: the gate never changes an answer, only
how long it takes (two hundred scans of every story were most of the latency).
"""

from __future__ import annotations

import importlib
import re
from itertools import product
from typing import Any

# The parser the `re` module itself uses (public as sre_parse/sre_constants until 3.11, which
# deprecated those names; the project needs 3.11+).
c: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

_MAX_STRINGS = 400
_MIN_USEFUL = 3
_PREFIX_MAX = 12
_WORD = re.compile(r"\w[\w']*")  # a word starts with a letter or digit, never a quote mark

Items = list[tuple[Any, Any]]


def requirement(pattern: str) -> frozenset[str] | None:
    """Word openings of which any match contains at least one, or None when unknown."""
    try:
        parsed: Any = sre_parse.parse(pattern)
        need = _required([parsed[i] for i in range(len(parsed))], word_start=False)
    except RecursionError:
        return None
    return frozenset(need) if need else None


def _finite(items: Items) -> set[str] | None:
    """Every string `items` can match, if there are few enough of them."""
    out = {""}
    for op, arg in items:
        options = _finite_one(op, arg)
        if options is None:
            return None
        out = {a + b for a, b in product(out, options)}
        if len(out) > _MAX_STRINGS:
            return None
    return out


def _finite_one(op: Any, arg: Any) -> set[str] | None:
    if op is c.LITERAL:
        return {chr(arg)}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {""}
    if op is c.SUBPATTERN:
        return _finite(list(arg[-1]))
    if op is c.BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            sub = _finite(list(branch))
            if sub is None:
                return None
            out |= sub
        return out
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in arg:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < 30:
                chars |= {chr(x) for x in range(value[0], value[1] + 1)}
            else:
                return None
        return chars
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, body = arg
        if high > 3:
            return None
        inner = _finite(list(body))
        if inner is None:
            return None
        out = set()
        for count in range(low, high + 1):
            out |= {"".join(p) for p in product(inner, repeat=count)}
        return out if len(out) <= _MAX_STRINGS else None
    return None


def _required(items: Items, word_start: bool = False) -> set[str] | None:
    """The most selective set of word openings one of which any match of `items` contains.

    Only strings that start a word are kept (they follow a boundary or a space in the
    pattern), cut to their first word, so the test is a set lookup against the story's words.
    """
    if len(items) == 1 and items[0][0] is c.BRANCH:
        union: set[str] = set()
        for branch in items[0][1][1]:
            need = _required(list(branch), word_start)
            if need is None:
                return None
            union |= need
        return union
    candidates: list[set[str]] = []
    at_start = word_start
    starts_tried = 0
    for index, (op, arg) in enumerate(items):
        # The first two word starts of a sequence are plenty to find a selective one, and
        # trying every position made importing the lexicons slow.
        if at_start and starts_tried < 4:
            starts_tried += 1
            words = _opening_words(items[index:])
            if words is not None:
                candidates.append(words)
        if any(_good(found) for found in candidates):
            break  # selective enough; looking further only costs import time
        sub: set[str] | None = None
        if op is c.SUBPATTERN:
            sub = _required(list(arg[-1]), at_start)
        elif op is c.BRANCH:
            sub = _required([(op, arg)], at_start)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
            sub = _required(list(arg[2]), at_start)
        if sub:
            candidates.append(sub)
        at_start = (op is c.AT and arg is c.AT_BOUNDARY) or _ends_with_space(op, arg, at_start)
    if not candidates:
        return None
    # Few, long openings: each is one lookup, and long ones are rare in ordinary stories.
    return max(candidates, key=lambda s: (min(map(len, s)) >= 4, -len(s), min(map(len, s))))


def _ends_with_space(op: Any, arg: Any, at_start: bool) -> bool:
    """Whether what follows this element starts a word: it ends in a space, or it may match
    nothing at all and we were at a word start already ("(?:so )?tired")."""
    if op is c.LITERAL:
        return chr(arg) == " "
    if op is c.SUBPATTERN:
        items = list(arg[-1])
        return bool(items) and _ends_with_space(items[-1][0], items[-1][1], at_start)
    if op is c.BRANCH:
        return all(_branch_ends_with_space(list(branch), at_start) for branch in arg[1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, _high, body = arg
        items = list(body)
        ends = bool(items) and _ends_with_space(items[-1][0], items[-1][1], at_start)
        return ends and (low >= 1 or at_start)
    return False


def _branch_ends_with_space(items: Items, at_start: bool) -> bool:
    return bool(items) and _ends_with_space(items[-1][0], items[-1][1], at_start)


def _good(words: set[str]) -> bool:
    return len(words) <= 30 and min(map(len, words)) >= 4


def _opening_words(items: Items) -> set[str] | None:
    """The first word a match of `items` can start with, cut at _PREFIX_MAX characters.

    Walks the pattern one element at a time and stops where every way through has finished
    its first word, so only words are ever expanded (never the phrases after them).
    """
    partial = {""}
    done: set[str] = set()
    for op, arg in items:
        options = _finite_one(op, arg)
        if options is None:
            break
        grown: set[str] = set()
        for prefix in partial:
            for option in options:
                text = prefix + option
                word = _WORD.match(text)
                if word is None:
                    if text:
                        return None  # this way in does not start with a word
                    grown.add(text)
                elif word.end() < len(text) or word.end() >= _PREFIX_MAX:
                    done.add(word.group(0)[:_PREFIX_MAX])
                else:
                    grown.add(text)
        partial = grown
        if len(partial) + len(done) > _MAX_STRINGS:
            return None
        if not partial:
            break
    done |= partial
    if not done or min(map(len, done)) < _MIN_USEFUL:
        return None
    return done


class OpeningIndex:
    """Which lines (clauses) of a story each word opening occurs in."""

    def __init__(self, lines: list[str]) -> None:
        self._lines: dict[str, set[int]] = {}
        for number, line in enumerate(lines):
            for word in _WORD.findall(line):
                for n in range(_MIN_USEFUL, min(len(word), _PREFIX_MAX) + 1):
                    self._lines.setdefault(word[:n], set()).add(number)
        self._count = len(lines)
        self._openings = frozenset(self._lines)

    def where(self, need: frozenset[str] | None) -> list[int]:
        """The lines a rule with this need can match in (all of them when the need is unknown)."""
        if need is None:
            return list(range(self._count))
        if need.isdisjoint(self._openings):  # the usual case, at set speed
            return []
        found: set[int] = set()
        for opening in need:
            found |= self._lines.get(opening, set())
        return sorted(found)
