"""Offline coach latency: p50/p95/p99 per text, texts/second, startup cost and peak RSS.

Runs CoachService with the built-in OfflineClassifier (the whole path an adapter uses: clean,
screen, classify, phrase, guard), sequentially on one core, after a warm-up. Two sets:

- short: every dev case in tests/data/dev.jsonl, as written (crisis and abuse cases included,
  they stop at the safety screen);
- long: 4,000-character inputs (the input limit) built by concatenating safety-none dev texts,
  so the full classifier path runs on the largest text the coach accepts.

Each round times every text of a set REPEAT times; the figures printed are the median over
ROUNDS of each round's p50/p95/p99 and texts/second. Issue 12's budget (p95 <= 60 ms short,
<= 400 ms at 4,000 characters; first answer <= 2 s; RSS <= 350 MB) is printed next to each
figure, with the share of the time the sentence encoder takes; the exit code is 0 either way
(this is a measurement, not a test).

Loop blocking: while each coaching runs, a heartbeat task on the same event loop asks to wake
every millisecond; the longest wait past its due time is how long the loop could not answer
anyone else (a bot's other users, its gateway heartbeat). Screening and classification run in
a worker thread, so what remains is the service's own work on the loop and the GIL the thread
holds between switches (`sys.getswitchinterval()`, 5 ms by default).

    .venv/bin/python bench/coach_latency.py

Environment (all optional): ROUNDS (default 5), REPEAT (passes over the short set per round,
default 10), REPEAT_LONG (passes over the long set per round, default 3), LONG_TEXTS (default
20), CASES (default tests/data/dev.jsonl).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._measuring import percentile, pin_to_one_core  # noqa: E402

# Issue 12's budget, on one core.
TARGET_P95_MS = {"short": 60.0, "long": 400.0}
TARGET_FIRST_ANSWER_S = 2.0
TARGET_RSS_MB = 350.0
MAX_CHARS = 4000


@dataclass(frozen=True)
class Round:
    p50: float
    p95: float
    p99: float
    per_second: float


def _long_texts(texts: list[str], count: int) -> list[str]:
    """`count` inputs of exactly MAX_CHARS characters, each starting at a different dev text."""
    out: list[str] = []
    for start in range(count):
        parts: list[str] = []
        size = 0
        i = start
        while size < MAX_CHARS:
            part = texts[i % len(texts)]
            parts.append(part)
            size += len(part) + 1
            i += 1
        text = " ".join(parts)[:MAX_CHARS]
        if text[-1].isspace():
            text = text[:-1] + "."
        out.append(text)
    return out


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes vs KiB


async def _loop_stall(service: Any, text: str) -> float:
    """The longest time, in ms, the event loop could not run a 1 ms heartbeat during one
    coaching."""
    worst = 0.0
    done = False

    async def heartbeat() -> None:
        nonlocal worst
        while not done:
            due = time.perf_counter() + 0.001
            await asyncio.sleep(0.001)
            worst = max(worst, time.perf_counter() - due)

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)  # let the heartbeat start before the coaching does
    await service.coach("bench", text)
    done = True
    await beat
    return worst * 1000


def main() -> int:
    rounds = int(os.environ.get("ROUNDS", "5"))
    repeat = int(os.environ.get("REPEAT", "10"))
    repeat_long = int(os.environ.get("REPEAT_LONG", "3"))
    long_count = int(os.environ.get("LONG_TEXTS", "20"))
    cases_path = Path(os.environ.get("CASES", ROOT / "tests" / "data" / "dev.jsonl"))
    pinned = pin_to_one_core()
    rss_before_import = _peak_rss_mb()

    t0 = time.perf_counter()
    from coaching.service import CoachService
    from coaching.taxonomy import Safety
    from coaching.understanding.offline import OfflineClassifier

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    classifier = OfflineClassifier()
    service = CoachService(classifier)
    t_build = time.perf_counter() - t0
    # The share of the time the sentence encoder takes: its one shared instance, timed.
    from coaching.reading.encoder import load_encoder

    encoder = load_encoder()
    encoding = [0.0]
    plain_encode = encoder.encode

    def timed_encode(texts: Any) -> Any:
        start = time.perf_counter()
        try:
            return plain_encode(texts)
        finally:
            encoding[0] += time.perf_counter() - start

    encoder.encode = timed_encode  # type: ignore[method-assign]

    cases = [
        json.loads(line)
        for line in cases_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    short = [c["text"] for c in cases]
    long = _long_texts([c["text"] for c in cases if c["safety"] == "none"], long_count)

    loop = asyncio.new_event_loop()
    t0 = time.perf_counter()
    loop.run_until_complete(service.coach("bench", short[0]))
    t_first = time.perf_counter() - t0

    async def timed(texts: list[str]) -> list[float]:
        out: list[float] = []
        for text in texts:
            # Each story as if new: the encoder's memory of recent sentences and the service's
            # of recent screens are for one story read twice, and the sets here repeat theirs.
            encoder.forget_recent()
            service.screens.forget()
            start = time.perf_counter_ns()
            await service.coach("bench", text)
            out.append((time.perf_counter_ns() - start) / 1e6)
        return out

    async def full_path_share(texts: list[str]) -> float:
        answers = [await service.coach("bench", t) for t in texts]
        return sum(a.safety is Safety.NONE for a in answers) / len(answers)

    # Warm-up: every text once (caches, branch predictors, lazily built regexes).
    loop.run_until_complete(timed(short + long))
    long_full = loop.run_until_complete(full_path_share(long))

    def run_round(texts: list[str], passes: int) -> Round:
        ms: list[float] = []
        encoding[0] = 0.0
        for _ in range(passes):
            ms.extend(loop.run_until_complete(timed(texts)))
        shares.append(encoding[0] * 1000 / sum(ms))
        ms.sort()
        return Round(
            p50=percentile(ms, 50),
            p95=percentile(ms, 95),
            p99=percentile(ms, 99),
            per_second=len(ms) / (sum(ms) / 1000),
        )

    print(
        f"repair-coach offline latency  (Python {platform.python_version()}, "
        f"{platform.machine()}, {pinned}, {rounds} rounds)"
    )
    print()
    print("startup (one-time, this process):")
    print(f"  import coaching            {t_import * 1000:8.1f} ms")
    print(f"  OfflineClassifier()        {t_build * 1000:8.1f} ms   (model and lexicon load)")
    print(f"  first coach() call         {t_first * 1000:8.1f} ms")
    first = t_import + t_build + t_first
    print(
        f"  total to first answer      {first * 1000:8.1f} ms   (target <= "
        f"{TARGET_FIRST_ANSWER_S:.0f} s: {'met' if first <= TARGET_FIRST_ANSWER_S else 'MISSED'})"
    )
    print()

    median_chars = statistics.median(map(len, short))
    sets = [
        (f"short (dev cases, n={len(short)}, median {median_chars:.0f} chars)", short, repeat),
        (
            f"long  ({len(long)} x {MAX_CHARS:,} chars, {long_full:.0%} reach the classifier)",
            long,
            repeat_long,
        ),
    ]
    for (title, texts, passes), key in zip(sets, ("short", "long"), strict=True):
        shares: list[float] = []
        per_round = [run_round(texts, passes) for _ in range(rounds)]
        p50 = statistics.median(r.p50 for r in per_round)
        p95 = statistics.median(r.p95 for r in per_round)
        p99 = statistics.median(r.p99 for r in per_round)
        rate = statistics.median(r.per_second for r in per_round)
        ok = p95 <= TARGET_P95_MS[key]
        print(f"{title}, {passes} passes a round")
        for i, r in enumerate(per_round, 1):
            print(
                f"  round {i}: p50 {r.p50:6.2f}  p95 {r.p95:6.2f}  p99 {r.p99:6.2f} ms"
                f"  {r.per_second:7.0f} texts/s"
            )
        print(
            f"  median:  p50 {p50:6.2f}  p95 {p95:6.2f}  p99 {p99:6.2f} ms"
            f"  {rate:7.0f} texts/s (one core, sequential)"
        )
        print(
            f"  target:  p95 <= {TARGET_P95_MS[key]:.0f} ms -> {'met' if ok else 'MISSED'} "
            f"({p95:.2f} ms); the encoder takes {statistics.median(shares):.0%} of the time"
        )
        print()

    for title, texts in (("short", short), ("long ", long)):
        stalls = [loop.run_until_complete(_loop_stall(service, t)) for t in texts * 3]
        stalls.sort()
        print(
            f"loop blocked per coaching, {title}: p50 {percentile(stalls, 50):6.2f}  "
            f"p95 {percentile(stalls, 95):6.2f}  max {stalls[-1]:6.2f} ms (longest stall)"
        )
    print()
    rss = _peak_rss_mb()
    print(
        f"peak RSS: {rss:.1f} MB (interpreter before importing the coach: "
        f"{rss_before_import:.1f} MB; target <= {TARGET_RSS_MB:.0f} MB: "
        f"{'met' if rss <= TARGET_RSS_MB else 'MISSED'})"
    )
    loop.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
