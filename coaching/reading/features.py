"""Features for the small linear models: hashed words and word pairs, plus a sentence embedding.

Words after a negation are marked ("didn't laugh" gives `not_laugh`), and words from the
writer's own clauses live in their own namespace (`w:`), so "he laughed" and "I laughed" are
different evidence. Hashing is crc32, not `hash()`, so features are stable across processes:
the weights are trained once and shipped in the repo.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

HASH_DIM = 1 << 14
EMBED_DIM = 256
DIM = HASH_DIM + EMBED_DIM + 1  # + bias

_TOKEN = re.compile(r"[a-z']+|[\U0001F300-\U0001FAFF]")
# Part of the shipped models' feature definition, so it stays as they were trained with it. The
# rules read negation through coaching.reading.negation; moving this set to its NEGATIONS shifts
# 1 in 10 pattern-model rows (by up to 0.11), so it waits for the next retraining.
_NEGATORS = frozenset(
    {
        "not",
        "never",
        "no",
        "don't",
        "didn't",
        "doesn't",
        "isn't",
        "wasn't",
        "won't",
        "wouldn't",
        "can't",
        "couldn't",
        "hasn't",
        "haven't",
        "without",
        "nobody",
        "nothing",
    }
)
_SCOPE = 3


def tokens(norm_text: str) -> list[str]:
    """Words with negation marked for the few words after a negator."""
    out: list[str] = []
    left = 0
    for word in _TOKEN.findall(norm_text):
        if word in _NEGATORS:
            left = _SCOPE
            out.append(word)
            continue
        out.append(f"not_{word}" if left else word)
        left = max(left - 1, 0)
    return out


_HASHES: dict[str, int] = {}


def _hash(feature: str) -> int:
    """crc32 bucket of a feature, remembered: the same words come back story after story."""
    index = _HASHES.get(feature)
    if index is None:
        if len(_HASHES) > 200_000:
            _HASHES.clear()
        index = _HASHES[feature] = zlib.crc32(feature.encode("utf-8")) % HASH_DIM
    return index


def hashed(norm_text: str, namespace: str = "") -> dict[int, float]:
    toks = tokens(norm_text)
    counts: dict[int, float] = {}
    grams = [namespace + t for t in toks] + [f"{namespace}{a}_{b}" for a, b in pairwise(toks)]
    for gram in grams:
        index = _hash(gram)
        counts[index] = counts.get(index, 0.0) + 1.0
    return counts


class Row(NamedTuple):
    indices: np.ndarray
    values: np.ndarray


class Featurizer:
    """Turns (other person's words, writer's words) into one vector."""

    def __init__(self, embedder: Any | None) -> None:
        self._embedder = embedder

    @classmethod
    def default(cls) -> Featurizer:
        return _default_featurizer()

    @classmethod
    def words_only(cls) -> Featurizer:
        """Hashed words and pairs, no embedding: the safety sentence model, where embeddings
        added cost (a wordllama call per story) without adding recall on held-out stories."""
        return _WORDS_ONLY

    def rows(self, pairs: list[tuple[str, str]]) -> list[Row]:
        """Sparse feature rows (indices, values): what prediction needs, cheaply."""
        embeddings = self._embed([other for other, _ in pairs])
        out: list[Row] = []
        for i, (other, writer) in enumerate(pairs):
            indices: list[int] = []
            values: list[float] = []
            for namespace, text in (("", other), ("w:", writer)):
                counts = hashed(text, namespace)
                if counts:
                    norm = float(np.sqrt(sum(v * v for v in counts.values())))
                    indices.extend(counts)
                    values.extend(v / norm for v in counts.values())
            if embeddings is not None and other.strip():
                indices.extend(range(HASH_DIM, HASH_DIM + EMBED_DIM))
                values.extend(embeddings[i].tolist())
            indices.append(DIM - 1)  # bias
            values.append(1.0)
            out.append(Row(np.array(indices, dtype=np.int64), np.array(values, dtype=np.float32)))
        return out

    def matrix(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Dense rows, for training."""
        dense = np.zeros((len(pairs), DIM), dtype=np.float32)
        for i, row in enumerate(self.rows(pairs)):
            np.add.at(dense[i], row.indices, row.values)
        return dense

    def _embed(self, texts: list[str]) -> np.ndarray | None:
        """Unit-length sentence embeddings, one batch call for all texts."""
        if self._embedder is None or not texts:
            return None
        vectors = np.asarray(self._embedder.embed([t or " " for t in texts]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        result: np.ndarray = vectors / np.maximum(norms, 1e-9)
        return result


def load_wordllama() -> Any | None:
    """wordllama ships its weights inside the wheel; load them with no network."""
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return None
    # load() looks for the tokenizer in the wrong folder and then tries to download it.
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


@cache
def _default_featurizer() -> Featurizer:
    return Featurizer(load_wordllama())


_WORDS_ONLY = Featurizer(None)
