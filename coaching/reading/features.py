"""Hashed words and word pairs, by voice: the understanding heads' "who did what" features.

Words after a negation are marked ("didn't laugh" gives `not_laugh`), and words from the
writer's own clauses live in their own namespace (`w:`), so "he laughed" and "I laughed" are
different evidence. Hashing is crc32, not `hash()`, so features are stable across processes:
the weights are trained once and shipped in the repo.
"""

from __future__ import annotations

import re
import zlib
from itertools import pairwise
from typing import NamedTuple

import numpy as np

HASH_DIM = 1 << 14
DIM = HASH_DIM + 1  # + bias

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


def word_rows(pairs: list[tuple[str, str]]) -> list[Row]:
    """Sparse rows (indices, values) of (other person's words, writer's words) pairs: each
    voice's hashed words L2-scaled, then the bias."""
    out: list[Row] = []
    for other, writer in pairs:
        indices: list[int] = []
        values: list[float] = []
        for namespace, text in (("", other), ("w:", writer)):
            counts = hashed(text, namespace)
            if counts:
                norm = float(np.sqrt(sum(v * v for v in counts.values())))
                indices.extend(counts)
                values.extend(v / norm for v in counts.values())
        indices.append(DIM - 1)  # bias
        values.append(1.0)
        out.append(Row(np.array(indices, dtype=np.int64), np.array(values, dtype=np.float32)))
    return out
