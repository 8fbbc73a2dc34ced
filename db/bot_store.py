"""`SqlBotStore`: the Discord bot's ports (bot/ports.py) on the history database.

Built on an open `SqlHistoryStore` (`SqlBotStore(history)`), whose engine, keys and SQLite
write lock it shares, so one process has one engine and one writer queue. It does not own the
engine: closing the history store closes it.

**People.** A Discord user id becomes the history's user id `str(discord_user_id)`, found by
the same keyed hash as in the history (`SqlHistoryStore._profile_pk` / `_ensure_profile`, not a
copy), so the bot's rows about a person belong to the same `user_profile` row as their reports
and go with it in `forget`. The raw id is stored in one place only: a pending check-in's
`discord_user_id`, the one thing the bot needs to write to a person unprompted; it is cleared
when the check-in is claimed (the caller then holds it to send or skip), answered or cancelled.

**Across processes** (several shards on one database):
- `claim_due` selects and marks in one transaction; on PostgreSQL the select takes
  `FOR UPDATE OF bot_check_in SKIP LOCKED`, so a row another shard is claiming is passed over
  instead of claimed twice or waited for; on SQLite the single writer (`BEGIN IMMEDIATE`)
  gives the same guarantee.
- `take` counts and inserts in one transaction; on PostgreSQL after locking the person's
  profile row `FOR NO KEY UPDATE` (takes for one person queue, other people's do not, and
  inserting the person's reports, which only needs `KEY SHARE` on the row, is not blocked).
- `Flags.set` is an insert that does nothing on conflict, so exactly one caller sees True.

Failures are `HistoryUnavailable` naming the action only, as in the history store.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar, cast, get_args

from sqlalchemy import Select, delete, func, select, update

from bot import ports
from bot.ports import OUTCOMES, DueCheckIn, Flag, GuildSettings, Outcome
from coaching.taxonomy import PatternId
from db._sessions import Sessions
from db.models import (
    GUILD_LOCALE_LENGTH,
    STATE_KEY_LENGTH,
    BotCheckIn,
    BotFlag,
    BotGuild,
    BotRateEvent,
    BotState,
    ReportPattern,
    RuptureReport,
    UserProfile,
)
from db.store import SqlHistoryStore, _plausible_report_id

log = logging.getLogger(__name__)

_DISCORD_ID_MAX = 2**63 - 1  # snowflakes are unsigned 64-bit in theory, < 2**63 in practice
_DROP_BATCH = 500  # check-ins of people who turned them off, dropped per claim
_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


class SqlBotStore:
    """`CheckIns`, `RateLimits`, `Flags`, `Guilds`, `BotState` and `PersonData` in SQL."""

    def __init__(self, history: SqlHistoryStore) -> None:
        self._history = history
        # The history store's transactions: the same engine and the same SQLite write lock.
        self._db: Sessions = history._db

    # -- CheckIns -------------------------------------------------------------------------

    async def schedule(self, discord_user_id: int, report_id: str, due: datetime) -> None:
        """Schedule the report's check-in, or move it (clearing a claim). Nothing is scheduled
        when the person has no such report (history off, purged), has check-ins turned off,
        or already answered this one."""
        user_id = _user_id(discord_user_id)
        if not _plausible_report_id(report_id):
            return
        async with self._db.writing("schedule check-in") as session:
            found = (
                await session.execute(
                    select(RuptureReport.id, RuptureReport.user_id, UserProfile.check_ins)
                    .join(UserProfile, UserProfile.id == RuptureReport.user_id)
                    .where(
                        RuptureReport.user_id == self._history._pk_of(user_id),
                        RuptureReport.report_id == report_id,
                    )
                )
            ).first()
            if found is None or not found.check_ins:
                log.debug("bot: check-in not scheduled (no such report, or check-ins off)")
                return
            pending = {"discord_user_id": discord_user_id, "due_at": due, "claimed_at": None}
            await session.execute(
                self._db.insert(BotCheckIn)
                .values(report_id=found.id, user_id=found.user_id, **pending)
                .on_conflict_do_update(
                    index_elements=[BotCheckIn.report_id],
                    set_=pending,
                    # Answered is final: it is never sent, so it must not hold the id either.
                    where=BotCheckIn.outcome.is_(None),
                )
            )

    async def cancel(self, discord_user_id: int, report_id: str) -> None:
        """Drop the report's check-in unless the person already answered it."""
        user_id = _user_id(discord_user_id)
        if not _plausible_report_id(report_id):
            return
        async with self._db.writing("cancel check-in") as session:
            user_pk = await self._history._profile_pk(session, user_id)
            if user_pk is None:
                return
            await session.execute(
                delete(BotCheckIn).where(
                    BotCheckIn.user_id == user_pk,
                    BotCheckIn.report_id.in_(_report_pk(user_pk, report_id)),
                    BotCheckIn.outcome.is_(None),
                )
            )

    async def claim_due(self, now: datetime, limit: int) -> list[DueCheckIn]:
        """Claim up to `limit` check-ins due at or before `now`, oldest first, each with its
        report's time. Claiming clears the stored Discord id: the caller now holds the only
        copy (`schedule` puts a check-in that could not be sent back). Due check-ins of
        people who turned check-ins off are dropped, not returned."""
        if limit <= 0:
            return []
        pending = (
            BotCheckIn.claimed_at.is_(None),
            BotCheckIn.due_at <= now,
            BotCheckIn.outcome.is_(None),
            BotCheckIn.discord_user_id.is_not(None),
        )
        async with self._db.writing("claim check-ins") as session:
            turned_off = (
                await session.scalars(
                    self._skip_locked(
                        select(BotCheckIn.report_id)
                        .join(UserProfile, UserProfile.id == BotCheckIn.user_id)
                        .where(*pending, UserProfile.check_ins.is_(False))
                        .limit(_DROP_BATCH)
                    )
                )
            ).all()
            if turned_off:
                await session.execute(
                    delete(BotCheckIn).where(BotCheckIn.report_id.in_(turned_off))
                )
                log.debug(
                    "bot: dropped %d check-ins of people who turned them off", len(turned_off)
                )
            due = (
                await session.execute(
                    self._skip_locked(
                        select(
                            BotCheckIn.report_id.label("pk"),
                            BotCheckIn.discord_user_id,
                            RuptureReport.report_id,
                            RuptureReport.reported_at,
                        )
                        .join(RuptureReport, RuptureReport.id == BotCheckIn.report_id)
                        .join(UserProfile, UserProfile.id == BotCheckIn.user_id)
                        .where(*pending, UserProfile.check_ins.is_(True))
                        .order_by(BotCheckIn.due_at, BotCheckIn.report_id)
                        .limit(limit)
                    )
                )
            ).all()
            if not due:
                return []
            await session.execute(
                update(BotCheckIn)
                .where(BotCheckIn.report_id.in_([row.pk for row in due]))
                .values(claimed_at=now, discord_user_id=None)
            )
        return [
            DueCheckIn(
                report_id=row.report_id,
                discord_user_id=row.discord_user_id,
                reported_at=row.reported_at,
            )
            for row in due
        ]

    async def answer(self, discord_user_id: int, report_id: str, outcome: Outcome) -> bool:
        """Record (or change) how the conversation after the report went; False when the
        person has no such report. A report without a check-in gets one holding the answer,
        never due."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome: {outcome!r}")
        user_id = _user_id(discord_user_id)
        if not _plausible_report_id(report_id):
            return False
        now = datetime.now(UTC)
        async with self._db.writing("save check-in answer") as session:
            user_pk = await self._history._profile_pk(session, user_id)
            if user_pk is None:
                return False
            report_pk = await session.scalar(_report_pk(user_pk, report_id))
            if report_pk is None:
                return False
            # Answered: nothing is pending any more, so the Discord id goes too.
            answered = {"outcome": outcome, "answered_at": now, "discord_user_id": None}
            await session.execute(
                self._db.insert(BotCheckIn)
                .values(report_id=report_pk, user_id=user_pk, due_at=None, **answered)
                .on_conflict_do_update(index_elements=[BotCheckIn.report_id], set_=answered)
            )
            return True

    async def outcomes(self, discord_user_id: int) -> dict[PatternId, dict[Outcome, int]]:
        """Per pattern done by the other person, how many answered check-ins went each way
        (every outcome listed, 0 included, for each pattern with at least one answer)."""
        user_id = _user_id(discord_user_id)
        async with self._db.reading("read check-in outcomes") as session:
            user_pk = await self._history._profile_pk(session, user_id)
            if user_pk is None:
                return {}
            rows = (
                await session.execute(
                    select(
                        ReportPattern.pattern,
                        BotCheckIn.outcome,
                        # A pattern listed twice in one report counts that conversation once.
                        func.count(func.distinct(BotCheckIn.report_id)),
                    )
                    .join(ReportPattern, ReportPattern.report_id == BotCheckIn.report_id)
                    .where(
                        BotCheckIn.user_id == user_pk,
                        BotCheckIn.outcome.is_not(None),
                        ReportPattern.by == "other",
                    )
                    .group_by(ReportPattern.pattern, BotCheckIn.outcome)
                )
            ).all()
        known = {pattern.value: pattern for pattern in PatternId}
        counts: dict[PatternId, dict[Outcome, int]] = {}
        for pattern, outcome, count in rows:
            # Labels this version no longer knows are left out, as in the history.
            if pattern in known and outcome in OUTCOMES:
                per = counts.setdefault(known[pattern], dict.fromkeys(OUTCOMES, 0))
                per[outcome] = int(count)
        return counts

    # -- RateLimits -----------------------------------------------------------------------

    async def take(
        self, discord_user_id: int, now: datetime, limit: int, per: timedelta
    ) -> datetime | None:
        """Count one coaching in (now - per, now] if fewer than `limit` are there (None), else
        the time the window next has room (not counted). Events that left the window are
        deleted on the way, so the table holds at most a window per person."""
        if limit < 1 or per <= timedelta(0):
            raise ValueError("a rate limit needs limit >= 1 and a positive period")
        user_id = _user_id(discord_user_id)
        start = now - per
        async with self._db.writing("rate limit") as session:
            user_pk = await self._history._ensure_profile(session, user_id)
            if not self._db.sqlite:
                # Takes for one person queue here (see the module docstring).
                await session.execute(
                    select(UserProfile.id)
                    .where(UserProfile.id == user_pk)
                    .with_for_update(key_share=True)
                )
            await session.execute(
                delete(BotRateEvent).where(
                    BotRateEvent.user_id == user_pk, BotRateEvent.at <= start
                )
            )
            times = (
                await session.scalars(
                    select(BotRateEvent.at)
                    .where(
                        BotRateEvent.user_id == user_pk,
                        BotRateEvent.at > start,
                        BotRateEvent.at <= now,
                    )
                    .order_by(BotRateEvent.at)
                )
            ).all()
            if len(times) < limit:
                await session.execute(self._db.insert(BotRateEvent).values(user_id=user_pk, at=now))
                return None
        # Room again once all but limit - 1 of them have left the window (with a limit lowered
        # since they were counted, that is more than the oldest one).
        return times[len(times) - limit] + per

    # -- Flags ----------------------------------------------------------------------------

    async def flags(self, discord_user_id: int) -> frozenset[Flag]:
        user_hash = self._history._keys.digest("user", _user_id(discord_user_id))
        async with self._db.reading("read flags") as session:
            found = await session.scalars(
                select(BotFlag.flag)
                .join(UserProfile, UserProfile.id == BotFlag.user_id)
                .where(UserProfile.user_hash == user_hash)
            )
            return frozenset(cast(Flag, f) for f in found if f in get_args(Flag))

    async def set(self, discord_user_id: int, flag: Flag) -> bool:
        _check_flag(flag)
        user_id = _user_id(discord_user_id)
        async with self._db.writing("set flag") as session:
            user_pk = await self._history._ensure_profile(session, user_id)
            inserted = await session.scalar(
                self._db.insert(BotFlag)
                .values(user_id=user_pk, flag=flag)
                .on_conflict_do_nothing(index_elements=[BotFlag.user_id, BotFlag.flag])
                .returning(BotFlag.user_id)
            )
        return inserted is not None

    # -- Guilds ---------------------------------------------------------------------------

    async def guild(self, guild_id: int) -> GuildSettings:
        _check_snowflake(guild_id)
        async with self._db.reading("read guild settings") as session:
            row = await session.get(BotGuild, guild_id)
        if row is None:
            return GuildSettings(guild_id=guild_id)
        return GuildSettings(
            guild_id=row.guild_id,
            enabled=row.enabled,
            locale=row.locale,
            guide_channel_id=row.guide_channel_id,
        )

    async def save_guild(self, settings: GuildSettings) -> None:
        _check_snowflake(settings.guild_id)
        if settings.guide_channel_id is not None:
            _check_snowflake(settings.guide_channel_id)
        if len(settings.locale) > GUILD_LOCALE_LENGTH or not settings.locale.isprintable():
            raise ValueError(f"a locale is at most {GUILD_LOCALE_LENGTH} printable characters")
        values = {
            "enabled": settings.enabled,
            "locale": settings.locale,
            "guide_channel_id": settings.guide_channel_id,
        }
        async with self._db.writing("save guild settings") as session:
            await session.execute(
                self._db.insert(BotGuild)
                .values(guild_id=settings.guild_id, **values)
                .on_conflict_do_update(index_elements=[BotGuild.guild_id], set_=values)
            )

    # -- BotState -------------------------------------------------------------------------

    async def get(self, key: str) -> str | None:
        _check_key(key)
        async with self._db.reading("read bot state") as session:
            row = await session.get(BotState, key)
        return None if row is None else row.value

    async def put(self, key: str, value: str) -> None:
        _check_key(key)
        async with self._db.writing("save bot state") as session:
            await session.execute(
                self._db.insert(BotState)
                .values(key=key, value=value)
                .on_conflict_do_update(index_elements=[BotState.key], set_={"value": value})
            )

    # -- PersonData -----------------------------------------------------------------------

    async def export(self, discord_user_id: int) -> dict[str, object]:
        """What the bot's tables hold about the person, JSON-able: their check-ins (report id,
        due time, outcome, when answered, and whether one is still to be sent, i.e. whether
        their Discord id is stored), the flags set and how many coachings the rate limit is
        counting. The history store's `export` has the rest."""
        user_id = _user_id(discord_user_id)
        async with self._db.reading("export bot data") as session:
            user_pk = await self._history._profile_pk(session, user_id)
            if user_pk is None:
                return {"check_ins": [], "flags": [], "rate_limit_events": 0}
            check_ins = (
                await session.execute(
                    select(BotCheckIn, RuptureReport.report_id)
                    .join(RuptureReport, RuptureReport.id == BotCheckIn.report_id)
                    .where(BotCheckIn.user_id == user_pk)
                    .order_by(RuptureReport.reported_at, RuptureReport.id)
                )
            ).all()
            flags = (
                await session.scalars(
                    select(BotFlag.flag).where(BotFlag.user_id == user_pk).order_by(BotFlag.flag)
                )
            ).all()
            events = await session.scalar(
                select(func.count())
                .select_from(BotRateEvent)
                .where(BotRateEvent.user_id == user_pk)
            )
        return {
            "check_ins": [
                {
                    "report_id": report_id,
                    "due_at": _iso(check_in.due_at),
                    "pending": check_in.discord_user_id is not None,
                    "outcome": check_in.outcome,
                    "answered_at": _iso(check_in.answered_at),
                }
                for check_in, report_id in check_ins
            ],
            "flags": list(flags),
            "rate_limit_events": int(events or 0),
        }

    # -- helpers --------------------------------------------------------------------------

    def _skip_locked(self, statement: _S) -> _S:
        """PostgreSQL: lock the selected check-ins, passing over those another transaction
        holds. SQLite has no row locks; its single writer already excludes a second claim."""
        if self._db.sqlite:
            return statement
        return statement.with_for_update(skip_locked=True, of=BotCheckIn)


