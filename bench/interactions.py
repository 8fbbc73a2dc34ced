"""Many `/coach` submissions at once against the fake Discord: time to defer, time to the answer,
errors, for the bot as the composition root builds it (offline coach, and LLM coach over a local
stand-in answering after 800 ms) next to a bare discord.py bot that only defers.

Per N (default 50, 200, 1,000) and mode, a fresh fake Discord (tests/fake_discord, on 127.0.0.1)
holds one guild with `runs` x N distinct members (plus a warm-up's), each submitting once, so no
one meets the per-person rate limit. The bot runs in its own process, as in production (where
Discord is another machine): the fake, the clock and this script stay out of its event loop and
its GIL. After a warm-up of 10 untimed submissions, each round:

1. N members run `/coach` and the bot opens its modal for each (untimed: the fake accepts a
   submit only for a modal the bot opened for that member);
2. all N submit the modal at once, each with its own story (a template varied, synthetic; every
   round new stories, so none is still in the sentence encoder's memory of 4,096 texts);
3. per submission, from the fake's dispatch of INTERACTION_CREATE (`handle.dispatched_at`) to
   the arrival at the fake of (a) the first callback, which must be a deferral (type 5), and
   (b) the final followup: the answer's last message, the one with its buttons (for the bare
   bot, its one short followup). "bot p99" is the same dispatch to the bot's own call of
   `defer()` (time.monotonic in both processes): at the largest N the fake's single loop is
   the slower side, and this leaves out its queueing on the way back.

Discord's 3-second deadline is kept: a deferral that arrives later is refused as on Discord and
counted as an error (its time still counts in the defer figures); so is a submission with no
deferral, or no final answer once the fake has seen no request and the bot has been all but
idle for QUIET_S seconds (or after --timeout).

Modes:
- bare: `AutoShardedBot` with a `/coach` that opens the same modal shape and whose submit only
  defers, then sends one short followup. The reference: what discord.py and this harness cost.
- offline: the real bot with the built-in classifier (CPU-bound: screening and classification
  run in the default thread pool, so defers must stay fast while answers queue).
- llm: the real bot with `openai_api_key` set and `openai_base_url` pointing at a local
  OpenAI-compatible stand-in (its own process, aiohttp) that answers chat completions and
  moderation after 800 ms with a valid structured answer (tests/fakes.py's `make_answer`).

Targets (from the issue): the defer p99 within 2x the bare bot's at every N, and under 100 ms
where the bare bot's is; with the LLM, every answer (the slowest) within one LLM latency plus
N x the screen's time per story / cores, not N LLM latencies. The screen's time is measured
here first, on the same stories (`coaching.safety.screen`, the encoder's memory cleared before
each, as bench/coach_latency.py does), on one core as the bot runs it (app/cores.py). Each
round also reports, from inside the bot process, its event loop's longest stall (a 5 ms
heartbeat), its CPU seconds (all threads, and the loop's own thread: every interaction waits
behind the latter, however many cores there are), how many texts the encoder ran per story and
its garbage collections (each stops every thread); the same stall and CPU for the fake, whose
queueing is part of every figure (the bare bot shows how much).

`--diagnose` times every callback the bot's loop runs: the longest (with wall and CPU time, and
where the task resumed and stopped), and the loop thread's CPU by package and by the innermost
function of this project on the task's stack. The wrapper costs time: its figures are for
finding where the loop goes, not for the table.

Figures are medians over the rounds (`--runs`, default 3) of each round's figures; errors are
summed. Nothing is asserted: this is a measurement, the exit code is 0 either way.

    .venv/bin/python bench/interactions.py                 # N = 50, 200, 1000; all modes
    .venv/bin/python bench/interactions.py --quick         # N = 20, 50; one round (smoke run)
    .venv/bin/python bench/interactions.py --sizes 200 --modes bare llm --runs 5
    .venv/bin/python bench/interactions.py --sizes 50 --runs 1 --diagnose
    BENCH_PROFILE=/tmp/bot .venv/bin/python bench/interactions.py --sizes 200 --modes llm --runs 1

BENCH_PROFILE=path writes cProfile statistics of the bot's loop thread, by CPU time from the
end of the warm-up, to path.<mode> (read them with pstats).
"""

# The waits poll with their own deadlines (ASYNC109 is about `timeout=` parameters).
# ruff: noqa: ASYNC109

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    import cProfile

    import discord

    from tests.fake_discord import FakeDiscord, FakeGuild, FakeUser, InteractionHandle

TOKEN = "fake-bot-token"
MODES = ("bare", "offline", "llm")
DEFAULT_SIZES = (50, 200, 1000)
QUICK_SIZES = (20, 50)
LLM_MS = 800.0
# Seconds with no request reaching the fake and the bot all but idle before a round gives up on
# the rest: more than the LLM timeout (20 s), after which the bot answers with its fallback.
QUIET_S = 25.0
WARM_UP = 10  # submissions before the timed rounds, per bot process
OPEN_BATCH = 100  # /coach commands in flight at once while opening the modals (untimed)
LOOP_TICK_S = 0.005  # the event-loop heartbeat's period
DEFER_TARGET_RATIO = 2.0
DEFER_ABSOLUTE_MS = 100.0
DEFERRED_REPLY = 5

# --- stories -------------------------------------------------------------------------------
# Synthetic: a template of who, what was shared, what they did, how it felt, varied so that
# every member's story differs. Ordinary ruptures only (nothing the safety screen stops), so
# each one takes the whole path.

