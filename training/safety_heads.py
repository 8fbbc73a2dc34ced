"""Trains the safety screen's heads on the sentence encoder and calibrates their thresholds.

    python -m training.safety_heads   # writes coaching/safety/data/safety_heads.npz

- Fitting reads only `training/data/safety/train/*.jsonl`, the older labelled sentences
  (`training/data/safety_sentences*.jsonl`, none/crisis/abuse) and the `"split": "train"` rows
  of the older labelled stories (`training/data/cases_*.jsonl`). A row is read as the screen
  reads it: the sentences `screening.read_rules` hands the heads.
- Thresholds (`heads.Thresholds`) are chosen only on `training/data/safety/calibration/*.jsonl`,
  for the whole screen: the rules' cues as the heads confirm them, and the heads alone; the
  middle tier's budget also counts the older cases' `holdout` ordinary stories
  (`ordinary_calibration_rows`). `--calibrate-only` chooses them again for the shipped weights.
- `training/data/safety/heldout/` is never read here (bench/offline_quality.py reports on it),
  nor is tests/data/dev.jsonl.

A story carries a story-level label, not a sentence label, so the heads learn it as multiple
instances: every unit (sentence, window, whole story; see coaching/safety/heads.py) of a `none`
story is a negative; a crisis or abuse story gives its whole-story embedding, then, for two
rounds, the unit the current head scores highest for its class; a `sentence` row is a direct
example. Three readers are fitted this way (see coaching/safety/heads.py): the unit network, two
context networks (seeds 0 and 1) and the nearest-neighbour memory. Embeddings are cached in
memory only. Deterministic (seeded minibatches): same data, same file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coaching.reading.encoder import WEIGHTS_REQUIREMENT, load_encoder
from coaching.safety.heads import (
    LABELS,
    MODEL_FILE,
    EncoderScreen,
    HeadScores,
    HeadsModel,
    Thresholds,
    units_of,
    whole_of,
)
from coaching.safety.screening import RuleReading, decide, read_rules
from coaching.taxonomy import Safety
from training.train import CASE_FILES, DATA, SAFETY_MODELS, digest

TRAIN_FILES = tuple(
    sorted(f"safety/train/{p.name}" for p in (DATA / "safety/train").glob("*.jsonl"))
)
SENTENCE_FILES = tuple(sorted(p.name for p in DATA.glob("safety_sentences*.jsonl")))
CALIBRATION_FILES = tuple(
    sorted(f"safety/calibration/{p.name}" for p in (DATA / "safety/calibration").glob("*.jsonl"))
)
# Everything the shipped file depends on: the weights on the first two, thresholds on the last.
HEADS_FILES = (*TRAIN_FILES, *SENTENCE_FILES, *CASE_FILES, *CALIBRATION_FILES)

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "safety_embeddings.npz"
MIL_ROUNDS = 2
DOUBT_WEIGHT = 0.5  # a `doubt` row is a weaker positive than a plain statement
# The networks (chosen on calibration; see the commit message for the figures): a linear head
# reached AUC 0.86 / 0.91 (crisis / abuse), the unit network 0.90 / 0.92, the blend below
# 0.93 / 0.95.
UNIT_HIDDEN = 128
CONTEXT_HIDDEN = 256
CONTEXT_SEEDS = 2
EPOCHS = 40
BATCH = 128
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 1e-4
NEIGHBOURS = 15
# The vote compares every unit with every memory row: 24,000 rows took a quarter of a 4,000-
# character story's time. A third of the none units keeps their density.
MEMORY_NONE_AT_MOST = 7_000
TEMPERATURE = 0.05
BLEND = (0.3, 0.4, 0.3)  # unit network, context networks, neighbours
# Calibration, blend, recall at 2/5/10% none false alarms summed over both classes: 4.02 at 1,
# 4.23 at 2, 4.21 at 3 (abuse hard tier 59 → 77 of 110 from 1 to 2).
NEGATIVE_WEIGHT = 2.0
HARD_FALSE_ALARMS = 0.02  # hard tier on calibration `none` rows
MIDDLE_ON_ORDINARY_HURT = 0.10  # middle tier on calibration `neg_ordinary_hurt` rows


def rows(name: str) -> list[dict[str, object]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class CachedEncoder:
    """The shared encoder with a cache, so a sentence is encoded once per run, and once across
    runs: about 20,000 sentences take ten minutes on one core, and the cache file (.cache/, not
    in git) makes a retrain after a code change take a few. The cache is keyed by the encoder's
    weights package as well as the text, so new weights never reuse old vectors."""

    def __init__(self, path: Path | None = CACHE) -> None:
        self._encoder = load_encoder()
        self._path = path
        self._key = WEIGHTS_REQUIREMENT
        self._cache: dict[str, np.ndarray] = {}
        if path is not None and path.is_file():
            with np.load(path) as saved:
                if str(saved["key"]) == self._key:
                    self._cache = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))

    def warm(self, texts: Iterable[str]) -> None:
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            for text, vector in zip(todo, self._encoder.encode(todo), strict=True):
                self._cache[text] = vector
            self._save()

    def _save(self) -> None:
        if self._path is None:
            return
        self._path.parent.mkdir(exist_ok=True)
        texts = sorted(self._cache)
        np.savez(
            self._path,
            key=np.array(self._key),
            texts=np.array(texts),
            vectors=np.stack([self._cache[t] for t in texts]),
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.warm(texts)
        return np.stack([self._cache[t] for t in texts])


@dataclass
class Bag:
    """One training row: its units' embeddings, its label and how much it weighs."""

    vectors: np.ndarray  # (units, 384)
    whole: np.ndarray  # (384,) normalised mean of its sentences
    label: int
    weight: float

    @property
    def context(self) -> np.ndarray:
        """(units, 768): each unit beside the whole text, what the context networks read."""
        return _beside(self.vectors, self.whole)


