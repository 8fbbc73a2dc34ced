"""History at scale (SQLite): the lookup the coach does per coaching, whole-coaching latency,
and writes per second under concurrency, for a person with 10, 1,000 and 100,000 past reports.

A SQLite file in a temporary data folder (`open_store(url, data_dir, ...)`, as
REPAIR_COACH_DATA_DIR would give), filled like this:

- template reports: the first dev cases (tests/data/dev.jsonl) coached once through
  `CoachService` with the offline classifier and recorded by the store, so patterns, offered
  phrasings and their keyed hashes are what the coach really writes (safety answers included);
- each measured person gets N reports cloned from those templates with SQLAlchemy core on the
  store's engine (the same rows `save_report` writes, with new ids and times; for speed), then
  read back through the store: the count, one clone compared with its template field by field,
  and `offered_before` finding a cloned phrasing;
- OTHERS other people with their own reports, so the table is not one person's.

Three cases per N (the window is the coach's 30 days):

- typical: most reports older than the window (spread over 31..364 days ago, inside the
  default 365-day retention), min(20, N // 3) (at least 1) inside it;
- returning: the same person coming back after a month (the service's clock is moved 31 days
  on per coaching, so no report is ever inside the window): nothing in the window to read, but
  the service then asks `reports_since(user, epoch)` to decide whether this is the first
  recording (`CoachService._recorded`), which reads the whole history;
- window (worst case): all N reports inside the last 29 days, N up to --window-max (10,000 by
  default: 100,000 stories in a month is not a person; `read all` at N = 100,000 shows what
  loading that many costs).

Per case: the history lookup one coaching does, through the store's public methods in the
order `CoachService` calls them (`settings`, `reports_since(now - window)`, then
`offered_before` with the texts a real coaching asked about), and the whole
`CoachService.coach(user, story)` with the offline classifier (it records a report, as it
does for a person). Each story is coached with no history and at once with the person's, so
a shared machine's load drifting hits both alike; `+hist` is the median of those paired
differences. Figures are the median and nearest-rank p95 over RUNS timings after a warm-up
(3 lookups per coaching; fewer when one timing takes seconds: at least 3, within --budget).
The sentence encoder's memory of recent texts is cleared before each coaching, as
bench/coach_latency.py does. The process is pinned to one core.

Writes: C concurrent `coach` calls across 20 new people, then S concurrent `save_report` calls
across 20 others; reports/s of the wall time and the count read back through the store.

Targets (issue): the lookup stays under 5 ms at 100,000 reports (judged on the typical case's
p95 at the largest N), and coaching latency does not grow with history (judged on the typical
case: the time a coaching spends inside the store's methods, p50, at the largest N at most
5 ms above that of the smallest N with as many reports in the window, i.e. N = 1,000; timed
inside the coaching, it is not swamped by the classifier's CPU time the way whole-coaching
figures are on a shared machine; `+hist` is printed next to it). The exit code is 0 either
way, unless the filled history did not read back as written (then the figures mean nothing: 1).

    .venv/bin/python bench/history_scale.py            # full: a few minutes
    .venv/bin/python bench/history_scale.py --quick    # smoke check: under a minute
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Table, func, insert, select  # noqa: E402

from bench._measuring import percentile, pin_to_one_core  # noqa: E402
from coaching.history.records import Report, UserSettings  # noqa: E402
from coaching.history.recurring import WINDOW  # noqa: E402
from coaching.reading.encoder import load_encoder  # noqa: E402
from coaching.service import CoachService  # noqa: E402
from coaching.understanding.offline import OfflineClassifier  # noqa: E402
from db import SqlHistoryStore, open_store  # noqa: E402
from db.models import OfferedPhrasing, ReportPattern, RuptureReport, UserProfile  # noqa: E402

TARGET_LOOKUP_MS = 5.0  # p95 at the largest N, typical case
TARGET_GROWTH_MS = 5.0  # what history adds to a coaching, largest N over N = 10, typical case
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CHUNK = 5_000  # reports per INSERT batch
CONCURRENT_USERS = 20
TEMPLATES = 60  # dev cases coached for template reports (quick: 30)
STORIES = 5

RR = cast(Table, RuptureReport.__table__)
RP = cast(Table, ReportPattern.__table__)
OP = cast(Table, OfferedPhrasing.__table__)


@dataclass(frozen=True)
class Stats:
    p50: float
    p95: float
    runs: int


@dataclass(frozen=True)
class Template:
    report: Report  # as the store reads it back (texts not decrypted)
    values: dict[str, Any]  # rupture_report columns but id, user_id, report_id, reported_at
    patterns: list[dict[str, Any]]  # report_pattern rows without report_id
    offered: list[dict[str, Any]]  # offered_phrasing rows without report_id, user_id


@dataclass
class Row:
    case: str
    n: int
    in_window: int
    lookup: Stats | None = None
    parts: tuple[float, float, float] = (0.0, 0.0, 0.0)  # settings, reports, offered p50
    coach: Stats | None = None
    plain: Stats | None = None  # the same stories with no history, paired run by run
    overhead: float = 0.0  # median of (with history - without), ms
    in_store: Stats | None = None  # time inside the store's methods per coaching


def _stats(ms: list[float]) -> Stats:
    ms = sorted(ms)
    return Stats(p50=statistics.median(ms), p95=percentile(ms, 95), runs=len(ms))


async def _timed_runs(
    run: Callable[[int], Awaitable[Any]], runs: int, budget_s: float, warm_up: int = 1
) -> list[float]:
    """`run(i)` timed in ms, `runs` times after up to `warm_up` untimed calls (one when a call
    takes over a fifth of the budget); stops early once the budget is spent and at least 3
    timings are in."""
    for i in range(warm_up):
        t0 = time.perf_counter()
        await run(-1 - i)
        if time.perf_counter() - t0 > budget_s / 5:
            break
    out: list[float] = []
    start = time.perf_counter()
    for i in range(runs):
        t0 = time.perf_counter()
        await run(i)
        out.append((time.perf_counter() - t0) * 1000)
        if len(out) >= 3 and time.perf_counter() - start > budget_s:
            break
    return out


# --- filling the history --------------------------------------------------------------------


async def _templates(
    store: SqlHistoryStore, classifier: OfflineClassifier, texts: list[str]
) -> tuple[list[Template], list[list[str]]]:
    """Coach `texts` for a template person and read the rows the store wrote; also the text
    lists the coach asked `offered_before` about."""
    asked: list[list[str]] = []
    plain = store.offered_before

    async def recording(user_id: str, texts: Sequence[str], since: datetime) -> set[str]:
        asked.append(list(texts))
        return await plain(user_id, texts, since)

    store.offered_before = recording  # type: ignore[method-assign]
    try:
        service = CoachService(classifier, history=store)
        for text in texts:
            await service.coach("template", text)
    finally:
        del store.offered_before  # back to the method
    reports = {r.report_id: r for r in await store.reports_since("template", EPOCH)}
    async with store.engine.connect() as conn:
        rows = (
            (
                await conn.execute(
                    select(RR).where(RR.c.report_id.in_(list(reports))).order_by(RR.c.id)
                )
            )
            .mappings()
            .all()
        )
        ids = [row["id"] for row in rows]
        patterns = (await conn.execute(select(RP).where(RP.c.report_id.in_(ids)))).mappings()
        offered = (await conn.execute(select(OP).where(OP.c.report_id.in_(ids)))).mappings()
        by_report_p: dict[int, list[dict[str, Any]]] = {}
        for p in patterns:
            by_report_p.setdefault(p["report_id"], []).append(
                {k: v for k, v in p.items() if k != "report_id"}
            )
        by_report_o: dict[int, list[dict[str, Any]]] = {}
        for o in offered:
            by_report_o.setdefault(o["report_id"], []).append(
                {k: v for k, v in o.items() if k not in ("report_id", "user_id")}
            )
    skip = ("id", "user_id", "report_id", "reported_at")
    templates = [
        Template(
            report=reports[row["report_id"]],
            values={k: v for k, v in row.items() if k not in skip},
            patterns=by_report_p.get(row["id"], []),
            offered=by_report_o.get(row["id"], []),
        )
        for row in rows
    ]
    return templates, [texts for texts in asked if texts]


def _times(n: int, in_window: int, now: datetime, rng: random.Random) -> list[datetime]:
    """`in_window` times inside the last 29 days, the rest 31..364 days ago; oldest first."""
    day = 86400.0
    recent = [now - timedelta(seconds=rng.uniform(60, 29 * day)) for _ in range(in_window)]
    old = [now - timedelta(seconds=rng.uniform(31 * day, 364 * day)) for _ in range(n - in_window)]
    return sorted(recent + old)


async def _fill(
    store: SqlHistoryStore,
    user: str,
    times: list[datetime],
    templates: list[Template],
    rng: random.Random,
) -> tuple[str, Template]:
    """The person's profile through the store, then one cloned report per time through core.
    Returns the last report's id and its template (for the read-back check)."""
    await store.save_settings(user, UserSettings())
    engine = store.engine
    async with engine.connect() as conn:
        # The newest profile is this person's: the bench fills one person at a time.
        user_pk = (await conn.execute(select(func.max(UserProfile.id)))).scalar_one()
        next_id = ((await conn.execute(select(func.max(RuptureReport.id)))).scalar() or 0) + 1
    last = ("", templates[0])
    for start in range(0, len(times), CHUNK):
        reports: list[dict[str, Any]] = []
        patterns: list[dict[str, Any]] = []
        offered: list[dict[str, Any]] = []
        for at in times[start : start + CHUNK]:
            template = templates[rng.randrange(len(templates))]
            report_id = uuid.uuid4().hex
            reports.append(
                {
                    **template.values,
                    "id": next_id,
                    "user_id": user_pk,
                    "report_id": report_id,
                    "reported_at": at,
                }
            )
            patterns.extend({**p, "report_id": next_id} for p in template.patterns)
            offered.extend(
                {**o, "report_id": next_id, "user_id": user_pk} for o in template.offered
            )
            last = (report_id, template)
            next_id += 1
        async with engine.begin() as conn:
            await conn.execute(insert(RR), reports)
            if patterns:
                await conn.execute(insert(RP), patterns)
            if offered:
                await conn.execute(insert(OP), offered)
    return last


