"""A semantic vote: how close the other person's reply is to labelled example replies.

The rules in `coaching.cues` know the families of wording; this layer catches replies worded
in ways no rule names, by nearest neighbours among the example replies in
`coaching/data/responses.jsonl` (written for this project, kept in the repo). Embeddings come
from wordllama, a static word-embedding model that ships inside its wheel: no torch, no
download, ~0.1 ms a sentence. Its vote is deliberately weaker than a rule's.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from coaching.taxonomy import PatternId

log = logging.getLogger(__name__)

_K = 5
_MIN_SIMILARITY = 0.45
_MAX_VOTE = 0.6
_MAX_SPANS = 24


class SemanticVoter:
    """Votes for patterns from the nearest labelled replies. Empty when it has no examples."""

    def __init__(self, model: Any | None, texts: list[str], labels: list[str]) -> None:
        self._model = model
        self._labels = np.array(labels)
        self._matrix = self._embed(texts) if model is not None and texts else None

    @classmethod
    def default(cls) -> SemanticVoter:
        return _default_voter()

    def _embed(self, texts: list[str]) -> np.ndarray:
        assert self._model is not None
        vectors = np.asarray(self._model.embed(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def vote(self, spans: list[str]) -> dict[PatternId, float]:
        """Per pattern, the strongest vote any span earns (0 when nothing is close enough)."""
        if self._matrix is None or not spans:
            return {}
        sims = self._embed(spans[:_MAX_SPANS]) @ self._matrix.T
        votes: dict[PatternId, float] = {}
        for row in sims:
            top = np.argsort(row)[::-1][:_K]
            close = [i for i in top if row[i] >= _MIN_SIMILARITY]
            if not close:
                continue
            weight = sum(float(row[i]) for i in close)
            tally: dict[str, float] = {}
            for i in close:
                tally[str(self._labels[i])] = tally.get(str(self._labels[i]), 0.0) + float(row[i])
            for label, mass in tally.items():
                if label == "none":
                    continue
                share = mass / weight * (len(close) / _K)
                pattern = PatternId(label)
                votes[pattern] = max(votes.get(pattern, 0.0), _MAX_VOTE * share)
        return votes


def _load_examples() -> tuple[list[str], list[str]]:
    path = resources.files("coaching") / "data" / "responses.jsonl"
    if not path.is_file():
        return [], []
    texts: list[str] = []
    labels: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append(row["text"])
            labels.append(row["pattern"])
    return texts, labels


def _load_model() -> Any | None:
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:  # the rules still work; the semantic vote just abstains
        log.warning("wordllama is not installed: the offline coach runs on rules alone")
        return None
    # load() looks for the tokenizer in the wrong folder and then tries to download it.
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


@cache
def _default_voter() -> SemanticVoter:
    texts, labels = _load_examples()
    return SemanticVoter(_load_model() if texts else None, texts, labels)
