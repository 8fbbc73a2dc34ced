"""The person's history in a few hundred characters, for the LLM's prompt.

Labels and counts only (patterns by the other person per story, the last moments, the
preferred style): never a story, an evidence span or a phrasing. Its length does not grow with
the history: at most `MAX_CHARS` whatever the number of reports, so the prompt stays flat.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from coaching.history.preferences import preferred_style
from coaching.history.records import Report, UserSettings
from coaching.history.recurring import Recurrence
from coaching.taxonomy import Safety

MAX_CHARS = 600
_LAST_MOMENTS = 5


def history_summary(
    reports: Sequence[Report],
    now: datetime,
    settings: UserSettings | None = None,
    recurrence: Recurrence | None = None,
    max_chars: int = MAX_CHARS,
) -> str:
    """The reports in the window, rendered as at most `max_chars` characters ("" when there
    are none). Parts that do not fit are left off whole, least telling last."""
    recurrence = recurrence or Recurrence()
    since = now - recurrence.window
    window = list({r.report_id: r for r in reports if r.at >= since}.values())
    if not window:
        return ""
    window.sort(key=lambda r: r.at)
    days = round(recurrence.window.total_seconds() / 86400)
    counts = recurrence.counts(window, now)
    parts = [f"Past {days} days: {len(window)} reports."]
    if counts:
        listed = ", ".join(f"{pattern.value} {n}" for pattern, n in counts.most_common())
        parts.append(f"Patterns by the other person (stories): {listed}.")
    recurring = [pattern.value for pattern, n in counts.most_common() if n >= recurrence.threshold]
    if recurring:
        parts.append(f"Recurring: {', '.join(recurring)}.")
    moments = [r.moment.value for r in window if r.moment is not None][-_LAST_MOMENTS:]
    if moments:
        parts.append(f"Last moments, oldest first: {', '.join(moments)}.")
    safety = sum(1 for r in window if r.safety is not Safety.NONE)
    if safety:
        parts.append(f"Safety answers: {safety}.")
    style = preferred_style(settings or UserSettings(), window)
    if style is not None:
        parts.append(f"Preferred style: {style.value}.")
    return _bounded(parts, max_chars)


def _bounded(parts: list[str], max_chars: int) -> str:
    kept: list[str] = []
    for part in parts:
        joined = " ".join([*kept, part])
        if len(joined) <= max_chars:
            kept.append(part)
    return " ".join(kept)[:max_chars]
