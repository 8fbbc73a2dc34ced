"""The regex gate only skips work: with or without it, the screens give the same answers."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from coaching.reading.prefilter import OpeningIndex, requirement
from coaching.reading.story import read_story
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


@pytest.mark.parametrize(
    ("pattern", "need"),
    [
        (r"\bsh[ou]ve[sd]? me\b", {"shove", "shoves", "shoved", "shuve", "shuves", "shuved"}),
        (r"\bhe (?:\w+ ){0,2}shoved me\b", {"shoved"}),
        (r"\b(?P<verb>kick)ed\b", {"kicked"}),
        (r"\bslapped\b|\bpunched\b", {"slapped", "punched"}),
    ],
    ids=["class", "skipped-words", "named-group", "alternatives"],
)
def test_the_openings_are_read_from_the_pattern_source(pattern: str, need: set[str]) -> None:
    assert requirement(pattern) == need


@pytest.mark.parametrize("pattern", [r"\b(\w+) \1 again\b", r"(?i)\bshoved me\b"])
def test_a_pattern_the_gate_cannot_read_has_no_gate(pattern: str) -> None:
    assert requirement(pattern) is None


def test_every_match_is_in_a_line_the_index_offers() -> None:
    rules = [(r.regex, r.gate) for r in safety._RULES] + [
        (c.regex, c.gate)
        for name in ("OTHER", "OTHER_WEAK", "SELF", "QUOTED")
        for c in getattr(offline, name)
    ]
    for text in _texts():
        lines = [clause.norm for clause in read_story(text)]
        index = OpeningIndex(lines)
        for regex, gate in rules:
            offered = set(index.where(gate))
            for number, line in enumerate(lines):
                if number not in offered:
                    assert regex.search(line) is None, (regex.pattern, line)


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
