"""app/cores.py: how the bot's process runs many people's stories side by side."""

from __future__ import annotations

import asyncio
import os
import threading

import numpy  # noqa: F401  (loaded, so threadpoolctl sees its BLAS)
from threadpoolctl import threadpool_info

from app.cores import cores, side_by_side


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


async def test_within_blas_is_single_threaded_and_the_executor_has_a_thread_per_core() -> None:
    before = _blas_threads()
    assert before, "numpy's BLAS should be visible to threadpoolctl"
    with side_by_side():
        assert _blas_threads() == [1] * len(before)
        names = await asyncio.gather(
            *(asyncio.to_thread(lambda: threading.current_thread().name) for _ in range(50))
        )
        workers = {name for name in names if name.startswith("coach-cpu")}
        assert len(names) == 50 and workers == set(names)
        assert 1 <= len(workers) <= cores()
    assert _blas_threads() == before


def test_cores_is_at_most_the_machines() -> None:
    assert 1 <= cores() <= (os.cpu_count() or 1)