_WHO = (
    "my husband",
    "my wife",
    "my partner",
    "my boyfriend",
    "my girlfriend",
    "my best friend",
    "my sister",
    "my brother",
    "my mom",
    "my dad",
    "my roommate",
    "a coworker",
    "my manager",
    "my cousin",
    "my fiancé",
    "my friend from school",
)
_SHARED = (
    "I was nervous about my job interview tomorrow",
    "I had finally finished the painting I'd worked on for months",
    "I was scared about my biopsy results",
    "I didn't get the promotion I had hoped for",
    "my grandmother's house is being sold",
    "I felt lonely since moving to the new city",
    "I passed my driving test after three tries",
    "my dog has been sick all week",
    "I was overwhelmed with the move and the kids",
    "my startup idea got turned down by the investors",
    "I'd been feeling left out at the weekend dinners",
    "I was proud of running my first 10k",
)
_DID = (
    "changed the subject to their own day",
    'said "at least it\'s not worse" and went back to their phone',
    "laughed and said I was overthinking it",
    "told me I always make a big deal out of nothing",
    "interrupted to ask what we were having for dinner",
    "sighed and said they were too tired for this",
    "started giving me advice I hadn't asked for",
    'just said "ok" and kept watching TV',
    "corrected the way I told the story",
    "said someone else had it much harder",
)
_FELT = (
    "Small and alone.",
    "Like I didn't matter.",
    "Invisible, honestly.",
    "Embarrassed that I said anything.",
    "Hurt, and then annoyed at myself.",
    "Brushed off.",
    "Like talking to a wall.",
    "Disappointed and a bit angry.",
)


_WHEN = (
    "Last night",
    "On Sunday",
    "Yesterday after work",
    "This morning",
    "At dinner on Friday",
    "On the phone on Tuesday",
    "In the car",
    "Over breakfast",
)
_AFTER = (
    "",
    " and left the room",
    " before I had even finished",
    " in front of our friends",
    " without looking up",
    " and laughed a little",
)
_SINCE = (
    "",
    " I didn't say anything else.",
    " I went quiet for the rest of the evening.",
    " We haven't talked about it since.",
    " It keeps coming back to me.",
)


def stories(count: int, seed: int = 20240) -> list[tuple[str, str, str]]:
    """`count` distinct (what happened, what they did, how it felt) triples, the same for a
    seed. Varied in every sentence: the sentence encoder remembers its last 4,096 texts, and a
    bench whose stories shared their sentences would measure that memory, not the screen."""
    pick = random.Random(seed).choice
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    while len(out) < count:
        story = (
            f"{pick(_WHEN)}, I told {pick(_WHO)} that {pick(_SHARED)}.",
            f"They {pick(_DID)}{pick(_AFTER)}.",
            f"{pick(_FELT)}{pick(_SINCE)}",
        )
        if story not in seen:
            seen.add(story)
            out.append(story)
    return out


def joined(story: tuple[str, str, str]) -> str:
    """The text the bot coaches (StoryModal joins its three fields with line breaks)."""
    return "\n".join(story)


# --- small helpers -------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (NaN for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    kept = [v for v in values if v == v]  # NaN (a round with no answers) is left out
    return statistics.median(kept) if kept else float("nan")


class LoopLag:
    """How late a 5 ms heartbeat wakes: the longest time this event loop could not run anyone
    else's callback (a bot's other users, its gateway heartbeat). Also the CPU seconds of the
    whole process and of the loop's own thread: what the loop thread spends is what every
    interaction waits behind, whatever the other threads do."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.lag_at: list[float] = []  # when each heartbeat woke (loop time)
        self._since = time.monotonic()
        self._task: asyncio.Task[None] | None = None
        self._cpu = time.process_time()
        self._loop_cpu = time.thread_time()
        self.steps: SlowSteps | None = None
        # Garbage collections: each stops every thread (the loop's included) while it runs,
        # and a full one walks the whole heap, the coach's models with it.
        self.gc_pauses: list[tuple[int, float]] = []
        self._gc_started = 0.0

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_pauses.append((info["generation"], time.perf_counter() - self._gc_started))

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = loop.time() + LOOP_TICK_S
            await asyncio.sleep(LOOP_TICK_S)
            self.lags.append(loop.time() - due)
            self.lag_at.append(loop.time())

    def take(self) -> dict[str, Any]:
        """Figures since the last take, in ms and CPU seconds. Call it on the loop's thread."""
        lags, self.lags = self.lags, []
        woke, self.lag_at = self.lag_at, []
        since, self._since = self._since, time.monotonic()
        worst = max(range(len(lags)), key=lags.__getitem__, default=None)
        pauses, self.gc_pauses = self.gc_pauses, []
        full = [seconds for generation, seconds in pauses if generation == 2]
        cpu, loop_cpu = time.process_time(), time.thread_time()
        spent, self._cpu = cpu - self._cpu, cpu
        spent_loop, self._loop_cpu = loop_cpu - self._loop_cpu, loop_cpu
        figures: dict[str, Any] = {
            "lag_p99_ms": percentile(lags, 99) * 1000 if lags else 0.0,
            "lag_max_ms": max(lags, default=0.0) * 1000,
            # Seconds into the round (from the last take) when the longest stall ended.
            "lag_max_at_s": 0.0 if worst is None else woke[worst] - since,
            "stalls_100ms": float(sum(lag > 0.1 for lag in lags)),
            "cpu_s": spent,
            "loop_cpu_s": spent_loop,
            "gc_full": len(full),
            "gc_full_max_ms": max(full, default=0.0) * 1000,
            "gc_s": sum(seconds for _, seconds in pauses),
        }
        if self.steps is not None:
            figures["slow_steps"] = self.steps.take()
        return figures


