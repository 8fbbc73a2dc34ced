"""CoachService end to end through OpenAIClassifier, the real openai client and the local fake.

What the person gets: the LLM's wording where it passes the guard and the templates where it
does not, the safety answer when moderation flags the story, and the fallback's reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import openai
import pytest

from coaching import CoachService
from coaching.phrasing import guard
from coaching.taxonomy import Safety, Style
from coaching.understanding import OfflineClassifier
from llm import OpenAIClassifier, SchemaMode
from tests.fakes import ChatMode, FakeOpenAIServer, ModerationMode, make_answer

STORY = "I told him my dog died and he said at least it wasn't a person."
GOOD = {
    Style.GENTLE: "I felt alone when I told you my dog died and heard that at least it was not "
    "a person. Could we talk about it tonight?",
    Style.DIRECT: "I felt brushed off when I told you my dog died. Could you just listen next "
    "time I bring it up?",
    Style.NVC: "When I told you my dog died, I felt sad and alone. I need comfort. Would you "
    "sit with me for a bit?",
}


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
def offline() -> OfflineClassifier:
    return OfflineClassifier()


@pytest.fixture
async def service(
    fake_openai: FakeOpenAIServer, offline: OfflineClassifier
) -> AsyncIterator[CoachService]:
    client = openai.AsyncOpenAI(base_url=fake_openai.base_url, api_key="test")
    classifier = OpenAIClassifier(
        client=client,
        model="smollm2-135m",
        fallback=offline,
        timeout=5.0,
        schema_mode=SchemaMode.BOUNDED,
    )
    yield CoachService(classifier)
    await client.close()


def answer_with(
    phrasings: dict[Style, str], partner_prompt: str | None = None
) -> dict[str, object]:
    answer = make_answer()
    answer["phrasings"] = [
        {"style": style.value, "text": text} for style, text in phrasings.items()
    ]
    if partner_prompt is not None:
        answer["partner_prompt"] = partner_prompt
    return answer


async def test_llm_phrasings_that_pass_the_guard_reach_the_person(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    prompt = "How can I show up for you better when you are grieving?"
    fake_openai.answer = answer_with(GOOD, partner_prompt=prompt)

    assessment = await service.coach("user-1", STORY)

    assert assessment.classifier == "llm"
    assert assessment.fallback_reason is None
    assert {p.style: p.text for p in assessment.phrasings} == GOOD
    assert assessment.partner_prompt == prompt


@pytest.mark.parametrize(
    ("style", "bad"),
    [
        (Style.GENTLE, "I felt hurt because you always brush me off. Could we talk?"),
        (Style.DIRECT, "I felt hurt because you were selfish. Can we talk about it?"),
    ],
)
async def test_llm_phrasing_that_fails_the_guard_is_replaced_by_a_template(
    fake_openai: FakeOpenAIServer, service: CoachService, style: Style, bad: str
) -> None:
    fake_openai.answer = answer_with({**GOOD, style: bad})

    assessment = await service.coach("user-1", STORY)

    by_style = {p.style: p.text for p in assessment.phrasings}
    assert assessment.classifier == "llm"
    assert by_style[style] != bad
    assert guard.passes(by_style[style], style)
    assert {s: t for s, t in by_style.items() if s is not style} == {
        s: t for s, t in GOOD.items() if s is not style
    }


async def test_llm_partner_prompt_with_a_label_is_replaced(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    labelled = "You are being dramatic, but how can I help?"
    fake_openai.answer = answer_with(GOOD, partner_prompt=labelled)

    assessment = await service.coach("user-1", STORY)

    assert assessment.partner_prompt
    assert assessment.partner_prompt != labelled


@pytest.mark.parametrize(
    ("mode", "level"),
    [(ModerationMode.SELF_HARM, Safety.CRISIS), (ModerationMode.VIOLENCE, Safety.ABUSE)],
)
async def test_moderation_flag_answers_with_resources_and_no_coaching(
    fake_openai: FakeOpenAIServer, service: CoachService, mode: ModerationMode, level: Safety
) -> None:
    fake_openai.answer = answer_with(GOOD)
    fake_openai.moderation_mode = mode

    assessment = await service.coach("user-1", STORY)

    assert assessment.safety is level
    assert assessment.resources
    assert assessment.phrasings == []
    assert assessment.patterns == []
    assert assessment.perspective == ""


async def test_fallback_answer_records_why(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    fake_openai.chat_mode = ChatMode.SERVER_ERROR

    assessment = await service.coach("user-1", STORY)

    assert assessment.classifier == "offline"
    assert assessment.fallback_reason == "server_error"
    assert assessment.safety is Safety.NONE
    assert assessment.phrasings


# --- the LLM's own safety judgement: it can raise the level or add a worry, never lower ---------

BUILT_IN_CRISIS = "honestly everyone would be better off without me. i told my bf and he slept."
BUILT_IN_DOUBT = "I told my husband I can't keep going like this and he said we'd talk later."
SUICIDE_QUESTION = (
    "Some of what you wrote sounds really heavy. Are you thinking about ending your life?"
)


@pytest.fixture(params=[SchemaMode.BOUNDED, SchemaMode.STRICT])
async def any_mode_service(
    request: pytest.FixtureRequest, fake_openai: FakeOpenAIServer, offline: OfflineClassifier
) -> AsyncIterator[CoachService]:
    client = openai.AsyncOpenAI(base_url=fake_openai.base_url, api_key="test")
    classifier = OpenAIClassifier(
        client=client, model="gpt-4o-mini", fallback=offline, timeout=5.0, schema_mode=request.param
    )
    yield CoachService(classifier)
    await client.close()


@pytest.mark.parametrize(("level", "line"), [(Safety.CRISIS, "988"), (Safety.ABUSE, "88788")])
async def test_an_llm_answer_judging_a_hard_level_gives_that_answer(
    fake_openai: FakeOpenAIServer, any_mode_service: CoachService, level: Safety, line: str
) -> None:
    fake_openai.answer = {**answer_with(GOOD), "safety": level.value}

    assessment = await any_mode_service.coach("user-1", STORY)

    assert assessment.safety is level
    assert assessment.classifier == "llm"
    assert assessment.phrasings == [] and assessment.patterns == []
    assert any(line in r.contact for r in assessment.resources)


async def test_an_llm_danger_check_gives_coaching_the_question_and_the_abuse_lines(
    fake_openai: FakeOpenAIServer, any_mode_service: CoachService
) -> None:
    fake_openai.answer = {**answer_with(GOOD), "safety_check": "danger"}

    assessment = await any_mode_service.coach("user-1", STORY)

    assert assessment.safety is Safety.NONE
    assert assessment.safety_check == "Are you ever afraid of what they might do?"
    assert {p.style: p.text for p in assessment.phrasings} == GOOD
    assert [r.contact for r in assessment.resources] == [
        "1-800-799-7233, or text START to 88788",
        "findahelpline.com",
    ]


async def test_an_llm_suicide_check_asks_the_writer_directly(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    fake_openai.answer = {**answer_with(GOOD), "safety_check": "suicide"}

    assessment = await service.coach("user-1", STORY)

    assert assessment.safety_check == SUICIDE_QUESTION
    assert "988" in [r.contact for r in assessment.resources]
    assert assessment.phrasings


async def test_an_llm_safety_none_never_lowers_a_built_in_hit(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    fake_openai.answer = answer_with(GOOD)  # safety "none", no check

    assessment = await service.coach("user-1", BUILT_IN_CRISIS)

    assert assessment.safety is Safety.CRISIS
    assert assessment.classifier == "offline"
    assert fake_openai.chat_requests == []  # the screen answered before any classifier ran


async def test_an_llm_answer_with_no_check_never_drops_a_built_in_question(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    fake_openai.answer = answer_with(GOOD)

    assessment = await service.coach("user-1", BUILT_IN_DOUBT)

    assert assessment.classifier == "llm"
    assert assessment.safety_check == SUICIDE_QUESTION


async def test_the_llm_adds_its_worry_after_the_built_in_one(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    fake_openai.answer = {**answer_with(GOOD), "safety_check": "danger"}

    assessment = await service.coach("user-1", BUILT_IN_DOUBT)

    assert assessment.safety_check == (
        f"{SUICIDE_QUESTION} Are you ever afraid of what they might do?"
    )
    assert assessment.resources[0].contact == "988"
    assert assessment.resources[-1].contact == "findahelpline.com"


async def test_an_llm_crisis_outranks_a_built_in_doubt_and_keeps_the_other_worry(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    fake_openai.answer = {**answer_with(GOOD), "safety": "crisis", "safety_check": "danger"}

    assessment = await service.coach("user-1", BUILT_IN_DOUBT)

    assert assessment.safety is Safety.CRISIS
    assert assessment.safety_check == "Are you ever afraid of what they might do?"
    assert assessment.phrasings == []


async def test_an_llm_answer_without_the_safety_fields_still_coaches(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    old = answer_with(GOOD)
    del old["safety"], old["safety_check"]
    fake_openai.answer = old

    assessment = await service.coach("user-1", STORY)

    assert assessment.classifier == "llm"
    assert (assessment.safety, assessment.safety_check) == (Safety.NONE, "")


async def test_moderation_still_raises_over_an_llm_none(
    fake_openai: FakeOpenAIServer, service: CoachService
) -> None:
    fake_openai.answer = answer_with(GOOD)
    fake_openai.moderation_mode = ModerationMode.SELF_HARM

    assessment = await service.coach("user-1", STORY)

    assert assessment.safety is Safety.CRISIS
