"""The screen's learned part on the shared sentence encoder: classifier heads over units.

`EncoderScreen.read(sentences)` reads a text's sentences (the screen hands it the ones it reads,
cut by `coaching.reading.sentences.sentences`):

- at most `MAX_SENTENCES` of them, and every sentence is encoded ONCE, in one batch;
- the units read are every sentence, every window of 2 and of 3 neighbouring sentences, and
  the whole text when it is short (at most `WHOLE_TEXT_SENTENCES`); a window is the
  normalised mean of its sentences' embeddings, so windows cost no second pass through the
  encoder;
- three readers score every unit (none / crisis / abuse, all trained by
  `python -m training.safety_heads`), and their probabilities are blended with fixed weights:
  a one-hidden-layer network over the unit's 384-d embedding; a pair of one-hidden-layer
  networks over the unit's embedding beside the whole text's (so "wanted to die" reads
  differently in a story about an embarrassing date); and a cosine nearest-neighbour vote
  against labelled training units. Per class the text's score is its best unit's;
- the result is the best unit per class (`HeadScores`); the thresholds stored beside the
  weights (`Thresholds`) are applied by the screen (screening.py), which also weighs the rules.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from coaching.shipped import shipped_data

# Why a cap: encoding is linear in the sentences read (about 8 ms each on one core), so 60 bound
# a text's screening at about half a second, the latency budget's 4,000-character story (~45
# sentences) fits inside it, and a stated danger sits in the first sentences of every story in
# the data (stories are 2–8 sentences; a row is at most 1,500 characters).
MAX_SENTENCES = 60
WINDOWS = (2, 3)
# The whole-text unit: only for a short text, where it is the story the labels describe; in a
# long one the mean of everything dilutes the one sentence that matters and adds nothing.
WHOLE_TEXT_SENTENCES = 8
LABELS = ("none", "crisis", "abuse")
MODEL_FILE = "safety_heads.npz"


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the calibration split by training/safety_heads.py (see the screen, screening.py):
    - `hard_*`: the heads alone put a text in the hard tier;
    - `confirm_*`: an English rule's cue counts only when the heads give its level at least this
      (a rule is a proposal: "I'll just throw myself off a cliff, very dramatic of me" matches a
      crisis rule and the heads read it as the joke it is); an unconfirmed cue is asked about;
    - `doubt_*`: the middle tier, a direct question."""

    hard_crisis: float
    hard_abuse: float
    doubt_crisis: float
    doubt_abuse: float
    confirm_crisis: float
    confirm_abuse: float

    def as_array(self) -> np.ndarray:
        return np.array(
            [
                self.hard_crisis,
                self.hard_abuse,
                self.doubt_crisis,
                self.doubt_abuse,
                self.confirm_crisis,
                self.confirm_abuse,
            ],
            dtype=np.float32,
        )


@dataclass(frozen=True)
class HeadScores:
    """The heads' reading of a text: per class, the best unit's probability and that unit (the
    span behind it: intimate text, never logged above DEBUG)."""

    crisis: float = 0.0
    abuse: float = 0.0
    crisis_unit: str = ""
    abuse_unit: str = ""


@dataclass(frozen=True)
class Units:
    """A text's units: their texts and their (n, 384) unit-vector embeddings."""

    texts: tuple[str, ...]
    vectors: np.ndarray


def units_of(parts: Sequence[str], embedded: np.ndarray) -> Units:
    """Sentences, windows of neighbours and (for a short text) the whole, from the sentences'
    own embeddings. Training builds its examples with this very function."""
    texts: list[str] = list(parts)
    vectors: list[np.ndarray] = [embedded]
    n = len(parts)
    sizes = [w for w in WINDOWS if w <= n]
    if 1 < n <= WHOLE_TEXT_SENTENCES and n not in sizes:
        sizes.append(n)
    for size in sizes:
        for start in range(n - size + 1):
            texts.append(" ".join(parts[start : start + size]))
        vectors.append(_window_means(embedded, size))
    stacked = np.concatenate(vectors).astype(np.float32) if n else embedded
    return Units(tuple(texts), stacked)


def _window_means(embedded: np.ndarray, size: int) -> np.ndarray:
    sums = np.cumsum(np.vstack([np.zeros((1, embedded.shape[1])), embedded]), axis=0)
    means = sums[size:] - sums[:-size]
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    result: np.ndarray = means / np.maximum(norms, 1e-12)
    return result


def _mlp(
    x: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray
) -> np.ndarray:
    """(n, 3) softmax of a one-hidden-layer ReLU network."""
    logits = np.maximum(x @ w1 + b1, 0.0) @ w2 + b2
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


