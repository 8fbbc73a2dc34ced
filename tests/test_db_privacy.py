"""What the history keeps, and what it leaves behind: no text without `keep_text`, kept text
only encrypted, nothing readable in the SQLite file or its WAL after `forget`, no content in
logs above DEBUG, private key and database files, and keys that must match."""

from __future__ import annotations

import logging
import sqlite3
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken

from coaching.history.records import UserSettings
from coaching.ports import HistoryUnavailable
from db import NoDataKey, new_data_key
from db.crypto import HASH_KEY_FILE
from tests import conftest_db
from tests.conftest_db import DATA_KEY, Database, day, file_bytes, report, sqlite_only

database = conftest_db.database  # the shared fixtures of tests/test_db_*.py
store = conftest_db.store

USER = "discord:4815162342-alice"
STORY = "I told Jordan about the biopsy results and he said at least it is not worse"
PHRASING = "When I told you about the biopsy, I felt unheard by you, Jordan."
EVIDENCE = "at least it is not worse"
NICKNAME = "Jordybear-the-nickname"


def _tokens(database: Database) -> list[bytes]:
    """The Fernet tokens in the file, read with the standard library's sqlite3."""
    assert database.file is not None
    with sqlite3.connect(database.file) as connection:
        rows = connection.execute(
            "SELECT story_token FROM rupture_report UNION ALL "
            "SELECT evidence_token FROM rupture_report UNION ALL "
            "SELECT text_token FROM offered_phrasing"
        ).fetchall()
    connection.close()
    return [bytes(token) for (token,) in rows if token is not None]


def _user_hash(database: Database) -> bytes:
    assert database.file is not None
    with sqlite3.connect(database.file) as connection:
        ((value,),) = connection.execute("SELECT user_hash FROM user_profile").fetchall()
    connection.close()
    return str(value).encode()


async def test_without_keep_text_no_text_reaches_the_file(database: Database) -> None:
    sqlite_only(database)
    store = await database.open()
    try:
        await store.save_report(
            report(user_id=USER, story=STORY, offered=(PHRASING,), evidence=(EVIDENCE,))
        )
        assert await store.offered_before(USER, [PHRASING], day(-1)) == {PHRASING}
        exported = await store.export(USER)
    finally:
        await store.aclose()
    (kept,) = exported.reports
    assert (kept.story, kept.evidence, kept.offered[0].text) == (None, (), "")
    stored = file_bytes(database)
    for secret in (STORY, PHRASING, EVIDENCE, "biopsy", USER, "alice"):
        assert secret.encode() not in stored, secret
    assert _tokens(database) == []


async def test_kept_text_is_encrypted_at_rest_and_export_decrypts_it(database: Database) -> None:
    sqlite_only(database)
    store = await database.open()
    try:
        await store.save_settings(USER, UserSettings(keep_text=True))
        await store.save_report(
            report(user_id=USER, story=STORY, offered=(PHRASING,), evidence=(EVIDENCE,))
        )
        exported = await store.export(USER)
        stored = file_bytes(database)
    finally:
        await store.aclose()
    (kept,) = exported.reports
    assert (kept.story, kept.evidence) == (STORY, (EVIDENCE,))
    assert [o.text for o in kept.offered] == [PHRASING]
    for secret in (STORY, PHRASING, EVIDENCE, "biopsy", USER):
        assert secret.encode() not in stored, secret
    tokens = _tokens(database)
    assert len(tokens) == 3
    assert Fernet(DATA_KEY).decrypt(tokens[0]).decode() == STORY


async def test_keep_text_without_a_data_key_is_refused(database: Database) -> None:
    store = await database.open(data_key=None)
    try:
        assert not store.can_keep_text
        with pytest.raises(NoDataKey) as raised:
            await store.save_settings(USER, UserSettings(keep_text=True, tone=None))
        assert "REPAIR_COACH_DATA_KEY" in str(raised.value)
        assert "\n" not in str(raised.value)
        assert await store.settings(USER) == UserSettings()  # nothing changed
    finally:
        await store.aclose()


async def test_kept_text_is_unreadable_without_its_key(database: Database) -> None:
    # A hash key file first (as a start without a data key makes), so later keys may differ.
    await (await database.open(data_key=None)).aclose()
    first_key = new_data_key()
    store = await database.open(data_key=first_key)
    try:
        await store.save_settings(USER, UserSettings(keep_text=True))
        await store.save_report(report(user_id=USER, story=STORY, offered=(PHRASING,)))
    finally:
        await store.aclose()
    for other_key in (new_data_key(), None):
        store = await database.open(data_key=other_key)
        try:
            (kept,) = (await store.export(USER)).reports
        finally:
            await store.aclose()
        assert kept.story is None and [o.text for o in kept.offered] == [""]
    if database.file is not None:
        for token in _tokens(database):
            with pytest.raises(InvalidToken):
                Fernet(new_data_key()).decrypt(token)
    # A rotated key list (new key first, old one after) still reads it.
    store = await database.open(data_key=f"{new_data_key()},{first_key}")
    try:
        (kept,) = (await store.export(USER)).reports
    finally:
        await store.aclose()
    assert kept.story == STORY


