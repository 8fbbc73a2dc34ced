"""/history's chart (bot/chart.py): a valid, small PNG for no weeks, one week and a year, with
the patterns' readable names, and safe to render in several threads at once."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

import matplotlib.image
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from bot.chart import _figure, history_chart
from coaching.history.overview import HistoryOverview, history_overview
from coaching.history.records import PatternSeen, Report
from coaching.taxonomy import PATTERN_NAMES, PatternId, Safety

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 100_000
START = datetime(2025, 1, 6, 9, tzinfo=UTC)  # a Monday: week w is ISO week w + 2 of 2025


def report(n: int, at: datetime, *patterns: PatternId) -> Report:
    return Report(
        report_id=f"r{n}",
        user_id="u",
        at=at,
        safety=Safety.NONE,
        safety_check_asked=False,
        rupture=True,
        writer_role="hurt",
        moment=None,
        patterns=tuple(PatternSeen(p, 0.5) for p in patterns),
        classifier="offline",
    )


def overview_of(weeks: int, per_week: int = 3) -> HistoryOverview:
    every = list(PatternId)
    reports = [
        report(w * 100 + k, START + timedelta(weeks=w, hours=k), every[(w + k) % 10], every[k])
        for w in range(weeks)
        for k in range(per_week)
    ]
    return history_overview(reports, START + timedelta(weeks=weeks))


def decoded(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    image = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert isinstance(image, np.ndarray)
    return image


@pytest.mark.parametrize("weeks", [0, 1, 52])
def test_the_chart_is_a_small_png_that_decodes(weeks: int) -> None:
    overview = overview_of(weeks)
    assert len(overview.weeks) == weeks
    png = history_chart(overview)
    assert len(png) <= MAX_BYTES
    image = decoded(png)
    height, width = image.shape[:2]
    assert (width, height) == (800, 450)


def test_bars_are_drawn_only_when_there_are_weeks() -> None:
    """Coloured pixels (the bars) appear with data; the empty chart is black on white."""

    def coloured(png: bytes) -> int:
        rgb = decoded(png)[..., :3]
        return int(((rgb.max(axis=2) - rgb.min(axis=2)) > 0.2).sum())

    assert coloured(history_chart(overview_of(0))) == 0
    assert coloured(history_chart(overview_of(1))) > 1000
    assert coloured(history_chart(overview_of(52))) > coloured(history_chart(overview_of(1)))


def test_the_legend_names_the_patterns_as_people_read_them() -> None:
    figure = _figure(overview_of(52))
    legend = figure.axes[0].get_legend()
    assert legend is not None
    labels = [text.get_text() for text in legend.get_texts()]
    assert labels == [PATTERN_NAMES[p] for p in PatternId]
    one = _figure(overview_of(1, per_week=1)).axes[0].get_legend()
    assert one is not None
    assert [t.get_text() for t in one.get_texts()] == [PATTERN_NAMES[PatternId.UNSOLICITED_ADVICE]]


def test_bars_stack_to_each_weeks_pattern_counts() -> None:
    overview = overview_of(4)
    axes = _figure(overview).axes[0]
    tops = [0.0] * len(overview.weeks)
    for patch in axes.patches:
        assert isinstance(patch, Rectangle)
        index = round(patch.get_x() + patch.get_width() / 2)
        tops[index] = max(tops[index], patch.get_y() + patch.get_height())
    assert tops == [float(sum(w.patterns.values())) for w in overview.weeks]


def test_a_year_labels_at_most_thirteen_weeks_and_shows_the_first() -> None:
    overview = overview_of(52)
    labels = [t.get_text() for t in _figure(overview).axes[0].get_xticklabels()]
    assert 4 <= len(labels) <= 13
    assert labels[0] == overview.weeks[0].week


async def test_charts_render_alike_in_parallel_threads() -> None:
    """No shared pyplot state: four charts at once in threads equal the same charts drawn one
    by one (PNG output carries no timestamp)."""
    overviews = [overview_of(n) for n in (0, 1, 7, 52)]
    alone = [history_chart(o) for o in overviews]
    together = await asyncio.gather(*(asyncio.to_thread(history_chart, o) for o in overviews))
    assert list(together) == alone
    assert len(set(alone)) == 4
