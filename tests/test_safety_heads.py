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


def test_thresholds_put_the_middle_tier_under_the_hard_tier(heads: EncoderScreen) -> None:
    t = heads.thresholds
    assert 0 < t.doubt_crisis <= t.hard_crisis < 1
    assert 0 < t.doubt_abuse <= t.hard_abuse < 1


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself.",
        "I am going to end my life tonight. I have the pills ready.",
        "I have been cutting my arms again and I want to die.",
    ],
)
def test_a_plain_crisis_is_hard_tier(heads: EncoderScreen, text: str) -> None:
    assert heads.read(text).level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "My husband threatened to kill me with his gun.",
        "She punches me when she is drunk and I am scared to go home.",
        "He forced me to have sex when I said no.",
        "He hit me and choked me until I could not breathe.",
        "My girlfriend tracks my phone and will not let me see my friends or have any money.",
    ],
)
def test_plain_abuse_is_hard_tier(heads: EncoderScreen, text: str) -> None:
    assert heads.read(text).level == "abuse"


# A known miss of the heads alone (the shipped screen puts it in crisis by its rules): the hard
# thresholds sit above the calibration hard negatives that score highest (grief, recovery,
# moving house, hyperbole), and this plain statement scores just under them.
@pytest.mark.xfail(strict=True, reason="known miss: the heads put this plan in the middle tier")
def test_a_plan_with_goodbye_letters_is_hard_tier(heads: EncoderScreen) -> None:
    text = "I wrote goodbye letters to my family and I plan to hang myself this weekend."
    verdict = heads.read(text)
    assert verdict.level == "crisis"


def test_a_plan_with_goodbye_letters_still_gets_the_question(heads: EncoderScreen) -> None:
    text = "I wrote goodbye letters to my family and I plan to hang myself this weekend."
    assert heads.read(text).check == ("suicide",)


@pytest.mark.parametrize(
    "text",
    [
        "I told my partner about my bad day and he just gave me advice instead of listening.",
        "My sister said I was overreacting when I cried about my job.",
        "She said at least I still have a job, and changed the subject.",
    ],
)
def test_an_ordinary_hurt_is_none(heads: EncoderScreen, text: str) -> None:
    verdict = heads.read(text)
    assert (verdict.level, verdict.check) == ("none", ())


STORY = (
    "My brother moved back home last month. He says he is fine, but he gave away his guitar. "
    "Last night he texted me that everyone would be better off without him. "
    "How do I tell him I felt shut out when he stopped calling?"
)


def test_a_story_is_encoded_once_and_scored_as_its_best_unit(heads: EncoderScreen) -> None:
    counting = CountingEncoder()
    screen = EncoderScreen(counting, heads._model, heads.thresholds)
    verdict = screen.read(STORY)
    parts = sentences(STORY)
    assert counting.calls == [parts]  # one batch: every sentence once, no window re-encoded
    # The same units from each sentence encoded on its own.
    alone = np.vstack([load_encoder().encode([p]) for p in parts])
    probs = heads._model.probabilities(units_of(parts, alone).vectors, whole_of(alone))
    assert verdict.crisis == pytest.approx(float(probs[:, 1].max()), abs=1e-4)
    assert verdict.abuse == pytest.approx(float(probs[:, 2].max()), abs=1e-4)
    assert verdict.unit in (*units_of(parts, alone).texts, "")


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
    screen.read(text + " I want to kill myself.")
    assert [len(call) for call in counting.calls] == [MAX_SENTENCES]
