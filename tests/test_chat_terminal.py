"""`repair-coach chat` at a real terminal (a pseudo-terminal): a pasted story is one message, and
Ctrl-C leaves with a goodbye and no traceback."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROMPT = b"What happened? >"
PASTE = (
    b"Last night I told my boyfriend I've been scared about my biopsy results.\n"
    b"He laughed and said I worry about everything.\n"
)


def _read_until(fd: int, marker: bytes, count: int, seen: bytearray, deadline: float) -> None:
    """Collect output until `marker` has appeared `count` times (a bounded wait, no sleeps)."""
    while seen.count(marker) < count:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out waiting for {marker!r}: {bytes(seen)!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 65536)
            assert chunk, f"output ended early: {bytes(seen)!r}"
            seen.extend(chunk)


def test_a_pasted_multi_line_story_gets_one_answer(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REPAIR_COACH_"))}
    env["PYTHONPATH"] = str(ROOT)
    try:
        leader, follower = pty.openpty()
    except OSError as error:  # a container with no /dev/ptmx: nothing to test against
        pytest.skip(f"no pseudo-terminal here: {error}")
    out_read, out_write = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "chat"],
        stdin=follower,
        stdout=out_write,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
        env=env,
    )
    os.close(follower)
    os.close(out_write)
    seen = bytearray()
    deadline = time.monotonic() + 60
    try:
        _read_until(out_read, PROMPT, 1, seen, deadline)
        os.write(leader, PASTE)  # both lines at once, as a paste arrives
        _read_until(out_read, PROMPT, 2, seen, deadline)
        os.write(leader, b"\x04")  # Ctrl-D at the start of a line: leave
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    while chunk := os.read(out_read, 65536):
        seen.extend(chunk)
    os.close(out_read)
    text = seen.decode()
    assert text.count("What happened? >") == 2, text  # one answer, then the next prompt
    assert text.count("automated coach") == 2, text  # the greeting and that one answer
    assert "Take care." in text


def _take_terminal() -> None:
    """In the child, after setsid: the pseudo-terminal on stdin becomes its controlling
    terminal, so Ctrl-C typed there is a SIGINT to it, as at a real prompt."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def test_ctrl_c_at_the_prompt_says_goodbye_and_exits_130_without_a_traceback(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "REPAIR_COACH_"))}
    env["PYTHONPATH"] = str(ROOT)
    try:
        leader, follower = pty.openpty()
    except OSError as error:
        pytest.skip(f"no pseudo-terminal here: {error}")
    out_read, out_write = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "chat"],
        stdin=follower,
        stdout=out_write,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
        start_new_session=True,
        preexec_fn=_take_terminal,
    )
    os.close(follower)
    os.close(out_write)
    seen = bytearray()
    try:
        _read_until(out_read, PROMPT, 1, seen, time.monotonic() + 60)
        os.write(leader, b"\x03")  # Ctrl-C, typed at the prompt
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    while chunk := os.read(out_read, 65536):
        seen.extend(chunk)
    os.close(out_read)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert code == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert bytes(seen).rstrip().endswith(b"Take care."), bytes(seen)
