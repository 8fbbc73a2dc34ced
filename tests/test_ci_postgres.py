"""The test command gives the tests a real PostgreSQL server (scripts/postgres.sh).

`scripts/test` starts a throwaway server on 127.0.0.1 and exports its URL in
REPAIR_COACH_TEST_DATABASE_URL. Where it cannot, it says why in
REPAIR_COACH_TEST_DATABASE_MISSING, and this test skips with that reason on a developer's
machine but fails as root or with CI=true: CI runs as root, and there the PostgreSQL half of the
suite must run, not skip.
"""

from __future__ import annotations

import os

import pytest


def _server_required() -> bool:
    return os.geteuid() == 0 or os.environ.get("CI", "").lower() in {"1", "true", "yes"}


async def test_the_test_postgres_server_answers() -> None:
    url = os.environ.get("REPAIR_COACH_TEST_DATABASE_URL")
    if not url:
        why = os.environ.get(
            "REPAIR_COACH_TEST_DATABASE_MISSING",
            "REPAIR_COACH_TEST_DATABASE_URL is not set (run the tests with scripts/test)",
        )
        if _server_required():
            pytest.fail(f"no PostgreSQL server for the tests (root or CI=true needs one): {why}")
        pytest.skip(f"no PostgreSQL server for the tests: {why}")
    asyncpg = pytest.importorskip("asyncpg", reason="asyncpg is not installed")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    connection = await asyncpg.connect(dsn, timeout=10)
    try:
        assert await connection.fetchval("SELECT 1") == 1
    finally:
        await connection.close()
