"""Phrasings built from the exchange, quoting only what is safe to quote; perspective lines."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from coaching.models import Assessment, Classification, Exchange, PatternHit
from coaching.phrasing import guard
from coaching.phrasing.templates import SEED_PARTNER_PROMPT, WORDS, partner_prompt, phrasings
from coaching.service import CoachService
from coaching.taxonomy import Moment, PatternId, Safety, Style
from coaching.understanding.offline import OfflineClassifier

DEV = Path(__file__).parent / "data" / "dev.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()
]
NONE_CASES = [c for c in CASES if c["safety"] == "none"]

BLAME_WRITER = re.compile(
    r"\byour fault\b|\byou should\b|\byou (?:made|caused|provoked|pushed) (?:him|her|them|it)\b|"
    r"\byou(?:'re| are| were) (?:too|so|being)\b|\bbecause (?:of )?you\b|\byou asked for\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def service() -> CoachService:
    return CoachService(OfflineClassifier())


async def coach(service: CoachService, text: str) -> Assessment:
    answer = await service.coach("u", text)
    assert answer.safety is Safety.NONE
    return answer


def texts(answer: Assessment, *styles: Style) -> list[str]:
    return [p.text for p in answer.phrasings if not styles or p.style in styles]


# --- built from the exchange ---------------------------------------------------------------


@pytest.mark.parametrize(
    "story",
    [
        "I told my husband I was nervous about the interview and he went back to his phone.",
        "I told my girlfriend I was nervous about the interview and she went back to her phone.",
        "I was telling them about my awful week and they went back to their phone.",
    ],
    ids=["he", "she", "they"],
)
async def test_the_action_is_said_back_in_the_second_person(
    service: CoachService, story: str
) -> None:
    answer = await coach(service, story)
    said = texts(answer, Style.GENTLE, Style.NVC)
    assert any("went back to your phone" in t for t in said), said


async def test_a_short_reply_is_quoted(service: CoachService) -> None:
    story = 'I told him about the diagnosis and he said "at least you still have your health"'
    said = texts(await coach(service, story), Style.GENTLE, Style.NVC)
    assert any("at least you still have your health" in t for t in said), said


async def test_what_the_writer_shared_is_said_back_with_its_own_subject(
    service: CoachService,
) -> None:
    story = "I told my husband I was nervous about the interview and he went back to his phone."
    said = texts(await coach(service, story))
    assert any("I was nervous about the interview" in t for t in said), said


@pytest.mark.parametrize(
    ("story", "unsaid"),
    [
        (
            'I told her I was sad about losing my job and she said "you always make a scene."',
            "make a scene",
        ),
        (
            'I told him I was scared about the scan and he said "you never let anything go."',
            "let anything go",
        ),
        (
            "I told him I missed my mom and he said \"you're so selfish, it's my birthday.\"",
            "selfish",
        ),
        (
            'I cried about the miscarriage and she said "stop being so dramatic."',
            "dramatic",
        ),
    ],
    ids=["always", "never", "selfish", "dramatic"],
)
async def test_a_reply_with_a_label_or_absolute_is_paraphrased_not_quoted(
    service: CoachService, story: str, unsaid: str
) -> None:
    answer = await coach(service, story)
    assert answer.phrasings
    for text in texts(answer):
        assert unsaid not in text.lower(), text


# --- every pattern is phrased from its moment ------------------------------------------------
#
# `phrasings()` returns only text that passes the guard: a template that fails it falls back to
# the plain phrasing that names no moment. So "passes the guard" cannot fail here; what can is
# that a pattern's words stop passing and the person silently gets the plain fallback.


def _hit(pattern: PatternId, actor: str) -> Classification:
    return Classification(
        rupture=True,
        moment=Moment.VULNERABILITY_DISMISSED,
        patterns=[PatternHit(id=pattern, confidence=0.9, evidence="he changed the subject")],
        exchange=Exchange(
            actor=actor,
            shared="I've been anxious about the move",
            response=f"{actor} changed the subject",
        ),
    )


@pytest.mark.parametrize("pattern", list(PatternId))
@pytest.mark.parametrize("actor", ["he", "she", "they"])
def test_a_pronoun_reply_is_said_back_in_every_style_for_every_pattern(
    pattern: PatternId, actor: str
) -> None:
    for phrasing in phrasings(_hit(pattern, actor)):
        assert "you changed the subject" in phrasing.text, phrasing


@pytest.mark.parametrize("pattern", list(PatternId))
@pytest.mark.parametrize("actor", ["my husband", "my sister", "my friend", "Jess"])
def test_every_pattern_names_the_moment_rather_than_falling_back(
    pattern: PatternId, actor: str
) -> None:
    moment = ("you changed the subject", WORDS[pattern].event)
    for phrasing in phrasings(_hit(pattern, actor)):
        assert any(words in phrasing.text for words in moment), phrasing


@pytest.mark.parametrize("disagreement", [True, False], ids=["disagreement", "no-story"])
def test_the_phrasings_without_a_rupture_pass_the_guard(disagreement: bool) -> None:
    # These are the fallback texts: nothing downstream checks them against the guard.
    for phrasing in phrasings(Classification(rupture=False, disagreement=disagreement)):
        assert guard.problems(phrasing.text, phrasing.style) == [], phrasing


PARTNER_CASES = [
    *(
        pytest.param(
            Classification(
                rupture=True,
                moment=moment,
                patterns=[PatternHit(id=PatternId.DISENGAGEMENT, confidence=0.9, evidence="")],
            ),
            id=moment.value,
        )
        for moment in Moment
    ),
    pytest.param(
        Classification(
            rupture=True,
            patterns=[PatternHit(id=PatternId.DISENGAGEMENT, confidence=0.9, evidence="")],
        ),
        id="no-moment",
    ),
    pytest.param(Classification(rupture=False, disagreement=True), id="disagreement"),
    pytest.param(Classification(rupture=False, disagreement=False), id="no-story"),
]


@pytest.mark.parametrize("classification", PARTNER_CASES)
def test_every_partner_prompt_passes_the_guard(classification: Classification) -> None:
    # The service keeps `partner_prompt()`'s line without checking it again.
    line = partner_prompt(classification)
    assert guard.problems(line, None) == [], line


# --- perspective ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in NONE_CASES])
async def test_perspective_in_a_dev_answer_neither_labels_nor_blames(
    service: CoachService, case: dict[str, Any]
) -> None:
    line = (await coach(service, case["text"])).perspective
    assert not guard.LABEL_RE.search(line), line
    assert not BLAME_WRITER.search(line), line


@pytest.mark.parametrize("moment", list(Moment))
def test_the_partner_prompt_fits_the_moment_rather_than_the_seed_line(moment: Moment) -> None:
    classification = Classification(
        rupture=True,
        moment=moment,
        patterns=[PatternHit(id=PatternId.DISENGAGEMENT, confidence=0.9, evidence="")],
    )
    assert partner_prompt(classification) != SEED_PARTNER_PROMPT