def _report_pk(user_pk: int, report_id: str) -> Select[int]:
    return select(RuptureReport.id).where(
        RuptureReport.user_id == user_pk, RuptureReport.report_id == report_id
    )


def _user_id(discord_user_id: int) -> str:
    """The history's user id for a Discord user (hashed before it reaches the database)."""
    _check_snowflake(discord_user_id)
    return str(discord_user_id)


def _check_snowflake(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= _DISCORD_ID_MAX:
        raise ValueError("a Discord id is a positive 64-bit integer")


def _check_flag(flag: str) -> None:
    if flag not in get_args(Flag):
        raise ValueError(f"unknown flag: {flag!r}")


def _check_key(key: str) -> None:
    if not 0 < len(key) <= STATE_KEY_LENGTH or not key.isprintable():
        raise ValueError(f"a bot state key is 1 to {STATE_KEY_LENGTH} printable characters")


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


if TYPE_CHECKING:
    # mypy checks here that SqlBotStore implements every port (Protocols are structural).
    def _implements(
        store: SqlBotStore,
    ) -> tuple[
        ports.CheckIns,
        ports.RateLimits,
        ports.Flags,
        ports.Guilds,
        ports.BotState,
        ports.PersonData,
    ]:
        return (store, store, store, store, store, store)
