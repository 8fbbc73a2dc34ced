"""The built-in classifier: no network, no downloads, a few milliseconds a story.

It finds the other person's reply or action inside the story (quoted or reported speech, what
they did next), judges *that* against the cue families in `cues.py`, blends in a small learned
model over the other person's words, and leaves ordinary disagreements alone:
when both people exchanged views and nothing strong points at a rupture, the answer is
`rupture: false`.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from coaching.models import (
    WRITER_ROLES,
    By,
    Classification,
    Draft,
    Exchange,
    PatternHit,
    WriterRole,
)
from coaching.reading.encoder import load_encoder
from coaching.reading.language import readable_english, warm_up
from coaching.reading.negation import negated_before, opens_negated
from coaching.reading.normalize import normalize
from coaching.reading.prefilter import OpeningIndex
from coaching.reading.story import Actor, Clause, actor_at, read_story
from coaching.taxonomy import Moment, PatternId
from coaching.understanding.cues import OTHER, OTHER_WEAK, QUOTED, SELF, STORY, Cue
from coaching.understanding.features import Encoder, story_features
from coaching.understanding.heads import Tuning, UnderstandingHeads, load_understanding_heads

# Both people were heard: seed 001's line between an argument and a rupture.
_RESOLVED = re.compile(
    r"\b(?:we (?:talked|worked|sorted|figured|hashed|ironed|thrashed) (?:it|things|this|that) "
    r"(?:out|through)|compromise[ds]?|met (?:in the middle|halfway)|agreed (?:to|on|that)|"
    r"settled on|we settled|split the difference|fair enough|felt fair|seemed fair|both "
    r"(?:said|explained|apologi[sz]ed|shared|made|had|listened|agreed)|heard (?:me|each other|"
    r"him|her|them) out|(?:she|he|they) heard me|i heard (?:her|him|them)|felt (?:heard|"
    r"understood|listened to)|(?:apologi[sz]ed|said sorry)(?! but)|we'?re (?:good|fine|okay) "
    r"now|made up|hugged it out|back and forth|exchanged|we'll (?:see|revisit|try|figure)|"
    r"(?:her|his|their) point|(?:their|her|his) side|both (?:of us|sides)|we both)\b"
)
_SUPPORT = re.compile(
    r"\b(?:listened|asked (?:me )?(?:how|what|more|questions)|held me|sat with me|stayed with "
    r"me|was there for me|understood|validated|comforted me|thanked me|said (?:that )?(?:made|"
    r"makes) sense|said (?:he|she|they) (?:was|were|is|are) sorry)\b"
)
_ACTOR_WORD = re.compile(
    r"\b(he|she|they)\b|\bmy ((?:[a-z-]+ )?(?:husband|wife|partner|boyfriend|girlfriend|"
    r"fianc[eé]e?|mom|mum|mother|dad|father|sister|brother|friend|boss|manager|roommate|"
    r"coworker|co-worker|colleague|doctor|therapist|son|daughter|aunt|uncle|teacher))\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|im|ive|my|me|myself)\b", re.IGNORECASE)
_SHARED = re.compile(
    r"\b(?:told|tell|telling|said to|confided in|opened up to|admitted to|explained to|"
    r"mentioned to|texted|messaged) (?:him|her|them|my (?:best |older |younger |little |big |"
    r"ex-?|step-?)?[a-z-]+)(?: that)?\s+"
    r"(?P<what>.{8,160})",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Hit:
    pattern: PatternId
    weight: float
    clause: Clause


class OfflineClassifier:
    """Implements `coaching.ports.Classifier` with the understanding heads and the cue rules."""

    def __init__(
        self, heads: UnderstandingHeads | None = None, encoder: Encoder | None = None
    ) -> None:
        self._heads = heads if heads is not None else load_understanding_heads()
        self._encoder = encoder if encoder is not None else load_encoder()
        warm_up()  # the language model loads here, not on someone's first message

    async def classify(self, text: str, *, history: str = "") -> Draft:
        # `history` is for classifiers that read it (the LLM); the built-in one reads the story.
        # CPU work: off the event loop, so a bot keeps answering while a story is read.
        return await asyncio.to_thread(self.classify_now, text)

    def classify_now(self, text: str) -> Draft:
        """The same answer, synchronously (the CLI's batch mode and benchmarks use it)."""
        if not readable_english(text):
            return Draft(
                classification=Classification(rupture=False),
                classifier="offline",
                language_supported=False,
            )
        clauses = read_story(text)
        scan = _scan(clauses)
        hits = scan.hits
        rules = _combine(hits)
        probs = self._heads.read(story_features(text, self._encoder, clauses, _done_by_each(scan)))
        tuning = self._heads.tuning
        if no_rupture(probs, rules, tuning):
            norm = normalize(text)
            resolved = bool(_RESOLVED.search(norm)) or bool(_SUPPORT.search(norm))
            return Draft(
                classification=Classification(
                    rupture=False,
                    exchange=_exchange(clauses, []),
                    disagreement=resolved or max(rules.values(), default=0.0) >= _RULE_FLOOR,
                ),
                classifier="offline",
            )
        role = max(WRITER_ROLES, key=lambda r: probs["role"][r])
        scores = pattern_scores(probs, role, rules, tuning)
        ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        keep = [(p, s) for p, s in ranked[:3] if s >= tuning.also_at * ranked[0][1]]
        named = _who_did(keep, role, probs)
        patterns = [
            PatternHit(
                id=p,
                confidence=round(min(s, 0.97), 2),
                evidence=_evidence(p, hits, clauses) if by == "other" else _own_act(clauses),
                by=by,
            )
            for p, s, by in named
        ]
        moment = max(Moment, key=lambda m: probs["moment"][m.value])
        return Draft(
            classification=Classification(
                rupture=True,
                moment=moment,
                patterns=patterns,
                writer_role=role,
                exchange=_exchange(clauses, [h for h in hits if h.pattern is patterns[0].id]),
            ),
            classifier="offline",
        )


def no_rupture(
    probs: dict[str, dict[str, float]], rules: dict[PatternId, float], tuning: Tuning
) -> bool:
    """The role head's P(no rupture), lowered by the cue rules' clearest find: the head has
    seen few one-line stories, and "he went back to his phone" is one."""
    top_rule = max(rules.values(), default=0.0)
    return probs["role"]["none"] - tuning.rules_against_none * top_rule >= tuning.no_rupture_at


def pattern_scores(
    probs: dict[str, dict[str, float]],
    role: WriterRole,
    rules: dict[PatternId, float],
    tuning: Tuning,
) -> dict[PatternId, float]:
    """Each pattern's score: the pattern head, blended with the head of the side that did it
    (the writer's when they caused it, the other person's when they were hurt) and, when the
    writer was hurt, with the cue rules, which read what the other person did."""
    side = {"hurt": "by_other", "caused": "by_writer"}.get(role)
    rule = tuning.rule_share if role == "hurt" else 0.0
    scores: dict[PatternId, float] = {}
    for p in PatternId:
        head = probs["pattern"][p.value]
        if side is not None:
            head = (1 - tuning.side_share) * head + tuning.side_share * probs[side][p.value]
        scores[p] = (1 - rule) * head + rule * rules.get(p, 0.0)
    return scores


# A story no head calls a rupture shows an exchange of views when a cue rule scores this.
_RULE_FLOOR = 0.2


def _who_did(
    keep: list[tuple[PatternId, float]], role: WriterRole, probs: dict[str, dict[str, float]]
) -> list[tuple[PatternId, float, By]]:
    """Who did each named pattern. With `both` each named pattern goes to whichever side's
    head holds it likelier, and each side gets one pattern at least: the answer owns the
    writer's part and names the other's."""
    if role != "both":
        by: By = "other" if role == "hurt" else "writer"
        return [(p, s, by) for p, s in keep]
    writer, other = probs["by_writer"], probs["by_other"]
    named: list[tuple[PatternId, float, By]] = [
        (p, s, "writer" if writer[p.value] > other[p.value] else "other") for p, s in keep
    ]
    for side, head in (("writer", writer), ("other", other)):
        if any(b == side for _, _, b in named):
            continue
        best = max(PatternId, key=lambda p: head[p.value])
        named = [n for n in named if n[0] is not best][:2]
        named.append((best, round(head[best.value], 2), side))  # type: ignore[arg-type]
    return named


def _own_act(clauses: list[Clause]) -> str:
    """The writer's own telling of what they did: their first clause that is not a question."""
    for clause in clauses:
        if clause.actor is Actor.SELF and not clause.raw.rstrip().endswith("?"):
            return _trim(clause.raw)
    return ""


# The other person's own quoted words are the reply itself; narration may be the backstory.
_NARRATED = 0.85
# A clause with no clear subject ("left on read") is usually, not always, the other person.
_UNKNOWN_ACTOR = 0.8


def rule_scores(clauses: list[Clause]) -> dict[PatternId, float]:
    """What the cue rules make of a story's clauses: a score per pattern they found."""
    return _combine(_cue_hits(clauses))


def who_did(clauses: list[Clause]) -> np.ndarray:
    """The cue rules as features for the heads: per pattern, how strongly the other person did
    it, then how strongly the writer did it (the same cue families, in the writer's clauses)."""
    return _done_by_each(_scan(clauses))


def _done_by_each(scan: _Scan) -> np.ndarray:
    other, writer = _combine(scan.hits), _combine(scan.writer_did)
    return np.array(
        [other.get(p, 0.0) for p in PatternId] + [writer.get(p, 0.0) for p in PatternId],
        dtype=np.float32,
    )


def _cue_hits(clauses: list[Clause]) -> list[_Hit]:
    return _scan(clauses).hits


def _scan(clauses: list[Clause]) -> _Scan:
    hits: list[_Hit] = []
    story = " . ".join(c.norm for c in clauses)
    for cue in STORY:
        if cue.regex.search(story):
            best = max(
                clauses, key=lambda c: (bool(cue.regex.search(c.norm)), c.actor is Actor.OTHER)
            )
            hits.append(_Hit(cue.pattern, cue.weight, best))
    # Each cue scans only the clauses holding a word it needs (coaching.reading.prefilter).
    scan = _Scan(clauses, OpeningIndex([c.norm for c in clauses]), hits)
    scan.run(OTHER, Actor.OTHER, lambda c: 1.0 if c.quoted else _NARRATED)
    scan.run(QUOTED, Actor.OTHER, lambda c: 1.0 if c.quoted else 0.0)
    scan.run(OTHER_WEAK, Actor.OTHER, lambda c: 0.7 * (1.0 if c.quoted else _NARRATED))
    scan.run(SELF, Actor.SELF, lambda c: 1.0)
    return scan


@dataclass(slots=True)
class _Scan:
    clauses: list[Clause]
    index: OpeningIndex
    hits: list[_Hit]
    # The other person's cue families matched in the writer's own clauses ("I told her to stay
    # positive"): what the writer did, which says who hurt whom.
    writer_did: list[_Hit] = field(default_factory=list)

    def run(self, cues: tuple[Cue, ...], wanted: Actor, scale: Callable[[Clause], float]) -> None:
        for cue in cues:
            for number in self.index.where(cue.gate):
                clause = self.clauses[number]
                factor = scale(clause)
                if not factor:
                    continue
                for m in cue.regex.finditer(clause.norm):
                    if wanted is Actor.OTHER and _counts(clause, m.start(), m.group(0), Actor.SELF):
                        self.writer_did.append(_Hit(cue.pattern, cue.weight * factor, clause))
                    if _counts(clause, m.start(), m.group(0), wanted):
                        weight = cue.weight * factor
                        if actor_at(clause, m.start()) is Actor.UNKNOWN:
                            weight *= _UNKNOWN_ACTOR
                        self.hits.append(_Hit(cue.pattern, weight, clause))
                        break  # one hit a cue a clause


def _counts(clause: Clause, pos: int, text: str, wanted: Actor) -> bool:
    """The cue is done by the wanted person and not negated ("he didn't laugh")."""
    actor = actor_at(clause, pos)
    if actor is not wanted and not (actor is Actor.UNKNOWN and wanted is Actor.OTHER):
        return False
    return not (negated_before(clause.norm, pos) and not opens_negated(text))


def _combine(hits: list[_Hit]) -> dict[PatternId, float]:
    """Independent evidence adds up (noisy-or), so two weak hints can make a strong one."""
    remaining: dict[PatternId, float] = defaultdict(lambda: 1.0)
    for hit in hits:
        remaining[hit.pattern] *= 1 - hit.weight
    return {p: 1 - r for p, r in remaining.items()}


def _evidence(pattern: PatternId, hits: list[_Hit], clauses: list[Clause]) -> str:
    best = max((h for h in hits if h.pattern is pattern), key=lambda h: h.weight, default=None)
    if best is not None:
        return _reply(clauses, best.clause)
    others = [c for c in clauses if c.actor is Actor.OTHER]
    return _trim(others[0].raw) if others else ""


def _trim(raw: str, limit: int = 160) -> str:
    raw = re.sub(r"^(?:(?:and|but|so|then)\s+)+", "", raw.strip(), flags=re.IGNORECASE)
    if len(raw) <= limit:
        return raw
    cut = raw[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _exchange(clauses: list[Clause], top_hits: list[_Hit]) -> Exchange:
    actor = "they"
    for clause in clauses:
        if clause.actor is not Actor.OTHER or clause.quoted:
            continue
        m = _ACTOR_WORD.search(clause.norm)
        if m:
            actor = m.group(1) or f"my {m.group(2)}"
            break
    shared = ""
    for clause in clauses:
        m = _SHARED.search(clause.raw)
        what = m.group("what").strip(" ,.;") if m else ""
        # What the writer shared is about them ("I've been...", "my job..."), not "at 1am".
        if m and clause.actor in (Actor.SELF, Actor.UNKNOWN) and _FIRST_PERSON.search(what):
            shared = _trim(what, 120)
            break
    response = _reply(clauses, max(top_hits, key=lambda h: h.weight).clause) if top_hits else ""
    return Exchange(actor=actor, shared=shared, response=response)


def _reply(clauses: list[Clause], clause: Clause) -> str:
    """The reply as one piece: 'he laughed and said' + the quote that follows it."""
    text = clause.raw
    at = clauses.index(clause)
    nxt = clauses[at + 1] if at + 1 < len(clauses) else None
    if (
        not clause.quoted
        and nxt is not None
        and nxt.quoted
        and re.search(r"\b(?:said|says|say|goes|went|asked|replied|texted|like|with)\W*$", text)
    ):
        text = f"{text} “{nxt.raw.strip(' ,.')}”"
    elif clause.quoted:
        text = f"“{text.strip(' ,.')}”"
    return _trim(text, 140)
