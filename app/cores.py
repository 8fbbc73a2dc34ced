"""How a process that coaches many people at once (the bot) spends its cores and its memory.

The coach's CPU work (the safety screen, the built-in classifier, phrasing) runs in the event
loop's default executor, so the loop keeps answering Discord meanwhile. For one person at a time
(the terminal) numpy's defaults are right: one story's sentences are encoded with a BLAS thread
per core. For many people at once they are not: each screening thread would start a BLAS thread
per core, the cores are oversubscribed and OpenBLAS's waiting threads spin. So here the stories
run side by side instead, one per core: BLAS keeps one thread per call, and the executor has one
thread per core. bench/interactions.py (50 LLM coachings at once, 2 cores): 6.8 CPU seconds in
the bot before, 4.4 with single-threaded BLAS.

The heap is not frozen (`gc.freeze()`): it shortened full collections (760 ms at worst to
270 ms), but it changes when garbage is finalized, and an old database connection's finalizer
then scheduled a close that never completed, hanging a test run's teardown.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

# Coachings working at once in the bot (CoachService's `at_once`; the LLM's latency is waited
# outside it). Chosen on bench/interactions.py (N = 200 with the LLM stand-in, 2 cores).
AT_ONCE = 48


def cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def side_by_side() -> Iterator[None]:
    """Within: BLAS one thread per call and the running loop's default executor one thread per
    core. Call from inside the loop."""
    executor = ThreadPoolExecutor(max_workers=cores(), thread_name_prefix="coach-cpu")
    asyncio.get_running_loop().set_default_executor(executor)
    with threadpool_limits(limits=1, user_api="blas"):
        yield

