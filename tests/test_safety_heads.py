"""The screen's encoder heads: trained on the data that ships, plain statements in the hard
tier, ordinary hurts left alone, one encoder pass per text, and a capped read."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from coaching.reading.encoder import load_encoder
from coaching.reading.sentences import sentences
from coaching.safety.heads import (
    MAX_SENTENCES,
    EncoderScreen,
    units_of,
    whole_of,
)
from coaching.safety.screening import read_rules, screen
from training import safety_heads as training
from training.train import digest


class CountingEncoder:
    """The real encoder, counting its calls and the texts it was given."""

    def __init__(self) -> None:
        self._encoder = load_encoder()
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self._encoder.encode(texts)


@pytest.fixture(scope="module")
def heads() -> EncoderScreen:
    return EncoderScreen.load()


def test_shipped_heads_match_their_training_and_calibration_data(heads: EncoderScreen) -> None:
    assert heads.data_digest == digest(training.HEADS_FILES), (
        "training/data changed since safety_heads.npz was made: run python -m training.safety_heads"
    )


def test_heads_never_train_or_calibrate_on_held_out_or_dev_rows() -> None:
    read = " ".join(training.HEADS_FILES)
    assert "heldout" not in read and "dev" not in read
    assert training.TRAIN_FILES and training.CALIBRATION_FILES


def test_thresholds_put_the_middle_tier_and_the_rules_under_the_hard_tier(
    heads: EncoderScreen,
) -> None:
    t = heads.thresholds
    assert 0 < t.doubt_crisis <= t.hard_crisis < 1
    assert 0 < t.doubt_abuse <= t.hard_abuse < 1
    assert 0 <= t.confirm_crisis <= t.hard_crisis
    assert 0 <= t.confirm_abuse <= t.hard_abuse


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # No rule names these: the heads alone must reach the hard tier.
        ("Honestly everyone would breathe easier if I just wasn't around anymore.", "crisis"),
        ("I've been working out how many of my insulin pens it would take.", "crisis"),
        (
            "He reads every message on my phone each night and I have to show him my location "
            "all day.",
            "abuse",
        ),
    ],
)
def test_the_heads_alone_reach_the_hard_tier(text: str, level: str) -> None:
    assert read_rules(text).crisis is None and read_rules(text).abuse is None
    assert screen(text).level.value == level


@pytest.mark.parametrize(
    "text",
    [
        "I told my partner about my bad day and he just gave me advice instead of listening.",
        "My sister said I was overreacting when I cried about my job.",
        "She said at least I still have a job, and changed the subject.",
    ],
)
def test_an_ordinary_hurt_is_none_and_asks_nothing(text: str) -> None:
    result = screen(text)
    assert (result.level.value, result.checks) == ("none", ())


STORY = (
    "My brother moved back home last month. He says he is fine, but he gave away his guitar. "
    "Last night he texted me that everyone would be better off without him. "
    "How do I tell him I felt shut out when he stopped calling?"
)


def test_a_story_is_encoded_once_and_scored_as_its_best_unit(heads: EncoderScreen) -> None:
    counting = CountingEncoder()
    screen = EncoderScreen(counting, heads._model, heads.thresholds)
    parts = sentences(STORY)
    verdict = screen.read(parts)
    assert counting.calls == [parts]  # one batch: every sentence once, no window re-encoded
    # The same units from each sentence encoded on its own.
    alone = np.vstack([load_encoder().encode([p]) for p in parts])
    probs = heads._model.probabilities(units_of(parts, alone).vectors, whole_of(alone))
    assert verdict.crisis == pytest.approx(float(probs[:, 1].max()), abs=1e-4)
    assert verdict.abuse == pytest.approx(float(probs[:, 2].max()), abs=1e-4)
    assert verdict.crisis_unit in units_of(parts, alone).texts


def test_windows_are_neighbours_and_the_whole_short_text() -> None:
    parts = ["a.", "b.", "c.", "d."]
    units = units_of(parts, np.eye(4, 384, dtype=np.float32))
    assert units.texts == (
        *parts,
        "a. b.",
        "b. c.",
        "c. d.",
        "a. b. c.",
        "b. c. d.",
        "a. b. c. d.",
    )
    assert np.allclose(np.linalg.norm(units.vectors, axis=1), 1.0)
    assert np.allclose(units.vectors[4, :2], [2**-0.5, 2**-0.5])


def test_a_long_text_is_read_up_to_the_cap(heads: EncoderScreen) -> None:
    counting = CountingEncoder()
    screen = EncoderScreen(counting, heads._model, heads.thresholds)
    text = " ".join(f"We talked about day {i} of the trip." for i in range(MAX_SENTENCES + 40))
    screen.read(sentences(text + " I want to kill myself."))
    assert [len(call) for call in counting.calls] == [MAX_SENTENCES]
