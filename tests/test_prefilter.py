"""The regex gate only skips work: with or without it, the screens give the same answers."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from coaching.reading.prefilter import OpeningIndex, requirement
from coaching.safety import screening as safety
from coaching.understanding import offline
from coaching.understanding.offline import OfflineClassifier

DEV = Path(__file__).parent / "data" / "dev.jsonl"
QUOTED = [
    "My mom keeps saying she's 'ready to go be with Dad' and she's 58 and healthy.",
    "He DMed me 'thanks for always being nice to me, you won't hear from me again'.",
    "she texted 'love you, sorry' and now she's not answering",
    "he said 'lol ok' and went back to his game",
]


def _texts() -> list[str]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    return [str(row["text"]) for row in rows] + QUOTED


def test_a_rule_needs_one_of_its_opening_words() -> None:
    need = requirement(r"\b(?:want|wish)(?:es|ed)? to die\b")
    assert need == {"want", "wantes", "wanted", "wish", "wishes", "wished"}


def test_a_rule_that_can_start_anywhere_has_no_gate() -> None:
    assert requirement(r"(?:lol|haha)") is None


def test_an_opening_word_inside_quote_marks_is_indexed() -> None:
    index = OpeningIndex(["she said 'ready to go'"])
    assert index.where(frozenset({"ready"})) == [0]


def test_the_safety_gate_never_changes_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    gated = [safety.screen(t) for t in texts]
    monkeypatch.setattr(
        safety, "_RULES", tuple(dataclasses.replace(r, gate=None) for r in safety._RULES)
    )
    assert [safety.screen(t) for t in texts] == gated


def test_the_cue_gate_never_changes_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    classifier = OfflineClassifier()
    gated = [classifier.classify_now(t) for t in texts]
    for name in ("OTHER", "OTHER_WEAK", "SELF", "QUOTED"):
        ungated = tuple(dataclasses.replace(c, gate=None) for c in getattr(offline, name))
        monkeypatch.setattr(offline, name, ungated)
    assert [classifier.classify_now(t) for t in texts] == gated
