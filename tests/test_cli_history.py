"""The terminal's history (issue 14): `coach`/`chat` record, and `history`, `feedback`,
`settings`, `export` and `forget` read and change it, against a real SQLite file in tmp_path.

Most runs call `cli.main.main([...])` in this process (the models load once), with the same
environment a console run gets; a few run the console script in a subprocess. The last tests
drive one `CoachService` over the real store: 200 coachings at once, and a store whose writes
fail.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from coaching.history.records import Report
from coaching.ports import HistoryUnavailable
from coaching.service import CoachService
from coaching.taxonomy import Style
from coaching.understanding.offline import OfflineClassifier
from db import SqlHistoryStore, new_data_key, open_store

ROOT = Path(__file__).resolve().parent.parent
_OWN_VARIABLES = ("OPENAI_", "REPAIR_COACH_", "DISCORD_", "DATABASE_URL")
STORY = "I told my husband I was nervous about the interview and he went back to his phone."
OTHER_STORY = "I told my sister about my new job and she started scrolling on her phone."
THIRD_STORY = "When I said I was scared about the surgery my partner changed the subject."


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment (no OpenAI key, no .env) whose history lives in tmp_path."""
    for name in list(os.environ):
        if name.startswith(_OWN_VARIABLES):
            monkeypatch.delenv(name)
    folder = tmp_path / "data"
    monkeypatch.setenv("REPAIR_COACH_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        lines = [line for line in self.out.splitlines() if line.strip()]
        assert len(lines) == 1, self.out
        return json.loads(lines[0])


def cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: str = "",
) -> Run:
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def console(tmp_path: Path, data_dir: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """The console script in a subprocess, as a person runs it."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_VARIABLES)}
    base |= {"PYTHONPATH": str(ROOT), "REPAIR_COACH_DATA_DIR": str(data_dir), **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=tmp_path,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def run(data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def go(*argv: str, stdin: str = "") -> Run:
        return cli(capsys, monkeypatch, *argv, stdin=stdin)

    return go


def _reports(run: Any, *user: str) -> list[dict[str, Any]]:
    done = run("history", "--json", *user)
    assert done.code == 0, done.err
    reports: list[dict[str, Any]] = done.json()["reports"]
    return reports


# --- coach and chat record -----------------------------------------------------------------


def test_coach_with_a_user_records_one_report_and_answers_with_its_id(run: Any) -> None:
    answer = run("coach", "--json", "--user", "ana", STORY)
    assert answer.code == 0, answer.err
    body = answer.json()
    assert body["report_id"]
    assert body["history"] == {"reports": 1, "recurring": []}
    assert body["notice"]  # the first recording says so
    reports = _reports(run, "--user", "ana")
    assert [r["report_id"] for r in reports] == [body["report_id"]]


def test_the_human_answer_shows_the_report_id_and_the_first_notice_once(run: Any) -> None:
    first = run("coach", STORY)
    assert first.code == 0, first.err
    report_id = _reports(run)[0]["report_id"]
    assert f"Report {report_id}" in first.out
    assert "repair-coach forget --yes" in first.out
    second = run("coach", OTHER_STORY)
    assert "Report " in second.out and "repair-coach forget --yes" not in second.out


def test_without_user_the_terminal_records_to_one_local_profile(run: Any) -> None:
    run("coach", STORY)
    run("coach", OTHER_STORY)
    assert len(_reports(run)) == 2
    assert _reports(run, "--user", "someone-else") == []


def test_the_same_pattern_in_three_stories_is_recurring(run: Any) -> None:
    answers = [run("coach", "--json", text).json() for text in (STORY, OTHER_STORY, STORY)]
    assert answers[-1]["history"]["recurring"] == ["disengagement"]
    assert answers[-1]["moment"] == "repeated_misunderstanding"
    assert len(answers[-1]["phrasings"]) == len(Style) + 1
    overview = run("history", "--json").json()
    assert overview["recurring"] == ["disengagement"]
    assert sum(week["patterns"]["disengagement"] for week in overview["weeks"]) == 3


def test_the_pattern_level_phrasing_is_marked_in_the_human_answer(run: Any) -> None:
    run("coach", STORY)
    run("coach", OTHER_STORY)
    third = run("coach", STORY)
    assert "About the pattern (" in third.out
    shown = run("history")
    assert "Recurring in the last 30 days: Checking out" in shown.out


def test_a_chat_story_told_in_two_messages_is_one_report(run: Any) -> None:
    done = run(
        "chat",
        "--user",
        "cam",
        stdin="my friend laughed when I said I was sad\nand then she walked off\n",
    )
    assert done.code == 0, done.err
    assert done.out.count("Report ") == 2
    assert len(_reports(run, "--user", "cam")) == 1


# --- feedback ------------------------------------------------------------------------------


def test_feedback_on_a_report_is_recorded(run: Any) -> None:
    report_id = run("coach", "--json", STORY).json()["report_id"]
    done = run("feedback", report_id, "helped", "--style", "direct")
    assert done.code == 0, done.err
    (report,) = _reports(run)
    assert (report["rating"], report["picked"]) == ("helped", "direct")
    assert run("feedback", report_id, "not-quite").code == 0
    assert _reports(run)[0]["rating"] == "not_quite"


def test_feedback_on_an_unknown_report_exits_2_with_one_line(run: Any) -> None:
    run("coach", STORY)
    done = run("feedback", "0123456789abcdef", "helped")
    assert done.code == 2
    assert len(done.err.strip().splitlines()) == 1 and "no report" in done.err


def test_feedback_with_a_bad_rating_is_a_usage_error(run: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        run("feedback", "abc", "great")
    assert exited.value.code == 2


# --- settings ------------------------------------------------------------------------------


def test_settings_without_arguments_prints_them(run: Any) -> None:
    done = run("settings")
    assert done.code == 0
    assert "history    on" in done.out and "tone       none" in done.out


def test_tone_direct_puts_the_direct_phrasing_first(run: Any) -> None:
    assert run("settings", "tone", "direct").code == 0
    answer = run("coach", "--json", STORY).json()
    assert answer["phrasings"][0]["style"] == "direct"


def test_a_name_set_opens_the_phrasings_and_an_empty_one_clears_it(run: Any) -> None:
    assert run("settings", "name", "Sam").code == 0
    assert "Sam" in run("coach", "--json", STORY).json()["phrasings"][0]["text"]
    assert run("settings", "name", "").code == 0
    assert "name       (none)" in run("settings").out


def test_keep_text_without_a_key_is_refused_with_the_message(run: Any) -> None:
    done = run("settings", "keep_text", "on")
    assert done.code == 2
    assert len(done.err.strip().splitlines()) == 1
    assert "REPAIR_COACH_DATA_KEY" in done.err
    assert "keep_text  off" in run("settings").out


def test_keep_text_with_a_key_is_accepted(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIR_COACH_DATA_KEY", new_data_key())
    assert run("settings", "keep_text", "on").code == 0
    assert "keep_text  on" in run("settings").out


@pytest.mark.parametrize(
    "argv", [("tone", "loud"), ("history", "maybe"), ("colour", "blue"), ("tone",)]
)
def test_a_bad_setting_exits_2_with_one_line(run: Any, argv: tuple[str, ...]) -> None:
    done = run("settings", *argv)
    assert done.code == 2
    assert len(done.err.strip().splitlines()) == 1


def test_history_off_records_nothing(run: Any) -> None:
    assert run("settings", "history", "off").code == 0
    answer = run("coach", "--json", STORY).json()
    assert answer["report_id"] is None
    assert _reports(run) == []


# --- export and forget ---------------------------------------------------------------------


def test_export_holds_the_reports_and_settings_but_no_story_text(run: Any) -> None:
    run("settings", "name", "Sam")
    report_id = run("coach", "--json", STORY).json()["report_id"]
    done = run("export")
    assert done.code == 0, done.err
    exported = done.json()
    assert exported["user_id"] == "terminal"
    assert exported["settings"]["other_name"] == "Sam"
    assert [r["report_id"] for r in exported["reports"]] == [report_id]
    assert exported["reports"][0]["story"] is None
    assert "nervous" not in done.out and "interview" not in done.out


def test_forget_yes_deletes_everything(run: Any) -> None:
    run("settings", "tone", "nvc")
    run("coach", STORY)
    done = run("forget", "--yes")
    assert done.code == 0, done.err
    assert _reports(run) == []
    exported = run("export").json()
    assert exported["reports"] == []
    assert exported["settings"]["tone"] is None


def test_forget_without_yes_refuses_in_one_line_and_keeps_the_history(run: Any) -> None:
    run("coach", STORY)
    done = run("forget")
    assert done.code == 2
    assert len(done.err.strip().splitlines()) == 1
    assert "1 report" in done.err and "--yes" in done.err
    assert len(_reports(run)) == 1


# --- people are kept apart -----------------------------------------------------------------


def test_two_users_never_see_each_others_reports(run: Any) -> None:
    mine = run("coach", "--json", "--user", "ana", STORY).json()["report_id"]
    theirs = run("coach", "--json", "--user", "ben", OTHER_STORY).json()["report_id"]
    assert [r["report_id"] for r in _reports(run, "--user", "ana")] == [mine]
    assert [r["report_id"] for r in _reports(run, "--user", "ben")] == [theirs]
    assert run("feedback", "--user", "ben", mine, "helped").code == 2
    exported = run("export", "--user", "ben").json()
    assert [r["report_id"] for r in exported["reports"]] == [theirs]
    assert run("forget", "--yes", "--user", "ben").code == 0
    assert [r["report_id"] for r in _reports(run, "--user", "ana")] == [mine]


# --- through the console script ------------------------------------------------------------


def test_the_console_script_records_shows_rates_exports_and_forgets(
    tmp_path: Path, data_dir: Path
) -> None:
    answer = console(tmp_path, data_dir, "coach", "--json", "--user", "u1", STORY)
    assert answer.code == 0, answer.err
    report_id = answer.json()["report_id"]
    shown = console(tmp_path, data_dir, "history", "--user", "u1")
    assert shown.code == 0 and report_id in shown.out
    assert console(tmp_path, data_dir, "feedback", report_id, "helped", "--user", "u1").code == 0
    assert console(tmp_path, data_dir, "feedback", report_id, "helped", "--user", "u2").code == 2
    assert console(tmp_path, data_dir, "settings", "--user", "u1", "tone", "gentle").code == 0
    exported = console(tmp_path, data_dir, "export", "--user", "u1").json()
    assert exported["reports"][0]["rating"] == "helped"
    assert console(tmp_path, data_dir, "forget", "--user", "u1", "--yes").code == 0
    assert console(tmp_path, data_dir, "export", "--user", "u1").json()["reports"] == []


@pytest.mark.parametrize("target", ["directory", "garbage"])
def test_a_database_that_cannot_be_opened_still_coaches_with_one_line(
    tmp_path: Path, data_dir: Path, target: str
) -> None:
    path = tmp_path / target
    if target == "directory":
        path.mkdir()
    else:
        path.write_bytes(b"this is not a database\n" * 100)
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
    done = console(tmp_path, data_dir, "coach", "--json", STORY, env=env)
    assert done.code == 0
    assert done.json()["phrasings"]
    assert done.json()["report_id"] is None
    assert len(done.err.strip().splitlines()) == 1, done.err
    assert "history" in done.err and "Traceback" not in done.err
    shown = console(tmp_path, data_dir, "history", env=env)
    assert shown.code == 2 and len(shown.err.strip().splitlines()) == 1


# --- one service, the real store: concurrency and faults -----------------------------------

_SHORT = ("he ignored me", "she laughed at me", "he walked off when I cried", "she changed topic")


async def test_200_coachings_at_once_lose_no_report(
    data_dir: Path, classifier: OfflineClassifier, caplog: pytest.LogCaptureFixture
) -> None:
    store = await open_store(None, data_dir)
    try:
        service = CoachService(classifier, history=store)
        users = [f"user-{n}" for n in range(20)]
        with caplog.at_level(logging.WARNING):
            answers = await asyncio.gather(
                *(service.coach(users[n % 20], _SHORT[n % len(_SHORT)]) for n in range(200))
            )
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert all(a.report_id for a in answers)
        assert len({a.report_id for a in answers}) == 200
        stored = Counter({user: len((await store.export(user)).reports) for user in users})
        assert stored == Counter(dict.fromkeys(users, 10))
    finally:
        await store.aclose()


class FakeFailingWrites:
    """The real store, except that saving a report fails as a locked database would."""

    def __init__(self, store: SqlHistoryStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    async def save_report(self, report: Report) -> None:
        raise HistoryUnavailable("history save report failed (OperationalError)")

    async def offered_before(self, user_id: str, texts: Sequence[str], since: Any) -> set[str]:
        return await self._store.offered_before(user_id, texts, since)


async def test_a_store_failing_on_write_still_returns_the_answer(
    data_dir: Path, classifier: OfflineClassifier, caplog: pytest.LogCaptureFixture
) -> None:
    store = await open_store(None, data_dir)
    try:
        service = CoachService(classifier, history=FakeFailingWrites(store))  # type: ignore[arg-type]
        with caplog.at_level(logging.WARNING):
            answer = await service.coach("ana", STORY)
        assert answer.phrasings and answer.report_id is None
        assert "nervous" not in caplog.text
        assert "saving the report" in caplog.text
        assert (await store.export("ana")).reports == ()
    finally:
        await store.aclose()
