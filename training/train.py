"""Trains the offline coach's small models from the labelled data in training/data.

    python -m training          # writes coaching/{understanding,safety}/data/*_model.npz

Only `"split": "train"` rows are used; the `holdout` rows stay unseen so `bench/offline_quality.py`
can estimate how the coach does on wording it was not tuned on. The dev set in tests/data is
never trained on: it is the suite's check. Deterministic: the same data gives the same weights.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np

from coaching.linear import LinearModel
from coaching.reading.features import Featurizer
from coaching.reading.normalize import normalize
from coaching.reading.story import split_voices
from coaching.taxonomy import Moment, PatternId

DATA = Path(__file__).parent / "data"
# Where the runtime loads each model from (`LinearModel.load`).
UNDERSTANDING_MODELS = Path(str(resources.files("coaching.understanding") / "data"))
SAFETY_MODELS = Path(str(resources.files("coaching.safety") / "data"))
CASE_FILES = tuple(sorted(p.name for p in DATA.glob("cases_*.jsonl")))
PATTERN_FILES = ("responses.jsonl", *CASE_FILES)
PATTERN_LABELS = ("none", *(p.value for p in PatternId))
MOMENT_LABELS = tuple(m.value for m in Moment)
MOMENT_FILES = CASE_FILES


def _rows(name: str) -> Iterable[dict[str, object]]:
    path = DATA / name
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def digest(names: Iterable[str]) -> str:
    sha = hashlib.sha256()
    for name in names:
        path = DATA / name
        sha.update(name.encode())
        if path.is_file():
            sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def pattern_examples() -> tuple[list[tuple[str, str]], list[str]]:
    pairs: list[tuple[str, str]] = []
    labels: list[str] = []
    for row in _rows("responses.jsonl"):
        other, writer = split_voices(str(row["text"]), unknown_is_other=True)
        pairs.append((other, writer))
        labels.append(str(row["pattern"]))
    for name in CASE_FILES:
        for row in _rows(name):
            if row.get("split") != "train" or row.get("safety") != "none":
                continue
            other, writer = split_voices(str(row["text"]))
            primary = row.get("primary") or []
            assert isinstance(primary, list)
            for label in (primary if row.get("rupture") else ["none"]) or ["none"]:
                pairs.append((other, writer))
                labels.append(str(label))
    return pairs, labels


def moment_examples() -> tuple[list[tuple[str, str]], list[str]]:
    """Whole stories of training ruptures, labelled with their moment."""
    pairs: list[tuple[str, str]] = []
    labels: list[str] = []
    for name in CASE_FILES:
        for row in _rows(name):
            if row.get("split") == "train" and row.get("rupture") and row.get("moment"):
                pairs.append((normalize(str(row["text"])), ""))
                labels.append(str(row["moment"]))
    return pairs, labels


def fit(
    x: np.ndarray,
    y: np.ndarray,
    classes: int,
    *,
    l2: float = 1e-3,
    epochs: int = 400,
    rate: float = 0.05,
    class_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Softmax regression by full-batch Adam. Small data, so this takes seconds."""
    n, d = x.shape
    w = np.zeros((d, classes), dtype=np.float32)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    onehot = np.eye(classes, dtype=np.float32)[y]
    sample_weight = (class_weight[y] if class_weight is not None else np.ones(n)).astype(np.float32)
    sample_weight /= sample_weight.mean()
    for step in range(1, epochs + 1):
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = x.T @ ((p - onehot) * sample_weight[:, None]) / n + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def train(
    pairs: list[tuple[str, str]],
    labels: list[str],
    label_names: tuple[str, ...],
    featurizer: Featurizer,
    data_digest: str,
    *,
    balance: bool = True,
) -> LinearModel:
    x = featurizer.matrix(pairs).astype(np.float32)
    y = np.array([label_names.index(label) for label in labels])
    counts = np.bincount(y, minlength=len(label_names)).astype(np.float32)
    # Patterns are balanced (each as likely a priori); safety is not, so that the model's
    # alarms stay as rare as they are in ordinary stories.
    class_weight = (counts.sum() / np.maximum(counts, 1.0)) ** 0.5 if balance else None
    weights = fit(x, y, len(label_names), class_weight=class_weight)
    return LinearModel(labels=label_names, weights=weights, data_digest=data_digest)


def main(argv: list[str] | None = None) -> None:
    which = set(argv if argv is not None else sys.argv[1:]) or {"pattern", "moment"}
    featurizer = Featurizer.default()
    if "pattern" in which:
        pairs, labels = pattern_examples()
        model = train(pairs, labels, PATTERN_LABELS, featurizer, digest(PATTERN_FILES))
        target = UNDERSTANDING_MODELS / "pattern_model.npz"
        model.save(str(target))
        print(f"pattern model: {len(pairs)} examples -> {target}")
    if "moment" in which:
        pairs, labels = moment_examples()
        model = train(pairs, labels, MOMENT_LABELS, featurizer, digest(MOMENT_FILES))
        model.save(str(UNDERSTANDING_MODELS / "moment_model.npz"))
        print(f"moment model: {len(pairs)} examples -> {UNDERSTANDING_MODELS / 'moment_model.npz'}")
