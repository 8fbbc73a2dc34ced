"""`repair-coach`: the terminal coach. No arguments starts `chat`.

Exit codes: 0 answered; 2 bad input or usage (a one-line message on stderr), and in `--batch`
mode, 2 when any line was bad (the others are still answered, in order).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import select
import sys
from collections.abc import Sequence
from typing import TextIO

from app.compose import build_service, configure_logging
from app.settings import CoachSettings
from cli.render import render
from coaching.messages import DISCLAIMER
from coaching.service import CoachService, InputError

_BATCH_CONCURRENCY = 4
_TERMINAL_USER = "terminal"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="repair-coach",
        description="A coach for the moments someone stopped feeling with you. " + DISCLAIMER,
    )
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
    coach.add_argument("--offline", action="store_true", help="never call the LLM")
    chat = sub.add_parser("chat", help="an interactive coaching session (the default)")
    chat.add_argument("--offline", action="store_true", help="never call the LLM")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`| head`): nothing left to say, and no traceback either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    settings = CoachSettings()
    configure_logging(settings)
    service = build_service(settings, offline=getattr(args, "offline", False))
    if args.command == "coach":
        return asyncio.run(_coach(args, service))
    return asyncio.run(_chat(service, sys.stdin, sys.stdout))


def _fail(message: str) -> int:
    print(f"repair-coach: {message}", file=sys.stderr)
    return 2


async def _coach(args: argparse.Namespace, service: CoachService) -> int:
    if args.batch:
        if not args.json:
            return _fail("--batch writes JSON lines: add --json")
        if args.text is not None:
            return _fail("--batch reads stdin: give no TEXT")
        return await _batch(service, sys.stdin, sys.stdout)
    if args.text is None:
        return _fail('give the text to coach, or "-" to read it from stdin')
    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        answer = await service.coach(_TERMINAL_USER, text)
    except InputError as error:
        return _fail(str(error))
    if args.json:
        print(answer.model_dump_json())
    else:
        print(render(answer))
    return 0


async def _batch(service: CoachService, source: TextIO, out: TextIO) -> int:
    lines = source.read().splitlines()
    gate = asyncio.Semaphore(_BATCH_CONCURRENCY)

    async def one(line: str) -> tuple[str, bool]:
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise InputError('each line needs {"text": "..."}')
            user = str(row.get("user") or _TERMINAL_USER)
            async with gate:
                answer = await service.coach(user, row["text"])
            return answer.model_dump_json(), True
        except json.JSONDecodeError as error:
            return json.dumps({"error": f"not JSON: {error.msg}"}), False
        except InputError as error:
            return json.dumps({"error": str(error)}), False

    results = await asyncio.gather(*(one(line) for line in lines if line.strip()))
    for text, _ok in results:
        out.write(text + "\n")
    return 0 if all(ok for _text, ok in results) else 2


_QUIT = {"quit", "exit", ":q", "/quit", "/exit", "bye"}


# Lines that reach a terminal closer together than this were pasted, not typed: one message.
_PASTE_GAP = 0.05


class _Messages:
    """Reads chat messages: a line, or a whole pasted story when typed at a terminal."""

    def __init__(self, source: TextIO) -> None:
        self._source = source
        self._ended = False

    def next(self) -> str:
        if self._ended:
            return ""
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


async def _chat(service: CoachService, source: TextIO, out: TextIO) -> int:
    out.write(
        "repair-coach: tell me about a moment someone close to you stopped feeling with you.\n"
        f"{DISCLAIMER} Type 'quit' or press Ctrl-D to leave.\n"
    )
    messages = _Messages(source)
    while True:
        out.write("\nWhat happened? > ")
        out.flush()
        line = messages.next()
        if not line or line.strip().lower() in _QUIT:
            out.write("\nTake care.\n")
            return 0
        try:
            answer = await service.coach(_TERMINAL_USER, line)
        except InputError as error:
            out.write(f"{error}\n")
            continue
        out.write("\n" + render(answer) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
