"""What the timing benches share: running on one core, and nearest-rank percentiles."""

from __future__ import annotations

import os


def pin_to_one_core(*, last: bool = False) -> str:
    """Pin this process to one CPU (the first, or with `last` the last one, so two benches on
    a shared machine do not pile onto one core) and keep BLAS and the tokenizer to one thread.
    Call before numpy and tokenizers are first imported. Says what it did, for the report."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        cpus = os.sched_getaffinity(0)
        cpu = max(cpus) if last else min(cpus)
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError) as error:  # not Linux, or not allowed
        return f"not pinned ({error.__class__.__name__})"


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, round(q / 100 * len(sorted_ms)))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]
