"""A cheap gate in front of the lexicon regexes: a clause is only scanned by rules that can match.

From each regex we derive a handful of word openings, one of which every match must contain
("want to die" needs a word opening with "want" or "wish" or ...). An index of the story's
word openings says which clauses hold one; only those are scanned. Most rules are about words an
ordinary story never uses, so most scans are skipped.
A rule whose needs cannot be worked out always runs: the gate never changes an answer, only
how long it takes (without it a story takes about twice as long: 2.6 -> 5.5 ms CPU for the dev
stories, 20 -> 53 ms for 4,000 characters).

Each pattern is read from its own source by `_Reader`, which knows the part of Python's regex
syntax the lexicons use (groups, alternatives, classes, repeats, lookarounds, escapes) and
refuses the rest (backreferences, inline flags), so no private module of `re` is needed.
"""

from __future__ import annotations

import re
from enum import Enum, auto
from itertools import product
from typing import Any

_MAX_STRINGS = 400
_MIN_USEFUL = 3
_PREFIX_MAX = 12
_WORD = re.compile(r"\w[\w']*")  # a word starts with a letter or digit, never a quote mark


class _Op(Enum):
    """What one element of a pattern is (the few kinds the gate needs to tell apart)."""

    LITERAL = auto()  # arg: the character's code point
    IN = auto()  # arg: [(LITERAL, code) | (RANGE, (low, high)) | (OTHER, None)]
    RANGE = auto()
    AT = auto()  # arg: BOUNDARY for \b, else None (^, $, \A, \B, \Z)
    ASSERT = auto()  # a lookaround: matches no characters
    SUBPATTERN = auto()  # arg: (items,)
    BRANCH = auto()  # arg: (None, [items, items, ...])
    REPEAT = auto()  # arg: (low, high, items)
    OTHER = auto()  # anything else: ".", \w, a negated class...


BOUNDARY = "boundary"
_MANY = 1 << 31
Items = list[tuple[_Op, Any]]


def requirement(pattern: str) -> frozenset[str] | None:
    """Word openings of which any match contains at least one, or None when unknown."""
    try:
        need = _required(_parse(pattern), word_start=False)
    except (_Unsupported, RecursionError):
        return None
    return frozenset(need) if need else None


class _Unsupported(Exception):
    """A construct the gate does not read (a backreference, inline flags...): no gate."""


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_HEX = {"x": 2, "u": 4, "U": 8}
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _parse(pattern: str) -> Items:
    """The pattern's elements, read from its source with Python's `re` syntax.

    Only what the gate needs is told apart; a construct it cannot read raises `_Unsupported`,
    so the rule always runs. The pattern must compile, and flags must be the caller's
    MULTILINE only (inline flags such as (?i) are refused).
    """
    re.compile(pattern)
    reader = _Reader(pattern)
    items = reader.alternation()
    if reader.at < len(pattern):
        raise _Unsupported(pattern)
    return items