@dataclass(frozen=True)
class HeadsModel:
    """The heads' arrays (see safety_heads.npz and training/safety_heads.py).

    - `unit_*`: the network over a unit's embedding, 384 → hidden → 3;
    - `context_*`: networks (stacked on axis 0, averaged) over [unit, whole text], 768 → … → 3;
    - `memory` (m, 384) and `memory_labels` (m,): the labelled training units the
      nearest-neighbour vote reads; `k` neighbours, weighed by exp(similarity / temperature);
    - `blend`: the three readers' weights, in that order.
    """

    labels: tuple[str, ...]
    arrays: dict[str, np.ndarray]
    data_digest: str

    @property
    def blend(self) -> np.ndarray:
        return self.arrays["blend"]

    def probabilities(self, vectors: np.ndarray, whole: np.ndarray) -> np.ndarray:
        """(n, 3) blended probabilities for units `vectors` of a text whose sentences' normalised
        mean is `whole`."""
        a = self.arrays
        unit = _mlp(vectors, a["unit_w1"], a["unit_b1"], a["unit_w2"], a["unit_b2"])
        both = np.hstack([vectors, np.broadcast_to(whole, vectors.shape)]).astype(np.float32)
        context = np.mean(
            [
                _mlp(
                    both,
                    a["context_w1"][i],
                    a["context_b1"][i],
                    a["context_w2"][i],
                    a["context_b2"][i],
                )
                for i in range(len(a["context_w1"]))
            ],
            axis=0,
        )
        near = self.neighbours(vectors)
        w = self.blend
        result: np.ndarray = w[0] * unit + w[1] * context + w[2] * near
        return result

    def neighbours(self, vectors: np.ndarray) -> np.ndarray:
        """(n, 3) the similarity-weighted label shares among each unit's k nearest training
        units (cosine: every vector is unit length)."""
        a = self.arrays
        k = int(a["k"])
        similarity = vectors @ a["memory"].T
        nearest = np.argpartition(-similarity, k, axis=1)[:, :k]
        top = np.take_along_axis(similarity, nearest, axis=1)
        weight = np.exp((top - top.max(axis=1, keepdims=True)) / float(a["temperature"]))
        onehot = np.eye(len(self.labels), dtype=np.float32)[a["memory_labels"][nearest]]
        result: np.ndarray = (weight[:, :, None] * onehot).sum(axis=1) / weight.sum(
            axis=1, keepdims=True
        )
        return result

    @classmethod
    def load(cls, package: str, name: str) -> tuple[HeadsModel, Thresholds]:
        """The model and its thresholds from `package`'s data folder. A missing file is an
        error that names the command that makes it."""
        with (
            shipped_data(package, name, "python -m training.safety_heads") as path,
            np.load(path) as data,
        ):
            arrays = {
                key: np.asarray(data[key])
                for key in data.files
                if key not in ("labels", "digest", "thresholds")
            }
            for key, value in arrays.items():
                if value.dtype.kind == "f":
                    arrays[key] = value.astype(np.float32)
            model = cls(
                labels=tuple(str(x) for x in data["labels"]),
                arrays=arrays,
                data_digest=str(data["digest"]),
            )
            thresholds = Thresholds(*[float(x) for x in data["thresholds"]])
        return model, thresholds

    def save(self, path: str | Path, thresholds: Thresholds) -> None:
        payload: dict[str, Any] = {
            "labels": np.array(self.labels),
            "digest": np.array(self.data_digest),
            "thresholds": thresholds.as_array(),
            **self.arrays,
        }
        np.savez_compressed(path, **payload)


def whole_of(embedded: np.ndarray) -> np.ndarray:
    """The whole text's vector: the normalised mean of its sentences' embeddings."""
    mean = embedded.mean(axis=0)
    result: np.ndarray = (mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32)
    return result


class EncoderScreen:
    """Reads texts with the heads. Thread-safe: it keeps no state between calls."""

    def __init__(self, encoder: Encoder, model: HeadsModel, thresholds: Thresholds) -> None:
        if model.labels != LABELS:
            raise ValueError(f"safety heads have labels {model.labels}, expected {LABELS}")
        self._encoder = encoder
        self._model = model
        self.thresholds = thresholds

    @classmethod
    def load(cls, encoder: Encoder | None = None) -> EncoderScreen:
        """The shipped heads (coaching/safety/data/safety_heads.npz) over `encoder`, or the
        process's shared encoder."""
        if encoder is None:
            from coaching.reading.encoder import load_encoder

            encoder = load_encoder()
        model, thresholds = HeadsModel.load("coaching.safety", MODEL_FILE)
        return cls(encoder, model, thresholds)

    @property
    def data_digest(self) -> str:
        return self._model.data_digest

    def scores(self, parts: Sequence[str]) -> tuple[Units, np.ndarray]:
        """The units of sentences `parts` (at most MAX_SENTENCES read) and their (n, 3)
        probabilities (none, crisis, abuse)."""
        parts = list(parts)[:MAX_SENTENCES]
        if not parts:
            return Units((), np.zeros((0, 384), dtype=np.float32)), np.zeros((0, 3))
        embedded = self._encoder.encode(parts)
        units = units_of(parts, embedded)
        return units, self._model.probabilities(units.vectors, whole_of(embedded))

    def read(self, parts: Sequence[str]) -> HeadScores:
        """The best unit per class among the units of sentences `parts`."""
        units, probs = self.scores(parts)
        if not units.texts:
            return HeadScores()
        best_crisis = int(probs[:, 1].argmax())
        best_abuse = int(probs[:, 2].argmax())
        return HeadScores(
            crisis=float(probs[best_crisis, 1]),
            abuse=float(probs[best_abuse, 2]),
            crisis_unit=units.texts[best_crisis],
            abuse_unit=units.texts[best_abuse],
        )


_lock = threading.Lock()
_loaded: EncoderScreen | None = None


def load_heads() -> EncoderScreen:
    """The process's one EncoderScreen over the shared encoder, loaded on first use."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = EncoderScreen.load()
    return _loaded
