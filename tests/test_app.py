"""The composition root (`app/`): one settings model, models loaded once at start-up, and a
domain that imports none of the adapters."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import CoachSettings, MissingSettingError

ROOT = Path(__file__).resolve().parent.parent
_OWN_VARIABLES = ("OPENAI_", "REPAIR_COACH_", "DISCORD_")


@pytest.fixture(autouse=True)
def _no_settings_from_outside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No variable of ours from the environment, and no `.env` in the working directory."""
    for name in list(os.environ):
        if name.startswith(_OWN_VARIABLES):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_VARIABLES)}
    base["PYTHONPATH"] = str(ROOT)
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", code],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- settings ------------------------------------------------------------------------------


def test_empty_variables_are_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "DISCORD_TOKEN", "REPAIR_COACH_MODEL"):
        monkeypatch.setenv(name, "")
    settings = CoachSettings()
    assert (settings.openai_api_key, settings.openai_base_url, settings.discord_token) == (
        None,
        None,
        None,
    )
    assert settings.repair_coach_model == "gpt-4o-mini"


def test_a_blank_quoted_value_in_the_env_file_is_unset(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('OPENAI_API_KEY="  "\nDISCORD_TOKEN=" "\n', encoding="utf-8")
    settings = CoachSettings()
    assert (settings.openai_api_key, settings.discord_token) == (None, None)


def test_the_discord_token_is_required_only_when_asked_for() -> None:
    settings = CoachSettings()  # builds: the terminal coach needs no token
    with pytest.raises(MissingSettingError, match=r"DISCORD_TOKEN is not set.*\.env\.example"):
        settings.require_discord_token()


def test_the_discord_token_is_read_from_DISCORD_TOKEN(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "token-for-tests")
    assert CoachSettings().require_discord_token() == "token-for-tests"


def test_no_module_builds_settings_at_import_time() -> None:
    # An invalid setting makes CoachSettings() raise: importing must not trip over it.
    done = _python(
        "import app.compose, app.settings, cli.main, llm, bot, db",
        env={"REPAIR_COACH_LOG_LEVEL": "LOUD"},
    )
    assert done.returncode == 0, done.stderr


# --- build_service -------------------------------------------------------------------------

# Only the encoder heads catch this one (no rule names it).
_LEARNED_CRISIS = "Honestly everyone would breathe easier if I just wasn't around anymore."
_STORY = "I told my husband I was nervous about the interview and he went back to his phone."
_SPANISH = "Le conté a mi esposo que estaba nerviosa por la entrevista y volvió a su teléfono."
_AFTER_START_UP = f"""
import asyncio
from app.compose import build_service
from app.settings import CoachSettings
from py3langid import langid

from coaching.safety.heads import HeadsModel
from coaching.understanding.heads import UnderstandingHeads

settings = CoachSettings()
service = build_service(settings, offline=True)

def refuse(*args, **kwargs):
    raise AssertionError("a model was loaded after start-up")

HeadsModel.load = refuse
UnderstandingHeads.load = refuse
langid.LanguageIdentifier.from_model_file = refuse
again = build_service(settings, offline=True)
online = build_service(
    CoachSettings(openai_api_key="sk-test", openai_base_url="http://127.0.0.1:9/v1"),
    offline=False,
)
for text in ({_STORY!r}, {_LEARNED_CRISIS!r}, {_SPANISH!r}):
    answer = asyncio.run(again.coach("t", text))
    print(answer.safety.value, answer.language_supported)
"""


def test_the_first_service_loads_every_model_and_later_ones_load_none() -> None:
    done = _python(_AFTER_START_UP)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["none", "True", "crisis", "True", "none", "False"], done.stdout


# --- the domain stays pure -----------------------------------------------------------------

_ADAPTERS = {"openai", "sqlalchemy", "discord", "pydantic_settings", "app", "cli", "llm", "bot"}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _reads_environment(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if {a.name for a in node.names} & {"environ", "getenv", "environb"}:
                return True
    return False


def test_the_domain_imports_no_adapter_settings_or_network_client() -> None:
    found = {
        str(path.relative_to(ROOT)): sorted(names)
        for path in _modules("coaching")
        if (names := _imported(ast.parse(path.read_text(encoding="utf-8"))) & _ADAPTERS)
    }
    assert found == {}


def test_no_module_reads_the_environment_itself() -> None:
    # Settings come from the one CoachSettings model (pydantic-settings reads the environment).
    found = [
        str(path.relative_to(ROOT))
        for package in ("coaching", "llm", "cli", "app", "bot", "db")
        for path in _modules(package)
        if _reads_environment(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_the_purity_checks_catch_what_they_look_for() -> None:
    # The two checks above pass vacuously if they cannot see: show them what they must catch.
    tree = ast.parse("import os\nfrom llm.classifier import X\nkey = os.environ['K']\n")
    assert _imported(tree) & _ADAPTERS == {"llm"}
    assert _reads_environment(tree)
    assert _reads_environment(ast.parse("from os import getenv\n"))
