"""Trains the safety screen's heads on the sentence encoder and calibrates their thresholds.

    python -m training.safety_heads   # writes coaching/safety/data/safety_heads.npz

- Fitting reads only `training/data/safety/train/*.jsonl` and the older labelled sentences
  (`training/data/safety_sentences*.jsonl`, none/crisis/abuse, none of them holdout rows).
- Thresholds are chosen only on `training/data/safety/calibration/*.jsonl`.
- `training/data/safety/heldout/` is never read here (bench/safety_quality.py reports on it),
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

import itertools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from coaching.reading.encoder import load_encoder
from coaching.safety.heads import (
    LABELS,
    MODEL_FILE,
    EncoderScreen,
    HeadsModel,
    Thresholds,
    cap,
    units_of,
    whole_of,
)
from training.train import DATA, SAFETY_MODELS, digest

TRAIN_FILES = tuple(
    sorted(f"safety/train/{p.name}" for p in (DATA / "safety/train").glob("*.jsonl"))
)
SENTENCE_FILES = tuple(sorted(p.name for p in DATA.glob("safety_sentences*.jsonl")))
CALIBRATION_FILES = tuple(
    sorted(f"safety/calibration/{p.name}" for p in (DATA / "safety/calibration").glob("*.jsonl"))
)
# Everything the shipped file depends on: the weights on the first two, thresholds on the last.
HEADS_FILES = (*TRAIN_FILES, *SENTENCE_FILES, *CALIBRATION_FILES)

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
    """The shared encoder with an in-memory cache, so a sentence is encoded once per run."""

    def __init__(self) -> None:
        self._encoder = load_encoder()
        self._cache: dict[str, np.ndarray] = {}

    def warm(self, texts: Iterable[str]) -> None:
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            for text, vector in zip(todo, self._encoder.encode(todo), strict=True):
                self._cache[text] = vector

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


def bags(encoder: CachedEncoder) -> list[Bag]:
    texts: list[tuple[str, str, float]] = []
    for name in TRAIN_FILES:
        for row in rows(name):
            weight = DOUBT_WEIGHT if row.get("certainty") == "doubt" else 1.0
            texts.append((str(row["text"]), str(row["safety"]), weight))
    for name in SENTENCE_FILES:
        for row in rows(name):
            if row.get("split") == "holdout":
                continue
            texts.append((str(row["text"]), str(row["label"]), 1.0))
    encoder.warm(s for text, _, _ in texts for s in cap(text))
    out: list[Bag] = []
    for text, label, weight in texts:
        parts = cap(text)
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


# --- thresholds, on calibration only ---------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    row: dict[str, object]
    crisis: float
    abuse: float


def score_rows(screen: EncoderScreen, names: Sequence[str]) -> list[Scored]:
    out: list[Scored] = []
    for name in names:
        for row in rows(name):
            _units, probs = screen.scores(str(row["text"]))
            out.append(Scored(row, float(probs[:, 1].max()), float(probs[:, 2].max())))
    return out


def _cuts(values: Iterable[float]) -> list[float]:
    """Candidate thresholds: midway between neighbouring distinct scores, so a threshold never
    sits on a calibration row's score."""
    v = sorted(set(values))
    return [(a + b) / 2 for a, b in itertools.pairwise(v)] + [1.0]


def choose_hard(scored: list[Scored]) -> tuple[float, float]:
    """The pair that puts the most crisis/abuse rows at their own level with at most 2% hard
    false alarms on `none` rows; on a tie, fewer false alarms, then the higher thresholds."""
    c, a, label, _hurt = _arrays(scored)
    none = label == "none"
    budget = int(HARD_FALSE_ALARMS * none.sum())
    cuts_a = np.array(_cuts(a))
    best: tuple[tuple[int, int, float], float, float] | None = None
    for hc in _cuts(c):
        crisis_hit = c >= hc
        if int((crisis_hit & none).sum()) > budget:
            continue
        abuse_hit = ~crisis_hit[:, None] & (a[:, None] >= cuts_a[None, :])  # (rows, cuts)
        alarms = ((crisis_hit & none)[:, None] | (abuse_hit & none[:, None])).sum(axis=0)
        hits = int((crisis_hit & (label == "crisis")).sum()) + (
            abuse_hit & (label == "abuse")[:, None]
        ).sum(axis=0)
        for j in np.flatnonzero(alarms <= budget):
            key = (int(hits[j]), -int(alarms[j]), hc + float(cuts_a[j]))
            if best is None or key > best[0]:
                best = (key, hc, float(cuts_a[j]))
    assert best is not None
    return best[1], best[2]