def _frames(callback: Any) -> list[Any]:
    """The coroutine frames of the task a callback steps, outermost first (none for a plain
    callback such as a socket's reader)."""
    owner = getattr(callback, "__self__", None)
    if not isinstance(owner, asyncio.Task):
        return []
    frames: list[Any] = []
    coro: Any = owner.get_coro()
    while coro is not None and getattr(coro, "cr_frame", None) is not None:
        frames.append(coro.cr_frame)
        coro = getattr(coro, "cr_await", None)
    return frames


def _label(frame: Any, *, line: bool = True) -> str:
    where = f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno}" if line else ""
    return f"{frame.f_code.co_qualname} ({where or Path(frame.f_code.co_filename).name})"


def _where(callback: Any) -> str:
    """Where a task step is: its innermost two coroutine frames (outer > inner)."""
    frames = _frames(callback)
    if not frames:
        owner = getattr(callback, "__self__", None)
        return "finished" if owner is not None else _callback_name(callback)
    return " > ".join(_label(f) for f in frames[-2:])


def _callback_name(callback: Any) -> str:
    owner = getattr(callback, "__self__", None)
    name = str(getattr(callback, "__qualname__", type(callback).__name__))
    return f"{type(owner).__name__}.{name.rsplit('.', 1)[-1]}" if owner is not None else name


_PROJECT = str(ROOT)


def _place(callback: Any) -> tuple[str, str]:
    """Whom a step's CPU is charged to, and its package: the innermost frame of this project's
    code (the bot, the coach, the stores) in the task's chain; else the task's own coroutine
    (discord.py's gateway reader, say); else the plain callback (a socket's protocol)."""
    frames = _frames(callback)
    for frame in reversed(frames):
        name = frame.f_code.co_filename
        if name.startswith(_PROJECT) and "/.venv/" not in name and name != str(SCRIPT):
            package = Path(name).relative_to(ROOT).parts[0]
            return _label(frame, line=False), f"{package}/ (this project)"
    if frames:
        return _label(frames[0], line=False), _package(frames[0].f_code.co_filename)
    code = getattr(getattr(callback, "__func__", callback), "__code__", None)
    return _callback_name(callback), _package(code.co_filename if code else "")


def _package(filename: str) -> str:
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    return "asyncio and the standard library" if filename else "C callbacks"


def _most(seconds: dict[str, float], count: int) -> list[tuple[str, float]]:
    return sorted(seconds.items(), key=lambda item: -item[1])[:count]


class SlowSteps:
    """`--diagnose`: every callback the loop runs is timed (wall and the loop thread's CPU).
    The longest are kept with where their task resumed and where it stopped next; a step whose
    wall time is far above its CPU time waited for the GIL (held by the screening threads)
    rather than computing, and blocked the loop all the same. The loop thread's CPU is also
    summed by `_place`: what the loop spends its time on."""

    def __init__(self, threshold_s: float = 0.02, keep: int = 6) -> None:
        self.threshold_s = threshold_s
        self.keep = keep
        self.found: list[tuple[float, float, str]] = []
        self.count = 0
        self.total_s = 0.0
        self.cpu_by_place: defaultdict[str, float] = defaultdict(float)
        self.cpu_by_package: defaultdict[str, float] = defaultdict(float)

    def install(self) -> None:
        original = asyncio.events.Handle._run
        steps = self

        def timed(handle: asyncio.events.Handle) -> None:
            callback = handle._callback  # type: ignore[attr-defined]
            before, (place, package) = _where(callback), _place(callback)
            wall, cpu = time.perf_counter(), time.thread_time()
            original(handle)
            wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
            steps.cpu_by_place[place] += cpu
            steps.cpu_by_package[package] += cpu
            if wall >= steps.threshold_s:
                steps.count += 1
                steps.total_s += wall
                steps.found.append((wall, cpu, f"{before}  ->  {_where(callback)}"))
                steps.found.sort(reverse=True)
                del steps.found[steps.keep :]

        asyncio.events.Handle._run = timed  # type: ignore[assignment,method-assign]

    def take(self) -> dict[str, Any]:
        found, count, total = self.found, self.count, self.total_s
        places, self.cpu_by_place = self.cpu_by_place, defaultdict(float)
        packages, self.cpu_by_package = self.cpu_by_package, defaultdict(float)
        self.found, self.count, self.total_s = [], 0, 0.0
        return {
            "count": count,
            "total_s": total,
            "longest": [f"{w * 1000:.0f} ms (CPU {c * 1000:.0f} ms): {at}" for w, c, at in found],
            "cpu_by_place": _most(places, 10),
            "cpu_by_package": _most(packages, 8),
        }


# --- child processes: the bot under test, and the LLM stand-in -----------------------------


async def _stdin_lines() -> asyncio.StreamReader:
    # A pipe reader on the loop itself: a thread blocked in readline() would take one of the
    # default executor's few threads, which the coach's screening needs.
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


