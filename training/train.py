"""Shared pieces of training: where the labelled data and the shipped files live, a data
digest (so a test catches a shipped file older than its data), and softmax regression.

    python -m training          # retrains the understanding heads (training/understanding_heads.py)
    python -m training.safety_heads   # retrains the safety screen's heads (about 15 minutes)

The dev set in tests/data is never trained on: it is the suite's check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
# Where the runtime loads each trained file from (`coaching.shipped.shipped_data`).
UNDERSTANDING_MODELS = Path(str(resources.files("coaching.understanding") / "data"))
SAFETY_MODELS = Path(str(resources.files("coaching.safety") / "data"))
CASE_FILES = tuple(sorted(p.name for p in DATA.glob("cases_*.jsonl")))


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


def fit(
    x: np.ndarray,
    y: np.ndarray,
    classes: int,
    *,
    l2: float = 1e-3,
    epochs: int = 400,
    rate: float = 0.05,
    class_weight: np.ndarray | None = None,
    sample_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Softmax regression by full-batch Adam. Small data, so this takes seconds."""
    n, d = x.shape
    w = np.zeros((d, classes), dtype=np.float32)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    onehot = np.eye(classes, dtype=np.float32)[y]
    if sample_weight is None:
        sample_weight = class_weight[y] if class_weight is not None else np.ones(n)
    sample_weight = sample_weight.astype(np.float32)
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
