"""In-memory doubles of our `HistoryStore` port (coaching/ports.py), for the coaching service's
tests. The SQL store is tested on its own (db/); these hold the port's promises that the
domain relies on: one report per id (a save replaces), reports scoped to their person, kept
text only with `keep_text`, and offered texts matched without being handed back."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from coaching.history.records import Export, Rating, Report, UserSettings
from coaching.ports import HistoryUnavailable
from coaching.taxonomy import Style


class FakeHistoryStore:
    """A `HistoryStore` in a dict. `saved` lists every report as the service handed it over
    (what a database would be asked to write), for tests to inspect."""

    def __init__(self) -> None:
        self._settings: dict[str, UserSettings] = {}
        self._reports: dict[str, Report] = {}  # by report id, as saved (texts included)
        self.saved: list[Report] = []

    # --- settings ----------------------------------------------------------------------------

    async def settings(self, user_id: str) -> UserSettings:
        return self._settings.get(user_id, UserSettings())

    async def save_settings(self, user_id: str, settings: UserSettings) -> None:
        self._settings[user_id] = settings

    # --- reports -----------------------------------------------------------------------------

    async def save_report(self, report: Report) -> None:
        self.saved.append(report)
        self._reports[report.report_id] = report

    def add(self, report: Report) -> None:
        """A past report, placed directly (a test's history)."""
        self._reports[report.report_id] = report

    def reports_of(self, user_id: str) -> list[Report]:
        """Every stored report of the person, oldest first, as stored."""
        return sorted(
            (r for r in self._reports.values() if r.user_id == user_id), key=lambda r: r.at
        )

    async def has_reports(self, user_id: str) -> bool:
        return bool(self.reports_of(user_id))

    async def reports_since(self, user_id: str, since: datetime) -> list[Report]:
        keep = self._settings.get(user_id, UserSettings()).keep_text
        return [self._as_read(r, keep) for r in self.reports_of(user_id) if r.at >= since]

    @staticmethod
    def _as_read(report: Report, keep_text: bool) -> Report:
        """As a database hands it back: offered texts only as hashes (so not at all here), no
        story or evidence unless kept."""
        if keep_text:
            return report
        offered = tuple(dataclasses.replace(o, text="") for o in report.offered)
        return dataclasses.replace(report, offered=offered, story=None, evidence=())

    async def offered_before(self, user_id: str, texts: Sequence[str], since: datetime) -> set[str]:
        seen = {o.text for r in self.reports_of(user_id) if r.at >= since for o in r.offered}
        return {t for t in texts if t in seen}

    async def feedback(
        self, user_id: str, report_id: str, rating: Rating | None, picked: Style | None
    ) -> bool:
        report = self._reports.get(report_id)
        if report is None or report.user_id != user_id:
            return False
        self._reports[report_id] = dataclasses.replace(
            report,
            rating=rating if rating is not None else report.rating,
            picked=picked if picked is not None else report.picked,
        )
        return True

    async def export(self, user_id: str) -> Export:
        return Export(
            user_id=user_id,
            settings=await self.settings(user_id),
            reports=tuple(self.reports_of(user_id)),
        )

    async def forget(self, user_id: str) -> None:
        self._settings.pop(user_id, None)
        for report in self.reports_of(user_id):
            del self._reports[report.report_id]

    async def purge_before(self, cutoff: datetime) -> int:
        old = [rid for rid, r in self._reports.items() if r.at < cutoff]
        for rid in old:
            del self._reports[rid]
        return len(old)


class FakeFailingHistoryStore(FakeHistoryStore):
    """A store that fails on the named operations, with an error that quotes what it was given
    (as a database driver's error may quote its parameters)."""

    def __init__(self, *failing: str, error: type[Exception] = HistoryUnavailable) -> None:
        super().__init__()
        self._failing = set(failing)
        self._error = error

    def _fail(self, operation: str, content: object) -> None:
        if operation in self._failing:
            raise self._error(f"{operation} failed for {content!r}")

    async def settings(self, user_id: str) -> UserSettings:
        self._fail("settings", user_id)
        return await super().settings(user_id)

    async def save_report(self, report: Report) -> None:
        self._fail("save_report", report)
        await super().save_report(report)

    async def reports_since(self, user_id: str, since: datetime) -> list[Report]:
        self._fail("reports_since", user_id)
        return await super().reports_since(user_id, since)

    async def offered_before(self, user_id: str, texts: Sequence[str], since: datetime) -> set[str]:
        self._fail("offered_before", texts)
        return await super().offered_before(user_id, texts, since)