def _say(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def _bare_bot() -> discord.Client:
    """The reference: discord.py alone, with `/coach` opening a modal of the real one's shape
    (three paragraph inputs adding up to 4,000 characters) that defers, then sends one short
    followup with an embed."""
    import discord
    from discord import app_commands
    from discord.ext import commands

    # As the real bot does (bot/client.py): no voice, so no start-up warnings about it.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False

    class BareModal(discord.ui.Modal, title="What happened?"):
        happened: discord.ui.TextInput[BareModal] = discord.ui.TextInput(
            label="What happened", style=discord.TextStyle.paragraph, max_length=1998
        )
        said: discord.ui.TextInput[BareModal] = discord.ui.TextInput(
            label="What they said or did (or what you did)",
            style=discord.TextStyle.paragraph,
            max_length=1000,
            required=False,
        )
        felt: discord.ui.TextInput[BareModal] = discord.ui.TextInput(
            label="How you felt",
            style=discord.TextStyle.paragraph,
            max_length=1000,
            required=False,
        )

        async def on_submit(self, interaction: discord.Interaction, /) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send(
                embed=discord.Embed(description="Thanks, I read it."),
                ephemeral=True,
                allowed_mentions=discord.AllowedMentions.none(),
            )

    class BareBot(commands.AutoShardedBot):
        def __init__(self) -> None:
            super().__init__(
                command_prefix=commands.when_mentioned,
                help_command=None,
                intents=discord.Intents(guilds=True, dm_messages=True),
                guild_ready_timeout=0.05,
            )

        async def setup_hook(self) -> None:
            @app_commands.command(name="coach", description="Tell me what happened.")
            async def coach(interaction: discord.Interaction) -> None:
                await interaction.response.send_modal(BareModal())

            self.tree.add_command(coach)
            await self.tree.sync()

    return BareBot()


async def _run_bot_child(args: argparse.Namespace) -> None:
    import discord.gateway
    import discord.http
    import yarl

    # Quiet discord.py (its INFO lines per connection); warnings and errors go to stderr, which
    # the parent keeps in a file and summarises (fallbacks, "can't keep up", failures).
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    discord.http.Route.BASE = args.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(args.gateway)
    lag = LoopLag()
    if args.diagnose:
        lag.steps = SlowSteps()
        lag.steps.install()
    lag.start()
    stdin = await _stdin_lines()
    if args.child == "bare":
        bot = _bare_bot()
        async with bot:
            await _serve(bot, lag, stdin)
        return
    from app.bot import opened_bot
    from app.settings import CoachSettings

    # What the shell's environment could otherwise supply (a real key, a database, a data key)
    # is set here: the bench measures this bot against the fakes, nothing else. Not read from
    # .env, as the tests' bot_settings() does.
    settings = CoachSettings(
        _env_file=None,
        discord_token=TOKEN,
        database_url=None,
        repair_coach_data_dir=args.data_dir,
        repair_coach_data_key=None,
        openai_api_key="bench" if args.child == "llm" else None,
        openai_base_url=args.llm_base if args.child == "llm" else None,
    )
    async with opened_bot(settings, guild_ready_timeout=0.05) as coach_bot:
        await _serve(coach_bot, lag, stdin, _count_encoded())


def _stamp_defers() -> dict[int, float]:
    """When the bot calls `defer()` on each interaction (time.monotonic, the clock the parent's
    loop reads too): the bot's own share of the time to defer, without the fake's queueing on
    the way back (at the largest N the fake's single loop is the slower of the two)."""
    import discord

    called: dict[int, float] = {}
    original = discord.InteractionResponse.defer

    async def defer(self: discord.InteractionResponse[Any], **kwargs: Any) -> Any:
        called.setdefault(self._parent.id, time.monotonic())
        return await original(self, **kwargs)

    discord.InteractionResponse.defer = defer  # type: ignore[method-assign]
    return called


def _count_encoded() -> list[int]:
    """How many texts the sentence encoder actually ran (not found in its memory of the last
    4,096): the screen and the classifier share it, and with many stories in flight the second
    reading of a story may no longer find the first one's."""
    from coaching.reading.encoder import load_encoder

    encoder = load_encoder()
    count = [0]
    original = encoder._encode

    def counted(texts: Sequence[str]) -> Any:
        count[0] += len(texts)
        return original(texts)

    encoder._encode = counted  # type: ignore[method-assign]
    return count


_PROFILE: list[cProfile.Profile] = []  # BENCH_PROFILE's, in the bot's process


async def _serve(
    bot: discord.Client,
    lag: LoopLag,
    stdin: asyncio.StreamReader,
    encoded: list[int] | None = None,
) -> None:
    """Connect, say "ready", then answer "stats" lines until stdin closes."""
    defers = _stamp_defers()
    await bot.login(TOKEN)
    connecting = asyncio.create_task(bot.connect())
    await bot.wait_until_ready()
    _say({"ready": True})
    try:
        while line := await stdin.readline():
            if line.strip() == b"stats":
                for profile in _PROFILE:
                    profile.enable()
                figures = {**lag.take(), "defers": {str(k): v for k, v in defers.items()}}
                if encoded is not None:
                    figures["encoded"], encoded[0] = encoded[0], 0
                _say(figures)
                defers.clear()
    finally:
        await bot.close()
        await asyncio.gather(connecting, return_exceptions=True)


async def _run_llm_stub(delay_ms: float) -> None:
    """POST /v1/chat/completions and /v1/moderations, each answered after `delay_ms` with what
    tests/fakes.py answers (a valid structured classification; moderation: nothing flagged)."""
    from aiohttp import web

    from tests.fakes import _completion, _moderation, make_answer

    content = json.dumps(make_answer())
    counts: Counter[str] = Counter()
    in_flight = [0, 0]  # now, most

    async def answer(request: web.Request) -> web.Response:
        body = await request.json()
        counts[request.path] += 1
        in_flight[0] += 1
        in_flight[1] = max(in_flight)
        try:
            await asyncio.sleep(delay_ms / 1000)
        finally:
            in_flight[0] -= 1
        if request.path.endswith("/moderations"):
            return web.json_response(_moderation(()))
        return web.json_response(_completion(body, content, None, "stop"))

    app = web.Application()
    app.router.add_post("/v1/chat/completions", answer)
    app.router.add_post("/v1/moderations", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    # A deep accept queue: 1,000 clients connecting at once must not lose SYNs to a 128-long
    # backlog (a 1 s retransmit would be the harness's delay, not the bot's).
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
    await site.start()
    _say({"port": int(runner.addresses[0][1])})
    stdin = await _stdin_lines()
    try:
        while line := await stdin.readline():
            if line.strip() == b"stats":
                _say({"requests": dict(counts), "most_in_flight": in_flight[1]})
                counts.clear()
                in_flight[1] = in_flight[0]
    finally:
        await runner.cleanup()


@dataclass
class Child:
    """A child process speaking JSON lines on stdout, asked for figures on stdin."""

    process: asyncio.subprocess.Process
    log: Path

    @classmethod
    async def start(cls, argv: list[str], log: Path) -> Child:
        with log.open("wb") as err:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                str(SCRIPT),
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=err,
                cwd=str(ROOT),
            )
        return cls(process, log)

    async def read(self, timeout: float = 180.0) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not line:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"child process ended early; its stderr ends:\n{tail}")
        found: dict[str, Any] = json.loads(line)
        return found

    async def stats(self) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(b"stats\n")
        await self.process.stdin.drain()
        return await self.read(30.0)

    async def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 20.0)
        except TimeoutError:
            self.process.kill()  # our own child, by its handle
            await self.process.wait()


