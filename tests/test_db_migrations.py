"""The schema comes only from Alembic (db/migrations/): up from empty, a database at head is
left alone, down and up again, models and migrations agree, and databases that are newer
than the code or not databases at all are refused in one line."""

from __future__ import annotations

import asyncio
import fnmatch
import logging
import tomllib
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from coaching.ports import HistoryUnavailable
from db.engine import make_engine
from db.migrate import MIGRATIONS, alembic_config, head_revision, upgrade_to_head
from db.models import Base
from tests import conftest_db
from tests.conftest_db import Database, day, report

database = conftest_db.database  # the shared fixtures of tests/test_db_*.py

ROOT = Path(__file__).resolve().parent.parent
TABLES = {"user_profile", "rupture_report", "report_pattern", "offered_phrasing"}


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _run(database: Database, fn: object) -> object:
    engine = make_engine(database.url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(fn)  # type: ignore[arg-type]
    finally:
        await engine.dispose()


async def test_upgrade_from_empty_reaches_head(database: Database) -> None:
    store = await database.open()
    await store.aclose()
    assert await _run(database, _revision) == head_revision()
    assert TABLES <= await _run(database, _tables)  # type: ignore[operator]


async def test_a_database_at_head_is_not_upgraded_again(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="db.migrate")
    await (await database.open()).aclose()
    assert any("upgrading" in r.getMessage() for r in caplog.records)
    caplog.clear()
    await (await database.open()).aclose()
    assert not [r for r in caplog.records if "upgrading" in r.getMessage()]


async def test_models_and_migrations_agree(database: Database) -> None:
    await (await database.open()).aclose()

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    assert await _run(database, differences) == []


async def test_downgrade_to_base_and_up_again(database: Database) -> None:
    store = await database.open()
    await store.save_report(report("r1"))
    await store.aclose()

    def down(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    await _run(database, down)
    assert await _run(database, _revision) is None
    assert not TABLES & await _run(database, _tables)  # type: ignore[operator]
    store = await database.open()
    try:
        assert await store.reports_since("alice", day(-1)) == []
        await store.save_report(report("r2"))
        assert len(await store.reports_since("alice", day(-1))) == 1
    finally:
        await store.aclose()


async def test_a_database_newer_than_the_code_is_refused_in_one_line(database: Database) -> None:
    await (await database.open()).aclose()

    def stamp_future(connection: Connection) -> None:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))

    await _run(database, stamp_future)
    with pytest.raises(HistoryUnavailable) as raised:
        await database.open()
    message = str(raised.value)
    assert "\n" not in message
    assert "newer" in message and "9999_from_the_future" in message


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all\n" * 200, bytes(range(256)) * 64],
    ids=["text", "binary"],
)
async def test_a_file_that_is_not_a_database_is_refused_in_one_line(
    tmp_path: Path, content: bytes
) -> None:
    file = tmp_path / "history.db"
    file.write_bytes(content)
    database = Database("sqlite", f"sqlite+aiosqlite:///{file}", tmp_path, file)
    with pytest.raises(HistoryUnavailable) as raised:
        await database.open()
    message = str(raised.value)
    assert "\n" not in message and "cannot read the history database" in message
    assert "not a database" in message
    assert file.read_bytes() == content  # left as it was


async def test_an_unreachable_server_is_refused_in_one_line(tmp_path: Path) -> None:
    engine = make_engine("postgresql+asyncpg://nobody:secret@127.0.0.1:1/none")
    try:
        with pytest.raises(HistoryUnavailable) as raised:
            await upgrade_to_head(engine)
    finally:
        await engine.dispose()
    assert "\n" not in str(raised.value) and "secret" not in str(raised.value)


async def test_simultaneous_first_starts_migrate_once(database: Database) -> None:
    """Several processes starting at once on an empty database: the advisory lock
    (PostgreSQL) or the write lock (SQLite) lets one upgrade and the others find it done."""
    stores = await asyncio.gather(*(database.open() for _ in range(6)))
    try:
        await asyncio.gather(*(s.save_report(report(f"r{n}")) for n, s in enumerate(stores)))
        assert len(await stores[0].reports_since("alice", day(-1))) == 6
    finally:
        for store in stores:
            await store.aclose()
    assert await _run(database, _revision) == head_revision()


async def test_migrations_run_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    file = tmp_path / "data" / "history.db"
    database = Database("sqlite", f"sqlite+aiosqlite:///{file}", tmp_path / "data", file)
    await (await database.open()).aclose()
    assert await _run(database, _revision) == head_revision()
    assert list(elsewhere.iterdir()) == []


def test_every_migration_file_ships_in_the_package() -> None:
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["db"]
    files = [
        path.relative_to(ROOT / "db").as_posix()
        for path in MIGRATIONS.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert "migrations/versions/0001_history.py" in files
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in package_data), name
