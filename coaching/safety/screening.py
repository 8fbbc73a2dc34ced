"""The safety screen that runs before any classifier: `screen(text)`.

Crisis lives in what the writer says about their own state (or about someone they are worried
about), often indirectly: "everyone would be lighter without me", "I've been giving my things
away". Abuse lives in what happens: violence or its threat, fear, coercive control, sexual
coercion, whoever does it to whoever.

Two readers, and the screen weighs them together (`decide`):
- the rules (rules.py) propose: plain statements from phrases/*.txt, in English and the
  best-known ones in Spanish, French, German, Portuguese and Italian, then the situations in
  situations.py; each cue is checked against the harmless readings in filters.py (a negation in
  its clause, hyperbole, a story, role or game the sentence is about, an agreed arrangement, an
  everyday departure, a goodbye at a grave); a sentence that tells a crisis as history ("years
  ago", "a year free of self-harm", phrases/resolved.txt) is not read at all unless the writer
  says it has come back;
- the encoder heads (heads.py) read the same sentences for the long tail of wording no rule
  names, and confirm the rules: an English cue counts only when the heads give its level at
  least `confirm_*` (the rules cannot hear sarcasm or a joke, the heads can); an unconfirmed cue
  is asked about instead. A cue in another language needs no confirmation (the encoder reads
  English). The heads alone reach the hard tier at `hard_*`.
All thresholds were chosen on the calibration split (training/safety_heads.py).
Crisis outranks abuse, and a confirmed rule's answer is never overruled downwards.

Below the hard levels sits doubt (the middle tier, `SafetyResult.checks`): phrases the screen
cannot rule out (phrases/doubt_*.txt), unconfirmed cues, and the heads' scores from `doubt_*`
up. Doubt never changes the level; it is kept only for a worry the level does not already
answer. An abuse cue whose subject is the writer ("I shoved her") is the writer's harm
(`SafetyResult.harm`), unless another cue in the story harms the writer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from coaching.models import WORRIES, Doubt, Harm, SafetyResult
from coaching.reading.normalize import normalize
from coaching.reading.prefilter import OpeningIndex
from coaching.reading.sentences import clauses as split_clauses
from coaching.reading.sentences import sentences as split_sentences
from coaching.reading.units import QUOTE_MARKS, pieces
from coaching.safety.filters import (
    HYPERBOLE,
    carries_own_negation,
    explained,
    fictional,
    left_behind,
    negated,
    staged,
)
from coaching.safety.heads import MAX_SENTENCES, HeadScores, Thresholds, load_heads
from coaching.safety.people import (
    WRITER,
    about_other,
    acts_on_someone,
    feared_in,
    sentence_about_other,
    whose_worry,
    writer_acts,
)
from coaching.safety.phrases import fold
from coaching.safety.rules import DOUBTS, RULES, Rule
from coaching.taxonomy import Safety

# Module-level so a test can swap the rules (tests/test_prefilter.py scans them ungated).
_RULES: tuple[Rule, ...] = RULES


@dataclass(frozen=True)
class Hit:
    """A rule's cue, as the answer it would give, and whether it needs the heads' confirmation
    (an English cue about anyone; not a cue in another language, which the encoder cannot
    read, nor the writer's account of their own harm)."""

    result: SafetyResult
    confirm: bool


@dataclass(frozen=True)
class RuleReading:
    """What the rules and filters make of a text, before the heads weigh in."""

    crisis: Hit | None = None
    abuse: Hit | None = None
    doubts: tuple[Doubt, ...] = ()
    # The sentences the heads read (as written, not told as history).
    sentences: tuple[str, ...] = ()
    # A sentence left out as history holds a cue the rules would answer.
    history: bool = False


def screen(text: str) -> SafetyResult:
    """The built-in safety level for `text`. Crisis outranks abuse; the first cue is kept."""
    reading = read_rules(text)
    heads = load_heads()
    return decide(reading, heads.read(reading.sentences), heads.thresholds)


def read_rules(text: str) -> RuleReading:
    """The rules' cues, the doubt phrases, and the sentences the heads should read."""
    norm = fold(normalize(text).translate(QUOTE_MARKS))
    # A sentence that tells a crisis as history ("I overdosed at nineteen; I'm forty now") is
    # not read at all, unless the text says it has come back.
    every = split_sentences(norm)
    told = [s for s in every if not left_behind(s, norm)]
    pieces = [(c, s) for s in told for c in _clauses(s)]
    clauses = [HYPERBOLE.sub(" ~ ", c) for c, _ in pieces]
    owners = [s for _, s in pieces]
    denied: set[str] = set()
    crisis, abuse = _rule_screen(clauses, owners, denied)
    doubts = _doubts(clauses, owners, denied)
    heard = _for_heads(told, sorted(denied))
    return RuleReading(
        crisis=_out_of_reach(crisis, heard),
        abuse=_out_of_reach(abuse, heard),
        doubts=tuple(doubts),
        sentences=tuple(heard),
        history=_history(every, told),
    )


def _out_of_reach(hit: Hit | None, heard: list[str]) -> Hit | None:
    """`hit`, taken without confirmation when its cue lies past what the heads read (a cue at
    the end of a very long text): they cannot confirm what they did not read."""
    if hit is None or not hit.confirm or any(hit.result.cue in s for s in heard):
        return hit
    return Hit(hit.result, confirm=False)


def _for_heads(told: list[str], denied: list[str]) -> list[str]:
    """The sentences the heads read: those told (not history), each without the cues the writer
    denies ("he has never hit me, he just goes quiet" is read as "he has never, he just goes
    quiet": the encoder hears "hit me" louder than "never"), a long one in overlapping pieces
    (the encoder reads 256 tokens of a sentence, and the cue may come at the end)."""
    out: list[str] = []
    for sentence in told:
        for clause in denied:
            sentence = sentence.replace(clause, " ")
        sentence = " ".join(sentence.split())
        if sentence.strip(" ,.;:!?-"):
            out.extend(pieces(sentence))
    return out[:MAX_SENTENCES]


def decide(reading: RuleReading, scores: HeadScores, t: Thresholds) -> SafetyResult:
    """The rules' cues as the heads confirm them, the heads' own reading, and the doubts."""
    doubts = list(reading.doubts)
    found = SafetyResult()
    crisis, abuse = reading.crisis, reading.abuse
    if crisis is not None and (not crisis.confirm or scores.crisis >= t.confirm_crisis):
        found = crisis.result
    elif scores.crisis >= t.hard_crisis and not (abuse and abuse.result.cue in scores.crisis_unit):
        # (A span the rules read as abuse, "he'll kill himself if I leave", is not the heads'
        # crisis.)
        found = _from_heads(Safety.CRISIS, scores.crisis_unit, reading.history)
    elif abuse is not None and (not abuse.confirm or scores.abuse >= t.confirm_abuse):
        found = abuse.result
    elif scores.abuse >= t.hard_abuse:
        found = _from_heads(Safety.ABUSE, scores.abuse_unit, reading.history)
    # What the rules proposed and the heads did not confirm, and what the heads doubt.
    if crisis is not None and found.level is not Safety.CRISIS:
        doubts.append(_doubt("suicide", crisis.result.cue, crisis.result.about_other))
    if abuse is not None and found.level is Safety.NONE:
        doubts.append(_doubt("danger", abuse.result.cue))
    if scores.crisis >= t.doubt_crisis:
        doubts.append(_doubt("suicide", scores.crisis_unit))
    if scores.abuse >= t.doubt_abuse:
        doubts.append(_doubt("danger", scores.abuse_unit))
    return combined(found, SafetyResult(checks=tuple(doubts)))


def _from_heads(level: Safety, unit: str, history: bool) -> SafetyResult:
    """The heads' hard reading of `unit`. In a story that tells a crisis as history, it is asked
    about, not answered: "he keeps checking my arms" after "I stopped hurting myself years ago"
    is the history, seen by someone else."""
    worry: Literal["suicide", "danger"] = "suicide" if level is Safety.CRISIS else "danger"
    if history:
        return SafetyResult(checks=(_doubt(worry, unit),))
    about = level is Safety.CRISIS and sentence_about_other(fold(unit.lower()))
    return SafetyResult(level=level, about_other=about, cue=unit)


def _doubt(worry: Literal["suicide", "danger"], span: str, other: bool | None = None) -> Doubt:
    """A doubt about `span`. A score is weaker evidence of whose worry it is than a phrase: it is
    someone else's only when the span names them ("my brother says..."), else the question asks
    the writer, who is the one telling the story."""
    sentence = fold(normalize(span))
    feared = feared_in(sentence) if worry == "danger" else ""
    person = whose_worry(sentence, len(sentence))
    if other is False or not person.startswith("your ") or person == feared:
        return Doubt(worry=worry, feared=feared)
    if other is None and WRITER.search(sentence):
        return Doubt(worry=worry, feared=feared)
    return Doubt(worry=worry, about_other=True, person=person, feared=feared)


def _history(every: list[str], told: list[str]) -> bool:
    """Whether a sentence left out as history holds a cue the rules would answer."""
    past = [c for s in every if s not in told for c in _clauses(s)]
    if not past:
        return False
    crisis, abuse = _rule_screen(past)
    return crisis is not None or abuse is not None


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


def _doubts(clauses: list[str], owners: list[str], denied: set[str]) -> list[Doubt]:
    """The doubt phrases in the clauses, not negated and not part of a story being told. A
    negated one goes in `denied`."""
    found: list[Doubt] = []
    for worry, regex in DOUBTS:
        for clause, sentence in zip(clauses, owners, strict=True):
            for match in regex.finditer(clause):
                cue = match.group(0)
                if negated(clause, match.start()) and not carries_own_negation(cue):
                    denied.add(cue)
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
    overlapping pieces cut at spaces: every filter reads a cue's whole clause, and one
    100,000-character clause (a wall of text with no full stop) made that quadratic."""
    return [piece for clause in split_clauses(norm) for piece in pieces(clause)]


def _rule_screen(
    clauses: list[str], owners: list[str] | None = None, denied: set[str] | None = None
) -> tuple[Hit | None, Hit | None]:
    """What the rules read: the first crisis cue, and the abuse cue that answers (below).

    Abuse cues are of three kinds: harm to the writer or what they live with ("hit me", "scared
    when he..."), the writer's own act ("I shoved her"), and an act on someone else by someone
    unclear ("hitting him" heard through a wall). The first kind ends the search and is the
    answer; the writer's act is the answer only when no cue of the first kind follows. Each
    negated cue, and each departure cue an everyday reason explains, goes in `denied`."""
    index = OpeningIndex(clauses)
    crisis: Hit | None = None
    lever: Hit | None = None
    harmed: Hit | None = None
    writer: Hit | None = None
    other: Hit | None = None
    for rule in _RULES:
        if harmed is not None:
            break
        if crisis is not None and rule.level is Safety.CRISIS:
            continue
        for number, local in _matches(rule, clauses, index):
            clause = clauses[number]
            cue = local.group(0)
            if rule.english and negated(clause, local.start()) and not carries_own_negation(cue):
                if denied is not None:
                    denied.add(cue)
                continue
            if explained(rule.level, rule.innocent, clause, local):
                if rule.innocent and denied is not None:
                    denied.add(cue)  # "a goodbye note before my flight": not the heads' either
                continue
            if owners and staged(owners[number], clause, local.start(), cue):
                continue  # a story, a role or a game the sentence is about
            if rule.level is Safety.CRISIS:
                someone = about_other(clause, local)
                if someone and _LEVER.search(owners[number] if owners else clause):
                    # "he says he'll kill himself if I leave": a threat that keeps someone in
                    # place (the Danger Assessment's suicide threat used to control) is abuse.
                    # The heads hear the suicide words, not the lever: not theirs to confirm.
                    lever = lever or Hit(SafetyResult(level=Safety.ABUSE, cue=cue), False)
                    continue
                crisis = Hit(
                    SafetyResult(level=Safety.CRISIS, about_other=someone, cue=cue), rule.english
                )
                break
            before = " , ".join(
                [*clauses[max(0, number - _CLAUSES_BACK) : number], clause[: local.start()]]
            )
            harm = _writer_harm(rule, before, cue)
            if harm:
                result = SafetyResult(level=Safety.ABUSE, cue=cue, harm=harm)
                # The writer's own account ("I slapped her", "I pushed him down") is taken as said:
                # the heads learned harm from the one harmed, and read "I slapped my wife" weakly.
                writer = writer or Hit(result, confirm=False)
            elif acts_on_someone(cue):
                other = other or Hit(SafetyResult(level=Safety.ABUSE, cue=cue), rule.english)
            else:
                harmed = Hit(SafetyResult(level=Safety.ABUSE, cue=cue), rule.english)
                break
    return crisis, harmed or lever or writer or other


# What makes someone's threat to kill themselves a lever on the writer (or the one they describe):
# a condition on leaving, seeing people or saying no, the blame laid on them, or staying because
# of it.
_LEVER = re.compile(
    r"\b(?:if|whenever|every time|each time|unless|the day|the moment)\b[^.]{0,60}?\b(?:leave|"
    r"leaves|leaving|left|go|goes|going out|break(?:s|ing)? up|split|end (?:it|things)|divorce|"
    r"see|sees|seeing|say no|says no|said no|don't|doesn't|won't|stop|move out)\b|"
    r"\b(?:my|your|her|his|their) fault\b|\bso (?:i|she|he|they) (?:stay|stays|stayed|can't)\b"
)
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