async def _read_back(
    store: SqlHistoryStore,
    user: str,
    n: int,
    last: tuple[str, Template],
    asked: list[list[str]],
) -> tuple[bool, float]:
    """Whether the store reads the person's history as written; and how long reading all of
    it took (ms)."""
    t0 = time.perf_counter()
    reports = await store.reports_since(user, EPOCH)
    full_ms = (time.perf_counter() - t0) * 1000
    report_id, template = last
    clone = next((r for r in reports if r.report_id == report_id), None)
    same = clone is not None and clone == dataclasses.replace(
        template.report, report_id=report_id, user_id=user, at=clone.at
    )
    texts = sorted({t for texts in asked for t in texts})
    found = await store.offered_before(user, texts, EPOCH)
    ok = len(reports) == n and same and bool(found)
    if not ok:
        print(
            f"  READ-BACK MISMATCH for {user}: {len(reports)}/{n} reports, clone equal: "
            f"{same}, offered_before found {len(found)}"
        )
    return ok, full_ms


# --- measuring ------------------------------------------------------------------------------


async def _lookup(
    store: SqlHistoryStore, user: str, texts: list[str], now: datetime
) -> tuple[float, float, float]:
    """What one coaching reads, as `CoachService` asks for it; ms per part."""
    t0 = time.perf_counter()
    await store.settings(user)
    t1 = time.perf_counter()
    since = now - WINDOW
    await store.reports_since(user, since)
    t2 = time.perf_counter()
    await store.offered_before(user, texts, since)
    t3 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000


