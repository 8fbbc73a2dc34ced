"""Sentence-encoder latency on one core: how long all-MiniLM-L6-v2 (numpy) takes per input shape,
what start-up costs and how much memory it holds.

Shapes, each timed REPEAT times per round over ROUNDS rounds (median and p95 of every run,
wall-clock and CPU time):

- one sentence of 21 tokens ([CLS] and [SEP] included);
- 300-character stories (the dev cases cut to 300 characters), as one text, and as their
  sentences in one `encode` call, which is how the safety screen reads a story;
- 32 sentences in one call;
- 4,000-character stories (the input limit, dev cases joined) as their sentences in one call.

Start-up is a fresh process: importing the `coaching` package (which the coach pays anyway),
then the encoder's own import, load and first encode of one sentence, with the RSS that adds;
medians of STARTS runs. Issue 12's budget is for the whole coach (p95 ≤ 60 ms for a
300-character story, ≤ 400 ms for 4,000 characters, start-up ≤ 2 s, RSS ≤ 350 MB); it is
printed beside the figures for scale. The exit code is 0 either way (a measurement, not a test).

    .venv/bin/python bench/encoder_latency.py

Environment (all optional): ROUNDS (default 5), REPEAT (default 5), STARTS (default 5).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.coach_latency import _pin_to_one_core  # noqa: E402

SENTENCE_21 = (
    "I told my husband I was nervous about the job interview and he went back to his phone."
)
STORY_CHARS = 300
MAX_CHARS = 4000
_START_UP = """
import resource, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
t0 = time.perf_counter()
import coaching  # the domain package, which the coach imports anyway
t1 = time.perf_counter()
before = rss()
from coaching.reading.encoder import load_encoder
load_encoder().encode([{sentence!r}])
t2 = time.perf_counter()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(t1 - t0, t2 - t1, rss() - before, peak)
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _time(work: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of `runs` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        work()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return wall, cpu


def _stories(texts: list[str], size: int, count: int) -> list[str]:
    """`count` stories of `size` characters, each starting at a different dev text."""
    out: list[str] = []
    for start in range(count):
        parts: list[str] = []
        total, i = 0, start
        while total < size:
            parts.append(texts[i % len(texts)])
            total += len(parts[-1]) + 1
            i += 1
        out.append(" ".join(parts)[:size].rstrip() + ".")
    return out


def main() -> int:
    rounds = int(os.environ.get("ROUNDS", "5"))
    repeat = int(os.environ.get("REPEAT", "5"))
    starts = int(os.environ.get("STARTS", "5"))
    pinned = _pin_to_one_core()

    package, startup, added, startup_rss = [], [], [], []
    for _ in range(starts):
        done = subprocess.run(
            [sys.executable, "-c", _START_UP.format(sentence=SENTENCE_21)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        domain, took, grew, peak = (float(x) for x in done.stdout.split())
        package.append(domain * 1000)
        startup.append(took * 1000)
        added.append(grew)
        startup_rss.append(peak)

    from coaching.reading.encoder import load_encoder
    from coaching.reading.sentences import sentences

    encoder = load_encoder()
    cases_path = ROOT / "tests" / "data" / "dev.jsonl"
    dev = [json.loads(line)["text"] for line in cases_path.read_text().splitlines() if line]
    short = _stories(dev, STORY_CHARS, 20)
    long = _stories(dev, MAX_CHARS, 10)
    all_sentences = [s for text in dev for s in sentences(text)]
    (tokens,) = encoder.token_counts([SENTENCE_21])
    short_sentences = statistics.median(len(sentences(s)) for s in short)
    long_sentences = statistics.median(len(sentences(s)) for s in long)

    shapes: dict[str, list[Callable[[], object]]] = {
        f"one sentence ({tokens} tokens)": [lambda: encoder.encode([SENTENCE_21])],
        "300-char story, one text": [lambda s=s: encoder.encode([s]) for s in short],  # type: ignore[misc]
        f"300-char story, its sentences (median {short_sentences:g})": [
            lambda s=s: encoder.encode(sentences(s))  # type: ignore[misc]
            for s in short
        ],
        "32 sentences, one call": [
            lambda i=i: encoder.encode(all_sentences[i : i + 32])  # type: ignore[misc]
            for i in range(0, 32 * 10, 32)
        ],
        f"4,000-char story, its sentences (median {long_sentences:g})": [
            lambda s=s: encoder.encode(sentences(s))  # type: ignore[misc]
            for s in long
        ],
    }
    for works in shapes.values():  # warm-up: page in the weights and the tokenizer's caches
        for work in works:
            work()

    print(
        f"all-MiniLM-L6-v2, numpy {__import__('numpy').__version__}, {pinned}, "
        f"{platform.processor() or platform.machine()}, {rounds} rounds x {repeat} runs"
    )
    print(f"{'shape':<44} {'wall p50':>9} {'wall p95':>9} {'cpu p50':>9}   (ms)")
    for name, works in shapes.items():
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(rounds):
            for work in works:
                w, c = _time(work, repeat)
                wall += w
                cpu += c
        print(
            f"{name:<44} {statistics.median(wall):9.1f} {_percentile(wall, 95):9.1f} "
            f"{statistics.median(cpu):9.1f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"start-up in a fresh process, medians: importing the coaching package "
        f"{statistics.median(package):.0f} ms, then the encoder (import, load, first encode) "
        f"{statistics.median(startup):.0f} ms, adding {statistics.median(added):.0f} MB of RSS "
        f"(process peak {statistics.median(startup_rss):.0f} MB); "
        f"peak RSS after this whole run {peak:.0f} MB"
    )
    print(
        "issue 12's budget for the whole coach: p95 <= 60 ms (300 chars), <= 400 ms "
        "(4,000 chars), start-up <= 2 s, RSS <= 350 MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
