"""`SqlHistoryStore`: the `HistoryStore` port on SQLAlchemy 2.0 async (SQLite or PostgreSQL).

Every method is scoped to one person, found by the keyed hash of their user id. Writes run in
one transaction each. What is stored, hashed or encrypted: `db/models.py`.

**SQLite's single writer.** Writes from this store are serialised by one `asyncio.Lock` per
engine (`db/_sessions.py`, shared with `SqlBotStore`), and each write transaction begins with
`BEGIN IMMEDIATE`. Within a process the lock means SQLite never sees two writers, so nothing
waits on the file lock or retries; a write from another process (a second terminal, the bot) is
waited for by the 30 s busy timeout, and `BEGIN IMMEDIATE` means a write never has to upgrade a
read snapshot, the one case SQLite reports as "locked" without waiting. A lock rather than
retries (tenacity) because retrying a write that lost the race repeats work, and needs a bound
and a backoff to tune, while the lock simply queues writes, which SQLite would serialise
anyway; readers are not locked (WAL lets them read while a write is under way). PostgreSQL
takes no such lock.

**Faults.** A database error becomes `HistoryUnavailable`, whose message names the operation
and the error's type only; the error itself (whose text can hold the SQL parameters, i.e. a
person's data) is logged at DEBUG, never above.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar, cast, get_args

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import selectinload

from coaching.history.records import Export, Offered, PatternSeen, Rating, Report, UserSettings
from coaching.models import By, ClassifierName, WriterRole
from coaching.ports import HistoryUnavailable
from coaching.taxonomy import Moment, PatternId, Safety, Style
from db._sessions import Sessions, failures
from db.crypto import Keys, NoDataKey
from db.engine import is_sqlite
from db.models import (
    REPORT_ID_LENGTH,
    HistoryKeyCheck,
    OfferedPhrasing,
    ReportPattern,
    RuptureReport,
    UserProfile,
)

log = logging.getLogger(__name__)

_E = TypeVar("_E", bound=StrEnum)
_IN_CHUNK = 500  # values per IN (...) list


class SqlHistoryStore:
    """The history in a SQL database. Build it with `db.open_store` (which migrates first);
    close it with `aclose()` or `async with`."""

    def __init__(self, engine: AsyncEngine, keys: Keys) -> None:
        self._engine = engine
        # Transactions and the SQLite write lock, shared with a SqlBotStore on this engine.
        self._db = Sessions(engine)
        self._keys = keys
        self._sqlite = is_sqlite(engine)

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def can_keep_text(self) -> bool:
        """Whether a data key is configured (without one, `keep_text` is refused)."""
        return self._keys.can_encrypt

    async def aclose(self) -> None:
        await self._engine.dispose()

    async def __aenter__(self) -> SqlHistoryStore:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    # -- the port -------------------------------------------------------------------------

    async def settings(self, user_id: str) -> UserSettings:
        async with self._db.reading("settings") as session:
            profile = await self._profile(session, user_id)
        return UserSettings() if profile is None else _settings(profile)

    async def save_settings(self, user_id: str, settings: UserSettings) -> None:
        """Store the person's settings. `keep_text` without a data key raises `NoDataKey`
        (nothing changes). Turning `keep_text` off also drops the text kept so far."""
        if settings.keep_text and not self._keys.can_encrypt:
            raise NoDataKey()
        values = {
            "history": settings.history,
            "tone": None if settings.tone is None else Style(settings.tone).value,
            "other_name": settings.other_name,
            "keep_text": settings.keep_text,
            "check_ins": settings.check_ins,
            "locale": settings.locale,
        }
        async with self._db.writing("save settings") as session:
            user_pk = await self._ensure_profile(session, user_id)
            await session.execute(update(UserProfile).where(UserProfile.id == user_pk), values)
            if not settings.keep_text:
                await _drop_kept_text(session, user_pk)

    async def save_report(self, report: Report) -> None:
        """Insert the report, or replace the person's report with the same id. Nothing is
        stored when the person turned history off; texts only under `keep_text`."""
        _check_report_id(report.report_id)
        async with self._db.writing("save report") as session:
            user_pk = await self._ensure_profile(session, report.user_id)
            profile = await session.get_one(UserProfile, user_pk)
            if not profile.history:
                return
            keep = profile.keep_text and self._keys.can_encrypt
            if profile.keep_text and not keep:
                log.warning("keep_text is on but there is no data key: text not kept")
            values: dict[str, Any] = {
                "reported_at": report.at,
                "safety": Safety(report.safety).value,
                "safety_check_asked": report.safety_check_asked,
                "rupture": report.rupture,
                "writer_role": report.writer_role,
                "moment": None if report.moment is None else Moment(report.moment).value,
                "classifier": report.classifier,
                "picked": None if report.picked is None else Style(report.picked).value,
                "rating": report.rating,
                "story_token": self._encrypt(report.story) if keep else None,
                "evidence_token": (
                    self._encrypt(json.dumps(list(report.evidence)))
                    if keep and report.evidence
                    else None
                ),
            }
            key = [RuptureReport.user_id, RuptureReport.report_id]
            statement = self._db.insert(RuptureReport).values(
                user_id=user_pk, report_id=report.report_id, **values
            )
            # A new report (nearly every save) is one insert; only a story coached again
            # replaces its row and drops its old patterns and phrasings.
            report_pk = await session.scalar(
                statement.on_conflict_do_nothing(index_elements=key).returning(RuptureReport.id)
            )
            if report_pk is None:
                report_pk = await session.scalar(
                    statement.on_conflict_do_update(index_elements=key, set_=values).returning(
                        RuptureReport.id
                    )
                )
                await session.execute(
                    delete(ReportPattern).where(ReportPattern.report_id == report_pk)
                )
                await session.execute(
                    delete(OfferedPhrasing).where(OfferedPhrasing.report_id == report_pk)
                )
            assert report_pk is not None  # RETURNING gives the row's id on either path
            if report.patterns:
                await session.execute(
                    self._db.insert(ReportPattern),
                    [
                        {
                            "report_id": report_pk,
                            "position": position,
                            "pattern": PatternId(seen.pattern).value,
                            "confidence": float(seen.confidence),
                            "by": seen.by,
                        }
                        for position, seen in enumerate(report.patterns)
                    ],
                )
            if report.offered:
                await session.execute(
                    self._db.insert(OfferedPhrasing),
                    [
                        {
                            "report_id": report_pk,
                            "position": position,
                            "user_id": user_pk,
                            "style": Style(offered.style).value,
                            "template": offered.template,
                            "text_hash": self._keys.digest("offered", offered.text),
                            "text_token": self._encrypt(offered.text) if keep else None,
                        }
                        for position, offered in enumerate(report.offered)
                    ],
                )

    async def reports_since(self, user_id: str, since: datetime) -> list[Report]:
        async with self._db.reading("read reports") as session:
            rows = await session.scalars(
                _reports_of(self._pk_of(user_id))
                .where(RuptureReport.reported_at >= since)
                .order_by(RuptureReport.reported_at, RuptureReport.id)
            )
            return [self._report(row, user_id, decrypt=False) for row in rows]

    async def has_reports(self, user_id: str) -> bool:
        async with self._db.reading("read reports") as session:
            found = await session.scalar(
                select(RuptureReport.id)
                .where(RuptureReport.user_id == self._pk_of(user_id))
                .limit(1)
            )
            return found is not None

    async def offered_before(self, user_id: str, texts: Sequence[str], since: datetime) -> set[str]:
        by_hash: dict[str, list[str]] = {}
        for text in texts:
            by_hash.setdefault(self._keys.digest("offered", text), []).append(text)
        if not by_hash:
            return set()
        seen: set[str] = set()
        async with self._db.reading("read offered phrasings") as session:
            # The person's reports in the window first (the (user_id, reported_at) index), then
            # their phrasings by report (the primary key): the work is bounded by the window.
            # Probing (user_id, text_hash) first instead visits every time the same words
            # were offered in the whole history (the coach's phrasings repeat: ~1,400 rows a
            # hash at 100,000 reports, 44 ms against 1.6 ms; bench/history_scale.py). Each
            # phrasing row is its report owner's (save_report writes both user ids alike).
            window = select(RuptureReport.id).where(
                RuptureReport.user_id == self._pk_of(user_id), RuptureReport.reported_at >= since
            )
            hashes = list(by_hash)
            for start in range(0, len(hashes), _IN_CHUNK):
                found = await session.scalars(
                    select(OfferedPhrasing.text_hash)
                    .where(
                        OfferedPhrasing.report_id.in_(window),
                        OfferedPhrasing.text_hash.in_(hashes[start : start + _IN_CHUNK]),
                    )
                    .distinct()
                )
                for text_hash in found:
                    seen.update(by_hash[text_hash])
        return seen

    async def feedback(
        self, user_id: str, report_id: str, rating: Rating | None, picked: Style | None
    ) -> bool:
        if not _plausible_report_id(report_id):
            return False
        if rating is not None and rating not in get_args(Rating):
            raise ValueError(f"unknown rating: {rating!r}")
        values: dict[str, Any] = {}
        if rating is not None:
            values["rating"] = rating
        if picked is not None:
            values["picked"] = Style(picked).value
        async with self._db.writing("save feedback") as session:
            user_pk = await self._profile_pk(session, user_id)
            if user_pk is None:
                return False
            report_pk = await session.scalar(
                select(RuptureReport.id).where(
                    RuptureReport.user_id == user_pk, RuptureReport.report_id == report_id
                )
            )
            if report_pk is None:
                return False
            if values:
                await session.execute(
                    update(RuptureReport).where(RuptureReport.id == report_pk), values
                )
            return True

    async def export(self, user_id: str) -> Export:
        """Everything stored about the person, kept text decrypted (text that cannot be
        decrypted with the configured key comes back as None / "")."""
        async with self._db.reading("export") as session:
            profile = await self._profile(session, user_id)
            if profile is None:
                return Export(user_id=user_id, settings=UserSettings())
            rows = await session.scalars(
                _reports_of(profile.id).order_by(RuptureReport.reported_at, RuptureReport.id)
            )
            reports = tuple(self._report(row, user_id, decrypt=True) for row in rows)
        return Export(user_id=user_id, settings=_settings(profile), reports=reports)

    async def forget(self, user_id: str) -> None:
        """Hard-delete the person's profile, reports, patterns and offered phrasings in one
        transaction. On SQLite, `secure_delete` zeroes the freed space and a WAL checkpoint
        (TRUNCATE) then leaves no copy of the old pages in the `-wal` file."""
        async with self._db.write_lock():
            async with self._db.writing("forget", locked=True) as session:
                user_pk = await self._profile_pk(session, user_id)
                if user_pk is None:
                    return
                reports = select(RuptureReport.id).where(RuptureReport.user_id == user_pk)
                await session.execute(
                    delete(OfferedPhrasing).where(OfferedPhrasing.user_id == user_pk)
                )
                await session.execute(
                    delete(ReportPattern).where(ReportPattern.report_id.in_(reports))
                )
                await session.execute(delete(RuptureReport).where(RuptureReport.user_id == user_pk))
                await session.execute(delete(UserProfile).where(UserProfile.id == user_pk))
            await self._checkpoint()

    async def purge_before(self, cutoff: datetime) -> int:
        async with self._db.write_lock():
            async with self._db.writing("purge", locked=True) as session:
                old = select(RuptureReport.id).where(RuptureReport.reported_at < cutoff)
                count = await session.scalar(select(func.count()).select_from(old.subquery()))
                if not count:
                    return 0
                await session.execute(
                    delete(OfferedPhrasing).where(OfferedPhrasing.report_id.in_(old))
                )
                await session.execute(delete(ReportPattern).where(ReportPattern.report_id.in_(old)))
                await session.execute(
                    delete(RuptureReport).where(RuptureReport.reported_at < cutoff)
                )
            await self._checkpoint()
        log.info("history: purged %d reports older than %s", count, cutoff.date())
        return int(count)

    # -- beyond the port ------------------------------------------------------------------

    async def check_keys(self) -> None:
        """Record which hash key writes this database, or refuse a database written with
        another (its people could not be found: the hash key file or data key changed)."""
        expected = self._keys.check_value()
        async with self._db.writing("check keys") as session:
            await session.execute(
                self._db.insert(HistoryKeyCheck)
                .values(id=1, check_value=expected, created_at=datetime.now(UTC))
                .on_conflict_do_nothing(index_elements=[HistoryKeyCheck.id])
            )
            stored = await session.scalar(
                select(HistoryKeyCheck.check_value).where(HistoryKeyCheck.id == 1)
            )
        if stored != expected:
            raise HistoryUnavailable(
                "the history database was written with another key: restore the data "
                "folder's hash.key or the REPAIR_COACH_DATA_KEY it was made with"
            )

    # -- helpers --------------------------------------------------------------------------

    def _encrypt(self, text: str | None) -> bytes | None:
        return None if text is None else self._keys.encrypt(text)

    async def _checkpoint(self) -> None:
        """SQLite: copy the WAL into the database and truncate it to zero bytes."""
        if not self._sqlite:
            return
        with failures("checkpoint"):
            async with self._engine.connect() as connection:
                raw = await connection.get_raw_connection()
                driver: Any = raw.driver_connection  # aiosqlite: outside any transaction
                cursor = await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row = await cursor.fetchone()
                await cursor.close()
        if row is not None and row[0]:
            log.warning("history: the WAL checkpoint was blocked by a reader; it completes later")

    async def _profile(self, session: AsyncSession, user_id: str) -> UserProfile | None:
        return await session.scalar(
            select(UserProfile).where(UserProfile.user_hash == self._keys.digest("user", user_id))
        )

    def _pk_of(self, user_id: str) -> Any:
        """The person's profile id as a subquery: a read that needs only it is one statement
        (a lookup first, then the read, was two; the hot reads ran 10 statements a story)."""
        digest = self._keys.digest("user", user_id)
        return select(UserProfile.id).where(UserProfile.user_hash == digest).scalar_subquery()

    async def _profile_pk(self, session: AsyncSession, user_id: str) -> int | None:
        return await session.scalar(
            select(UserProfile.id).where(
                UserProfile.user_hash == self._keys.digest("user", user_id)
            )
        )

    async def _ensure_profile(self, session: AsyncSession, user_id: str) -> int:
        """The person's profile id, the profile created with the defaults when there is none.
        Looked up first: nearly every call is for someone who has one, and an insert that does
        nothing on conflict cost a second statement every time (bench/interactions.py)."""
        profile = await self._profile(session, user_id)
        if profile is not None:
            return profile.id
        user_hash = self._keys.digest("user", user_id)
        await session.execute(
            self._db.insert(UserProfile)
            .values(
                user_hash=user_hash,
                created_at=datetime.now(UTC),
                history=True,
                tone=None,
                other_name="",
                keep_text=False,
                check_ins=True,
                locale="",
            )
            .on_conflict_do_nothing(index_elements=[UserProfile.user_hash])
        )
        user_pk = await session.scalar(
            select(UserProfile.id).where(UserProfile.user_hash == user_hash)
        )
        assert user_pk is not None
        return user_pk

    def _report(self, row: RuptureReport, user_id: str, *, decrypt: bool) -> Report:
        story = self._keys.decrypt(row.story_token) if decrypt else None
        evidence_json = self._keys.decrypt(row.evidence_token) if decrypt else None
        evidence: tuple[str, ...] = ()
        if evidence_json is not None:
            evidence = tuple(str(span) for span in json.loads(evidence_json))
        patterns = tuple(
            PatternSeen(
                pattern=PatternId(p.pattern),
                confidence=p.confidence,
                by=cast(By, p.by) if p.by in get_args(By) else "other",
            )
            for p in row.patterns
            if p.pattern in _values(PatternId)
        )
        offered = tuple(
            Offered(
                style=Style(o.style),
                template=o.template,
                text=(self._keys.decrypt(o.text_token) or "") if decrypt else "",
            )
            for o in row.offered
            if o.style in _values(Style)
        )
        return Report(
            report_id=row.report_id,
            user_id=user_id,
            at=row.reported_at,
            safety=Safety(row.safety),
            safety_check_asked=row.safety_check_asked,
            rupture=row.rupture,
            writer_role=_literal(row.writer_role, WriterRole),
            moment=_enum(row.moment, Moment),
            patterns=patterns,
            classifier=cast(ClassifierName, row.classifier),
            offered=offered,
            picked=_enum(row.picked, Style),
            rating=_literal(row.rating, Rating),
            story=story,
            evidence=evidence,
        )


def _reports_of(user_pk: Any) -> Any:
    return (
        select(RuptureReport)
        .where(RuptureReport.user_id == user_pk)
        .options(selectinload(RuptureReport.patterns), selectinload(RuptureReport.offered))
    )


async def _drop_kept_text(session: AsyncSession, user_pk: int) -> None:
    await session.execute(
        update(RuptureReport)
        .where(
            RuptureReport.user_id == user_pk,
            (RuptureReport.story_token.is_not(None)) | (RuptureReport.evidence_token.is_not(None)),
        )
        .values(story_token=None, evidence_token=None)
    )
    await session.execute(
        update(OfferedPhrasing)
        .where(OfferedPhrasing.user_id == user_pk, OfferedPhrasing.text_token.is_not(None))
        .values(text_token=None)
    )


def _settings(profile: UserProfile) -> UserSettings:
    return UserSettings(
        history=profile.history,
        tone=_enum(profile.tone, Style),
        other_name=profile.other_name,
        keep_text=profile.keep_text,
        check_ins=profile.check_ins,
        locale=profile.locale,
    )


@cache  # read for every row of every report: built once per enum
def _values(enum: type[StrEnum]) -> frozenset[str]:
    return frozenset(member.value for member in enum)


def _enum(value: str | None, enum: type[_E]) -> _E | None:
    """The member, or None for a value this version of the taxonomy no longer has."""
    return enum(value) if value is not None and value in _values(enum) else None


def _literal(value: str | None, literal: Any) -> Any:
    return value if value in get_args(literal) else None


def _plausible_report_id(report_id: str) -> bool:
    return 0 < len(report_id) <= REPORT_ID_LENGTH and report_id.isprintable()


def _check_report_id(report_id: str) -> None:
    if not _plausible_report_id(report_id):
        raise ValueError("a report id is 1 to 128 printable characters")