# --- the fake Discord, stamped -------------------------------------------------------------


class _Stamped(list):  # type: ignore[type-arg]
    """The fake's request log, with the loop time each request reached the fake (after its
    body was read, before it was handled): when Discord had the bot's callback or followup."""

    def __init__(self) -> None:
        super().__init__()
        self.at: dict[int, float] = {}
        self.last = 0.0

    def append(self, record: Any) -> None:
        now = asyncio.get_running_loop().time()
        self.at[id(record)] = now
        self.last = now
        super().append(record)


def _bench_discord() -> FakeDiscord:
    from aiohttp import web

    from tests.fake_discord import FakeDiscord

    class BenchDiscord(FakeDiscord):
        async def start(self) -> None:
            # FakeDiscord.start with a deep accept queue (see the LLM stand-in): the bot opens a
            # connection per concurrent callback, 1,000 at once at the largest N.
            app = web.Application(client_max_size=64 * 1024 * 1024)
            app.router.add_route("*", "/{tail:.*}", self.http.handle)
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=4096)
            await site.start()
            self.port = int(self._runner.addresses[0][1])

    # The fake checks its own answers against Discord's schema in tests; here that would be
    # the harness's CPU in every figure. The bot's requests are still checked (reported below).
    fake = BenchDiscord(token=TOKEN, validate_responses=False)
    fake.requests = _Stamped()
    return fake


# --- one round -----------------------------------------------------------------------------


@dataclass
class Round:
    defer_ms: list[float] = field(default_factory=list)
    # From dispatch to the bot's call of defer() (its own clock reading; see _stamp_defers).
    bot_defer_ms: list[float] = field(default_factory=list)
    final_s: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    bot: dict[str, Any] = field(default_factory=dict)
    fake: dict[str, Any] = field(default_factory=dict)
    llm: dict[str, Any] = field(default_factory=dict)
    wall_s: float = 0.0


