"""The README is what a person reading a clone has: it must cover the answer and point only at
files the clone contains."""

from __future__ import annotations

import re
from pathlib import Path

from coaching.models import Assessment

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_key_of_the_answer_is_documented() -> None:
    section = README.split("## The answer (JSON)", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
    assert set(Assessment.model_fields) <= documented, set(Assessment.model_fields) - documented


def test_every_path_it_names_exists_in_the_clone() -> None:
    named = re.findall(r"`((?:\.\./|\.?[a-z_]+/)[\w./-]*)`", README)
    missing = [path for path in named if not (ROOT / path.split(" ")[0]).exists()]
    assert not missing