class _Reader:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def _peek(self, ahead: int = 0) -> str:
        at = self.at + ahead
        return self.text[at] if at < len(self.text) else ""

    def _take(self, prefix: str) -> bool:
        if self.text.startswith(prefix, self.at):
            self.at += len(prefix)
            return True
        return False

    def alternation(self) -> Items:
        branches = [self._sequence()]
        while self._take("|"):
            branches.append(self._sequence())
        return branches[0] if len(branches) == 1 else [(_Op.BRANCH, (None, branches))]

    def _sequence(self) -> Items:
        items: Items = []
        while self._peek() not in ("", "|", ")"):
            atom = self._atom()
            if atom is not None:
                items.append(self._quantified(atom))
        return items

    def _quantified(self, atom: tuple[_Op, Any]) -> tuple[_Op, Any]:
        char = self._peek()
        bounds: tuple[int, int] | None = None
        if char in ("*", "+", "?"):
            self.at += 1
            bounds = {"*": (0, _MANY), "+": (1, _MANY), "?": (0, 1)}[char]
        elif char == "{":
            m = _QUANTIFIER.match(self.text, self.at)
            if m and (m.group(1) or m.group(3)):
                self.at = m.end()
                low = int(m.group(1) or 0)
                high = int(m.group(3)) if m.group(3) else (_MANY if m.group(2) else low)
                bounds = (low, high)
        if bounds is None:
            return atom
        self._take("?") or self._take("+")  # lazy or possessive: the same strings can match
        return (_Op.REPEAT, (bounds[0], bounds[1], [atom]))

    def _atom(self) -> tuple[_Op, Any] | None:
        char = self._peek()
        self.at += 1
        if char == "(":
            return self._group()
        if char == "[":
            return self._class()
        if char == ".":
            return (_Op.OTHER, None)
        if char in ("^", "$"):
            return (_Op.AT, None)
        if char == "\\":
            return self._escape()
        if char in ("*", "+", "?"):
            raise _Unsupported(char)
        return (_Op.LITERAL, ord(char))

    def _group(self) -> tuple[_Op, Any] | None:
        if self._take("?#"):
            end = self.text.index(")", self.at)
            self.at = end + 1
            return None
        kind = _Op.SUBPATTERN
        if self._take("?:") or self._take("?>"):
            pass
        elif self._take("?=") or self._take("?!") or self._take("?<=") or self._take("?<!"):
            kind = _Op.ASSERT
        elif self._take("?P<"):
            self.at = self.text.index(">", self.at) + 1
        elif self._peek() == "?":
            raise _Unsupported("(?")  # inline flags, backreferences, conditionals
        items = self.alternation()
        if not self._take(")"):
            raise _Unsupported("(")
        return (kind, (items,)) if kind is _Op.SUBPATTERN else (_Op.ASSERT, None)

    def _escape(self) -> tuple[_Op, Any]:
        char = self._peek()
        self.at += 1
        if char == "b":
            return (_Op.AT, BOUNDARY)
        if char in ("B", "A", "Z"):
            return (_Op.AT, None)
        if char in ("d", "D", "w", "W", "s", "S"):
            return (_Op.OTHER, None)
        return (_Op.LITERAL, self._escaped_char(char))

    def _escaped_char(self, char: str) -> int:
        """The code point of an escape (the backslash and `char` already read)."""
        if char in _HEX:
            digits = self.text[self.at : self.at + _HEX[char]]
            self.at += _HEX[char]
            return int(digits, 16)
        if char in _ESCAPES:
            return ord(_ESCAPES[char])
        if char.isalnum() or not char:
            raise _Unsupported("\\" + char)  # backreferences, octal, named characters
        return ord(char)

    def _class(self) -> tuple[_Op, Any]:
        negated = self._take("^")
        entries: list[tuple[_Op, Any]] = []
        first = True
        while first or self._peek() != "]":
            first = False
            low = self._class_char()
            if low is not None and self._peek() == "-" and self._peek(1) not in ("]", ""):
                self.at += 1
                high = self._class_char()
                if high is None:
                    raise _Unsupported("[")
                entries.append((_Op.RANGE, (low, high)))
            elif low is not None:
                entries.append((_Op.LITERAL, low))
            else:
                entries.append((_Op.OTHER, None))
        self.at += 1
        return (_Op.OTHER, None) if negated else (_Op.IN, entries)

    def _class_char(self) -> int | None:
        """One character of a class, or None for a category (\\w, \\d, \\s...)."""
        char = self._peek()
        if not char:
            raise _Unsupported("[")
        self.at += 1
        if char != "\\":
            return ord(char)
        char = self._peek()
        self.at += 1
        if char in ("d", "D", "w", "W", "s", "S"):
            return None
        if char == "b":
            return 8  # backspace, inside a class
        return self._escaped_char(char)


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
    if op is _Op.LITERAL:
        return {chr(arg)}
    if op in (_Op.AT, _Op.ASSERT):
        return {""}
    if op is _Op.SUBPATTERN:
        return _finite(list(arg[-1]))
    if op is _Op.BRANCH:
        out: set[str] = set()
        for branch in arg[1]:
            sub = _finite(list(branch))
            if sub is None:
                return None
            out |= sub
        return out
    if op is _Op.IN:
        chars: set[str] = set()
        for kind, value in arg:
            if kind is _Op.LITERAL:
                chars.add(chr(value))
            elif kind is _Op.RANGE and value[1] - value[0] < 30:
                chars |= {chr(x) for x in range(value[0], value[1] + 1)}
            else:
                return None
        return chars
    if op is _Op.REPEAT:
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
    if len(items) == 1 and items[0][0] is _Op.BRANCH:
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
        if op is _Op.SUBPATTERN:
            sub = _required(list(arg[-1]), at_start)
        elif op is _Op.BRANCH:
            sub = _required([(op, arg)], at_start)
        elif op is _Op.REPEAT and arg[0] >= 1:
            sub = _required(list(arg[2]), at_start)
        if sub:
            candidates.append(sub)
        at_start = (op is _Op.AT and arg == BOUNDARY) or _ends_with_space(op, arg, at_start)
    if not candidates:
        return None
    # Few, long openings: each is one lookup, and long ones are rare in ordinary stories.
    return max(candidates, key=lambda s: (min(map(len, s)) >= 4, -len(s), min(map(len, s))))


def _ends_with_space(op: Any, arg: Any, at_start: bool) -> bool:
    """Whether what follows this element starts a word: it ends in a space, or it may match
    nothing at all and we were at a word start already ("(?:so )?tired")."""
    if op is _Op.LITERAL:
        return chr(arg) == " "
    if op is _Op.SUBPATTERN:
        items = list(arg[-1])
        return bool(items) and _ends_with_space(items[-1][0], items[-1][1], at_start)
    if op is _Op.BRANCH:
        return all(_branch_ends_with_space(list(branch), at_start) for branch in arg[1])
    if op is _Op.REPEAT:
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
