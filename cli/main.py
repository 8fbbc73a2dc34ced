"""`repair-coach`: the terminal coach. No arguments starts `chat`.

`--offline` (never call the LLM) goes before or after the command: `repair-coach --offline`,
`repair-coach chat --offline`, `repair-coach coach --offline "..."`. So does `--user ID`: whose
history the command records to or reads (without it, the terminal's one local profile).
`coach` and `chat` record each story as a report in the history (cli/history.py has the
commands that show, rate, export and delete it); a history that cannot be opened is one line
on stderr, and the coach answers without it.

Exit codes: 0 answered; 2 bad input, usage or settings (a one-line message on stderr); 130
after Ctrl-C, the shell's code for an interrupt (the chat says goodbye first; never a
traceback). In `--batch` mode every line gets an answer, in order: the exit code is 1 when any
line failed inside the coach (its answer is a generic `{"error": ...}` and the failure is
logged without the text), else 2 when any line was bad input, else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import select
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TextIO

from pydantic import ValidationError

from app.compose import build_service, configure_logging, open_history
from app.settings import CoachSettings
from cli import history
from cli.render import render
from coaching.conversation import Conversation
from coaching.messages import DISCLAIMER
from coaching.service import CoachService, InputError

log = logging.getLogger(__name__)

_BATCH_CONCURRENCY = 4
_TERMINAL_USER = history.TERMINAL_USER
_INTERRUPTED = 130
# What a batch line gets when the coach fails on it: never the exception's text, which may
# quote the person's words.
_FAILED = "something went wrong on our side with this line; the other lines were answered"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="repair-coach",
        description="A coach for the moments someone stopped feeling with you. " + DISCLAIMER,
    )
    _add_offline(parser, default=False)
    sub = parser.add_subparsers(dest="command")
    coach = sub.add_parser("coach", help="answer one description and exit")
    coach.add_argument("text", nargs="?", help='what happened, or "-" to read it from stdin')
    coach.add_argument("--json", action="store_true", help="print the JSON answer")
    coach.add_argument(
        "--batch",
        action="store_true",
        help='with --json: read JSON lines {"text": ..., "user": ...} from stdin, '
        "write one answer per line",
    )
    _add_offline(coach, default=argparse.SUPPRESS)
    _add_user(coach, default=argparse.SUPPRESS)
    chat = sub.add_parser("chat", help="an interactive coaching session (the default)")
    _add_offline(chat, default=argparse.SUPPRESS)
    _add_user(chat, default=argparse.SUPPRESS)
    _add_user(parser, default=None)
    history.add_commands(sub, lambda command: _add_user(command, default=argparse.SUPPRESS))
    sub.add_parser("bot", help="run the Discord bot (needs DISCORD_TOKEN)")
    sync = sub.add_parser("sync", help="register the bot's slash commands with Discord now")
    sync.add_argument("--guild", type=int, help="only in this server (instant; for testing)")
    listing = sub.add_parser("commands", help="print the slash commands the bot registers")
    listing.add_argument("--json", action="store_true", help="the exact JSON payload")
    return parser


def _add_offline(parser: argparse.ArgumentParser, default: object) -> None:
    # A subcommand's own default would overwrite `repair-coach --offline chat`: SUPPRESS there.
    parser.add_argument(
        "--offline", action="store_true", default=default, help="never call the LLM"
    )


def _add_user(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--user",
        metavar="ID",
        default=default,
        help="whose history to use (default: this terminal's one local profile)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return _INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`| head`): nothing left to say, and no traceback either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = CoachSettings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in e['loc']).upper()}: {e['msg']}"
            for e in error.errors()
        )
        return _fail(f"bad setting (.env or environment): {problems}")
    configure_logging(settings)
    user = _user(args)
    if user is None:
        return _fail("--user needs an ID: 1 to 128 printable characters")
    if args.command in history.COMMANDS:
        return asyncio.run(history.run(args, settings, user))
    if args.command in _BOT_COMMANDS:
        return _bot(args, settings)
    opened = _opener(settings, offline=args.offline)
    if args.command == "coach":
        return asyncio.run(_coach_with(opened, args, user))
    return _chat(opened, sys.stdin, sys.stdout, user=user)


_BOT_COMMANDS = ("bot", "sync", "commands")


def _bot(args: argparse.Namespace, settings: CoachSettings) -> int:
    """The Discord commands. Imported here: the terminal coach starts without discord.py."""
    from app.bot import BotStartError, command_payload, run_bot, sync_commands

    try:
        if args.command == "commands":
            commands = asyncio.run(command_payload())
            if args.json:
                print(json.dumps(commands, indent=2, ensure_ascii=False))
            else:
                for command in commands:
                    print(f"{command['name']}: {command.get('description') or '(message menu)'}")
            return 0
        if args.command == "sync":
            count = asyncio.run(sync_commands(settings, args.guild))
            where = f"server {args.guild}" if args.guild else "every server and DM (global)"
            print(f"synced {count} commands to {where}")
            return 0
        asyncio.run(run_bot(settings))
        return 0
    except BotStartError as error:
        return _fail(str(error))


def _user(args: argparse.Namespace) -> str | None:
    """The `--user` ID (stripped), the local profile without one, None when it is unusable."""
    given = getattr(args, "user", None)
    if given is None:
        return _TERMINAL_USER
    user = str(given).strip()
    return user if 0 < len(user) <= 128 and user.isprintable() else None


ServiceOpener = Callable[[], AbstractAsyncContextManager[CoachService]]


def _opener(settings: CoachSettings, *, offline: bool) -> ServiceOpener:
    """Opens the coach with its history inside the running event loop (the database engine
    belongs to the loop that opened it) and closes the history on leaving."""

    @asynccontextmanager
    async def opened() -> AsyncIterator[CoachService]:
        store = await open_history(settings, warn=_warn)
        try:
            yield build_service(settings, offline=offline, history=store)
        finally:
            if store is not None:
                await store.aclose()

    return opened


def _warn(message: str) -> None:
    print(f"repair-coach: {' '.join(message.split())}", file=sys.stderr)


@asynccontextmanager
async def _as_opened(service: CoachService) -> AsyncIterator[CoachService]:
    yield service


async def _coach_with(opened: ServiceOpener, args: argparse.Namespace, user: str) -> int:
    async with opened() as service:
        return await _coach(args, service, user)


def _fail(message: str) -> int:
    print(f"repair-coach: {message}", file=sys.stderr)
    return 2


async def _coach(
    args: argparse.Namespace, service: CoachService, user: str = _TERMINAL_USER
) -> int:
    if args.batch:
        if not args.json:
            return _fail("--batch writes JSON lines: add --json")
        if args.text is not None:
            return _fail("--batch reads stdin: give no TEXT")
        return await _batch(service, sys.stdin, sys.stdout, user=user)
    if args.text is None:
        return _fail('give the text to coach, or "-" to read it from stdin')
    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        answer = await service.coach(user, text)
    except InputError as error:
        return _fail(str(error))
    if args.json:
        print(answer.model_dump_json())
    else:
        print(render(answer))
    return 0


async def _batch(
    service: CoachService, source: TextIO, out: TextIO, *, user: str = _TERMINAL_USER
) -> int:
    """Answers every JSON line of `source`, in order (a line without "user" is `user`'s);
    returns the exit code."""
    gate = asyncio.Semaphore(_BATCH_CONCURRENCY)

    async def one(number: int, line: str) -> tuple[str, int]:
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise InputError('each line needs {"text": "..."}')
            who = str(row.get("user") or user)
            async with gate:
                answer = await service.coach(who, row["text"])
            return answer.model_dump_json(), 0
        except json.JSONDecodeError as error:
            return json.dumps({"error": f"not JSON: {error.msg}"}), 2
        except InputError as error:
            return json.dumps({"error": str(error)}), 2
        except Exception as error:
            # The type only: an exception's text may quote the story. DEBUG may show it all.
            log.error("batch line %d: %s inside the coach", number, type(error).__name__)
            log.debug("batch line %d failed", number, exc_info=True)
            return json.dumps({"error": _FAILED}), 1

    lines = source.read().splitlines()
    results = await asyncio.gather(
        *(one(number, line) for number, line in enumerate(lines, 1) if line.strip())
    )
    for text, _code in results:
        out.write(text + "\n")
    codes = {code for _text, code in results}
    return 1 if 1 in codes else 2 if 2 in codes else 0


_QUIT = {"quit", "exit", ":q", "/quit", "/exit", "bye"}


# Lines that reach a terminal closer together than this were pasted, not typed: one message.
_PASTE_GAP = 0.05


class _Messages:
    """Reads chat messages: a line, or a whole pasted story when typed at a terminal.

    Used as a context manager. At a terminal it waits for input with select() on the terminal
    and on a signal wake-up pipe: Python raises KeyboardInterrupt only between bytecodes, so a
    Ctrl-C landing just before a blocking read would leave that read waiting for Enter. A
    signal makes the pipe readable, select() returns, and the interrupt is raised.
    """

    def __init__(self, source: TextIO) -> None:
        self._source = source
        self._ended = False
        self._wakeup: int | None = None
        self._previous_wakeup = -1
        self._pipe: tuple[int, int] | None = None

    def __enter__(self) -> _Messages:
        if self._source.isatty() and threading.current_thread() is threading.main_thread():
            read_end, write_end = os.pipe()
            os.set_blocking(read_end, False)
            os.set_blocking(write_end, False)
            self._pipe = (read_end, write_end)
            self._previous_wakeup = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
            self._wakeup = read_end
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pipe is not None:
            signal.set_wakeup_fd(self._previous_wakeup)
            for end in self._pipe:
                os.close(end)
            self._pipe = self._wakeup = None

    def next(self) -> str:
        if self._ended:
            return ""
        self._wait_for_input()
        line = self._source.readline()
        if not line or not self._source.isatty():
            return line
        parts = [line]
        while select.select([self._source], [], [], _PASTE_GAP)[0]:
            more = self._source.readline()
            if not more:
                self._ended = True  # Ctrl-D right after a paste: answer it, then leave
                break
            parts.append(more)
        return "".join(parts)

    def _wait_for_input(self) -> None:
        wakeup = self._wakeup
        if wakeup is None:
            return
        terminal = self._source.fileno()
        while terminal not in select.select([terminal, wakeup], [], [])[0]:
            # A signal arrived: its handler has run or runs now (KeyboardInterrupt for Ctrl-C).
            with contextlib.suppress(BlockingIOError):
                os.read(wakeup, 512)


def _chat(
    service: CoachService | ServiceOpener,
    source: TextIO,
    out: TextIO,
    *,
    user: str = _TERMINAL_USER,
) -> int:
    """A conversation until quit, Ctrl-D (exit 0) or Ctrl-C (exit 130), then a goodbye. The
    coach is `service`, or the one `service()` opens in the chat's event loop (with its
    history). One story is one report: the conversation re-coaches it under its report id."""
    opened = _as_opened(service) if isinstance(service, CoachService) else service()
    out.write(
        "repair-coach: tell me about a moment someone close to you stopped feeling with you.\n"
        f"{DISCLAIMER} Add details as we go. Type 'new' to start over, 'quit' or Ctrl-D to "
        "leave.\n"
    )
    try:
        with _Messages(source) as messages, asyncio.Runner() as runner:
            coach = runner.run(opened.__aenter__())
            try:
                conversation = Conversation(coach, user, clock=time.monotonic)
                _converse(runner, conversation, messages, out)
            finally:
                runner.run(opened.__aexit__(None, None, None))
        code = 0
    except KeyboardInterrupt:
        code = _INTERRUPTED
    out.write("\nTake care.\n")
    out.flush()
    return code


def _converse(
    runner: asyncio.Runner, conversation: Conversation, messages: _Messages, out: TextIO
) -> None:
    # Input is read outside the event loop: Ctrl-C at the prompt interrupts the read itself.
    while True:
        out.write("\nWhat happened? > ")
        out.flush()
        line = messages.next()
        if not line or line.strip().lower() in _QUIT:
            return
        try:
            answer = runner.run(conversation.turn(line))
        except InputError as error:
            out.write(f"{error}\n")
            continue
        out.write("\n" + render(answer) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
