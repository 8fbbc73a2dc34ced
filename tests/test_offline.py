"""The built-in classifier: who did what, negation, quotes, texting, and no network."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, NoReturn

import pytest

from coaching.models import Draft
from coaching.taxonomy import PatternId
from coaching.understanding.offline import OfflineClassifier

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(__file__).parent / "data" / "dev.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()
]
RUPTURE_CASES = [c for c in CASES if c["safety"] == "none" and c["rupture"]]

P = PatternId


def ids(draft: Draft) -> list[PatternId]:
    return [p.id for p in draft.classification.patterns]


def top(draft: Draft) -> PatternId | None:
    patterns = draft.classification.patterns
    return patterns[0].id if patterns else None


# --- who did what, and what was not done ---------------------------------------------------

LAUGHED_AT = "I didn't laugh, he laughed when I told him about my panic attacks"
LAUGHED_IT_OFF = "I laughed it off but inside I was hurt; he just went back to his phone"
NO_ADVICE = "she never gave me advice, she just changed the subject"
PHONE = "I told my husband I was nervous about the interview and he went back to his phone."
# Known misses of the encoder heads on one-line stories that deny a cue or give it to the
# writer: the heads hear "laughed" and "advice". Cutting the patterns the cue rules disown
# (done by the writer, or denied) lowered top-1 on the calibration split, so it is not shipped.
ONE_LINE_MISS = pytest.mark.xfail(
    strict=True, reason="known miss: the heads credit a denied or the writer's own act"
)


def test_the_other_persons_laugh_counts_when_the_writer_says_they_did_not_laugh(
    classifier: OfflineClassifier,
) -> None:
    assert top(classifier.classify_now(LAUGHED_AT)) is P.MISTIMED_HUMOR


@ONE_LINE_MISS
def test_the_writers_own_laugh_is_not_mistimed_humor(classifier: OfflineClassifier) -> None:
    draft = classifier.classify_now(LAUGHED_IT_OFF)
    assert P.MISTIMED_HUMOR not in ids(draft)


@ONE_LINE_MISS
def test_going_back_to_the_phone_is_disengagement(classifier: OfflineClassifier) -> None:
    assert top(classifier.classify_now(LAUGHED_IT_OFF)) is P.DISENGAGEMENT


@ONE_LINE_MISS
def test_changing_the_subject_is_disengagement(classifier: OfflineClassifier) -> None:
    assert top(classifier.classify_now(NO_ADVICE)) is P.DISENGAGEMENT


@ONE_LINE_MISS
def test_advice_that_was_never_given_is_not_unsolicited_advice(
    classifier: OfflineClassifier,
) -> None:
    draft = classifier.classify_now(NO_ADVICE)
    assert P.UNSOLICITED_ADVICE not in ids(draft)


def test_a_quoted_silver_lining_is_minimizing(classifier: OfflineClassifier) -> None:
    text = 'I told him about the diagnosis and he said "at least you still have your health"'
    assert top(classifier.classify_now(text)) is P.MINIMIZING


def test_lowercase_texting_is_read(classifier: OfflineClassifier) -> None:
    text = "told my bf i was scared about the biopsy and he was like 'ur overreacting'"
    assert top(classifier.classify_now(text)) is P.INVALIDATION


@pytest.mark.parametrize(
    "text",
    [
        "My sister and I disagreed about where to spend Christmas. We both explained our "
        "reasons, she heard me out, and we compromised on alternating years.",
        "My husband wanted the blue sofa and I wanted the grey one. We talked it through over "
        "dinner, each said why, and agreed on the grey one with a blue throw.",
        "My roommate and I argued about the thermostat. She explained she gets cold at night, I "
        "said I can't sleep when it's hot, and we settled on 20 degrees.",
    ],
    ids=["christmas", "sofa", "thermostat"],
)
def test_an_ordinary_disagreement_where_both_talked_is_not_a_rupture(
    classifier: OfflineClassifier, text: str
) -> None:
    draft = classifier.classify_now(text)
    assert draft.classification.rupture is False
    assert draft.classification.patterns == []


# --- evidence ------------------------------------------------------------------------------

STORIES = [pytest.param(c["text"], id=c["id"]) for c in RUPTURE_CASES] + [
    pytest.param(LAUGHED_AT, id="laughed-at"),
    pytest.param(LAUGHED_IT_OFF, id="laughed-it-off"),
    pytest.param(NO_ADVICE, id="no-advice"),
]
_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


def words(text: str) -> set[str]:
    return set(_WORDS.findall(text.translate(_APOSTROPHES).lower()))


@pytest.mark.parametrize("text", STORIES)
def test_evidence_is_words_from_the_description(classifier: OfflineClassifier, text: str) -> None:
    draft = classifier.classify_now(text)
    source = words(text)
    for hit in draft.classification.patterns:
        assert hit.evidence.strip(), hit
        invented = words(hit.evidence) - source
        assert not invented, f"{hit.id}: {hit.evidence!r} adds {sorted(invented)}"


# --- no network ----------------------------------------------------------------------------


def _no_network(*_args: object, **_kwargs: object) -> NoReturn:
    raise OSError("network access in a test")


def test_the_classifier_runs_with_sockets_blocked(
    classifier: OfflineClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)
    monkeypatch.setattr(socket, "getaddrinfo", _no_network)
    assert top(OfflineClassifier().classify_now(PHONE)) is P.DISENGAGEMENT


def test_a_fresh_process_loads_and_classifies_with_sockets_blocked() -> None:
    # Models are loaded once per process (cached), so loading is checked in a new one.
    script = textwrap.dedent(
        """
        import socket

        def refuse(*args, **kwargs):
            raise OSError("network access in a test")

        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        from coaching.understanding.offline import OfflineClassifier

        draft = OfflineClassifier().classify_now(
            "I told my husband I was nervous about the interview and he went back to his phone."
        )
        print(draft.classifier, draft.classification.patterns[0].id)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "HF_"))}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["offline", "disengagement"], done.stderr
