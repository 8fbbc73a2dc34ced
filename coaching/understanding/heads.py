"""The understanding heads: small linear models over a story's features (features.py).

Five heads, each a softmax over its labels:
- `role`: none (no rupture), hurt, caused, both: rupture and the writer's role in one reading,
  because "I told her she was overreacting" is a rupture only once you know who said it;
- `pattern`: the most important pattern, whoever did it;
- `by_writer` / `by_other`: the pattern the writer did, and the one the other person did; they
  say who did each pattern when each hurt the other;
- `moment`: the critical moment.

Trained by `python -m training.understanding_heads`, which also chooses the `Tuning` on the
calibration split; shipped as `data/understanding_heads.npz`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

import numpy as np

from coaching.shipped import shipped_data
from coaching.understanding.features import StoryFeatures

FILE = "understanding_heads.npz"
RETRAIN = "python -m training.understanding_heads"
ROLE_LABELS = ("none", "hurt", "caused", "both")
HEAD_NAMES = ("role", "pattern", "by_writer", "by_other", "moment")


@dataclass(frozen=True, slots=True)
class Tuning:
    """Chosen on the calibration split, never on held-out (training/understanding_heads.py)."""

    no_rupture_at: float  # P(none) less rules_against_none x the rules' top score: no rupture
    also_at: float  # a further pattern is named when its probability is this share of the top's
    rule_share: float  # how much the cue rules weigh beside the pattern head (writer hurt)
    side_share: float  # how much the side's head (by_other, by_writer) weighs beside it
    rules_against_none: float  # a clear cue ("went back to his phone") speaks for a rupture


@dataclass(frozen=True, slots=True)
class Head:
    labels: tuple[str, ...]
    dense: np.ndarray  # (features.DENSE, labels)
    words: np.ndarray  # (reading.features.DIM, labels)

    def probabilities(self, features: StoryFeatures) -> np.ndarray:
        row = features.words
        logits = features.dense @ self.dense + row.values @ self.words[row.indices]
        logits = logits - logits.max()
        exp = np.exp(logits)
        result: np.ndarray = exp / exp.sum()
        return result


@dataclass(frozen=True, slots=True)
class UnderstandingHeads:
    heads: dict[str, Head]
    tuning: Tuning
    data_digest: str

    def read(self, features: StoryFeatures) -> dict[str, dict[str, float]]:
        """Each head's label probabilities."""
        out: dict[str, dict[str, float]] = {}
        for name, head in self.heads.items():
            probs = head.probabilities(features)
            out[name] = {label: float(p) for label, p in zip(head.labels, probs, strict=True)}
        return out

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "digest": np.array(self.data_digest),
            "tuning": np.array([getattr(self.tuning, f.name) for f in fields(Tuning)]),
        }
        for name, head in self.heads.items():
            arrays[f"{name}_labels"] = np.array(head.labels)
            arrays[f"{name}_dense"] = head.dense.astype(np.float32)
            arrays[f"{name}_words"] = head.words.astype(np.float16)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls) -> UnderstandingHeads:
        with shipped_data("coaching.understanding", FILE, RETRAIN) as path, np.load(path) as data:
            heads = {
                name: Head(
                    labels=tuple(str(x) for x in data[f"{name}_labels"]),
                    dense=np.asarray(data[f"{name}_dense"], dtype=np.float32),
                    words=np.asarray(data[f"{name}_words"], dtype=np.float32),
                )
                for name in HEAD_NAMES
            }
            tuning = Tuning(*(float(x) for x in data["tuning"]))
            return cls(heads, tuning, str(data["digest"]))


@cache
def load_understanding_heads() -> UnderstandingHeads:
    return UnderstandingHeads.load()
