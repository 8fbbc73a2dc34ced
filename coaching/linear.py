"""A softmax-regression model: weights trained by `python -m training`, shipped as .npz data.

Loading is a file read; predicting is one dot product, well inside the latency budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from coaching.reading.features import Row


@dataclass(frozen=True)
class LinearModel:
    labels: tuple[str, ...]
    weights: np.ndarray  # (features, labels)
    data_digest: str  # of the training data, so a stale model is caught by a test

    def row_probabilities(self, rows: list[Row]) -> np.ndarray:
        """Rows of label probabilities, from sparse rows: a gather, not a dense product."""
        logits = np.stack([row.values @ self.weights[row.indices] for row in rows])
        logits -= logits.max(axis=-1, keepdims=True)
        exp = np.exp(logits)
        result: np.ndarray = exp / exp.sum(axis=-1, keepdims=True)
        return result

    def save(self, path: str) -> None:
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            weights=self.weights.astype(np.float32),
            digest=np.array(self.data_digest),
        )

    @classmethod
    def load(cls, package: str, name: str) -> LinearModel:
        """A model from `package`'s data folder. A missing model is an error, never a quieter
        coach: without its models the safety screen misses half the crises it would catch."""
        with shipped_data(package, name, "python -m training") as path, np.load(path) as data:
            return cls(
                labels=tuple(str(x) for x in data["labels"]),
                weights=np.asarray(data["weights"], dtype=np.float32),
                data_digest=str(data["digest"]),
            )


@contextmanager
def shipped_data(package: str, name: str, retrain: str) -> Iterator[Path]:
    """The path of a trained file in `package`'s data folder. A missing one is an error that
    names the command that makes it, never a quieter coach."""
    ref = resources.files(package) / "data" / name
    if not ref.is_file():
        raise FileNotFoundError(
            f"{package}/data/{name} is missing: reinstall repair-coach, or retrain with `{retrain}`"
        )
    with resources.as_file(ref) as path:
        yield path