def _beside(vectors: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.hstack([vectors, np.broadcast_to(whole, vectors.shape)]).astype(np.float32)


def training_rows() -> list[tuple[str, str, float]]:
    """(text, label, weight) for every row the heads fit on."""
    texts: list[tuple[str, str, float]] = []
    for name in TRAIN_FILES:
        for row in rows(name):
            weight = DOUBT_WEIGHT if row.get("certainty") == "doubt" else 1.0
            texts.append((str(row["text"]), str(row["safety"]), weight))
    for name in SENTENCE_FILES:
        for row in rows(name):
            texts.append((str(row["text"]), str(row["label"]), 1.0))
    # The older labelled stories' training rows: above all 1,100 ordinary hurts, the stories the
    # middle tier must leave alone.
    for name in CASE_FILES:
        for row in rows(name):
            if row.get("split") == "train":
                texts.append((str(row["text"]), str(row["safety"]), 1.0))
    return texts


def bags(encoder: CachedEncoder) -> list[Bag]:
    texts = [(read_rules(text).sentences, label, weight) for text, label, weight in training_rows()]
    encoder.warm(s for parts, _, _ in texts for s in parts)
    out: list[Bag] = []
    for parts, label, weight in texts:
        if not parts:
            continue
        embedded = encoder.encode(parts)
        out.append(
            Bag(units_of(parts, embedded).vectors, whole_of(embedded), LABELS.index(label), weight)
        )
    return out


# A reader maps a bag to its units' inputs and scores them (logits or probabilities).
Inputs = Callable[[Bag], np.ndarray]
Scorer = Callable[[np.ndarray], np.ndarray]


def examples(
    all_bags: list[Bag], inputs: Inputs, whole: Inputs, scorer: Scorer | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Negatives: every unit of a none row. Positives: the whole row, and (once there is a
    head) the unit it scores highest for the row's class. Rows weighed by their own weight
    times the square root of their class's rarity (as training/train.py does), none rows then
    NEGATIVE_WEIGHT times over."""
    xs: list[np.ndarray] = []
    ys: list[int] = []
    ws: list[float] = []
    for bag in all_bags:
        x = inputs(bag)
        if bag.label == 0:
            xs.extend(x)
            ys.extend([0] * len(x))
            # A story's units share its weight, so long stories do not dominate the negatives.
            ws.extend([bag.weight * max(1.0, len(x) / 3) ** -0.5] * len(x))
            continue
        xs.append(whole(bag)[0])
        ys.append(bag.label)
        ws.append(bag.weight)
        if scorer is not None and len(x) > 1:
            scores = scorer(x)
            margin = scores[:, bag.label] - np.delete(scores, bag.label, axis=1).max(axis=1)
            xs.append(x[int(margin.argmax())])
            ys.append(bag.label)
            ws.append(bag.weight)
    y = np.array(ys)
    w = np.array(ws, dtype=np.float32)
    counts = np.array([w[y == k].sum() for k in range(len(LABELS))])
    class_weight = (counts.sum() / np.maximum(counts, 1.0)) ** 0.5
    # None rows count NEGATIVE_WEIGHT times over, after the class weights: the hard tier's
    # threshold is set by the few none rows that score highest, so they are worth the most.
    row_weight = w * class_weight[y] * np.where(y == 0, NEGATIVE_WEIGHT, 1.0)
    return np.stack(xs).astype(np.float32), y, row_weight.astype(np.float32)


Net = dict[str, np.ndarray]


def net_logits(net: Net, x: np.ndarray) -> np.ndarray:
    result: np.ndarray = np.maximum(x @ net["w1"] + net["b1"], 0.0) @ net["w2"] + net["b2"]
    return result


def train_net(x: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int, seed: int) -> Net:
    """A one-hidden-layer ReLU network, softmax cross-entropy weighed per row, Adam with
    decoupled weight decay, minibatches drawn from a seeded generator: deterministic."""
    rng = np.random.default_rng(seed)
    d, k = x.shape[1], len(LABELS)
    net: Net = {
        "w1": (rng.standard_normal((d, hidden)) * np.sqrt(2 / d)).astype(np.float32),
        "b1": np.zeros(hidden, dtype=np.float32),
        "w2": (rng.standard_normal((hidden, k)) * np.sqrt(1 / hidden)).astype(np.float32),
        "b2": np.zeros(k, dtype=np.float32),
    }
    m = {n: np.zeros_like(v) for n, v in net.items()}
    v = {n: np.zeros_like(a) for n, a in net.items()}
    target = np.eye(k, dtype=np.float32)[y]
    w = w / w.mean()
    step = 0
    for _epoch in range(EPOCHS):
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            xb, wb = x[idx], w[idx]
            pre = xb @ net["w1"] + net["b1"]
            hid = np.maximum(pre, 0.0)
            z = hid @ net["w2"] + net["b2"]
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            g = (p - target[idx]) * wb[:, None] / len(idx)
            gh = (g @ net["w2"].T) * (pre > 0)
            grads = {"w2": hid.T @ g, "b2": g.sum(0), "w1": xb.T @ gh, "b1": gh.sum(0)}
            step += 1
            for n in net:
                m[n] = 0.9 * m[n] + 0.1 * grads[n]
                v[n] = 0.999 * v[n] + 0.001 * grads[n] ** 2
                update = (m[n] / (1 - 0.9**step)) / (np.sqrt(v[n] / (1 - 0.999**step)) + 1e-8)
                if n.startswith("w"):
                    update = update + WEIGHT_DECAY * net[n]
                net[n] = (net[n] - LEARNING_RATE * update).astype(np.float32)
    return net


def fit_net(all_bags: list[Bag], inputs: Inputs, whole: Inputs, hidden: int, seed: int) -> Net:
    """Multiple-instance training: MIL_ROUNDS refits, each on the units the last one chose."""
    net: Net | None = None
    for _round in range(MIL_ROUNDS + 1):
        scorer = None if net is None else (lambda x, n=net: net_logits(n, x))
        x, y, w = examples(all_bags, inputs, whole, scorer)
        net = train_net(x, y, w, hidden, seed)
    assert net is not None
    return net


def fit_heads(all_bags: list[Bag], data_digest: str) -> HeadsModel:
    """The three readers heads.py blends: the unit network, the context networks and the
    nearest-neighbour memory (every unit of a none row; the whole of a crisis/abuse row and the
    unit the unit network scores highest for its class)."""
    unit = fit_net(all_bags, lambda b: b.vectors, lambda b: b.whole[None], UNIT_HIDDEN, 0)
    contexts = [
        fit_net(
            all_bags,
            lambda b: b.context,
            lambda b: _beside(b.whole[None], b.whole),
            CONTEXT_HIDDEN,
            seed,
        )
        for seed in range(CONTEXT_SEEDS)
    ]
    memory: list[np.ndarray] = []
    memory_labels: list[int] = []
    for bag in all_bags:
        if bag.label == 0:
            memory.extend(bag.vectors)
            memory_labels.extend([0] * len(bag.vectors))
            continue
        memory.append(bag.whole)
        memory_labels.append(bag.label)
        if len(bag.vectors) > 1:
            scores = net_logits(unit, bag.vectors)
            margin = scores[:, bag.label] - np.delete(scores, bag.label, axis=1).max(axis=1)
            memory.append(bag.vectors[int(margin.argmax())])
            memory_labels.append(bag.label)
    memory, memory_labels = thinned(memory, memory_labels)
    arrays = {
        **{f"unit_{n}": a for n, a in unit.items()},
        **{f"context_{n}": np.stack([c[n] for c in contexts]) for n in unit},
        # Half precision halves the shipped file; similarities move by < 1e-3.
        "memory": np.stack(memory).astype(np.float16),
        "memory_labels": np.array(memory_labels, dtype=np.int8),
        "k": np.array(NEIGHBOURS),
        "temperature": np.array(TEMPERATURE, dtype=np.float32),
        "blend": np.array(BLEND, dtype=np.float32),
    }
    return HeadsModel(labels=LABELS, arrays=arrays, data_digest=data_digest)


def thinned(memory: list[np.ndarray], labels: list[int]) -> tuple[list[np.ndarray], list[int]]:
    """The memory with at most MEMORY_NONE_AT_MOST `none` units, every n-th in order (so the
    vote keeps their density), and every crisis/abuse unit."""
    none = [i for i, label in enumerate(labels) if label == 0]
    step = max(1, -(-len(none) // MEMORY_NONE_AT_MOST))
    keep = set(none[::step]) | {i for i, label in enumerate(labels) if label != 0}
    return [memory[i] for i in sorted(keep)], [labels[i] for i in sorted(keep)]


# --- thresholds, on calibration only ---------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """A calibration row as the screen sees it: the rules' reading and the heads' scores."""

    row: dict[str, object]
    reading: RuleReading
    scores: HeadScores


def score_rows(screen: EncoderScreen, names: Sequence[str]) -> list[Scored]:
    out: list[Scored] = []
    for name in names:
        for row in rows(name):
            reading = read_rules(str(row["text"]))
            out.append(Scored(row, reading, screen.read(reading.sentences)))
    return out


@dataclass(frozen=True)
class Columns:
    """The calibration rows as arrays, for a vectorised copy of screening.decide."""

    label: np.ndarray
    hurt: np.ndarray
    c: np.ndarray
    a: np.ndarray
    crisis_confirm: np.ndarray
    crisis_taken: np.ndarray
    abuse_confirm: np.ndarray
    abuse_taken: np.ndarray
    asked: np.ndarray  # a doubt phrase
    history: np.ndarray

    @classmethod
    def of(cls, scored: list[Scored]) -> Columns:
        def col(f: Callable[[Scored], object]) -> np.ndarray:
            return np.array([f(s) for s in scored])

        return cls(
            label=col(lambda s: s.row["safety"]),
            hurt=col(lambda s: s.row["item"] == "neg_ordinary_hurt"),
            c=col(lambda s: s.scores.crisis),
            a=col(lambda s: s.scores.abuse),
            crisis_confirm=col(lambda s: s.reading.crisis is not None and s.reading.crisis.confirm),
            crisis_taken=col(
                lambda s: s.reading.crisis is not None and not s.reading.crisis.confirm
            ),
            abuse_confirm=col(lambda s: s.reading.abuse is not None and s.reading.abuse.confirm),
            abuse_taken=col(lambda s: s.reading.abuse is not None and not s.reading.abuse.confirm),
            asked=col(lambda s: bool(s.reading.doubts)),
            history=col(lambda s: s.reading.history),
        )

    def crisis(self, confirm: float, hard: float) -> np.ndarray:
        hit: np.ndarray = (
            self.crisis_taken
            | (self.crisis_confirm & (self.c >= confirm))
            | ((self.c >= hard) & ~self.history)
        )
        return hit

    def abuse(self, confirm: np.ndarray, hard: np.ndarray) -> np.ndarray:
        """(rows, candidates) for candidate pairs `confirm`, `hard` (before crisis outranks)."""
        hit: np.ndarray = (
            self.abuse_taken[:, None]
            | (self.abuse_confirm[:, None] & (self.a[:, None] >= confirm[None, :]))
            | ((self.a[:, None] >= hard[None, :]) & ~self.history[:, None])
        )
        return hit


def _grid(values: np.ndarray) -> np.ndarray:
    """Candidate thresholds: the scores' quantiles in steps of 2.5%, and one above them all."""
    return np.unique(np.append(np.quantile(values, np.linspace(0, 1, 41)), 1.01))


def choose_hard(cols: Columns) -> tuple[float, float, float, float]:
    """(confirm crisis, hard crisis, confirm abuse, hard abuse): the most crisis/abuse rows at
    their own level with at most 2% hard false alarms on `none` rows; on a tie, fewer false
    alarms, then the higher thresholds."""
    none = cols.label == "none"
    budget = int(HARD_FALSE_ALARMS * none.sum())
    grid_c, grid_a = _grid(cols.c), _grid(cols.a)
    pairs = np.array([(k, h) for k in grid_a for h in grid_a if h >= k])
    best: tuple[tuple[int, int, float], tuple[float, float, float, float]] | None = None
    for kc in grid_c:
        for hc in grid_c[grid_c >= kc]:
            crisis = cols.crisis(kc, hc)
            if int((crisis & none).sum()) > budget:
                continue
            abuse = cols.abuse(pairs[:, 0], pairs[:, 1]) & ~crisis[:, None]
            alarms = int((crisis & none).sum()) + (abuse & none[:, None]).sum(axis=0)
            hits = int((crisis & (cols.label == "crisis")).sum()) + (
                abuse & (cols.label == "abuse")[:, None]
            ).sum(axis=0)
            for j in np.flatnonzero(alarms <= budget):
                key = (int(hits[j]), -int(alarms[j]), kc + hc + pairs[j].sum())
                if best is None or key > best[0]:
                    best = (key, (float(kc), float(hc), float(pairs[j, 0]), float(pairs[j, 1])))
    assert best is not None
    return best[1]


def choose_doubt(cols: Columns, kc: float, hc: float, ka: float, ha: float) -> Thresholds:
    """The doubt pair that gives resources (hard or middle tier) to the most crisis/abuse rows
    with the middle tier on at most 10% of `neg_ordinary_hurt` rows; on a tie, the middle tier
    on fewer `none` rows, then the higher thresholds."""
    none = cols.label == "none"
    crisis = cols.crisis(kc, hc)
    hard = crisis | cols.abuse(np.array([ka]), np.array([ha]))[:, 0]
    # Asked whatever the doubt thresholds: a doubt phrase, an unconfirmed cue, a history.
    always = ~hard & (cols.asked | cols.crisis_confirm | cols.abuse_confirm | cols.history)
    budget = int(MIDDLE_ON_ORDINARY_HURT * cols.hurt.sum())
    grid_a = _grid(cols.a)
    best: tuple[tuple[int, int, float], Thresholds] | None = None
    for dc in _grid(cols.c):
        asks = always[:, None] | (
            ~hard[:, None] & ((cols.c >= dc)[:, None] | (cols.a[:, None] >= grid_a[None, :]))
        )
        on_hurt = (asks & cols.hurt[:, None]).sum(axis=0)
        on_none = (asks & none[:, None]).sum(axis=0)
        resourced = ((asks | hard[:, None]) & ~none[:, None]).sum(axis=0)
        for j in np.flatnonzero(on_hurt <= budget):
            key = (int(resourced[j]), -int(on_none[j]), dc + float(grid_a[j]))
            if best is None or key > best[0]:
                best = (key, Thresholds(hc, ha, float(dc), float(grid_a[j]), kc, ka))
    assert best is not None
    return best[1]


def report(scored: list[Scored], t: Thresholds) -> list[str]:
    """The issue's figures for `scored` rows, through the screen's own `decide`."""

    def share(hit: int, n: int) -> str:
        return f"{hit}/{n} ({100 * hit / max(n, 1):.1f}%)"

    results = [(s.row, decide(s.reading, s.scores, t)) for s in scored]
    lines = []
    for label in ("crisis", "abuse"):
        rs = [(row, r) for row, r in results if row["safety"] == label]
        hard = sum(r.level.value == label for _, r in rs)
        res = sum(r.level is not Safety.NONE or bool(r.checks) for _, r in rs)
        lines.append(f"  {label} recall, hard tier:      {share(hard, len(rs))}")
        lines.append(f"  {label} given resources:        {share(res, len(rs))}")
    only_middle = sum(
        r.level is Safety.NONE and bool(r.checks)
        for row, r in results
        if row["safety"] != "none" and row["certainty"] == "clear"
    )
    lines.append(f"  clear rows only in middle tier: {only_middle}")
    none = [r for row, r in results if row["safety"] == "none"]
    alarms = sum(r.level is not Safety.NONE for r in none)
    lines.append(f"  hard false alarms on none:      {share(alarms, len(none))}")
    hurt = [r for row, r in results if row["item"] == "neg_ordinary_hurt"]
    on_hurt = sum(r.level is Safety.NONE and bool(r.checks) for r in hurt)
    on_none = sum(r.level is Safety.NONE and bool(r.checks) for r in none)
    lines.append(f"  middle tier, ordinary hurt:     {share(on_hurt, len(hurt))}")
    lines.append(f"  middle tier, all none rows:     {share(on_none, len(none))}")
    return lines


def ordinary_calibration_rows() -> list[dict[str, object]]:
    """The older cases' `holdout` ordinary stories, as ordinary hurts: with the calibration
    split's 28 they set the middle tier's budget (10% of 28 is two stories, too few to place a
    threshold by). They were never trained on; they stay the pattern model's holdout."""
    return [
        {**row, "item": "neg_ordinary_hurt", "certainty": ""}
        for name in CASE_FILES
        for row in rows(name)
        if row.get("split") == "holdout" and row.get("safety") == "none"
    ]


def calibrate(screen: EncoderScreen) -> tuple[Thresholds, list[Scored]]:
    """Thresholds for `screen`'s heads: the hard pair on the calibration split, the doubt pair on
    it plus `ordinary_calibration_rows`."""
    scored = score_rows(screen, CALIBRATION_FILES)
    ordinary = [
        Scored(row, reading := read_rules(str(row["text"])), screen.read(reading.sentences))
        for row in ordinary_calibration_rows()
    ]
    hard = choose_hard(Columns.of(scored))
    return choose_doubt(Columns.of(scored + ordinary), *hard), scored


def main(argv: list[str] | None = None) -> int:
    """`--calibrate-only` keeps the shipped weights and chooses their thresholds again (after a
    change to the rules or filters, which the thresholds weigh the heads against)."""
    args = sys.argv[1:] if argv is None else argv
    encoder = CachedEncoder()
    target = SAFETY_MODELS / MODEL_FILE
    if "--calibrate-only" in args:
        model, _old = HeadsModel.load("coaching.safety", MODEL_FILE)
        print(f"safety heads: recalibrating {target}")
    else:
        all_bags = bags(encoder)
        model = fit_heads(all_bags, digest(HEADS_FILES))
        print(f"safety heads: {len(all_bags)} training rows, {MIL_ROUNDS} MIL rounds")
    provisional = EncoderScreen(encoder, model, Thresholds(1.0, 1.0, 1.0, 1.0, 1.0, 1.0))
    thresholds, scored = calibrate(provisional)
    model.save(target, thresholds)
    print(f"-> {target}\nthresholds: {thresholds}")
    print(f"calibration ({len(scored)} rows), the whole screen:")
    print("\n".join(report(scored, thresholds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
