"""Bring a history database to the code's schema on start, or say in one line why not.

`upgrade_to_head(engine)` runs the Alembic migrations in `db/migrations/` (configured here in
code, so the working directory does not matter). A database already at head is left alone
after one read. Several processes may start at once: on PostgreSQL the check and the upgrade
run under a session advisory lock; on SQLite inside a `BEGIN IMMEDIATE` transaction (SQLite's
write lock), re-checked there. A database newer than the code, or one that cannot be read,
raises `HistoryUnavailable` with one line.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from coaching.ports import HistoryUnavailable
from db.engine import SQLITE_BEGIN, is_sqlite

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# pg_advisory_lock's key: any fixed 64-bit number, the same in every process of this app.
ADVISORY_LOCK_KEY = 0x7265_7061_6972_0014


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for the history, without an ini file; with `url` for alembic's
    own commands (`command.revision(alembic_config(url), autogenerate=True, ...)`)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Migrate the database behind `engine` to head (see the module docstring)."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        async with engine.connect() as connection:
            if is_sqlite(engine):
                await _upgrade_sqlite(connection)
            else:
                await _upgrade_locked(connection)
    except HistoryUnavailable:
        raise
    except DBAPIError as error:
        raise HistoryUnavailable(
            f"cannot read the history database {where}: {_first_line(error.orig)}"
        ) from None
    except (SQLAlchemyError, CommandError, OSError) as error:
        raise HistoryUnavailable(
            f"cannot prepare the history database {where}: {_first_line(error)}"
        ) from None


async def _upgrade_sqlite(connection: AsyncConnection) -> None:
    if await connection.run_sync(_is_at_head):
        await connection.rollback()
        return
    await connection.rollback()
    # Take the write lock, then look again: another process may have upgraded meanwhile.
    await connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    await connection.run_sync(_upgrade)
    await connection.commit()


async def _upgrade_locked(connection: AsyncConnection) -> None:
    if await connection.run_sync(_is_at_head):
        await connection.rollback()
        return
    await connection.rollback()
    await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    await connection.commit()  # the lock belongs to the session, not this transaction
    try:
        await connection.run_sync(_upgrade)
        await connection.commit()
    finally:
        await connection.rollback()
        await connection.execute(
            text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
        )
        await connection.commit()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _is_at_head(connection: Connection) -> bool:
    current = _current(connection)
    _refuse_unknown(current)
    return current == head_revision()


def _upgrade(connection: Connection) -> None:
    current = _current(connection)
    _refuse_unknown(current)
    if current == head_revision():
        return
    log.info("upgrading the history database from %s to %s", current, head_revision())
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _refuse_unknown(current: str | None) -> None:
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    try:
        known = script.get_revision(current) is not None
    except CommandError:
        known = False
    if not known:
        raise HistoryUnavailable(
            f"the history database is newer than this repair-coach (schema {current!r}); "
            "upgrade repair-coach, or point DATABASE_URL elsewhere"
        )


def _first_line(error: BaseException | None) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
