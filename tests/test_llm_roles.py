"""Who hurt whom through the LLM adapter: `writer_role` and each pattern's `by`, from the
schema and prompt the model gets, through the real openai client and the local fake, into the
Draft's Classification. The coaching that follows from a role is the service's (not here).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import openai
import pytest

from coaching.models import By, WriterRole
from coaching.taxonomy import Moment, PatternId, Style
from coaching.understanding.offline import OfflineClassifier
from llm import SchemaMode
from llm.prompt import system_prompt
from tests.fakes import FakeClassifier, FakeOpenAIServer, make_answer
from tests.test_llm import make_classifier, schema_nodes, sent_schema

STORY = "My wife told me about her biopsy and I kept scrolling on my phone."
REPAIRS = {
    Style.GENTLE: "I brushed past you when you told me about the biopsy, and I'm sorry. Would you "
    "tell me again? I'm listening.",
    Style.DIRECT: "I kept scrolling while you told me about the biopsy. I'm sorry. Will you tell "
    "me how you are?",
    Style.NVC: "When you told me about the biopsy I looked at my phone. I'm sorry; you might "
    "have felt alone. Would you tell me more?",
}
BOTH_MODES = pytest.mark.parametrize("mode", [SchemaMode.STRICT, SchemaMode.BOUNDED])


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
async def client(fake_openai: FakeOpenAIServer) -> AsyncIterator[openai.AsyncOpenAI]:
    real_client = fake_openai.client(max_retries=0)
    yield real_client
    await real_client.close()


@pytest.fixture(scope="module")
def offline() -> OfflineClassifier:
    return OfflineClassifier()


@pytest.fixture
def fallback(offline: OfflineClassifier) -> FakeClassifier:
    return FakeClassifier(offline)


def answer_as(
    role: WriterRole | None,
    hits: list[tuple[PatternId, float, By]],
    *,
    rupture: bool = True,
) -> dict[str, Any]:
    """A well-formed answer that says who hurt whom and who did each pattern."""
    answer = make_answer(rupture=rupture, patterns=[(pid, conf) for pid, conf, _ in hits])
    answer["writer_role"] = role
    for item, (_, _, by) in zip(answer["patterns"], hits, strict=True):
        item["by"] = by
    return answer


# --- what the model is asked for -------------------------------------------------------------


@BOTH_MODES
async def test_the_sent_schema_asks_who_hurt_whom_before_the_patterns_and_who_did_each(
    fake_openai: FakeOpenAIServer,
    client: openai.AsyncOpenAI,
    fallback: FakeClassifier,
    mode: SchemaMode,
) -> None:
    await make_classifier(client, fallback, schema_mode=mode, moderation=False).classify(STORY)

    schema = sent_schema(fake_openai)["schema"]
    required = schema["required"]
    assert required.index("rupture") < required.index("writer_role") < required.index("patterns")
    role_options = schema["properties"]["writer_role"]["anyOf"]
    assert {"type": "null"} in role_options
    assert [sorted(o["enum"]) for o in role_options if "enum" in o] == [
        sorted(["hurt", "caused", "both"])
    ]
    pattern_objects = [n for n in schema_nodes(schema) if "confidence" in n.get("properties", {})]
    assert pattern_objects
    for node in pattern_objects:
        assert "by" in node["required"]
        assert sorted(node["properties"]["by"]["enum"]) == ["other", "writer"]
    for node in schema_nodes(schema):
        if "properties" in node:
            assert node["additionalProperties"] is False
            assert sorted(node["required"]) == sorted(node["properties"])


def test_the_prompt_explains_the_roles_and_who_did_each_pattern() -> None:
    prompt = system_prompt()

    assert "# writer_role" in prompt
    for role in ("hurt:", "caused:", "both:"):
        assert role in prompt
    assert 'by: who did it, "other"' in prompt
    assert 'With caused it is ""' in prompt  # the partner prompt
    assert '"but"' in prompt and '"if you felt"' in prompt


# --- what comes back -------------------------------------------------------------------------


@BOTH_MODES
async def test_a_caused_answer_reaches_the_draft_with_every_pattern_by_the_writer(
    fake_openai: FakeOpenAIServer,
    client: openai.AsyncOpenAI,
    fallback: FakeClassifier,
    mode: SchemaMode,
) -> None:
    answer = answer_as(
        "caused",
        [(PatternId.DISENGAGEMENT, 0.9, "writer"), (PatternId.MINIMIZING, 0.4, "writer")],
    )
    answer["phrasings"] = [{"style": s.value, "text": t} for s, t in REPAIRS.items()]
    answer["partner_prompt"] = ""
    fake_openai.answer = answer

    draft = await make_classifier(client, fallback, schema_mode=mode, moderation=False).classify(
        STORY
    )

    assert draft.classifier == "llm"
    assert fallback.calls == []
    assert draft.classification.writer_role == "caused"
    assert draft.classification.moment is Moment.VULNERABILITY_DISMISSED
    assert [(p.id, p.by) for p in draft.classification.patterns] == [
        (PatternId.DISENGAGEMENT, "writer"),
        (PatternId.MINIMIZING, "writer"),
    ]
    assert {p.style: p.text for p in draft.phrasings} == REPAIRS
    assert draft.partner_prompt == ""


async def test_a_both_answer_keeps_each_patterns_by(
    fake_openai: FakeOpenAIServer, client: openai.AsyncOpenAI, fallback: FakeClassifier
) -> None:
    fake_openai.answer = answer_as(
        "both",
        [(PatternId.INVALIDATION, 0.8, "other"), (PatternId.DEFENSIVENESS, 0.6, "writer")],
    )

    draft = await make_classifier(client, fallback, moderation=False).classify(STORY)

    assert draft.classification.writer_role == "both"
    assert [(p.id, p.by) for p in draft.classification.patterns] == [
        (PatternId.INVALIDATION, "other"),
        (PatternId.DEFENSIVENESS, "writer"),
    ]


@pytest.mark.parametrize(
    ("role", "given", "expected"),
    [("hurt", "writer", "other"), ("caused", "other", "writer")],
)
async def test_the_role_settles_who_did_every_pattern(
    fake_openai: FakeOpenAIServer,
    client: openai.AsyncOpenAI,
    fallback: FakeClassifier,
    role: WriterRole,
    given: By,
    expected: By,
) -> None:
    fake_openai.answer = answer_as(
        role, [(PatternId.IMPATIENCE, 0.7, given), (PatternId.MINIMIZING, 0.5, expected)]
    )

    draft = await make_classifier(client, fallback, moderation=False).classify(STORY)

    assert draft.classification.writer_role == role
    assert [p.by for p in draft.classification.patterns] == [expected, expected]


async def test_an_older_answer_without_role_or_by_reads_as_hurt_by_the_other(
    fake_openai: FakeOpenAIServer, client: openai.AsyncOpenAI, fallback: FakeClassifier
) -> None:
    answer = make_answer(patterns=[(PatternId.MINIMIZING, 0.8)])
    assert "writer_role" not in answer
    assert all("by" not in hit for hit in answer["patterns"])
    fake_openai.answer = answer

    draft = await make_classifier(client, fallback, moderation=False).classify(STORY)

    assert draft.classifier == "llm"
    assert draft.classification.writer_role == "hurt"
    assert [(p.id, p.by) for p in draft.classification.patterns] == [
        (PatternId.MINIMIZING, "other")
    ]


async def test_a_rupture_the_model_gave_no_role_is_the_writers_hurt(
    fake_openai: FakeOpenAIServer, client: openai.AsyncOpenAI, fallback: FakeClassifier
) -> None:
    fake_openai.answer = answer_as(None, [(PatternId.IMPATIENCE, 0.7, "other")])

    draft = await make_classifier(client, fallback, moderation=False).classify(STORY)

    assert draft.classification.writer_role == "hurt"
    assert [p.by for p in draft.classification.patterns] == ["other"]


@pytest.mark.parametrize("role", ["caused", "both", None])
async def test_no_rupture_has_no_role_whatever_the_model_said(
    fake_openai: FakeOpenAIServer,
    client: openai.AsyncOpenAI,
    fallback: FakeClassifier,
    role: WriterRole | None,
) -> None:
    fake_openai.answer = answer_as(role, [(PatternId.MINIMIZING, 0.4, "writer")], rupture=False)

    draft = await make_classifier(client, fallback, moderation=False).classify(STORY)

    assert draft.classifier == "llm"
    assert draft.classification.rupture is False
    assert draft.classification.writer_role is None
    assert draft.classification.patterns == []
