"""The shipped offline models were trained on the data that ships beside them."""

from __future__ import annotations

import pytest

from coaching.linear import LinearModel
from coaching.reading.normalize import normalize
from coaching.reading.story import split_voices
from training import train as training


@pytest.mark.parametrize(
    ("package", "name", "files"),
    [
        ("coaching.understanding", "pattern_model.npz", training.PATTERN_FILES),
        ("coaching.understanding", "moment_model.npz", training.MOMENT_FILES),
    ],
)
def test_shipped_model_matches_its_training_data(
    package: str, name: str, files: tuple[str, ...]
) -> None:
    model = LinearModel.load(package, name)
    assert model.data_digest == training.digest(files), (
        f"training/data changed since {name} was trained: run python -m training"
    )


def test_training_never_reads_holdout_rows() -> None:
    holdout = [
        str(row["text"])
        for name in training.CASE_FILES
        for row in training._rows(name)
        if row.get("split") == "holdout"
    ]
    assert holdout, "the data should keep some holdout rows"
    pairs, _labels = training.pattern_examples()
    trained = set(pairs)
    leaked = [text for text in holdout if split_voices(text) in trained]
    assert not leaked


def _holdout_texts() -> list[str]:
    return [
        str(row["text"])
        for name in training.CASE_FILES
        for row in training._rows(name)
        if row.get("split") == "holdout"
    ]


def test_moment_training_never_reads_holdout_rows() -> None:
    pairs, _labels = training.moment_examples()
    trained = {text for text, _writer in pairs}
    leaked = [text for text in _holdout_texts() if normalize(text) in trained]
    assert not leaked


def test_safety_heads_never_read_a_holdout_story() -> None:
    # The heads fit on the older stories' training rows too (training/safety_heads.py).
    from training import safety_heads

    trained = {text for text, _label, _weight in safety_heads.training_rows()}
    assert not [text for text in _holdout_texts() if text in trained]
