"""The history store (db/store.py) against real databases: a SQLite file per test, and the same
cases on PostgreSQL when REPAIR_COACH_TEST_DATABASE_URL is set (tests/conftest_db.py)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from coaching.history.records import UserSettings
from coaching.ports import HistoryUnavailable
from coaching.taxonomy import PatternId, Style
from db import SqlHistoryStore
from db.models import OfferedPhrasing, ReportPattern, RuptureReport, UserProfile
from tests import conftest_db
from tests.conftest_db import Database, day, report

database = conftest_db.database  # the shared fixtures of tests/test_db_*.py
store = conftest_db.store

AWKWARD = [
    "'; DROP TABLE rupture_report; --",
    "Robert'); DELETE FROM user_profile WHERE ('1'='1",
    "x" * 100_000,
    "nul\x00and\x01bell\x07\x1b[31m\udcff\ufffe",
    "ünïcødé 🙂 \u202e right-to-left",
    "",
]


async def _count(store: SqlHistoryStore, model: type) -> int:
    async with store.engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_saved_report_reads_back(store: SqlHistoryStore) -> None:
    saved = report("r1", patterns=(PatternId.MINIMIZING, PatternId.DISENGAGEMENT))
    await store.save_report(saved)
    (back,) = await store.reports_since("alice", day(-1))
    # Labels come back as saved; the offered text was only hashed (keep_text is off).
    offered = tuple(replace(o, text="") for o in saved.offered)
    assert back == replace(saved, offered=offered)
    assert back.at.tzinfo is not None


async def test_has_reports_is_true_only_for_a_person_with_one(store: SqlHistoryStore) -> None:
    assert not await store.has_reports("alice")
    await store.save_settings("alice", UserSettings())  # a profile, but no report yet
    assert not await store.has_reports("alice")
    await store.save_report(report("r1", at=day(-400)))  # long past any window
    assert await store.has_reports("alice") and not await store.has_reports("ben")


async def test_saving_the_same_report_id_replaces_it(store: SqlHistoryStore) -> None:
    await store.save_report(report("r1", patterns=(PatternId.MINIMIZING,)))
    await store.save_report(report("r1", at=day(1), patterns=(PatternId.DISENGAGEMENT,)))
    reports = await store.reports_since("alice", day(-1))
    assert [(r.report_id, r.at) for r in reports] == [("r1", day(1))]
    assert [p.pattern for p in reports[0].patterns] == [PatternId.DISENGAGEMENT]
    assert await _count(store, RuptureReport) == 1
    assert await _count(store, ReportPattern) == 1
    assert await _count(store, OfferedPhrasing) == 1


async def test_reports_since_keeps_the_window_oldest_first(store: SqlHistoryStore) -> None:
    for n, at in enumerate([day(-40), day(-3), day(-30), day(0)]):
        await store.save_report(report(f"r{n}", at=at))
    since = await store.reports_since("alice", day(-30))
    assert [r.report_id for r in since] == ["r2", "r1", "r3"]  # at or after `since`
    assert await store.reports_since("alice", day(1)) == []
    assert await store.reports_since("nobody", day(-100)) == []


async def test_offered_before_matches_texts_by_hash_within_the_window(
    store: SqlHistoryStore,
) -> None:
    await store.save_report(report("old", at=day(-40), offered=("Old words.",)))
    await store.save_report(report("new", at=day(-2), offered=("New words.", "Other words.")))
    asked = ["New words.", "Old words.", "Never said.", "new words."]
    assert await store.offered_before("alice", asked, day(-30)) == {"New words."}
    assert await store.offered_before("alice", asked, day(-50)) == {"New words.", "Old words."}
    assert await store.offered_before("bob", asked, day(-50)) == set()
    assert await store.offered_before("alice", [], day(-50)) == set()


async def test_reports_since_does_not_return_texts(store: SqlHistoryStore) -> None:
    await store.save_settings("alice", UserSettings(keep_text=True))
    await store.save_report(report(story="The story.", evidence=("a span",)))
    (back,) = await store.reports_since("alice", day(-1))
    assert back.story is None and back.evidence == ()
    assert [o.text for o in back.offered] == [""]


async def test_feedback_on_ones_own_report_is_recorded(store: SqlHistoryStore) -> None:
    await store.save_report(report("r1"))
    assert await store.feedback("alice", "r1", "helped", Style.DIRECT) is True
    assert await store.feedback("alice", "r1", None, Style.NVC) is True  # rating kept
    (back,) = await store.reports_since("alice", day(-1))
    assert (back.rating, back.picked) == ("helped", Style.NVC)


async def test_feedback_on_someone_elses_report_is_refused(store: SqlHistoryStore) -> None:
    await store.save_report(report("r1", user_id="alice"))
    await store.save_settings("bob", UserSettings())
    assert await store.feedback("bob", "r1", "not_quite", Style.GENTLE) is False
    assert await store.feedback("carol", "r1", "not_quite", None) is False
    (back,) = await store.reports_since("alice", day(-1))
    assert (back.rating, back.picked) == (None, None)


@pytest.mark.parametrize("bad_id", ["no-such-report", "", "x" * 10_000, "r1\x00"])
async def test_feedback_on_an_unknown_report_id_is_false(
    store: SqlHistoryStore, bad_id: str
) -> None:
    await store.save_report(report("r1"))
    assert await store.feedback("alice", bad_id, "helped", None) is False


async def test_settings_round_trip_and_default_for_a_new_person(store: SqlHistoryStore) -> None:
    assert await store.settings("alice") == UserSettings()
    chosen = UserSettings(
        history=True,
        tone=Style.NVC,
        other_name="Sam",
        keep_text=True,
        check_ins=False,
        locale="en-GB",
    )
    await store.save_settings("alice", chosen)
    assert await store.settings("alice") == chosen
    assert await store.settings("bob") == UserSettings()


async def test_history_off_stores_no_report(store: SqlHistoryStore) -> None:
    await store.save_settings("alice", UserSettings(history=False))
    await store.save_report(report("r1"))
    assert await store.reports_since("alice", day(-1)) == []
    assert await _count(store, RuptureReport) == 0


async def test_purge_before_deletes_only_older_reports(store: SqlHistoryStore) -> None:
    await store.save_report(report("old", at=day(-400)))
    await store.save_report(report("older", user_id="bob", at=day(-500)))
    await store.save_report(report("new", at=day(-10)))
    assert await store.purge_before(day(-365)) == 2
    assert [r.report_id for r in await store.reports_since("alice", day(-1000))] == ["new"]
    assert await store.reports_since("bob", day(-1000)) == []
    assert await _count(store, OfferedPhrasing) == 1
    assert await store.purge_before(day(-365)) == 0


async def test_open_store_purges_reports_past_retention(database: Database) -> None:
    now = datetime.now(UTC)
    opened = await database.open()
    await opened.save_report(report("ancient", at=now - timedelta(days=366)))
    await opened.save_report(report("recent", at=now - timedelta(days=364)))
    await opened.aclose()
    reopened = await database.open(retention_days=365)
    try:
        assert [r.report_id for r in await reopened.reports_since("alice", day(-9999))] == [
            "recent"
        ]
    finally:
        await reopened.aclose()


async def test_forget_removes_everything_about_the_person_only(store: SqlHistoryStore) -> None:
    await store.save_settings("alice", UserSettings(keep_text=True, other_name="Sam"))
    await store.save_report(report("r1", story="Alice's story.", evidence=("span",)))
    await store.save_report(report("r2"))
    await store.save_report(report("r1", user_id="bob"))
    await store.forget("alice")
    assert await store.settings("alice") == UserSettings()
    assert await store.reports_since("alice", day(-100)) == []
    export = await store.export("alice")
    assert export.reports == () and export.settings == UserSettings()
    assert await _count(store, UserProfile) == 1
    assert await _count(store, RuptureReport) == 1
    assert await _count(store, ReportPattern) == 1
    assert await _count(store, OfferedPhrasing) == 1
    assert [r.report_id for r in await store.reports_since("bob", day(-100))] == ["r1"]
    await store.forget("nobody")  # nothing to forget is not an error


async def test_people_never_see_each_others_data(store: SqlHistoryStore) -> None:
    await store.save_settings("alice", UserSettings(tone=Style.DIRECT, other_name="Sam"))
    await store.save_report(report("shared-id", user_id="alice", offered=("Alice's words.",)))
    await store.save_report(report("shared-id", user_id="bob", at=day(1), offered=("Bob's.",)))
    alice = await store.reports_since("alice", day(-1))
    bob = await store.reports_since("bob", day(-1))
    assert [(r.user_id, r.at) for r in alice] == [("alice", day(0))]
    assert [(r.user_id, r.at) for r in bob] == [("bob", day(1))]
    assert await store.offered_before("bob", ["Alice's words."], day(-1)) == set()
    assert await store.settings("bob") == UserSettings()
    assert (await store.export("bob")).reports[0].at == day(1)
    # Ids differing only in case or by a suffix are different people.
    assert await store.reports_since("Alice", day(-1)) == []
    assert await store.reports_since("alice ", day(-1)) == []


@pytest.mark.parametrize("awkward", AWKWARD, ids=range(len(AWKWARD)))
async def test_awkward_ids_and_texts_round_trip(store: SqlHistoryStore, awkward: str) -> None:
    await store.save_settings(
        awkward, UserSettings(keep_text=True, other_name=awkward, locale=awkward[:20])
    )
    await store.save_report(
        report("r1", user_id=awkward, story=awkward, offered=(awkward,), evidence=(awkward,))
    )
    export = await store.export(awkward)
    assert export.user_id == awkward
    assert export.settings.other_name == awkward
    assert export.settings.locale == awkward[:20]
    (kept,) = export.reports
    assert (kept.story, kept.evidence) == (awkward, (awkward,))
    assert [o.text for o in kept.offered] == [awkward]
    assert await store.offered_before(awkward, [awkward], day(-1)) == {awkward}
    assert await store.feedback(awkward, "r1", "helped", None) is True
    assert await store.reports_since("alice", day(-1)) == []
    await store.forget(awkward)
    assert await store.export(awkward) == export.__class__(awkward, UserSettings())


async def test_concurrent_saves_all_land(store: SqlHistoryStore, database: Database) -> None:
    """50 saves at once: 20 for one person, 20 across five people, 10 re-coaches of one story;
    plus 20 through a second store on the same database, as a second process would."""
    second = await database.open()
    try:
        saves = [store.save_report(report(f"a{n}", user_id="alice")) for n in range(20)]
        saves += [store.save_report(report(f"p{n}", user_id=f"user{n % 5}")) for n in range(20)]
        saves += [store.save_report(report("same", user_id="carol", at=day(n))) for n in range(10)]
        saves += [second.save_report(report(f"b{n}", user_id="bob")) for n in range(20)]
        await asyncio.gather(*saves)
    finally:
        await second.aclose()
    assert len(await store.reports_since("alice", day(-1))) == 20
    assert len(await store.reports_since("bob", day(-1))) == 20
    for n in range(5):
        assert len(await store.reports_since(f"user{n}", day(-1))) == 4
    (carol,) = await store.reports_since("carol", day(-1))
    assert carol.report_id == "same"
    assert await _count(store, RuptureReport) == 61


async def test_a_failed_write_raises_history_unavailable_without_content(
    store: SqlHistoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    async with store.engine.begin() as connection:
        await connection.execute(text("DROP TABLE report_pattern"))
    caplog.set_level(logging.DEBUG)
    story = "A very private story about Sam."
    await store.save_settings("alice-private-id", UserSettings(keep_text=True))
    with pytest.raises(HistoryUnavailable) as raised:
        await store.save_report(report("r1", user_id="alice-private-id", story=story))
    message = str(raised.value)
    assert "\n" not in message and "save report" in message
    assert "alice-private-id" not in message and "Sam" not in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    for record in caplog.records:
        if record.levelno > logging.DEBUG:
            assert (
                "Sam" not in record.getMessage() and "alice-private-id" not in record.getMessage()
            )
    # The write was one transaction: nothing of it landed.
    assert await store.reports_since("alice-private-id", day(-1)) == []
