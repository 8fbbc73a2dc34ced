"""The safety screen that runs before any classifier: `screen(text)`.

Crisis lives in what the writer says about their own state (or about someone they are worried
about), often indirectly: "everyone would be lighter without me", "I've been giving my things
away". Abuse lives in what happens: violence or its threat, fear, coercive control, sexual
coercion, whoever does it to whoever.

Two readers, rules first:
- the rules (rules.py): plain statements from phrases/*.txt, in English and the best-known ones
  in Spanish, French, German, Portuguese and Italian, then the situations in situations.py;
  each cue is checked against the harmless readings in filters.py (a negation in its clause,
  hyperbole, a story being told, an agreed arrangement, an everyday departure);
- the learned sentence model (learned.py), for indirect wording no rule names.
Crisis outranks abuse, and a rule's answer is never overruled downwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coaching.models import SafetyResult
from coaching.reading.normalize import normalize
from coaching.reading.prefilter import OpeningIndex
from coaching.reading.sentences import clauses as split_clauses
from coaching.safety.filters import HYPERBOLE, carries_own_negation, explained, negated
from coaching.safety.learned import QUOTE_MARKS, learned_screen
from coaching.safety.learned import sentence_for_model as sentence_for_model
from coaching.safety.people import about_other
from coaching.safety.phrases import fold
from coaching.safety.rules import RULES, Rule
from coaching.taxonomy import Safety

# Module-level so a test can swap the rules (tests/test_prefilter.py scans them ungated).
_RULES: tuple[Rule, ...] = RULES
# A "clause" longer than this (a wall of text with no full stop) is read in overlapping pieces:
# every filter reads a cue's whole clause, and one 100,000-character clause made that quadratic.
_LONGEST_CLAUSE = 400
_OVERLAP = 120


def screen(text: str) -> SafetyResult:
    """The built-in safety level for `text`. Crisis outranks abuse; the first cue is kept."""
    norm = fold(normalize(text).translate(QUOTE_MARKS))
    clauses = [HYPERBOLE.sub(" ~ ", c) for c in _clauses(norm)]
    cleared: set[str] = set()
    found = _rule_screen(clauses, cleared)
    if found.level is Safety.CRISIS:
        return found
    if found.level is Safety.ABUSE:
        # The sentence a rule already read as abuse is not re-read as a crisis by the model.
        cleared.add(found.cue)
    learned = learned_screen(text, cleared)
    if learned.level.rank > found.level.rank:
        return learned
    return found


def _clauses(norm: str) -> list[str]:
    """The text's clauses (quote marks are gone by now, so quotes are cut too), long ones in
    overlapping pieces cut at spaces."""
    out: list[str] = []
    for clause in split_clauses(norm):
        while len(clause) > _LONGEST_CLAUSE:
            cut = clause.rfind(" ", _OVERLAP + 1, _LONGEST_CLAUSE)
            cut = cut if cut > 0 else _LONGEST_CLAUSE
            out.append(clause[:cut])
            clause = clause[cut - _OVERLAP :]
        out.append(clause)
    return out


def _rule_screen(clauses: list[str], cleared: set[str]) -> SafetyResult:
    """The first rule that fires. Clauses where a rule matched but was negated go in `cleared`:
    the learned screen must not overrule an explicit "he has never hit me"."""
    index = OpeningIndex(clauses)
    abuse: SafetyResult | None = None
    for rule in _RULES:
        if abuse is not None and rule.level is Safety.ABUSE:
            break
        for clause, local in _matches(rule, clauses, index):
            cue = local.group(0)
            if rule.english and negated(clause, local.start()) and not carries_own_negation(cue):
                cleared.add(clause.strip())
                continue
            if explained(rule.level, rule.innocent, clause, local):
                continue
            if rule.level is Safety.CRISIS:
                return SafetyResult(
                    level=Safety.CRISIS, about_other=about_other(clause, local), cue=cue
                )
            abuse = SafetyResult(level=Safety.ABUSE, cue=cue)
            break
    return abuse or SafetyResult()


def _matches(
    rule: Rule, clauses: list[str], index: OpeningIndex
) -> Iterator[tuple[str, re.Match[str]]]:
    """Every match of `rule`, clause by clause, in the clauses that hold a word it needs."""
    for number in index.where(rule.gate):
        clause = clauses[number]
        for match in rule.regex.finditer(clause):
            yield clause, match