def _process_cpu(pid: int) -> float | None:
    """CPU seconds a process has used (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime: fields 14 and 15 of the line, 12 and 13 after the command's ")".
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_CALLBACK = re.compile(r"^/interactions/(\d+)/[^/]+/callback$")
_FOLLOWUP = re.compile(r"^/webhooks/\d+/([^/]+)$")


async def _until(done: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


async def open_modals(
    fake: FakeDiscord, guild: FakeGuild, users: Sequence[FakeUser]
) -> list[tuple[FakeUser, dict[str, Any]]]:
    """Each member runs /coach; the modal the bot opened for each."""
    opened: list[tuple[FakeUser, dict[str, Any]]] = []
    for start in range(0, len(users), OPEN_BATCH):
        batch = users[start : start + OPEN_BATCH]
        handles = [await fake.slash(u, "coach", guild=guild) for u in batch]
        await _until(
            lambda hs=handles: all(h.callback is not None for h in hs),  # type: ignore[misc]
            "the modals to open",
            60.0,
        )
        for user, handle in zip(batch, handles, strict=True):
            modal = handle.modal
            if modal is None:
                raise RuntimeError(f"/coach answered {handle.describe()}, not a modal")
            opened.append((user, modal))
    return opened


def _inputs(modal: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in modal["components"] for c in row["components"]]


async def run_round(
    fake: FakeDiscord,
    guild: FakeGuild,
    users: Sequence[FakeUser],
    texts: Sequence[tuple[str, str, str]],
    mode: str,
    bot: Child,
    fake_lag: LoopLag,
    llm: Child | None,
    timeout: float,
) -> Round:
    opened = await open_modals(fake, guild, users)
    await asyncio.sleep(1.0)  # let the bot settle after opening the modals
    await bot.stats()  # reset the bot's heartbeat and CPU figures
    fake_lag.take()
    if llm is not None:
        await llm.stats()
    requests: _Stamped = fake.requests  # type: ignore[assignment]
    first_request = len(requests)

    started = time.monotonic()
    handles: list[InteractionHandle] = await asyncio.gather(
        *(
            fake.submit_modal(
                user, modal["custom_id"], dict(zip(_inputs(modal), text, strict=True))
            )
            for (user, modal), text in zip(opened, texts, strict=True)
        )
    )

    def final(body: dict[str, Any]) -> bool:
        # The bare bot sends one followup; the coach's answer ends with its buttons.
        return bool(body.get("embeds")) if mode == "bare" else bool(body.get("components"))

    def answered(handle: InteractionHandle) -> bool:
        return any(r.kind == "followup" and final(r.body) for r in handle.history)

    # Wait for every answer, or until nothing happens: no request reached the fake and the bot
    # used under 5% of a core for QUIET_S seconds (all N coachings run at once and may all end
    # late together, so a quiet network alone does not mean the bot gave up), or --timeout.
    loop = asyncio.get_running_loop()
    pending = set(handles)
    busy_at, cpu_seen = loop.time(), _process_cpu(bot.process.pid)
    while pending:
        await asyncio.sleep(0.5)
        pending = {h for h in pending if not answered(h)}
        cpu = _process_cpu(bot.process.pid)
        if cpu is not None and cpu_seen is not None and cpu - cpu_seen > 0.025:
            busy_at = loop.time()
        cpu_seen = cpu
        if loop.time() - max(busy_at, requests.last) > QUIET_S:
            break
        if time.monotonic() - started > timeout:
            break
    result = Round(wall_s=time.monotonic() - started)
    result.bot = await bot.stats()
    result.fake = fake_lag.take()
    if llm is not None:
        result.llm = await llm.stats()

    # Each submission's callback and followups, from the stamped log.
    by_id = {h.id: h for h in handles}
    by_token = {h.token: h for h in handles}
    callbacks: dict[int, list[Any]] = {}
    followups: dict[int, list[Any]] = {}
    for record in list(requests)[first_request:]:
        if record.method != "POST":
            continue
        if (m := _CALLBACK.match(record.path)) and int(m[1]) in by_id:
            callbacks.setdefault(int(m[1]), []).append(record)
        elif (m := _FOLLOWUP.match(record.path)) and m[1] in by_token:
            followups.setdefault(by_token[m[1]].id, []).append(record)
    called: dict[str, float] = result.bot.pop("defers", {})
    for handle in handles:
        if str(handle.id) in called:
            result.bot_defer_ms.append((called[str(handle.id)] - handle.dispatched_at) * 1000)
        calls = callbacks.get(handle.id, [])
        if not calls:
            result.errors["no defer"] += 1
            continue
        first = calls[0]
        result.defer_ms.append((requests.at[id(first)] - handle.dispatched_at) * 1000)
        if int((first.json or {}).get("type", 0)) != DEFERRED_REPLY:
            result.errors[f"callback type {(first.json or {}).get('type')}"] += 1
            continue
        if first.status != 200:
            # 404 / 10062 is the fake's "Unknown interaction" past the 3 s deadline.
            reason = "defer after 3 s" if first.status == 404 else f"defer {first.status}"
            result.errors[reason] += 1
            continue
        done = [r for r in followups.get(handle.id, []) if r.status == 200 and final(r.json or {})]
        if not done:
            result.errors["no answer"] += 1
            continue
        result.final_s.append(requests.at[id(done[0])] - handle.dispatched_at)
        failed = [r for r in followups.get(handle.id, []) if r.status not in (200, 204)]
        if failed:
            result.errors[f"followup {failed[0].status}"] += 1
    return result


# --- one (mode, N) -------------------------------------------------------------------------


@dataclass
class Outcome:
    mode: str
    n: int
    rounds: list[Round]
    warnings: Counter[str]
    problems: int

    def med(self, pick: Callable[[Round], float]) -> float:
        """The median over the rounds of one figure of each round."""
        return median([pick(r) for r in self.rounds])

    def defer(self, q: float) -> float:
        return self.med(lambda r: percentile(r.defer_ms, q))

    def bot_defer(self, q: float) -> float:
        return self.med(lambda r: percentile(r.bot_defer_ms, q))

    def final(self, q: float) -> float:
        return self.med(lambda r: percentile(r.final_s, q))

    @property
    def first(self) -> float:
        return self.med(lambda r: min(r.final_s, default=float("nan")))

    @property
    def last(self) -> float:
        return self.med(lambda r: max(r.final_s, default=float("nan")))

    @property
    def errors(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for r in self.rounds:
            total.update(r.errors)
        return total


def _summarise_log(log: Path) -> Counter[str]:
    """The bot's warning and error lines by kind (numbers and ids blanked, so alike lines
    count together)."""
    kinds: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith(("WARNING", "ERROR", "CRITICAL")):
            kinds[re.sub(r"\d+(\.\d+)?", "#", line)[:400]] += 1
    return kinds


async def run_mode(
    mode: str,
    n: int,
    runs: int,
    texts: Sequence[tuple[str, str, str]],
    llm: Child | None,
    llm_base: str | None,
    *,
    diagnose: bool,
    timeout: float,
) -> Outcome:
    work = Path(tempfile.mkdtemp(prefix=f"bench-interactions-{mode}-{n}-"))
    fake = _bench_discord()
    fake_lag = LoopLag()
    try:
        async with fake:
            fake_lag.start()
            members = [fake.create_user(f"member-{i}") for i in range(runs * n + WARM_UP)]
            guild = await fake.create_guild("support", members=members)
            argv = [
                "--child", mode,
                "--api-base", fake.api_base,
                "--gateway", fake.gateway_url,
                "--data-dir", str(work / "data"),
                *(["--llm-base", llm_base] if llm_base else []),
                *(["--diagnose"] if diagnose else []),
            ]  # fmt: skip
            bot = await Child.start(argv, work / "bot.log")
            try:
                await bot.read()  # "ready": connected, commands synced, the guild received
                await _until(lambda: bool(fake.commands()), "the bot's commands", 30.0)
                # Untimed: the first submissions in a process take code paths (and lazy imports)
                # the later ones do not, for discord.py and the coach alike.
                warm = members[runs * n :]
                warm_texts = stories(WARM_UP, seed=1)  # not the timed ones: nothing remembered
                await run_round(fake, guild, warm, warm_texts, mode, bot, fake_lag, llm, timeout)
                rounds = []
                for r in range(runs):
                    # Each round its own members and its own stories: a story seen in an earlier
                    # round could still be in the encoder's memory and skip the network.
                    users = members[r * n : (r + 1) * n]
                    told = texts[r * n : (r + 1) * n]
                    rounds.append(
                        await run_round(fake, guild, users, told, mode, bot, fake_lag, llm, timeout)
                    )
                    print(f"    {mode:7} N={n:<5} round {r + 1}: {_round_line(rounds[-1])}")
                    steps = rounds[-1].bot.get("slow_steps")
                    if steps:
                        print(
                            f"      loop steps >= 20 ms: {steps['count']}, "
                            f"{steps['total_s']:.2f} s in all; the longest:"
                        )
                        for line in steps["longest"]:
                            print(f"        {line}")
                        print("      the loop thread's CPU by where its tasks resumed:")
                        for place, cpu in steps["cpu_by_package"] + steps["cpu_by_place"]:
                            print(f"        {cpu:6.2f} s  {place}")
            finally:
                await bot.stop()
            warnings = _summarise_log(work / "bot.log")
            return Outcome(mode, n, rounds, warnings, len(fake.problems()))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _round_line(r: Round) -> str:
    errors = sum(r.errors.values())
    llm = ""
    if r.llm:
        llm = (
            f"; LLM stand-in: {sum(r.llm['requests'].values())} requests, "
            f"{r.llm['most_in_flight']} at once at most"
        )
    encoded = ""
    if "encoded" in r.bot:
        per = r.bot["encoded"] / max(1, len(r.defer_ms))
        encoded = f", the encoder ran {per:.1f} texts per story"
    return (
        f"defer p50 {percentile(r.defer_ms, 50):.0f} p99 {percentile(r.defer_ms, 99):.0f} ms "
        f"(the bot's defer() call: p99 {percentile(r.bot_defer_ms, 99):.0f} ms), answers "
        f"first {min(r.final_s, default=float('nan')):.2f} p50 {percentile(r.final_s, 50):.2f} "
        f"p99 {percentile(r.final_s, 99):.2f} max {max(r.final_s, default=float('nan')):.2f} s, "
        f"errors {errors}; bot: loop stall max {r.bot['lag_max_ms']:.0f} ms "
        f"at {r.bot['lag_max_at_s']:.1f} s (p99 {r.bot['lag_p99_ms']:.0f}), "
        f"CPU {r.bot['cpu_s']:.1f} s (loop thread "
        f"{r.bot['loop_cpu_s']:.1f}){encoded}, {r.bot['gc_full']} full garbage collections "
        f"(longest {r.bot['gc_full_max_ms']:.0f} ms; all collections {r.bot['gc_s']:.2f} s); "
        f"fake: loop stall max {r.fake['lag_max_ms']:.0f} ms, "
        f"CPU {r.fake['cpu_s']:.1f} s; wall {r.wall_s:.1f} s{llm}"
    )


# --- the screen's time ---------------------------------------------------------------------


def screen_seconds(
    texts: Sequence[str], rounds: int = 3, blas_threads: int | None = 1
) -> tuple[float, float]:
    """Mean seconds `coaching.safety.screen` takes per story (each as if new), median of
    `rounds` passes after a warm-up pass; and how many texts the encoder ran per story.

    On one core (`blas_threads=1`), as the bot runs it (app/cores.py): the target divides the
    screen's time by the cores, and a time measured with BLAS on every core would count the
    cores twice. `None`: numpy's default (a BLAS thread per core), as the terminal runs it."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=blas_threads, user_api="blas"):
        return _screen_seconds(texts, rounds)