def _arrays(scored: list[Scored]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    c = np.array([s.crisis for s in scored])
    a = np.array([s.abuse for s in scored])
    label = np.array([str(s.row["safety"]) for s in scored])
    hurt = np.array([s.row["item"] == "neg_ordinary_hurt" for s in scored])
    return c, a, label, hurt


def level_of(s: Scored, hard_crisis: float, hard_abuse: float) -> str:
    if s.crisis >= hard_crisis:
        return "crisis"
    return "abuse" if s.abuse >= hard_abuse else "none"


def middle(s: Scored, t: Thresholds) -> bool:
    """In the middle tier: no hard level, and a check."""
    return level_of(s, t.hard_crisis, t.hard_abuse) == "none" and (
        s.crisis >= t.doubt_crisis or s.abuse >= t.doubt_abuse
    )


def given_resources(s: Scored, t: Thresholds) -> bool:
    return (
        level_of(s, t.hard_crisis, t.hard_abuse) != "none"
        or s.crisis >= t.doubt_crisis
        or s.abuse >= t.doubt_abuse
    )


def choose_doubt(scored: list[Scored], hard_crisis: float, hard_abuse: float) -> Thresholds:
    """The doubt pair that gives resources (hard or middle tier) to the most crisis/abuse rows
    with the middle tier on at most 10% of `neg_ordinary_hurt` rows; on a tie, the middle tier
    on fewer `none` rows, then the higher thresholds."""
    c, a, label, hurt = _arrays(scored)
    none = label == "none"
    positive = ~none
    hard = (c >= hard_crisis) | (a >= hard_abuse)
    budget = int(MIDDLE_ON_ORDINARY_HURT * hurt.sum())
    cuts_a = np.array([x for x in _cuts(a) if x <= hard_abuse] + [hard_abuse])
    best: tuple[tuple[int, int, float], Thresholds] | None = None
    for dc in [x for x in _cuts(c) if x <= hard_crisis] + [hard_crisis]:
        asks = (c >= dc)[:, None] | (a[:, None] >= cuts_a[None, :])  # (rows, cuts)
        in_middle = asks & ~hard[:, None]
        on_hurt = (in_middle & hurt[:, None]).sum(axis=0)
        on_none = (in_middle & none[:, None]).sum(axis=0)
        resourced = ((asks | hard[:, None]) & positive[:, None]).sum(axis=0)
        for j in np.flatnonzero(on_hurt <= budget):
            key = (int(resourced[j]), -int(on_none[j]), dc + float(cuts_a[j]))
            if best is None or key > best[0]:
                best = (key, Thresholds(hard_crisis, hard_abuse, dc, float(cuts_a[j])))
    assert best is not None
    return best[1]


def report(scored: list[Scored], t: Thresholds) -> list[str]:
    def share(hit: int, n: int) -> str:
        return f"{hit}/{n} ({100 * hit / max(n, 1):.1f}%)"

    lines = []
    for label in ("crisis", "abuse"):
        rs = [s for s in scored if s.row["safety"] == label]
        hard = sum(level_of(s, t.hard_crisis, t.hard_abuse) == label for s in rs)
        res = sum(given_resources(s, t) for s in rs)
        lines.append(f"  {label} recall, hard tier:      {share(hard, len(rs))}")
        lines.append(f"  {label} given resources:        {share(res, len(rs))}")
    clear = [s for s in scored if s.row["safety"] != "none" and s.row["certainty"] == "clear"]
    only_middle = sum(middle(s, t) for s in clear)
    lines.append(f"  clear rows only in middle tier: {only_middle}")
    none = [s for s in scored if s.row["safety"] == "none"]
    alarms = sum(level_of(s, t.hard_crisis, t.hard_abuse) != "none" for s in none)
    lines.append(f"  hard false alarms on none:      {share(alarms, len(none))}")
    hurt = [s for s in scored if s.row["item"] == "neg_ordinary_hurt"]
    on_hurt = sum(middle(s, t) for s in hurt)
    on_none = sum(middle(s, t) for s in none)
    lines.append(f"  middle tier, ordinary hurt:     {share(on_hurt, len(hurt))}")
    lines.append(f"  middle tier, all none rows:     {share(on_none, len(none))}")
    return lines


def main(argv: list[str] | None = None) -> int:
    del argv
    encoder = CachedEncoder()
    all_bags = bags(encoder)
    model = fit_heads(all_bags, digest(HEADS_FILES))
    provisional = EncoderScreen(encoder, model, Thresholds(1.0, 1.0, 1.0, 1.0))
    calibration = [str(row["text"]) for name in CALIBRATION_FILES for row in rows(name)]
    encoder.warm(s for text in calibration for s in cap(text))
    scored = score_rows(provisional, CALIBRATION_FILES)
    hard_crisis, hard_abuse = choose_hard(scored)
    thresholds = choose_doubt(scored, hard_crisis, hard_abuse)
    target = SAFETY_MODELS / MODEL_FILE
    model.save(target, thresholds)
    print(f"safety heads: {len(all_bags)} training rows, {MIL_ROUNDS} MIL rounds -> {target}")
    print(
        f"thresholds: hard crisis {thresholds.hard_crisis:.4f}, hard abuse "
        f"{thresholds.hard_abuse:.4f}, doubt crisis {thresholds.doubt_crisis:.4f}, doubt abuse "
        f"{thresholds.doubt_abuse:.4f}"
    )
    print(f"calibration ({len(scored)} rows), heads alone:")
    print("\n".join(report(scored, thresholds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
