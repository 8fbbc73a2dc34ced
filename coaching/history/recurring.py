"""Recurring patterns: the same miss in several of a person's stories within a window.

A pattern counts once per story (one report, however often it was re-coached) and only when
the other person did it (`by == "other"`): a writer who keeps doing something is not the one
being missed. Safety answers are reports too, but they carry no patterns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from coaching.history.records import Report
from coaching.taxonomy import PatternId

WINDOW = timedelta(days=30)
THRESHOLD = 3

# The pattern as something the writer lived through, for "you've described being …".
_LIVED: dict[PatternId, str] = {
    PatternId.UNSOLICITED_ADVICE: "being brushed off with advice",
    PatternId.MINIMIZING: "having what you felt made smaller than it is",
    PatternId.INVALIDATION: "being told your feelings weren't right",
    PatternId.DEFENSIVENESS: "your hurt being turned around into theirs",
    PatternId.COMPETING_SUFFERING: "your hard time being met with theirs",
    PatternId.IMPATIENCE: "being rushed through something you felt",
    PatternId.DISENGAGEMENT: "their attention going elsewhere when you needed it",
    PatternId.MISTIMED_HUMOR: "something tender being laughed off",
    PatternId.HOLLOW_AFFECTION: "getting kindness in place of a real talk",
    PatternId.BURDEN_SHIFTING: "the work of fixing it being left to you",
}
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def by_other(report: Report) -> frozenset[PatternId]:
    """The patterns the other person showed in one story (each once)."""
    return frozenset(seen.pattern for seen in report.patterns if seen.by == "other")


@dataclass(frozen=True, slots=True)
class Recurrence:
    """When a pattern recurs: in at least `threshold` stories within `window`."""

    threshold: int = THRESHOLD
    window: timedelta = WINDOW

    def counts(self, reports: Iterable[Report], now: datetime) -> Counter[PatternId]:
        """Stories per pattern (by the other person) within the window ending at `now`, each
        report id once (the latest version wins)."""
        since = now - self.window
        latest: dict[str, Report] = {}
        for report in reports:
            if report.at >= since:
                latest[report.report_id] = report
        found: Counter[PatternId] = Counter()
        for report in latest.values():
            found.update(by_other(report))
        return found

    def recurring(self, reports: Iterable[Report], now: datetime) -> list[PatternId]:
        """Patterns in at least `threshold` stories, most frequent first."""
        counts = self.counts(reports, now)
        return [pattern for pattern, n in counts.most_common() if n >= self.threshold]

    def sentence(self, pattern: PatternId, times: int) -> str:
        """The plain words: "This is the third time in a month you've described being brushed
        off with advice." """
        span = "in a month" if self.window == WINDOW else f"in {_days(self.window)}"
        lived = _LIVED[pattern]
        if 0 < times <= len(_ORDINALS):
            return f"This is the {_ORDINALS[times - 1]} time {span} you've described {lived}."
        return f"You've described {lived} {times} times {span}."


def _days(window: timedelta) -> str:
    days = max(1, round(window.total_seconds() / 86400))
    return "a day" if days == 1 else f"{days} days"
