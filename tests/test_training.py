"""The shipped trained files were made from the data that ships beside them, and training never
reads what the figures are measured on."""

from __future__ import annotations

from coaching.understanding.heads import UnderstandingHeads
from training import safety_heads, understanding_heads
from training import train as training
from training.evaluate import understanding_rows


def _older_holdout_texts() -> list[str]:
    return [
        str(row["text"])
        for name in training.CASE_FILES
        for row in training._rows(name)
        if row.get("split") == "holdout"
    ]


def test_the_shipped_understanding_heads_match_their_data() -> None:
    assert UnderstandingHeads.load().data_digest == training.digest(understanding_heads.SOURCES), (
        "training/data changed since the understanding heads were trained: run python -m training"
    )


def test_understanding_heads_fit_on_no_calibration_or_heldout_story() -> None:
    fitted = {ex.text for ex in understanding_heads.training_examples()}
    kept_out = [
        str(row["text"])
        for split in ("calibration", "heldout")
        for row in understanding_rows(split)
    ]
    assert len(kept_out) >= 400
    assert not [text for text in kept_out if text in fitted]
    assert _older_holdout_texts()
    assert not [text for text in _older_holdout_texts() if text in fitted]


def test_understanding_heads_fit_on_every_training_story() -> None:
    fitted = {ex.text for ex in understanding_heads.training_examples()}
    assert {str(row["text"]) for row in understanding_rows("train")} <= fitted


def test_safety_heads_never_read_a_holdout_story() -> None:
    # The heads fit on the older stories' training rows too (training/safety_heads.py).
    trained = {text for text, _label, _weight in safety_heads.training_rows()}
    assert not [text for text in _older_holdout_texts() if text in trained]
