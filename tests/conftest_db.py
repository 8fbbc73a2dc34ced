"""Shared plumbing for the history database tests (tests/test_db_*.py).

Every test gets its own database: a SQLite file under `tmp_path`, or, when
`REPAIR_COACH_TEST_DATABASE_URL` names a PostgreSQL server (`postgresql+asyncpg://…`), a
throwaway database created on it for the test and dropped after. Without that variable the
PostgreSQL cases skip and say why.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from coaching.history.records import Offered, PatternSeen, Report
from coaching.taxonomy import Moment, PatternId, Safety, Style
from db import SqlHistoryStore, new_data_key, open_store
from db.engine import async_url, make_engine

PG_VARIABLE = "REPAIR_COACH_TEST_DATABASE_URL"
KINDS = ["sqlite", "postgresql"]
DATA_KEY = new_data_key()
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Database:
    kind: str  # "sqlite" | "postgresql"
    url: str
    data_dir: Path
    file: Path | None  # the SQLite file

    async def open(
        self, data_key: str | None = DATA_KEY, retention_days: int | None = None
    ) -> SqlHistoryStore:
        return await open_store(self.url, self.data_dir, data_key, retention_days)


def skip_without_postgresql() -> None:
    if not os.environ.get(PG_VARIABLE):
        why = os.environ.get(
            "REPAIR_COACH_TEST_DATABASE_MISSING",  # scripts/postgres.sh's reason, when it has one
            "run the tests with scripts/test, or set it to a postgresql+asyncpg:// URL of a "
            "server that may create databases",
        )
        pytest.skip(f"PostgreSQL case skipped: {PG_VARIABLE} is not set ({why})")


async def _admin(statement: str) -> None:
    engine = make_engine(os.environ[PG_VARIABLE], isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(params=KINDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database of each kind (PostgreSQL only when the variable is set)."""
    data_dir = tmp_path / "data"
    if request.param == "sqlite":
        file = data_dir / "history.db"
        yield Database("sqlite", f"sqlite+aiosqlite:///{file}", data_dir, file)
        return
    skip_without_postgresql()
    name = f"repair_coach_test_{secrets.token_hex(6)}"
    await _admin(f'CREATE DATABASE "{name}"')
    url = async_url(os.environ[PG_VARIABLE]).set(database=name)
    try:
        yield Database("postgresql", url.render_as_string(hide_password=False), data_dir, None)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def store(database: Database) -> AsyncIterator[SqlHistoryStore]:
    """A migrated store with a data key, on each kind of database."""
    opened = await database.open()
    try:
        yield opened
    finally:
        await opened.aclose()


def report(
    report_id: str = "r1",
    user_id: str = "alice",
    at: datetime = NOW,
    *,
    story: str | None = None,
    offered: tuple[str, ...] = ("Could we talk about it tonight?",),
    patterns: tuple[PatternId, ...] = (PatternId.MINIMIZING,),
    evidence: tuple[str, ...] = (),
) -> Report:
    return Report(
        report_id=report_id,
        user_id=user_id,
        at=at,
        safety=Safety.NONE,
        safety_check_asked=False,
        rupture=True,
        writer_role="hurt",
        moment=Moment.VULNERABILITY_DISMISSED,
        patterns=tuple(PatternSeen(p, 0.5) for p in patterns),
        classifier="offline",
        offered=tuple(Offered(Style.GENTLE, "gentle.minimizing", t) for t in offered),
        story=story,
        evidence=evidence,
    )


def day(n: int) -> datetime:
    return NOW + timedelta(days=n)


def file_bytes(database: Database) -> bytes:
    """The SQLite database file and its -wal file, as they are on disk."""
    assert database.file is not None
    wal = database.file.with_name(database.file.name + "-wal")
    return database.file.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def sqlite_only(database: Database) -> None:
    if database.kind != "sqlite":
        pytest.skip("scans the bytes of a SQLite file")
