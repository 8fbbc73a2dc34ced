"""What the understanding heads read of a story: its sentences through the shared encoder, and
its words by voice.

- **Meaning**: the mean and the per-dimension maximum of the story's sentence embeddings (the
  same units the safety screen reads, so the encoder has them already). The mean carries what
  the story is about; the maximum keeps one sharp sentence ("are you done?") from being
  averaged away in a long story.
- **Who did what**: the cue rules' reading, per pattern, of how strongly the other person did
  it and how strongly the writer did it ("I told her to stay positive"); and hashed words and
  word pairs, the other person's clauses and the writer's own apart (writer words in their
  `w:` namespace), because the encoder hears "I told her she was overreacting" and "she told
  me I was overreacting" as nearly the same sentence, and the writer's role turns on that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from coaching.reading.features import Row, word_rows
from coaching.reading.story import Clause, split_voices
from coaching.reading.units import encoder_units

MAX_UNITS = 60  # as the safety screen: a 4,000-character story fits
WHO_DID = 2 * 10  # the cue rules per pattern: done by the other person, done by the writer
DENSE = 2 * 384 + WHO_DID + 1  # mean, maximum, who did what, bias


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    dense: np.ndarray  # (DENSE,)
    words: Row  # sparse, coaching.reading.features.DIM wide


def story_features(
    text: str, encoder: Encoder, clauses: list[Clause], who_did: np.ndarray
) -> StoryFeatures:
    """`who_did`: the cue rules' reading of who did what (offline.who_did)."""
    units = encoder_units(text, MAX_UNITS) or [" "]
    embedded = encoder.encode(units)
    dense = np.concatenate([embedded.mean(axis=0), embedded.max(axis=0), who_did, [1.0]])
    other, writer = split_voices(text, clauses=clauses)
    words = word_rows([(other, writer)])[0]
    return StoryFeatures(dense.astype(np.float32), words)
