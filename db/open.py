"""Opening the history: defaults, keys, migration and retention, in one call."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from coaching.ports import HistoryUnavailable
from db.crypto import load_keys
from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.store import SqlHistoryStore

APP_NAME = "repair-coach"
DEFAULT_RETENTION_DAYS = 365


def default_data_dir() -> Path:
    """The platform's user data folder for the app (REPAIR_COACH_DATA_DIR's default)."""
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_url(data_dir: Path) -> str:
    """DATABASE_URL's default: a SQLite file `history.db` in the data folder."""
    return f"sqlite+aiosqlite:///{(data_dir / 'history.db').resolve()}"


async def open_store(
    url: str | None = None,
    data_dir: Path | str | None = None,
    data_key: str | None = None,
    retention_days: int | None = DEFAULT_RETENTION_DAYS,
) -> SqlHistoryStore:
    """The history store, migrated to head and purged of reports past retention.

    - `url` (DATABASE_URL): `sqlite+aiosqlite:///path` or `postgresql+asyncpg://…` (plain
      `sqlite://` and `postgresql://` get those drivers). None or "": `default_url(data_dir)`.
    - `data_dir` (REPAIR_COACH_DATA_DIR): where the default database and the generated hash
      key (`hash.key`, mode 0600) live. None or "": `default_data_dir()`. Created (0700)
      when missing.
    - `data_key` (REPAIR_COACH_DATA_KEY, a secret): a Fernet key, or several separated by
      commas (the first encrypts). Needed for `keep_text`; when set and no `hash.key` exists
      yet, the hash key is derived from it instead of generated. None or "": no encryption.
    - `retention_days` (REPAIR_COACH_RETENTION_DAYS, default 365): reports older than this
      are deleted now; None or 0 keeps everything.

    Raises `HistoryUnavailable` with one line when the database cannot be read, is newer than
    the code, was written with another hash key, or the data key is malformed; the caller
    then runs without history. Close the store with `await store.aclose()`.
    """
    folder = Path(data_dir) if data_dir else default_data_dir()
    keys = load_keys(folder, data_key or None)
    engine_url = url or default_url(folder)
    _prepare_sqlite_file(engine_url)
    try:
        engine = make_engine(engine_url)
    except (ArgumentError, ValueError, ImportError) as error:
        raise HistoryUnavailable(f"DATABASE_URL cannot be used: {error}") from None
    try:
        await upgrade_to_head(engine)
        store = SqlHistoryStore(engine, keys)
        await store.check_keys()
        if retention_days:
            await store.purge_before(datetime.now(UTC) - timedelta(days=retention_days))
    except BaseException:
        await engine.dispose()
        raise
    return store


def _prepare_sqlite_file(url: str) -> None:
    """A SQLite file's folder exists (0700) and a new file is made private (0600) before
    SQLite creates it; its -wal and -shm files take the same mode."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise HistoryUnavailable("DATABASE_URL is not a database URL") from None
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return
    path = Path(parsed.database)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    except OSError as error:
        raise HistoryUnavailable(
            f"cannot create the history database {path}: {error.strerror}"
        ) from None
