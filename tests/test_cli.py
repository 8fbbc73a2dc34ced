"""The `repair-coach` console script, run for real in a subprocess with no API key.

Each run happens in an empty working directory (so no `.env` is read) with every OPENAI_*,
REPAIR_COACH_* and DISCORD_* variable removed, which keeps the coach offline and the tests
hermetic.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.main import _batch, main
from coaching.models import Draft
from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier

ROOT = Path(__file__).resolve().parent.parent
_OWN_VARIABLES = ("OPENAI_", "REPAIR_COACH_", "DISCORD_")
STORY = "I told my husband I was nervous about the interview and he went back to his phone."
CRISIS = "honestly everyone would be better off without me. i told my bf and he went to sleep."
TAXONOMY_KEYS = {
    "safety",
    "rupture",
    "moment",
    "patterns",
    "phrasings",
    "partner_prompt",
    "perspective",
    "resources",
    "classifier",
}


def run(
    tmp_path: Path,
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    command: tuple[str, ...] = (sys.executable, "-m", "cli.main"),
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_VARIABLES)}
    base["PYTHONPATH"] = str(ROOT)
    base.update(env or {})
    return subprocess.run(
        [*command, *args],
        cwd=tmp_path,
        env=base,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_json(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    value = json.loads(lines[0])
    assert isinstance(value, dict)
    return value


# --- coach TEXT ----------------------------------------------------------------------------


def test_coach_answers_and_exits_0(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", STORY)
    assert done.returncode == 0, done.stderr
    assert "went back to your phone" in done.stdout


def test_coach_says_once_that_it_is_an_automated_coach(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", STORY)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("automated coach") == 1, done.stdout


def test_coach_json_prints_one_object_with_the_taxonomy_keys(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", "--json", STORY)
    assert done.returncode == 0, done.stderr
    answer = one_json(done.stdout)
    assert answer.keys() >= TAXONOMY_KEYS
    assert answer["classifier"] == "offline"
    assert answer["safety"] == "none"


def test_coach_json_carries_kind_safety_check_and_writer_role(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", "--json", STORY)
    answer = one_json(done.stdout)
    assert (answer["kind"], answer["safety_check"], answer["writer_role"]) == (
        "assessment",
        "",
        "hurt",
    )


def test_a_question_about_safety_comes_first_with_its_lines_then_the_coaching(
    tmp_path: Path,
) -> None:
    doubt = "I told my girlfriend I can't keep going like this and she turned the music up."
    done = run(tmp_path, "coach", doubt)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Some of what you wrote sounds really heavy."), out
    assert out.index("988") < out.index("Things you could say"), out


def test_the_writer_who_harms_gets_help_to_stop_and_no_script(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", "--json", "I slapped my wife when she laughed at my new job.")
    answer = one_json(done.stdout)
    assert (answer["safety"], answer["writer_role"], answer["phrasings"]) == (
        "abuse",
        "caused",
        [],
    )
    assert answer["resources"][0]["contact"] == "0808 802 4040"


def test_coach_dash_reads_the_text_from_stdin(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", "--json", "-", stdin=STORY + "\n")
    assert done.returncode == 0, done.stderr
    answer = one_json(done.stdout)
    assert any("went back to your phone" in p["text"] for p in answer["phrasings"])


@pytest.mark.parametrize("text", ["", "   "], ids=["empty", "spaces"])
def test_empty_text_exits_2_with_a_one_line_message(tmp_path: Path, text: str) -> None:
    done = run(tmp_path, "coach", text)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_text_over_the_limit_exits_2_naming_the_limit(tmp_path: Path) -> None:
    text = (STORY + " ") * 60
    text = text[:4001]
    assert len(text.strip()) == 4001
    done = run(tmp_path, "coach", "-", stdin=text)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "4,000" in done.stderr


def test_a_crisis_shows_the_disclaimer_before_the_resources(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", CRISIS)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "automated coach" in out and "988" in out, out
    assert out.index("automated coach") < out.index("988")


def test_a_crisis_shows_no_script(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", "--json", CRISIS)
    answer = one_json(done.stdout)
    assert (answer["safety"], answer["phrasings"], answer["partner_prompt"]) == ("crisis", [], "")


# --- settings ------------------------------------------------------------------------------


def test_a_dotenv_copied_from_the_example_with_nothing_filled_in_is_the_offline_coach(
    tmp_path: Path,
) -> None:
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    script = shutil.which("repair-coach", path=str(Path(sys.executable).parent))
    assert script is not None, "the repair-coach console script is not installed in this venv"
    done = run(tmp_path, "coach", "--json", STORY, command=(script,))
    assert done.returncode == 0, done.stderr
    answer = one_json(done.stdout)
    assert (answer["classifier"], answer["fallback_reason"]) == ("offline", None)


def test_a_bad_setting_exits_2_with_one_line_naming_it(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", STORY, env={"REPAIR_COACH_LOG_LEVEL": "LOUD"})
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "REPAIR_COACH_LOG_LEVEL" in done.stderr


# --- --batch -------------------------------------------------------------------------------


def test_batch_answers_every_line_in_order_and_marks_the_bad_one(tmp_path: Path) -> None:
    lines = [json.dumps({"text": CRISIS}), "this is not json", json.dumps({"text": STORY})]
    done = run(tmp_path, "coach", "--batch", "--json", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 3, done.stdout
    assert out[0]["safety"] == "crisis"
    assert set(out[1]) == {"error"}
    assert out[2]["safety"] == "none"


def test_batch_with_a_bad_line_exits_2(tmp_path: Path) -> None:
    lines = [json.dumps({"text": STORY}), "this is not json", json.dumps({"text": STORY})]
    done = run(tmp_path, "coach", "--batch", "--json", stdin="\n".join(lines) + "\n")
    assert done.returncode == 2


def test_batch_marks_a_line_with_an_empty_text(tmp_path: Path) -> None:
    lines = [json.dumps({"text": STORY}), json.dumps({"text": "  "})]
    done = run(tmp_path, "coach", "--batch", "--json", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [set(o) == {"error"} for o in out] == [False, True]
    assert done.returncode == 2


def test_batch_where_every_line_is_good_exits_0(tmp_path: Path) -> None:
    lines = [json.dumps({"text": STORY}), json.dumps({"text": CRISIS, "user": "a"})]
    done = run(tmp_path, "coach", "--batch", "--json", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["safety"] for o in out] == ["none", "crisis"]


def test_batch_without_json_exits_2(tmp_path: Path) -> None:
    done = run(tmp_path, "coach", "--batch", stdin=json.dumps({"text": STORY}) + "\n")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


SECRET = "my sister's name is Wilhelmina and she said the unsayable"


class FakeBrokenClassifier:
    """A `coaching.ports.Classifier` that fails, quoting the story, on stories naming SECRET's
    sister, and answers the rest with the built-in classifier."""

    def __init__(self) -> None:
        self._inner = OfflineClassifier()

    async def classify(self, text: str) -> Draft:
        if "Wilhelmina" in text:
            raise RuntimeError(f"cannot read {text!r}")
        return await self._inner.classify(text)


async def test_batch_answers_a_line_the_coach_fails_on_with_a_generic_error_and_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    lines = [json.dumps({"text": STORY}), json.dumps({"text": SECRET}), json.dumps({"text": STORY})]
    out = io.StringIO()
    code = await _batch(CoachService(FakeBrokenClassifier()), io.StringIO("\n".join(lines)), out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [set(a) == {"error"} for a in answers] == [False, True, False], answers
    assert "Wilhelmina" not in answers[1]["error"]
    assert code == 1
    assert caplog.records, "the failure was not logged"
    assert all("Wilhelmina" not in r.getMessage() for r in caplog.records)
    assert all(r.exc_info is None for r in caplog.records if r.levelno > logging.DEBUG)


# --- chat ----------------------------------------------------------------------------------


def test_chat_answers_each_line_and_exits_0_on_eof(tmp_path: Path) -> None:
    done = run(tmp_path, "chat", stdin=STORY + "\n")
    assert done.returncode == 0, done.stderr
    assert "went back to your phone" in done.stdout
    assert done.stdout.rstrip().endswith("Take care.")


def test_chat_with_no_input_exits_0(tmp_path: Path) -> None:
    done = run(tmp_path, "chat", stdin="")
    assert done.returncode == 0, done.stderr


# --- --offline -----------------------------------------------------------------------------


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A 127.0.0.1 port held bound but never listening: any connection to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _dummy_llm(port: int) -> dict[str, str]:
    return {
        "OPENAI_API_KEY": "sk-dummy-for-tests",
        "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1",
    }


@pytest.mark.parametrize(
    "args", [("--offline",), ("--offline", "chat"), ("chat", "--offline")], ids=" ".join
)
def test_offline_works_before_and_after_the_chat_command(
    tmp_path: Path, closed_port: int, args: tuple[str, ...]
) -> None:
    done = run(tmp_path, *args, stdin=STORY + "\n", env=_dummy_llm(closed_port))
    assert done.returncode == 0, done.stderr
    assert "went back to your phone" in done.stdout
    assert "language model was unavailable" not in " ".join(done.stdout.split())


def test_without_offline_the_chat_tries_the_llm(tmp_path: Path, closed_port: int) -> None:
    # The control for the test above.
    done = run(tmp_path, "chat", stdin=STORY + "\n", env=_dummy_llm(closed_port))
    assert done.returncode == 0, done.stderr
    assert "language model was unavailable" in " ".join(done.stdout.split())


def test_offline_never_tries_the_llm_even_with_a_key_set(tmp_path: Path, closed_port: int) -> None:
    done = run(tmp_path, "coach", "--offline", "--json", STORY, env=_dummy_llm(closed_port))
    assert done.returncode == 0, done.stderr
    answer = one_json(done.stdout)
    assert answer["classifier"] == "offline"
    assert answer["fallback_reason"] is None


def test_without_offline_the_same_setup_tries_the_llm_and_falls_back(
    tmp_path: Path, closed_port: int
) -> None:
    # The control for the test above: the dummy key and the refused port are really used.
    done = run(tmp_path, "coach", "--json", STORY, env=_dummy_llm(closed_port))
    assert done.returncode == 0, done.stderr
    answer = one_json(done.stdout)
    assert answer["classifier"] == "offline"
    assert answer["fallback_reason"] is not None


def test_the_bot_without_a_token_says_in_one_line_how_to_set_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert main(["bot"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "DISCORD_TOKEN" in err and "developers" in err
