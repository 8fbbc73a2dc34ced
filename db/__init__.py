"""Per-user history: SQLAlchemy 2.0 async models, repositories, Alembic migrations.

Arrives with its issue.
"""
