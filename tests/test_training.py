"""The shipped offline models were trained on the data that ships beside them."""

from __future__ import annotations

import pytest

from coaching.linear import LinearModel
from coaching.reading.story import split_voices
from training import train as training


@pytest.mark.parametrize(
    ("package", "name", "files"),
    [
        ("coaching.understanding", "pattern_model.npz", training.PATTERN_FILES),
        ("coaching.safety", "safety_model.npz", training.SAFETY_FILES),
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
