"""Transactions on the history database, shared by every store on one engine.

`SqlHistoryStore` (db/store.py) and `SqlBotStore` (db/bot_store.py) work on the same engine,
so they must share one SQLite write lock: two locks would let two writers reach SQLite at
once. Why a lock plus `BEGIN IMMEDIATE` (and not retries) is explained in db/store.py's
docstring; this module is only where that approach lives.

Database errors become `HistoryUnavailable` naming the action and the error's type only; the
error itself (whose text can hold SQL parameters, i.e. a person's data) goes to DEBUG.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager, nullcontext
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from coaching.ports import HistoryUnavailable
from db.engine import SQLITE_BEGIN, is_sqlite

log = logging.getLogger("db.store")  # the history's logger, whichever store failed


class Sessions:
    """Read and write transactions on one engine, with its one SQLite write lock."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sqlite = is_sqlite(engine)
        self._maker = async_sessionmaker(engine, expire_on_commit=False)
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None

    def insert(self, model: type[Any]) -> Any:
        """INSERT with ON CONFLICT for this dialect (both spell it the same way)."""
        return sqlite_insert(model) if self.sqlite else pg_insert(model)

    def write_lock(self) -> AbstractAsyncContextManager[Any]:
        """The SQLite write lock (one per engine and event loop); nothing on PostgreSQL."""
        if not self.sqlite:
            return nullcontext()
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    @asynccontextmanager
    async def writing(self, action: str, *, locked: bool = False) -> AsyncIterator[AsyncSession]:
        """One write transaction (committed on leaving), under the SQLite write lock unless
        the caller holds it already."""
        async with nullcontext() if locked else self.write_lock():
            with failures(action):
                async with self._maker.begin() as session:
                    await session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})
                    yield session

    @asynccontextmanager
    async def reading(self, action: str) -> AsyncIterator[AsyncSession]:
        with failures(action):
            async with self._maker() as session:
                yield session


@contextmanager
def failures(action: str) -> Iterator[None]:
    """Database errors → HistoryUnavailable naming the action and the error type only."""
    try:
        yield
    except SQLAlchemyError as error:
        log.debug("history: %s failed", action, exc_info=True)
        raise HistoryUnavailable(f"history {action} failed ({type(error).__name__})") from None
    except OSError as error:
        log.debug("history: %s failed", action, exc_info=True)
        raise HistoryUnavailable(f"history {action} failed ({type(error).__name__})") from None
