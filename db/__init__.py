"""Per-user history: SQLAlchemy 2.0 async models, repositories and Alembic migrations. Arrives with its issue."""
