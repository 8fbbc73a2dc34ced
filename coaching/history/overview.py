"""A person's history at a glance: reports over time, patterns per ISO week, the patterns
recurring now and, when the adapter has them, how the check-ins after each pattern went.

Plain computation over the reports the store returns, no I/O, so the terminal's `history`
command and the bot's `/history` (its text and its chart) show the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coaching.history.records import Report
from coaching.history.recurring import Recurrence
from coaching.taxonomy import PatternId

# How a conversation after a check-in went (the bot's check-ins record one per report). The
# domain only counts them; the names are the bot's (bot/ports.py: `Outcome`).
OUTCOME_NAMES: tuple[str, ...] = ("went_well", "still_hard", "not_yet")


@dataclass(frozen=True, slots=True)
class WeekCounts:
    """One ISO week: how many reports, and how many of them showed each pattern (a pattern
    counts once per report, whoever did it), most frequent first."""

    week: str  # "2026-W05": ISO year and week, so the strings sort in time order
    reports: int
    patterns: dict[PatternId, int]


@dataclass(frozen=True, slots=True)
class HistoryOverview:
    """What `history` shows. `reports` are in the store's order (oldest first); `weeks` only
    those with a report, oldest first; `recurring` most frequent first, within `window_days`;
    `outcomes` per pattern, each outcome name (`OUTCOME_NAMES`) with its count ({} when the
    adapter has no check-ins)."""

    reports: tuple[Report, ...]
    weeks: tuple[WeekCounts, ...]
    recurring: tuple[PatternId, ...]
    window_days: int
    outcomes: dict[PatternId, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.reports)


def history_overview(
    reports: Sequence[Report],
    now: datetime,
    recurrence: Recurrence | None = None,
    outcomes: Mapping[PatternId, Mapping[Any, int]] | None = None,
) -> HistoryOverview:
    """The overview of `reports` as of `now`. `outcomes` takes the check-in store's answer
    as it is (its keys are a Literal there, hence `Any` here: a Mapping's key type does not
    widen); zero counts and unknown patterns are left out."""
    recurrence = recurrence or Recurrence()
    weeks: dict[str, tuple[int, Counter[PatternId]]] = {}
    for report in reports:
        year, week, _ = report.at.isocalendar()
        key = f"{year}-W{week:02d}"
        count, patterns = weeks.get(key, (0, Counter()))
        # Once per report, in the report's own order: a set's order would make ties between
        # patterns come out differently from run to run.
        patterns.update(list(dict.fromkeys(seen.pattern for seen in report.patterns)))
        weeks[key] = (count + 1, patterns)
    return HistoryOverview(
        reports=tuple(reports),
        weeks=tuple(
            WeekCounts(week=key, reports=count, patterns=dict(patterns.most_common()))
            for key, (count, patterns) in sorted(weeks.items())
        ),
        recurring=tuple(recurrence.recurring(reports, now)),
        window_days=recurrence.window.days,
        outcomes=_outcomes(outcomes or {}),
    )


def _outcomes(given: Mapping[PatternId, Mapping[Any, int]]) -> dict[PatternId, dict[str, int]]:
    kept: dict[PatternId, dict[str, int]] = {}
    for pattern in PatternId:  # the taxonomy's order, so every adapter lists them alike
        counts = given.get(pattern, {})
        named = {name: int(counts.get(name, 0)) for name in OUTCOME_NAMES}
        named = {name: n for name, n in named.items() if n > 0}
        if named:
            kept[pattern] = named
    return kept
