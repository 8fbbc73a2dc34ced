"""Shared test plumbing: the offline coach, and a place for figures (the dev set's) to reach
the terminal summary.

Passing tests print nothing under `-q -ra`; the dev-set figures are worth seeing on every run,
so `test_devset.py` records them with the `figures` fixture and they are printed at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier


@pytest.fixture(autouse=True)
def _history_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test writes to the real user data folder: REPAIR_COACH_DATA_DIR points into the
    test's tmp_path, and so does XDG_DATA_HOME (platformdirs' base on Linux), which reaches
    the subprocesses that drop every REPAIR_COACH_* variable."""
    data = tmp_path / "user-data"
    monkeypatch.setenv("REPAIR_COACH_DATA_DIR", str(data / "repair-coach"))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture(scope="module")
def classifier() -> OfflineClassifier:
    """The built-in classifier (its models load once per test module)."""
    return OfflineClassifier()


@pytest.fixture
def service(classifier: OfflineClassifier) -> CoachService:
    """A fresh coach over it; a module that needs another kind defines its own `service`."""
    return CoachService(classifier)


_FIGURES = pytest.StashKey[dict[str, list[str]]]()


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    """Titled groups of lines to print in the terminal summary."""
    return request.config.stash.setdefault(_FIGURES, {})


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    for title, lines in config.stash.get(_FIGURES, {}).items():
        terminalreporter.write_sep("-", title)
        for line in lines:
            terminalreporter.write_line(line)
