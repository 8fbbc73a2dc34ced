"""The safety screen that runs before any classifier: `screen(text)`.

Crisis lives in what the writer says about their own state (or about someone they are worried
about), often indirectly: "everyone would be lighter without me", "I've been giving my things
away". Abuse lives in what happens: violence or its threat, fear, coercive control, sexual
coercion, whoever does it to whoever.

Two readers, rules first:
- the rules (rules.py): plain statements from phrases/*.txt, in English and the best-known ones
  in Spanish, French, German, Portuguese and Italian, then the situations in situations.py;
  each cue is checked against the harmless readings in filters.py (a negation in its clause,
  hyperbole, a story, role or game the sentence is about, an agreed arrangement, an everyday
  departure, a goodbye at a grave); a sentence that tells a crisis as history ("years ago",
  "a year free of self-harm", phrases/resolved.txt) is not read at all unless the writer says
  it has come back;
- the learned sentence model (learned.py), for indirect wording no rule names.
Crisis outranks abuse, and a rule's answer is never overruled downwards.

Below the hard levels sits doubt (the middle tier, `SafetyResult.checks`): phrases the screen
cannot rule out (phrases/doubt_*.txt) and the learned model's scores just under its thresholds.
Doubt never changes the level; it is kept only for a worry the level does not already answer.
An abuse cue whose subject is the writer ("I shoved her") is the writer's harm
(`SafetyResult.harm`), unless another cue in the story harms the writer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coaching.models import WORRIES, Doubt, Harm, SafetyResult
from coaching.reading.normalize import normalize
from coaching.reading.prefilter import OpeningIndex
from coaching.reading.sentences import clauses as split_clauses
from coaching.reading.sentences import sentences as split_sentences
from coaching.safety.filters import (
    HYPERBOLE,
    carries_own_negation,
    explained,
    fictional,
    left_behind,
    negated,
    staged,
)
from coaching.safety.learned import QUOTE_MARKS, as_doubt, learned_screen
from coaching.safety.learned import sentence_for_model as sentence_for_model
from coaching.safety.people import (
    about_other,
    acts_on_someone,
    feared_in,
    whose_worry,
    writer_acts,
)
from coaching.safety.phrases import fold
from coaching.safety.rules import DOUBTS, RULES, Rule
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
    # A sentence that tells a crisis as history ("I overdosed at nineteen; I'm forty now") is
    # not read at all, unless the text says it has come back.
    every = split_sentences(norm)
    told = [s for s in every if not left_behind(s, norm)]
    pairs = [(HYPERBOLE.sub(" ~ ", c), s) for s in told for c in _clauses(s)]
    clauses = [c for c, _ in pairs]
    owners = [s for _, s in pairs]
    cleared: set[str] = set()
    found = _rule_screen(clauses, cleared, owners)
    doubts = SafetyResult(checks=tuple(_doubts(clauses, owners)))
    if found.level is Safety.CRISIS:
        return combined(found, doubts)
    # The sentences the rules read as abuse (in `cleared`) are not re-read as a crisis.
    learned = learned_screen(text, cleared)
    if learned.level is not Safety.ABUSE and found.level is Safety.NONE and _history(every, told):
        # In a story that tells a crisis as history, what only the model reads (no rule names
        # it) is asked about, not answered as a crisis: "he keeps checking my arms" after "I
        # stopped hurting myself years ago" is the history, seen by someone else.
        learned = as_doubt(learned)
    return combined(found, doubts, learned)


def _history(every: list[str], told: list[str]) -> bool:
    """Whether a sentence left out as history holds a cue the rules would answer."""
    past = [c for s in every if s not in told for c in _clauses(s)]
    return bool(past) and _rule_screen(past, set()).level is not Safety.NONE


def combined(first: SafetyResult, *others: SafetyResult) -> SafetyResult:
    """One verdict from several readers: the highest level (the first reader's on a tie, so the
    built-in screen's cue, people and harm are kept), and one doubt per worry (the first
    reader's that has it), minus the worry that level answers. Nothing here lowers a level."""
    best = first
    for other in others:
        if other.level.rank > best.level.rank:
            best = other
    answered = {Safety.CRISIS: "suicide", Safety.ABUSE: "danger"}.get(best.level)
    doubts = [d for r in (first, *others) for d in r.checks]
    checks: list[Doubt] = []
    for worry in WORRIES:
        mine = [d for d in doubts if d.worry == worry]
        if mine and worry != answered:
            checks.append(mine[0])
    return best.model_copy(update={"checks": tuple(checks)})


def _doubts(clauses: list[str], owners: list[str]) -> list[Doubt]:
    """The doubt phrases in the clauses, not negated and not part of a story being told."""
    found: list[Doubt] = []
    for worry, regex in DOUBTS:
        for clause, sentence in zip(clauses, owners, strict=True):
            for match in regex.finditer(clause):
                cue = match.group(0)
                if negated(clause, match.start()) and not carries_own_negation(cue):
                    continue
                if fictional(clause, match.start(), cue) or staged(
                    sentence, clause, match.start(), cue
                ):
                    continue
                person = whose_worry(clause, match.start())
                feared = feared_in(cue) if worry == "danger" else ""
                found.append(
                    Doubt(worry=worry, about_other=bool(person), person=person, feared=feared)
                )
                break
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


def _rule_screen(
    clauses: list[str], cleared: set[str], owners: list[str] | None = None
) -> SafetyResult:
    """What the rules read: the first crisis cue, else the abuse cue that answers (below). Clauses
    where a rule matched but was negated go in `cleared`, so the learned screen does not overrule
    an explicit "he has never hit me"; so do abuse cues, so it does not re-read them as a crisis.

    Abuse cues are of three kinds: harm to the writer or what they live with ("hit me", "scared
    when he..."), the writer's own act ("I shoved her"), and an act on someone else by someone
    unclear ("hitting him" heard through a wall). The first kind ends the search and is the
    answer; the writer's act is the answer only when no cue of the first kind follows."""
    index = OpeningIndex(clauses)
    harmed: SafetyResult | None = None
    writer: SafetyResult | None = None
    other: SafetyResult | None = None
    for rule in _RULES:
        if harmed is not None and rule.level is Safety.ABUSE:
            break
        for number, local in _matches(rule, clauses, index):
            clause = clauses[number]
            cue = local.group(0)
            if rule.english and negated(clause, local.start()) and not carries_own_negation(cue):
                cleared.add(clause.strip())
                continue
            if explained(rule.level, rule.innocent, clause, local):
                continue
            if owners and staged(owners[number], clause, local.start(), cue):
                continue  # a story, a role or a game the sentence is about
            if rule.level is Safety.CRISIS:
                return SafetyResult(
                    level=Safety.CRISIS, about_other=about_other(clause, local), cue=cue
                )
            # A sentence a rule read as abuse is not re-read as a crisis by the model.
            cleared.add(cue)
            before = " , ".join(
                [*clauses[max(0, number - _CLAUSES_BACK) : number], clause[: local.start()]]
            )
            harm = _writer_harm(rule, before, cue)
            if harm:
                writer = writer or SafetyResult(level=Safety.ABUSE, cue=cue, harm=harm)
            elif acts_on_someone(cue):
                other = other or SafetyResult(level=Safety.ABUSE, cue=cue)
            else:
                harmed = SafetyResult(level=Safety.ABUSE, cue=cue)
                break
    return harmed or writer or other or SafetyResult()


# How many clauses before a cue are read to find who did it ("I punched him, hard, then...").
_CLAUSES_BACK = 2
_THREAT = re.compile(r"\b(?:threat\w*|kill|hurt|strangle|beat)\b")
_CONTROL = re.compile(
    r"\b(?:phone|texts|messages|location|track\w*|card|money|wages|passport|friends|let|gps|keys|"
    r"locked|made)\b"
)


def _writer_harm(rule: Rule, before: str, cue: str) -> Harm:
    """What the writer describes doing when an abuse cue is the writer's act, else ""."""
    if rule.harm:
        return rule.harm
    if not writer_acts(before, cue):
        return ""
    if _THREAT.search(cue):
        return "threat"
    if _CONTROL.search(cue):
        return "control"
    return "violence"


def _matches(
    rule: Rule, clauses: list[str], index: OpeningIndex
) -> Iterator[tuple[int, re.Match[str]]]:
    """Every match of `rule`, clause by clause (by number), in the clauses that hold a word it
    needs."""
    for number in index.where(rule.gate):
        for match in rule.regex.finditer(clauses[number]):
            yield number, match
