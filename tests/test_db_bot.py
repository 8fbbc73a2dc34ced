"""The Discord bot's store (db/bot_store.py) against real databases: a SQLite file per test, and
the same cases on PostgreSQL when REPAIR_COACH_TEST_DATABASE_URL is set (tests/conftest_db.py).

Two stores opened on one database stand for two shard processes: each has its own engine (and,
on SQLite, its own write lock), so only the database keeps them apart.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection

from bot.ports import DueCheckIn, GuildSettings
from coaching.history.records import PatternSeen, UserSettings
from coaching.taxonomy import PatternId
from db import SqlBotStore, SqlHistoryStore
from db.engine import make_engine
from db.migrate import alembic_config
from db.models import BotCheckIn, BotFlag, BotRateEvent, UserProfile
from tests import conftest_db
from tests.conftest_db import NOW, Database, day, report

database = conftest_db.database  # the shared fixtures of tests/test_db_*.py
store = conftest_db.store

ALICE = 111_111_111_111_111_111  # Discord snowflakes
BOB = 222_222_222_222_222_222
PERSON_TABLES = [BotCheckIn, BotRateEvent, BotFlag]  # the bot's tables about a person
BOT_TABLES = {"bot_check_in", "bot_rate_event", "bot_flag", "bot_guild", "bot_state"}
HOUR = timedelta(hours=1)


@pytest.fixture
def bot(store: SqlHistoryStore) -> SqlBotStore:
    return SqlBotStore(store)


@pytest.fixture
async def second(database: Database, store: SqlHistoryStore) -> AsyncIterator[SqlBotStore]:
    """The bot store of a second process: its own engine on the same (migrated) database."""
    other = await database.open()
    try:
        yield SqlBotStore(other)
    finally:
        await other.aclose()


async def _count(store: SqlHistoryStore, model: type[Any], *where: Any) -> int:
    async with store.engine.connect() as connection:
        statement = select(func.count()).select_from(model).where(*where)
        return int(await connection.scalar(statement) or 0)


async def _save(store: SqlHistoryStore, person: int, *report_ids: str, **kwargs: Any) -> None:
    for report_id in report_ids:
        await store.save_report(report(report_id, user_id=str(person), **kwargs))


# -- check-ins ------------------------------------------------------------------------------


async def test_a_check_in_is_claimed_once_when_due_and_then_forgets_the_id(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "r1")
    await bot.schedule(ALICE, "r1", day(3))
    assert await _count(store, BotCheckIn, BotCheckIn.discord_user_id == ALICE) == 1
    assert await bot.claim_due(day(3) - timedelta(seconds=1), 10) == []
    assert await bot.claim_due(day(3), 10) == [DueCheckIn("r1", ALICE, NOW)]
    assert await bot.claim_due(day(3), 10) == []
    assert await bot.claim_due(day(30), 10) == []
    # The Discord id was kept only while the check-in was pending.
    assert await _count(store, BotCheckIn, BotCheckIn.discord_user_id.is_not(None)) == 0
    assert await _count(store, BotCheckIn) == 1


async def test_claims_come_oldest_first_up_to_the_limit(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "a", "b", "c")
    await _save(store, BOB, "a")
    await bot.schedule(ALICE, "a", day(3))
    await bot.schedule(ALICE, "b", day(1))
    await bot.schedule(ALICE, "c", day(2))
    await bot.schedule(BOB, "a", day(4))
    assert await bot.claim_due(day(5), 2) == [
        DueCheckIn("b", ALICE, NOW),
        DueCheckIn("c", ALICE, NOW),
    ]
    assert await bot.claim_due(day(5), 0) == []
    assert await bot.claim_due(day(5), 5) == [
        DueCheckIn("a", ALICE, NOW),
        DueCheckIn("a", BOB, NOW),
    ]


async def test_scheduling_again_moves_the_check_in_and_clears_its_claim(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "r1")
    await bot.schedule(ALICE, "r1", day(1))
    await bot.schedule(ALICE, "r1", day(2))  # moved before it was due
    assert await bot.claim_due(day(1), 10) == []
    assert await bot.claim_due(day(2), 10) == [DueCheckIn("r1", ALICE, NOW)]
    await bot.schedule(ALICE, "r1", day(4))  # after a claim: due again
    assert await bot.claim_due(day(4), 10) == [DueCheckIn("r1", ALICE, NOW)]
    assert await _count(store, BotCheckIn) == 1  # one per report


async def test_a_check_in_put_back_keeps_the_time_of_its_report(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "r1", at=day(-1))
    await bot.schedule(ALICE, "r1", day(0))
    (claimed,) = await bot.claim_due(day(0), 10)
    assert claimed.reported_at == day(-1)
    # Not sent (Discord was down): put back an hour later, the report's time unmoved.
    await bot.schedule(claimed.discord_user_id, claimed.report_id, day(0) + HOUR)
    assert await bot.claim_due(day(0) + HOUR, 10) == [DueCheckIn("r1", ALICE, day(-1))]


async def test_no_check_in_without_the_persons_report(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "r1")
    await bot.schedule(BOB, "r1", day(1))  # Alice's report id, Bob's id
    await bot.schedule(ALICE, "missing", day(1))
    await bot.schedule(ALICE, "x" * 10_000, day(1))
    await bot.schedule(ALICE, "r1\x00", day(1))
    assert await bot.claim_due(day(2), 10) == []
    assert await _count(store, BotCheckIn) == 0


async def test_cancel_drops_a_pending_check_in_but_keeps_an_answer(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "r1", "r2")
    await bot.schedule(ALICE, "r1", day(1))
    await bot.schedule(ALICE, "r2", day(1))
    await bot.cancel(BOB, "r1")  # not Bob's to cancel
    await bot.cancel(ALICE, "r1")
    assert await bot.answer(ALICE, "r2", "went_well")
    await bot.cancel(ALICE, "r2")
    assert await bot.claim_due(day(2), 10) == []  # an answered check-in is not sent either
    assert await bot.outcomes(ALICE) == {
        PatternId.MINIMIZING: {"went_well": 1, "still_hard": 0, "not_yet": 0}
    }
    assert await _count(store, BotCheckIn) == 1


async def test_two_processes_claiming_at_once_never_share_a_check_in(
    database: Database, store: SqlHistoryStore, bot: SqlBotStore, second: SqlBotStore
) -> None:
    people = [ALICE + n for n in range(5)]
    for person in people:
        await _save(store, person, *(f"r{n}" for n in range(10)))
        for n in range(10):
            await bot.schedule(person, f"r{n}", day(0) + timedelta(minutes=n))

    async def worker(shard: SqlBotStore) -> list[DueCheckIn]:
        claimed: list[DueCheckIn] = []
        while batch := await shard.claim_due(day(1), 3):
            claimed += batch
            await asyncio.sleep(0.01)  # sending them, as a shard would, before claiming more
        return claimed

    results = await asyncio.gather(*(worker(s) for s in [bot, second] * 4))
    claimed = [due for result in results for due in result]
    assert len(claimed) == 50 and len(set(claimed)) == 50  # all of them, none twice
    assert set(claimed) == {DueCheckIn(f"r{n}", p, NOW) for p in people for n in range(10)}
    if database.kind == "postgresql":
        # Both processes claimed side by side (SKIP LOCKED passes over the other's rows). On
        # SQLite one writer at a time is the guarantee, and one engine may well take them all.
        assert any(results[0::2]) and any(results[1::2])
    assert await bot.claim_due(day(9), 100) == []


async def test_check_ins_of_a_person_who_turned_them_off_are_dropped(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "r1", "r2")
    await _save(store, BOB, "r1")
    await bot.schedule(ALICE, "r1", day(1))
    await bot.schedule(BOB, "r1", day(1))
    await store.save_settings(str(ALICE), UserSettings(check_ins=False))
    await bot.schedule(ALICE, "r2", day(1))  # while off: not even stored
    assert await _count(store, BotCheckIn, BotCheckIn.user_id == await _pk(store, ALICE)) == 1
    assert await bot.claim_due(day(2), 10) == [DueCheckIn("r1", BOB, NOW)]
    assert await _count(store, BotCheckIn, BotCheckIn.discord_user_id == ALICE) == 0
    await store.save_settings(str(ALICE), UserSettings(check_ins=True))
    assert await bot.claim_due(day(3), 10) == []  # dropped, not merely postponed


async def test_answers_are_counted_per_pattern_of_the_other_person(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    minimizing, defensive = PatternId.MINIMIZING, PatternId.DEFENSIVENESS
    await _save(store, ALICE, "r1", patterns=(minimizing, defensive))
    await _save(store, ALICE, "r2", patterns=(minimizing,))
    await _save(store, ALICE, "r3", patterns=(defensive,))
    await _save(store, ALICE, "unanswered", patterns=(minimizing,))
    mine = report("mine", user_id=str(ALICE))
    await store.save_report(replace(mine, patterns=(PatternSeen(minimizing, 0.9, by="writer"),)))
    await _save(store, BOB, "r1", patterns=(minimizing,))
    await bot.schedule(ALICE, "r1", day(1))
    assert await bot.answer(ALICE, "r1", "still_hard")
    assert await bot.answer(ALICE, "r1", "went_well")  # changed their mind: counted once
    assert await bot.answer(ALICE, "r2", "went_well")  # no check-in scheduled: still recorded
    assert await bot.answer(ALICE, "r3", "not_yet")
    assert await bot.answer(ALICE, "mine", "still_hard")  # the writer's own pattern
    assert await bot.answer(BOB, "r1", "still_hard")
    assert not await bot.answer(ALICE, "no-such-report", "went_well")
    assert not await bot.answer(BOB, "r2", "went_well")  # Alice's report
    assert not await bot.answer(BOB + 1, "r1", "went_well")  # nobody
    assert await bot.outcomes(ALICE) == {
        minimizing: {"went_well": 2, "still_hard": 0, "not_yet": 0},
        defensive: {"went_well": 1, "still_hard": 0, "not_yet": 1},
    }
    assert await bot.outcomes(BOB) == {minimizing: {"went_well": 0, "still_hard": 1, "not_yet": 0}}
    assert await bot.outcomes(BOB + 1) == {}
    assert await bot.claim_due(day(2), 10) == []  # r1 was answered before it was sent
    await bot.schedule(ALICE, "r2", day(3))  # answered already: nothing to send
    assert await bot.claim_due(day(4), 10) == []
    assert await _count(store, BotCheckIn, BotCheckIn.discord_user_id.is_not(None)) == 0
    with pytest.raises(ValueError):
        await bot.answer(ALICE, "r1", "great")  # type: ignore[arg-type]


# -- rate limits ----------------------------------------------------------------------------


async def test_the_rate_limit_counts_a_sliding_window_and_says_when(bot: SqlBotStore) -> None:
    t = NOW
    minute = timedelta(minutes=1)
    for n in range(3):
        assert await bot.take(ALICE, t + n * 10 * minute, 3, HOUR) is None
    assert await bot.take(ALICE, t + 30 * minute, 3, HOUR) == t + HOUR  # the oldest leaves then
    assert await bot.take(ALICE, t + HOUR - minute, 3, HOUR) == t + HOUR
    assert await bot.take(BOB, t + 30 * minute, 3, HOUR) is None  # people are apart
    assert await bot.take(ALICE, t + HOUR, 3, HOUR) is None  # the window is (now - per, now]
    assert await bot.take(ALICE, t + HOUR + minute, 3, HOUR) == t + 10 * minute + HOUR
    # A lower limit than the events counted: room once enough of them have left.
    # (t + 10 min, t + 20 min, t + 1 h are counted: with a limit of 1 all three must leave.)
    assert await bot.take(ALICE, t + HOUR + minute, 1, HOUR) == t + 2 * HOUR


async def test_the_rate_limit_is_exact_under_concurrency(
    store: SqlHistoryStore, bot: SqlBotStore, second: SqlBotStore
) -> None:
    takes = [shard.take(ALICE, NOW, 5, HOUR) for shard in [bot, second] * 10]
    results = await asyncio.gather(*takes)
    assert results.count(None) == 5
    assert [r for r in results if r is not None] == [NOW + HOUR] * 15
    assert await _count(store, BotRateEvent) == 5
    assert await _count(store, UserProfile) == 1  # one profile, however many raced to make it
    # Events that left the window are deleted on the next take.
    assert await bot.take(ALICE, NOW + 2 * HOUR, 5, HOUR) is None
    assert await _count(store, BotRateEvent) == 1


# -- flags, guilds, state -------------------------------------------------------------------


async def test_a_flag_is_set_once_under_concurrency(
    store: SqlHistoryStore, bot: SqlBotStore, second: SqlBotStore
) -> None:
    assert await bot.flags(ALICE) == frozenset()
    firsts = await asyncio.gather(*(s.set(ALICE, "greeted") for s in [bot, second] * 10))
    assert firsts.count(True) == 1
    assert await bot.flags(ALICE) == await second.flags(ALICE) == {"greeted"}
    assert await bot.flags(BOB) == frozenset()
    assert await bot.set(BOB, "greeted")
    assert await bot.set(BOB, "dms_closed")
    assert await second.flags(BOB) == {"greeted", "dms_closed"}
    assert await bot.flags(ALICE) == {"greeted"}
    assert await _count(store, BotFlag) == 3
    with pytest.raises(ValueError):
        await bot.set(ALICE, "admin")  # type: ignore[arg-type]


async def test_guild_settings_round_trip(bot: SqlBotStore) -> None:
    big = 2**63 - 1
    assert await bot.guild(big) == GuildSettings(big)  # the defaults for a new server
    chosen = GuildSettings(big, enabled=False, locale="de-DE", guide_channel_id=big - 1)
    await bot.save_guild(chosen)
    assert await bot.guild(big) == chosen
    await bot.save_guild(GuildSettings(big, locale="en-GB"))
    assert await bot.guild(big) == GuildSettings(big, locale="en-GB")
    assert await bot.guild(42) == GuildSettings(42)
    with pytest.raises(ValueError):
        await bot.save_guild(GuildSettings(42, locale="x" * 65))


async def test_bot_state_round_trip(bot: SqlBotStore, second: SqlBotStore) -> None:
    assert await bot.get("commands_hash") is None
    await bot.put("commands_hash", "abc")
    await second.put("commands_hash", "def\x00ünï")
    assert await bot.get("commands_hash") == "def\x00ünï"
    assert await bot.get("other") is None


async def test_discord_ids_are_checked(bot: SqlBotStore) -> None:
    for bad in [0, -1, 2**63, True]:
        with pytest.raises(ValueError):
            await bot.take(bad, NOW, 1, HOUR)
    with pytest.raises(ValueError):
        await bot.take(ALICE, NOW, 0, HOUR)


# -- export, forget, retention --------------------------------------------------------------


async def test_export_lists_what_the_bot_keeps_about_the_person(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    assert await bot.export(ALICE) == {"check_ins": [], "flags": [], "rate_limit_events": 0}
    await _save(store, ALICE, "r1", at=day(0))
    await _save(store, ALICE, "r2", at=day(1))
    await _save(store, BOB, "r1")
    await bot.schedule(ALICE, "r1", day(3))
    await bot.schedule(ALICE, "r2", day(4))
    await bot.schedule(BOB, "r1", day(3))
    assert await bot.claim_due(day(3), 1) == [DueCheckIn("r1", ALICE, NOW)]
    assert await bot.answer(ALICE, "r1", "went_well")
    await bot.set(ALICE, "told_dms_closed")
    await bot.set(ALICE, "greeted")
    await bot.take(ALICE, NOW, 5, HOUR)
    await bot.take(ALICE, NOW, 5, HOUR)
    await bot.take(BOB, NOW, 5, HOUR)
    exported = await bot.export(ALICE)
    check_ins = exported["check_ins"]
    assert isinstance(check_ins, list)
    r1, r2 = check_ins
    assert r1["report_id"] == "r1" and r1["due_at"] == day(3).isoformat()
    assert (r1["outcome"], r1["pending"]) == ("went_well", False)
    assert isinstance(r1["answered_at"], str)
    assert r2 == {
        "report_id": "r2",
        "due_at": day(4).isoformat(),
        "pending": True,
        "outcome": None,
        "answered_at": None,
    }
    assert exported["flags"] == ["greeted", "told_dms_closed"]
    assert exported["rate_limit_events"] == 2
    assert json.loads(json.dumps(exported)) == exported


async def test_forget_leaves_no_row_about_the_person_in_the_bot_tables(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    for person in (ALICE, BOB):
        await _save(store, person, "r1", "r2")
        await bot.schedule(person, "r1", day(1))
        await bot.schedule(person, "r2", day(9))
        await bot.claim_due(day(1), 10)
        await bot.answer(person, "r1", "not_yet")
        await bot.set(person, "greeted")
        await bot.take(person, NOW, 5, HOUR)
    await bot.save_guild(GuildSettings(7, locale="fr"))
    await bot.put("k", "v")
    bob_pk = await _pk(store, BOB)
    await store.forget(str(ALICE))
    async with store.engine.connect() as connection:
        for table in ("bot_check_in", "bot_rate_event", "bot_flag"):
            everyone = await connection.scalar(text(f"SELECT count(*) FROM {table}"))
            others = await connection.scalar(
                text(f"SELECT count(*) FROM {table} WHERE user_id <> :bob"), {"bob": bob_pk}
            )
            assert others == 0, table  # nothing of Alice's left
            assert everyone, table  # Bob's are still there
        assert await connection.scalar(text("SELECT count(*) FROM bot_guild")) == 1
        assert await connection.scalar(text("SELECT count(*) FROM bot_state")) == 1
    assert await bot.export(ALICE) == {"check_ins": [], "flags": [], "rate_limit_events": 0}
    assert await bot.outcomes(ALICE) == {}
    assert await bot.export(BOB) != {"check_ins": [], "flags": [], "rate_limit_events": 0}


async def test_the_retention_purge_takes_the_check_ins_of_purged_reports(
    store: SqlHistoryStore, bot: SqlBotStore
) -> None:
    await _save(store, ALICE, "old", at=day(-400))
    await _save(store, ALICE, "new", at=day(-10))
    await bot.schedule(ALICE, "old", day(1))
    await bot.schedule(ALICE, "new", day(1))
    assert await bot.answer(ALICE, "old", "went_well")
    assert await store.purge_before(day(-365)) == 1
    assert await _count(store, BotCheckIn) == 1
    assert await bot.claim_due(day(2), 10) == [DueCheckIn("new", ALICE, day(-10))]
    assert await bot.outcomes(ALICE) == {}


async def test_downgrading_the_bot_migration_keeps_the_history(database: Database) -> None:
    opened = await database.open()
    await opened.save_report(report("r1", user_id=str(ALICE)))
    await SqlBotStore(opened).set(ALICE, "greeted")
    await opened.aclose()

    def down(connection: Connection) -> set[str]:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001_history")
        return set(inspect(connection).get_table_names())

    engine = make_engine(database.url)
    try:
        async with engine.begin() as connection:
            left = await connection.run_sync(down)
    finally:
        await engine.dispose()
    assert not BOT_TABLES & left and "rupture_report" in left
    reopened = await database.open()  # up to head again
    try:
        assert [r.report_id for r in await reopened.reports_since(str(ALICE), day(-1))] == ["r1"]
        assert await SqlBotStore(reopened).set(ALICE, "greeted")  # the flag went with the table
    finally:
        await reopened.aclose()


# -- helpers --------------------------------------------------------------------------------


async def _pk(store: SqlHistoryStore, person: int) -> int:
    """The person's profile row, found by the store's own hash of their user id."""
    user_hash = store._keys.digest("user", str(person))
    async with store.engine.connect() as connection:
        pk = await connection.scalar(
            select(UserProfile.id).where(UserProfile.user_hash == user_hash)
        )
    assert pk is not None
    return int(pk)