async def test_forget_leaves_nothing_readable_in_the_file_or_its_wal(database: Database) -> None:
    sqlite_only(database)
    store = await database.open()
    try:
        await store.save_settings(USER, UserSettings(keep_text=True, other_name=NICKNAME))
        for n in range(30):  # enough rows to fill several pages
            await store.save_report(
                report(
                    f"r{n}",
                    user_id=USER,
                    story=f"{STORY} #{n}",
                    offered=(f"{PHRASING} {n}",),
                    evidence=(EVIDENCE,),
                )
            )
        user_hash = _user_hash(database)  # the only person so far
        await store.save_settings("someone-else", UserSettings(other_name="Kept-Nickname"))
        await store.save_report(report("theirs", user_id="someone-else"))
        tokens = _tokens(database)
        before = file_bytes(database)
        # The scan can see what is there: the nickname is stored as typed.
        assert NICKNAME.encode() in before and user_hash in before
        assert any(token in before for token in tokens)
        await store.forget(USER)
        after = file_bytes(database)
        wal = database.file.with_name(database.file.name + "-wal")  # type: ignore[union-attr]
        assert not wal.exists() or wal.stat().st_size == 0
        assert NICKNAME.encode() not in after
        assert user_hash not in after
        assert USER.encode() not in after
        for token in tokens:
            assert token not in after
        assert b"Kept-Nickname" in after  # the other person's data stays
        assert [r.report_id for r in await store.reports_since("someone-else", day(-1))] == [
            "theirs"
        ]
    finally:
        await store.aclose()


async def test_turning_keep_text_off_drops_the_kept_text(database: Database) -> None:
    store = await database.open()
    try:
        await store.save_settings(USER, UserSettings(keep_text=True))
        await store.save_report(report(user_id=USER, story=STORY, offered=(PHRASING,)))
        await store.save_settings(USER, UserSettings(keep_text=False))
        (kept,) = (await store.export(USER)).reports
        assert kept.story is None and [o.text for o in kept.offered] == [""]
        assert await store.offered_before(USER, [PHRASING], day(-1)) == {PHRASING}
    finally:
        await store.aclose()
    if database.file is not None:
        assert _tokens(database) == []


async def test_no_content_is_logged_above_debug(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = await database.open(retention_days=1)
    try:
        await store.save_settings(USER, UserSettings(keep_text=True, other_name=NICKNAME))
        await store.save_report(report(user_id=USER, story=STORY, offered=(PHRASING,)))
        await store.reports_since(USER, day(-1))
        await store.offered_before(USER, [PHRASING], day(-1))
        await store.feedback(USER, "r1", "helped", None)
        await store.export(USER)
        await store.purge_before(day(1))
        await store.forget(USER)
    finally:
        await store.aclose()
    for record in caplog.records:
        if record.levelno > logging.DEBUG:
            for secret in (USER, STORY, PHRASING, NICKNAME, "biopsy"):
                assert secret not in record.getMessage(), record.getMessage()


async def test_the_key_file_and_database_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "new-data-dir"
    file = data_dir / "history.db"
    database = Database("sqlite", f"sqlite+aiosqlite:///{file}", data_dir, file)
    store = await database.open(data_key=None)
    try:
        await store.save_report(report(user_id=USER))
        wal = file.with_name(file.name + "-wal")
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        await store.aclose()
    assert stat.S_IMODE((data_dir / HASH_KEY_FILE).stat().st_mode) == 0o600
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert len(bytes.fromhex((data_dir / HASH_KEY_FILE).read_text().strip())) == 32


async def test_history_is_found_again_after_a_restart_without_a_data_key(
    database: Database,
) -> None:
    store = await database.open(data_key=None)
    await store.save_report(report(user_id=USER))
    await store.aclose()
    store = await database.open(data_key=None)
    try:
        assert len(await store.reports_since(USER, day(-1))) == 1
    finally:
        await store.aclose()


async def test_a_database_written_with_another_hash_key_is_refused(database: Database) -> None:
    await (await database.open(data_key=new_data_key())).aclose()  # hash key from that key
    with pytest.raises(HistoryUnavailable) as raised:
        await database.open(data_key=new_data_key())
    assert "another key" in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("bad_key", ["not-a-fernet-key", "short,also-bad"])
async def test_a_malformed_data_key_is_refused_in_one_line(
    database: Database, bad_key: str
) -> None:
    with pytest.raises(HistoryUnavailable) as raised:
        await database.open(data_key=bad_key)
    message = str(raised.value)
    assert "REPAIR_COACH_DATA_KEY" in message and "\n" not in message
    assert bad_key not in message
