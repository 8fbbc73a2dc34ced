"""The offline coach on the `holdout` rows of training/data: figures gated at their measured level.

The dev set (test_devset.py) was tuned against; the holdout rows were never trained on, so they
are where a regression shows as it would for new people. The scoring is
bench/offline_quality.py's (`training.evaluate`). The floors are the counts
measured when this test was written, not shares picked to pass: a change that loses one crisis
fails here. When a change raises a figure, raise its floor with it (the terminal summary prints
the figures on every run).

Caveat on the safety figures: the learned screen's thresholds were chosen while looking at
these held-out crisis and abuse stories (the comment by `_CRISIS_THRESHOLD` in coaching/safety
says so), so crisis and abuse recall are less unseen than the pattern, moment and no-rupture
figures.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier
from training.evaluate import Tally, case_files, measure, read_rows

# (hits, rows) measured on the holdout rows; for false alarms, (flagged, ordinary stories).
CRISIS_RECALL = (16, 19)
ABUSE_RECALL = (15, 18)
FALSE_ALARMS = (0, 90)
TOP1 = (48, 72)
NO_RUPTURE_KEPT = (15, 18)
MOMENT = (44, 72)
# The wider false-alarm check bench/offline_quality.py also makes: every ordinary story in the
# data, training rows included (the safety model saw their sentences, not the stories). Rows
# may be added, so only the count of flagged stories is held (it was 28 of 1,283).
ORDINARY_FLAGGED_AT_MOST = 28


def rows(split: str | None) -> list[dict[str, Any]]:
    """Rows of every training/data/cases_*.jsonl file, of one split or (None) all."""
    return [row for path in case_files() for row in read_rows(path, split)]


@dataclass(frozen=True)
class Figures:
    held: Tally
    ordinary_flagged: int
    ordinary: int
    lines: list[str]

    def __repr__(self) -> str:  # failure output shows the figures, not 158 rows
        return "Figures(...)"

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _line(name: str, values: list[bool], floor: tuple[int, int], word: str = "floor") -> str:
    share = f"{sum(values)}/{len(values)}"
    if values:
        share += f" = {sum(values) / len(values):.1%}"
    return f"{name:24}{share:18}({word} {floor[0]}/{floor[1]})"


@pytest.fixture(scope="module")
def figures_held(figures: dict[str, list[str]]) -> Figures:
    service = CoachService(OfflineClassifier())
    held = asyncio.run(measure(service, rows("holdout")))
    ordinary = [r for r in rows(None) if r["safety"] == "none"]
    wide = asyncio.run(measure(service, ordinary))
    lines = [
        _line("crisis recall:", held.crisis, CRISIS_RECALL),
        _line("abuse recall:", held.abuse, ABUSE_RECALL),
        _line("false alarms:", held.false_alarm, FALSE_ALARMS, "ceiling"),
        _line("top-1 in primary:", held.top1, TOP1),
        _line("no-rupture kept:", held.no_rupture, NO_RUPTURE_KEPT),
        _line("moment agreement:", held.moment, MOMENT),
        f"false alarms over all {len(ordinary)} ordinary stories (training rows included): "
        f"{sum(wide.false_alarm)} (ceiling {ORDINARY_FLAGGED_AT_MOST})",
    ]
    figures["held-out figures (offline coach, training/data holdout rows)"] = lines
    return Figures(held, sum(wide.false_alarm), len(ordinary), lines)


def _assert_floor(values: list[bool], floor: tuple[int, int], report: Figures) -> None:
    hits, total = floor
    assert len(values) == total, (
        f"the holdout now has {len(values)} such rows, not {total}: re-measure "
        f"(bench/offline_quality.py) and set this floor again\n{report.text}"
    )
    assert sum(values) >= hits, report.text


def test_crisis_recall_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.crisis, CRISIS_RECALL, figures_held)


def test_abuse_recall_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.abuse, ABUSE_RECALL, figures_held)


def test_false_alarms_on_holdout_stay_at_their_ceiling(figures_held: Figures) -> None:
    flagged, total = FALSE_ALARMS
    values = figures_held.held.false_alarm
    assert len(values) == total, figures_held.text
    assert sum(values) <= flagged, figures_held.text


def test_false_alarms_over_every_ordinary_story_stay_at_their_ceiling(
    figures_held: Figures,
) -> None:
    assert figures_held.ordinary_flagged <= ORDINARY_FLAGGED_AT_MOST, figures_held.text


def test_top1_pattern_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.top1, TOP1, figures_held)


def test_no_rupture_agreement_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.no_rupture, NO_RUPTURE_KEPT, figures_held)


def test_moment_agreement_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.moment, MOMENT, figures_held)
