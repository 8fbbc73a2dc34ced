"""Trained files shipped inside the package (`<package>/data/`), found wherever it is installed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path


@contextmanager
def shipped_data(package: str, name: str, retrain: str) -> Iterator[Path]:
    """The path of a trained file in `package`'s data folder. A missing one is an error that
    names the command that makes it, never a quieter coach."""
    ref = resources.files(package) / "data" / name
    if not ref.is_file():
        raise FileNotFoundError(
            f"{package}/data/{name} is missing: reinstall repair-coach, or retrain with `{retrain}`"
        )
    with resources.as_file(ref) as path:
        yield path