def _screen_seconds(texts: Sequence[str], rounds: int) -> tuple[float, float]:
    from coaching.reading.encoder import load_encoder
    from coaching.safety import screen

    encoder = load_encoder()
    encoded = _count_encoded()
    screen(texts[0])
    means = []
    for _ in range(rounds + 1):
        spent = 0.0
        encoded[0] = 0
        for text in texts:
            encoder.forget_recent()
            start = time.perf_counter()
            screen(text)
            spent += time.perf_counter() - start
        means.append(spent / len(texts))
    return statistics.median(means[1:]), encoded[0] / len(texts)  # means[0]: the warm-up


# --- the parent ----------------------------------------------------------------------------


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def _fmt(value: float, unit: str, width: int = 7, digits: int = 1) -> str:
    return f"{'-':>{width}}" if value != value else f"{value:{width}.{digits}f}{unit}"


def print_table(outcomes: list[Outcome], screen_s: float, cores: int, llm_s: float) -> None:
    print()
    print(
        "    N  mode    | defer ms: p50    p99  bot p99 | answer s: first   p50    p99    max"
        " | errors    | bot: stall ms  CPU s  loop CPU s | targets"
    )
    bare = {o.n: o for o in outcomes if o.mode == "bare"}
    for o in outcomes:
        total = sum(o.errors.values())
        verdicts = []
        ref = bare.get(o.n)
        if o.mode == "bare":
            verdicts.append("reference")
        elif ref is not None:
            # Within 2x the bare bot's p99, and under 100 ms wherever the bare bot is.
            limit = DEFER_TARGET_RATIO * ref.defer(99)
            if ref.defer(99) < DEFER_ABSOLUTE_MS:
                limit = min(limit, DEFER_ABSOLUTE_MS)
            ok = o.defer(99) <= limit
            verdicts.append(f"defer p99 <= {limit:.0f} ms {'met' if ok else 'MISSED'}")
        if o.mode == "llm":
            # Every answer (the slowest, and none missing) within one LLM latency plus the
            # screening of all N spread over the cores.
            limit_s = llm_s + o.n * screen_s / cores
            ok = o.last <= limit_s and total == 0
            verdicts.append(f"all answers <= {limit_s:.2f} s {'met' if ok else 'MISSED'}")
        print(
            f"{o.n:5}  {o.mode:8}|     {_fmt(o.defer(50), '', 6, 0)} {_fmt(o.defer(99), '', 6, 0)}"
            f" {_fmt(o.bot_defer(99), '', 8, 0)} |        {_fmt(o.first, '', 6, 2)}"
            f" {_fmt(o.final(50), '', 6, 2)} {_fmt(o.final(99), '', 6, 2)}"
            f" {_fmt(o.last, '', 6, 2)} | {total:4}/{o.n * len(o.rounds):<5}|"
            f"       {_fmt(o.med(lambda r: r.bot['lag_max_ms']), '', 6, 0)}"
            f" {_fmt(o.med(lambda r: r.bot['cpu_s']), '', 6, 1)}"
            f" {_fmt(o.med(lambda r: r.bot['loop_cpu_s']), '', 11, 1)} | {'; '.join(verdicts)}"
        )
    print()
    for o in outcomes:
        if o.errors:
            print(f"errors, {o.mode} N={o.n}: {dict(o.errors)}")
        if o.problems:
            print(f"fake Discord problems (off-spec requests etc.), {o.mode} N={o.n}: {o.problems}")
        for line, count in o.warnings.most_common(4):
            print(f"bot log, {o.mode} N={o.n}: {count} x {line}")