class _StoreTime:
    """Time spent inside the store's port methods, summed in `ms` (wrappers set on the store
    instance, so the service's calls are timed as they are made)."""

    METHODS = ("settings", "reports_since", "offered_before", "save_report")

    def __init__(self, store: SqlHistoryStore) -> None:
        self.ms = 0.0
        for name in self.METHODS:
            setattr(store, name, self._timed(getattr(store, name)))

    def _timed(self, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                self.ms += (time.perf_counter() - t0) * 1000

        return timed


class _Clock:
    """`now`, moved on by `step` at every reading (the returning case: a month per coaching)."""

    def __init__(self, start: datetime, step: timedelta) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


async def _measure_case(
    row: Row,
    store: SqlHistoryStore,
    user: str,
    service: CoachService,
    plain: CoachService,
    stories: list[str],
    asked: list[list[str]],
    args: argparse.Namespace,
    store_time: _StoreTime,
    lookup: bool = True,
) -> None:
    """The lookup (unless not asked), then coachings: each story coached with no history and
    at once with this person's, so load drifting on a shared machine hits both alike."""
    encoder = load_encoder()
    if lookup:
        parts: list[tuple[float, float, float]] = []

        async def one_lookup(i: int) -> None:
            parts.append(await _lookup(store, user, asked[i % len(asked)], datetime.now(UTC)))

        totals = await _timed_runs(one_lookup, args.runs * 3, args.budget)
        timed = parts[-len(totals) :]
        row.lookup = _stats(totals)
        row.parts = (
            statistics.median(p[0] for p in timed),
            statistics.median(p[1] for p in timed),
            statistics.median(p[2] for p in timed),
        )

    without: list[float] = []

    async def one_coaching(i: int) -> None:
        story = stories[i % len(stories)]
        encoder.forget_recent()
        plain.screens.forget()  # each story as if new, as bench/coach_latency.py does
        t0 = time.perf_counter()
        await plain.coach(user, story)
        if i >= 0:
            without.append((time.perf_counter() - t0) * 1000)
        encoder.forget_recent()
        service.screens.forget()
        store_time.ms = 0.0
        t0 = time.perf_counter()
        await service.coach(user, story)
        if i >= 0:
            with_history.append((time.perf_counter() - t0) * 1000)
            in_store.append(store_time.ms)

    with_history: list[float] = []
    in_store: list[float] = []
    await _timed_runs(one_coaching, args.runs, args.budget, warm_up=2)
    row.coach = _stats(with_history)
    row.plain = _stats(without)
    row.in_store = _stats(in_store)
    row.overhead = statistics.median(a - b for a, b in zip(with_history, without, strict=True))


async def _writes(
    store: SqlHistoryStore,
    service: CoachService,
    stories: list[str],
    templates: list[Template],
    coach_total: int,
    save_total: int,
    rounds: int,
) -> list[str]:
    lines: list[str] = []

    async def coach_round(r: int) -> tuple[float, int]:
        users = [f"conc-{r}-{j}" for j in range(CONCURRENT_USERS)]
        t0 = time.perf_counter()
        await asyncio.gather(
            *(
                service.coach(users[i % CONCURRENT_USERS], stories[i % len(stories)])
                for i in range(coach_total)
            )
        )
        wall = time.perf_counter() - t0
        stored = sum([len(await store.reports_since(u, EPOCH)) for u in users])
        return coach_total / wall, stored

    async def save_round(r: int) -> tuple[float, int]:
        users = [f"save-{r}-{j}" for j in range(CONCURRENT_USERS)]
        now = datetime.now(UTC)
        reports = [
            dataclasses.replace(
                templates[i % len(templates)].report,
                report_id=uuid.uuid4().hex,
                user_id=users[i % CONCURRENT_USERS],
                at=now,
            )
            for i in range(save_total)
        ]
        t0 = time.perf_counter()
        await asyncio.gather(*(store.save_report(report) for report in reports))
        wall = time.perf_counter() - t0
        stored = sum([len(await store.reports_since(u, EPOCH)) for u in users])
        return save_total / wall, stored

    for title, total, round_fn in (
        (f"{coach_total} concurrent coach()", coach_total, coach_round),
        (f"{save_total} concurrent save_report()", save_total, save_round),
    ):
        results = [await round_fn(r) for r in range(rounds)]
        rates = [rate for rate, _ in results]
        stored = [count for _, count in results]
        lost = sum(total - count for count in stored)
        each = ", ".join(f"{x:.0f}" for x in rates)
        lines.append(
            f"  {title:<34} across {CONCURRENT_USERS} people: median "
            f"{statistics.median(rates):7.0f} reports/s (rounds: {each}); stored "
            f"{sum(stored)}/{total * rounds} ({'none lost' if not lost else f'{lost} LOST'})"
        )
    return lines


def _file_mb(data_dir: Path) -> float:
    return sum(p.stat().st_size for p in data_dir.glob("history.db*")) / 1e6


# --- the run --------------------------------------------------------------------------------


async def _run(args: argparse.Namespace, data_dir: Path) -> int:
    sizes: list[int] = args.sizes
    rng = random.Random(20250601)
    t0 = time.perf_counter()
    classifier = OfflineClassifier()
    store = await open_store(f"sqlite+aiosqlite:///{data_dir / 'history.db'}", data_dir)
    cases = [
        json.loads(line)
        for line in (ROOT / "tests" / "data" / "dev.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    stories = [c["text"] for c in cases if c["safety"] == "none" and c["rupture"]][:STORIES]
    templates, asked = await _templates(
        store, classifier, [c["text"] for c in cases][: 30 if args.quick else TEMPLATES]
    )
    print(
        f"templates: {len(templates)} reports from dev cases "
        f"({sum(len(t.offered) for t in templates) / len(templates):.1f} offered phrasings, "
        f"{sum(len(t.patterns) for t in templates) / len(templates):.1f} patterns per report; "
        f"{statistics.median(len(a) for a in asked):.0f} texts per offered_before) "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    now = datetime.now(UTC)
    ok = True
    fill_start = time.perf_counter()
    total = 0
    for j in range(args.others):
        times = _times(args.other_reports, max(1, args.other_reports // 30), now, rng)
        await _fill(store, f"other-{j}", times, templates, rng)
        total += len(times)
    plan: list[tuple[str, int, str, int]] = []  # case, n, user, in window
    for n in sizes:
        plan.append(("typical", n, f"typical-{n}", max(1, min(20, n // 3))))
    for n in sorted({min(n, args.window_max) for n in sizes}):
        plan.append(("window", n, f"window-{n}", n))
    full_read: dict[str, float] = {}
    for _case, n, user, in_window in plan:
        last = await _fill(store, user, _times(n, in_window, now, rng), templates, rng)
        total += n
        good, full_ms = await _read_back(store, user, n, last, asked)
        ok = ok and good
        full_read[user] = full_ms
    size_mb = _file_mb(data_dir)
    print(
        f"filled {total:,} reports ({args.others} other people x {args.other_reports:,}, "
        f"{len(plan)} measured people) in {time.perf_counter() - fill_start:.1f} s; "
        f"file {size_mb:.0f} MB; read back through the store: {'ok' if ok else 'MISMATCH'}"
    )
    print()

    rows: list[Row] = []
    plain = CoachService(classifier)
    service = CoachService(classifier, history=store)
    store_time = _StoreTime(store)
    for case, n, user, in_window in plan:
        row = Row(case, n, in_window)
        await _measure_case(row, store, user, service, plain, stories, asked, args, store_time)
        rows.append(row)
        if case == "typical":
            # The same person back after a month: nothing in the window at any coaching.
            back = Row("returning", n, 0)
            clock = _Clock(datetime.now(UTC) + timedelta(days=31), timedelta(days=31))
            returning = CoachService(classifier, history=store, clock=clock)
            await _measure_case(
                back, store, user, returning, plain, stories, asked, args, store_time, lookup=False
            )
            rows.append(back)

    writes = await _writes(
        store, service, stories, templates, args.concurrent, args.saves, args.write_rounds
    )
    await store.aclose()

    print(
        f"{'case':<9} {'N':>7} {'window':>6} | {'lookup p50':>10} {'p95':>6} "
        f"{'set/rep/off p50':>15} | {'coach p50':>9} {'p95':>7} {'none p50':>8} "
        f"{'+hist':>7} {'store p50':>9} {'p95':>7} {'runs':>4} | {'read all':>8}"
    )
    order = {"typical": 0, "returning": 1, "window": 2}
    for row in sorted(rows, key=lambda r: (order[r.case], r.n)):
        assert row.coach is not None and row.plain is not None and row.in_store is not None
        if row.lookup is not None:
            parts = "/".join(f"{p:.1f}" for p in row.parts)
            lookup = f"{row.lookup.p50:10.2f} {row.lookup.p95:6.2f} {parts:>15}"
        else:
            lookup = f"{'-':>10} {'-':>6} {'':>15}"
        user = f"{'typical' if row.case == 'returning' else row.case}-{row.n}"
        print(
            f"{row.case:<9} {row.n:>7,} {row.in_window:>6,} | {lookup} | "
            f"{row.coach.p50:9.1f} {row.coach.p95:7.1f} {row.plain.p50:8.1f} "
            f"{row.overhead:+7.1f} {row.in_store.p50:9.1f} {row.in_store.p95:7.1f} "
            f"{row.coach.runs:4d} | {full_read.get(user, 0.0):8.1f}"
        )
    print(
        "ms. window: reports inside the 30-day window (typical: at the start; each timed coaching "
        "adds one). lookup: settings + reports_since(window) + offered_before, as one coaching "
        "asks, and each part's p50. coach: CoachService.coach with this history; none: the same "
        "stories with no history, run by run; +hist: median of the paired differences; store: "
        "time inside the store's methods during each coaching (reads and the report's write). "
        "read all: reports_since(epoch) once (the read-back)."
    )
    print()
    print("writes (SQLite, one store, one process):")
    for line in writes:
        print(line)
    print()

    typical = {r.n: r for r in rows if r.case == "typical"}
    largest, smallest = max(typical), min(typical)
    big, small = typical[largest], typical[smallest]
    # Growth is judged against the smallest N with as many reports in the window (N = 10 has
    # only 3 there, and a coaching reads the window).
    same = min(n for n, r in typical.items() if r.in_window == big.in_window)
    ref = typical[same]
    assert big.lookup is not None and big.in_store is not None and ref.in_store is not None
    met = big.lookup.p95 <= TARGET_LOOKUP_MS
    small_p95 = small.lookup.p95 if small.lookup is not None else 0.0
    print(
        f"target: lookup p95 <= {TARGET_LOOKUP_MS:.0f} ms at N = {largest:,} (typical): "
        f"{big.lookup.p95:.2f} ms (p50 {big.lookup.p50:.2f}; p95 {small_p95:.2f} at "
        f"N = {smallest:,}) -> {'met' if met else 'MISSED'}"
    )
    growth = big.in_store.p50 - ref.in_store.p50
    print(
        f"target: coaching latency does not grow with history (typical, {big.in_window} reports "
        f"in the window; time in the store per coaching, p50, N = {largest:,} vs {same:,}, "
        f"within {TARGET_GROWTH_MS:.0f} ms): {big.in_store.p50:.1f} vs {ref.in_store.p50:.1f} "
        f"ms -> {'met' if growth <= TARGET_GROWTH_MS else 'MISSED'} (whole coaching, paired: "
        f"{big.overhead:+.1f} vs {ref.overhead:+.1f} ms)"
    )
    for case in ("returning", "window"):
        by_n = {r.n: r for r in rows if r.case == case}
        if len(by_n) > 1:
            hi, lo = by_n[max(by_n)], by_n[min(by_n)]
            assert hi.in_store is not None and lo.in_store is not None
            print(
                f"  not targets, for the record: {case}, time in the store per coaching: "
                f"{lo.in_store.p50:.1f} ms at N = {min(by_n):,}, {hi.in_store.p50:.1f} ms at "
                f"N = {max(by_n):,}"
            )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smoke check, under a minute")
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="N (default 10 1000 100000; quick 10 1000 10000)"
    )
    parser.add_argument("--runs", type=int, help="timed coachings per case (default 20; quick 6)")
    parser.add_argument("--budget", type=float, help="seconds per measurement (default 20; 3)")
    parser.add_argument("--others", type=int, help="other people (default 40; quick 10)")
    parser.add_argument("--other-reports", type=int, help="reports each (default 1000; 200)")
    parser.add_argument(
        "--window-max",
        type=int,
        help="largest N of the all-in-window case (default 10000; quick 1000)",
    )
    parser.add_argument("--concurrent", type=int, help="concurrent coach() (default 200; 100)")
    parser.add_argument("--saves", type=int, help="concurrent save_report() (default 1000; 200)")
    parser.add_argument("--write-rounds", type=int, help="rounds of writes (default 3; quick 1)")
    parser.add_argument("--keep", type=Path, help="keep the database in this folder")
    args = parser.parse_args()
    quick = args.quick
    defaults: dict[str, Any] = {
        "sizes": [10, 1000, 10000] if quick else [10, 1000, 100000],
        "runs": 6 if quick else 20,
        "budget": 3.0 if quick else 20.0,
        "others": 10 if quick else 40,
        "other_reports": 200 if quick else 1000,
        "window_max": 1000 if quick else 10000,
        "concurrent": 100 if quick else 200,
        "saves": 200 if quick else 1000,
        "write_rounds": 1 if quick else 3,
    }
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    pinned = pin_to_one_core(last=True)
    print(
        f"repair-coach history at scale  (SQLite, Python {platform.python_version()}, "
        f"{platform.machine()}, {pinned}, {'quick' if quick else 'full'}: N = "
        f"{', '.join(f'{n:,}' for n in args.sizes)}, up to {args.runs} coachings and "
        f"{args.runs * 3} lookups per case)"
    )
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        return asyncio.run(_run(args, args.keep))
    with tempfile.TemporaryDirectory(prefix="history-scale-") as folder:
        return asyncio.run(_run(args, Path(folder)))


if __name__ == "__main__":
    raise SystemExit(main())
