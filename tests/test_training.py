"""The shipped offline models were trained on the data that ships beside them."""

from __future__ import annotations

import pytest

from coaching import training
from coaching.linear import LinearModel
from coaching.story import split_voices


@pytest.mark.parametrize(
    ("name", "files"),
    [
        ("pattern_model.npz", training.PATTERN_FILES),
        ("safety_model.npz", training.SAFETY_FILES),
        ("moment_model.npz", training.MOMENT_FILES),
    ],
)
def test_shipped_model_matches_its_training_data(name: str, files: tuple[str, ...]) -> None:
    model = LinearModel.load(name)
    assert model is not None, f"{name} is missing: run python -m coaching.training"
    assert model.data_digest == training.digest(files), (
        f"coaching/data changed since {name} was trained: run python -m coaching.training"
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
