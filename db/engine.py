"""The async engine for a database URL: SQLite through aiosqlite, PostgreSQL through asyncpg.

SQLite is set up on every connection (an event listener): WAL, so readers never wait for the
writer; `foreign_keys=ON`; a 30 s busy timeout, so another process's write is waited for, not
reported as "database is locked"; and `secure_delete=ON`, so deleted rows are overwritten with
zeros in the file, not merely unlinked (see `SqlHistoryStore.forget`).

SQLAlchemy, not the sqlite3 driver, emits BEGIN (the driver's legacy mode skips it before a
SELECT and before DDL): a connection given the execution option `sqlite_begin="IMMEDIATE"`
takes SQLite's write lock when its transaction begins, so a write transaction never has to
upgrade a read snapshot, the one case the busy timeout cannot wait out.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

BUSY_TIMEOUT_S = 30.0
SQLITE_BEGIN = "sqlite_begin"  # execution option: "DEFERRED" (the default) or "IMMEDIATE"
_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})


def async_url(url: str | URL) -> URL:
    """`url` with its async driver: `sqlite://` → aiosqlite, `postgresql://` → asyncpg."""
    parsed = make_url(url)
    if parsed.drivername == "postgres":  # the spelling some hosts hand out
        parsed = parsed.set(drivername="postgresql")
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.get_driver_name() != "aiosqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend == "postgresql" and parsed.get_driver_name() != "asyncpg":
        return parsed.set(drivername="postgresql+asyncpg")
    return parsed


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str | URL, **engine_kwargs: Any) -> AsyncEngine:
    """An engine for `url` (SQLite file or PostgreSQL), set up as the module docstring says."""
    parsed = async_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine_kwargs.setdefault("connect_args", {}).setdefault("timeout", BUSY_TIMEOUT_S)
        engine = create_async_engine(parsed, **engine_kwargs)
        _set_up_sqlite(engine)
        return engine
    if backend == "postgresql":
        engine_kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(parsed, **engine_kwargs)
    raise ValueError(f"unsupported database (use sqlite or postgresql): {backend}")


def _wal(cursor: Any) -> None:
    """Switch to WAL. On a new file several processes starting at once race for it, and SQLite
    answers "database is locked" there without waiting out the busy timeout: so wait here,
    within the same budget."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as error:  # sqlite3's, or the async driver's adapted OperationalError
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _set_up_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver no longer begins transactions on its own; `_on_begin` does.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            _wal(cursor)
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")  # safe with WAL
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = str(connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")).upper()
        if mode not in _BEGIN_MODES:
            raise ValueError(f"unknown SQLite BEGIN mode: {mode}")
        connection.exec_driver_sql(f"BEGIN {mode}")
