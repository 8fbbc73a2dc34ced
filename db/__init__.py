"""Per-user history in a SQL database: the `HistoryStore` port on SQLAlchemy 2.0 async.

`open_store(...)` is the one entry point the composition root needs: it migrates the
database (Alembic, `db/migrations/`), purges reports past retention and returns a
`SqlHistoryStore`. SQLite (the default, a file in the data folder) or PostgreSQL.
`SqlBotStore(history)` adds the Discord bot's ports (bot/ports.py) on the same engine.
"""

from db.bot_store import SqlBotStore
from db.crypto import NoDataKey, new_data_key
from db.open import default_data_dir, default_url, open_store
from db.store import SqlHistoryStore

__all__ = [
    "NoDataKey",
    "SqlBotStore",
    "SqlHistoryStore",
    "default_data_dir",
    "default_url",
    "new_data_key",
    "open_store",
]