async def parent(args: argparse.Namespace) -> None:
    sizes: list[int] = list(QUICK_SIZES) if args.quick else list(args.sizes)
    runs = 1 if args.quick and args.runs is None else (args.runs or 3)
    from app.cores import cores as usable_cores

    cores = usable_cores()
    texts = stories(max(sizes) * runs)
    print(
        f"repair-coach interactions bench  (Python {platform.python_version()}, "
        f"{platform.machine()}, {cores} cores shared with other work, {_load()} at start)"
    )
    print(
        f"sizes {sizes}, modes {list(args.modes)}, {runs} round(s) each; LLM stand-in answers "
        f"after {args.llm_ms:.0f} ms; Discord's 3 s deadline kept (a later defer is an error)"
    )
    screened = [joined(t) for t in texts[:300]]
    screen_s, per_story = screen_seconds(screened)
    every_core_s, _ = screen_seconds(screened, blas_threads=None)
    print(
        f"the screen: {screen_s * 1000:.2f} ms per story on one core, as the bot runs it "
        f"({every_core_s * 1000:.2f} ms with BLAS on every core); mean over {len(screened)} "
        f"stories, each as if new: {per_story:.1f} texts encoded per story. The bot screens "
        f"each story once (the second reading, in coach(), is remembered)"
    )
    print()
    llm: Child | None = None
    llm_base: str | None = None
    work = Path(tempfile.mkdtemp(prefix="bench-interactions-"))
    outcomes: list[Outcome] = []
    try:
        if "llm" in args.modes:
            llm = await Child.start(["--llm-stub", str(args.llm_ms)], work / "llm.log")
            llm_base = f"http://127.0.0.1:{(await llm.read())['port']}/v1"
        for n in sizes:
            for mode in args.modes:
                outcomes.append(
                    await run_mode(
                        mode,
                        n,
                        runs,
                        texts[: n * runs],
                        llm if mode == "llm" else None,
                        llm_base,
                        diagnose=args.diagnose,
                        timeout=args.timeout,
                    )
                )
    finally:
        if llm is not None:
            await llm.stop()
        shutil.rmtree(work, ignore_errors=True)
    print_table(outcomes, screen_s, cores, args.llm_ms / 1000)
    print(f"\n{_load()} at the end; {cores} cores shared with other work")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--quick", action="store_true", help="N = 20, 50, one round")
    parser.add_argument("--runs", type=int, default=None, help="rounds per (mode, N); default 3")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--llm-ms", type=float, default=LLM_MS)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per round, at most")
    parser.add_argument("--diagnose", action="store_true", help="time the bot's loop steps")
    # Internal: the child processes.
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--llm-stub", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--api-base", help=argparse.SUPPRESS)
    parser.add_argument("--gateway", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--llm-base", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.llm_stub is not None:
        asyncio.run(_run_llm_stub(args.llm_stub))
    elif args.child is not None and os.environ.get("BENCH_PROFILE"):
        # The bot's loop thread under cProfile, by CPU time, from the first figures asked for
        # (after the warm-up: start-up is left out). Other threads are not profiled.
        import cProfile

        _PROFILE.append(cProfile.Profile(time.thread_time))
        try:
            asyncio.run(_run_bot_child(args))
        finally:
            _PROFILE[0].dump_stats(f"{os.environ['BENCH_PROFILE']}.{args.child}")
    elif args.child is not None:
        asyncio.run(_run_bot_child(args))
    else:
        asyncio.run(parent(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
