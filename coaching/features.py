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
from typing import Any

import numpy as np

HASH_DIM = 1 << 14
EMBED_DIM = 256
DIM = HASH_DIM + EMBED_DIM + 1  # + bias

_TOKEN = re.compile(r"[a-z']+|[\U0001F300-\U0001FAFF]")
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


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % HASH_DIM


def hashed(norm_text: str, namespace: str = "") -> dict[int, float]:
    toks = tokens(norm_text)
    counts: dict[int, float] = {}
    grams = [namespace + t for t in toks] + [f"{namespace}{a}_{b}" for a, b in pairwise(toks)]
    for gram in grams:
        index = _hash(gram)
        counts[index] = counts.get(index, 0.0) + 1.0
    return counts


class Featurizer:
    """Turns (other person's words, writer's words) into one vector."""

    def __init__(self, embedder: Any | None) -> None:
        self._embedder = embedder

    @classmethod
    def default(cls) -> Featurizer:
        return _default_featurizer()

    def vector(self, other: str, writer: str = "") -> np.ndarray:
        vec = np.zeros(DIM, dtype=np.float32)
        for namespace, text in (("", other), ("w:", writer)):
            counts = hashed(text, namespace)
            if counts:
                norm = float(np.sqrt(sum(v * v for v in counts.values())))
                for index, value in counts.items():
                    vec[index] += value / norm
        if self._embedder is not None and other.strip():
            emb = np.asarray(self._embedder.embed([other]), dtype=np.float32)[0]
            vec[HASH_DIM : HASH_DIM + EMBED_DIM] = emb / max(float(np.linalg.norm(emb)), 1e-9)
        vec[-1] = 1.0
        return vec

    def matrix(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return np.stack([self.vector(o, w) for o, w in pairs]) if pairs else np.zeros((0, DIM))


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
