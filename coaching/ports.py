"""What the domain needs from the outside world, as Protocols. Adapters implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from coaching.history.records import Export, Rating, Report, UserSettings
from coaching.models import Draft
from coaching.taxonomy import Style


class Classifier(Protocol):
    """Reads a (safety-screened) description and says what went wrong.

    Implementations never raise for a bad answer from their backend: they return a Draft that
    says which classifier answered and, after a fallback, why. `history` is a bounded summary of
    the person's past reports (labels and counts, at most 600 characters, never their words;
    coaching/history/summary.py), "" when there is none; a classifier may ignore it.
    """

    async def classify(self, text: str, *, history: str = "") -> Draft: ...


class HistoryStore(Protocol):
    """A person's history (coaching/history/records.py), behind whatever database holds it.

    Every method is scoped to one `user_id` and never reads another person's data. Writes are
    atomic. An implementation raises `HistoryUnavailable` when the store cannot be used; the
    coach then still answers and records nothing."""

    async def settings(self, user_id: str) -> UserSettings: ...

    async def save_settings(self, user_id: str, settings: UserSettings) -> None: ...

    async def save_report(self, report: Report) -> None:
        """Insert, or replace the report with the same `report_id` (a story re-coached).
        Kept text (story, evidence, offered texts) is stored only when `keep_text` is on."""
        ...

    async def reports_since(self, user_id: str, since: datetime) -> list[Report]:
        """The person's reports at or after `since`, oldest first (texts not decrypted)."""
        ...

    async def has_reports(self, user_id: str) -> bool:
        """Whether the person has any report at all (one indexed probe, however long the
        history: the coach asks it on every story told after a quiet month)."""
        ...

    async def offered_before(self, user_id: str, texts: Sequence[str], since: datetime) -> set[str]:
        """Which of `texts` were offered to the person at or after `since` (by keyed hash)."""
        ...

    async def feedback(
        self, user_id: str, report_id: str, rating: Rating | None, picked: Style | None
    ) -> bool:
        """Record a rating and/or a picked style on one of the person's reports; False when
        the person has no such report."""
        ...

    async def export(self, user_id: str) -> Export: ...

    async def forget(self, user_id: str) -> None:
        """Hard-delete everything about the person, in one transaction."""
        ...

    async def purge_before(self, cutoff: datetime) -> int:
        """Delete every report older than `cutoff`; how many went."""
        ...


class HistoryUnavailable(RuntimeError):
    """The history store cannot be used (unreadable, newer than the code, a failed write)."""
