"""OpenAI-compatible classifier and phraser: one structured chat call per coaching.

The model returns the classification and its own wording together (`LlmAnswer`). Every way the
call can go wrong (deadline, HTTP errors, refusals, cut-off or invalid JSON) ends in the
injected fallback classifier, with a short machine-readable `fallback_reason`; this adapter
never raises for a bad backend. The optional moderation endpoint runs alongside the chat call
and can only raise the safety level, never lower it.

Nothing here reads settings: the composition root builds the client and picks the schema mode
(`schema_mode_for`) unless a setting overrides it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import openai
from openai.lib._pydantic import to_strict_json_schema
from openai.types import ModerationCreateResponse
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coaching.models import Classification, Draft, PatternHit, Phrasing, SafetyResult
from coaching.ports import Classifier
from coaching.taxonomy import Moment, PatternId, Safety, Style

log = logging.getLogger(__name__)

SCHEMA_NAME = "repair_coach_answer"
MAX_PATTERNS = 3
# Grammar bounds for the bounded shape. They are loop guards, not style rules: a small model
# tends to fill a string up to its bound, so worst-case latency grows with their sum (about
# 1,400 characters here, ~550 tokens with JSON structure, inside max_tokens). Spoken lines stay
# well under the taxonomy's 320-character ceiling, which the phrasing guard still enforces.
MAX_EVIDENCE_CHARS = 100  # "the few words that show it"
MAX_LINE_CHARS = 240  # a phrasing: about 40 spoken words
MAX_PARTNER_PROMPT_CHARS = 200  # "one line"
MAX_PERSPECTIVE_CHARS = 160  # "one short sentence"
STYLE_ORDER: tuple[Style, ...] = (Style.GENTLE, Style.DIRECT, Style.NVC)

# Keywords outside the subset OpenAI's strict structured outputs accepts (length, size and
# numeric bounds, defaults). Strict mode refuses a schema carrying them with a 400, so they are
# stripped there and kept only for the bounded (llama.cpp grammar) shape.
_STRICT_UNSUPPORTED = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "default",
    }
)

_MODERATION_CRISIS = ("self_harm", "self_harm_intent", "self_harm_instructions")
_MODERATION_ABUSE = ("violence", "violence_graphic", "harassment_threatening")

_DESCRIPTION_TAG = re.compile(r"<(\s*/?\s*description)", re.IGNORECASE)


class SchemaMode(StrEnum):
    """How the answer schema is sent: one request shape does not fit every provider."""

    STRICT = "strict"  # OpenAI strict structured outputs: no length bounds allowed
    BOUNDED = "bounded"  # llama.cpp grammar: every string and array carries a bound


def schema_mode_for(base_url: str | None) -> SchemaMode:
    """Strict for OpenAI itself (the SDK's default URL when None), bounded for anything else."""
    if base_url is None:
        return SchemaMode.STRICT
    host = urlsplit(base_url).hostname
    return SchemaMode.STRICT if host == "api.openai.com" else SchemaMode.BOUNDED


# --- the structured answer -------------------------------------------------------------------
# Length and size bounds are emitted into the schema (json_schema_extra) but not enforced when
# parsing: the grammar enforces them in bounded mode, and in strict mode an over-long string is
# the phrasing guard's business downstream, not a reason to throw the whole answer away.


def _bounded(max_chars: int, description: str) -> Any:
    return Field(description=description, json_schema_extra={"maxLength": max_chars})


class LlmPattern(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: PatternId
    confidence: float = Field(json_schema_extra={"minimum": 0.0, "maximum": 1.0})
    evidence: str = _bounded(MAX_EVIDENCE_CHARS, "words from the description that show it")

    @field_validator("confidence")
    @classmethod
    def _clamp(cls, value: float) -> float:
        # A confidence slightly out of range is noise, not a broken answer.
        return min(1.0, max(0.0, value))


class LlmPhrasing(BaseModel):
    model_config = ConfigDict(frozen=True)

    style: Style
    text: str = _bounded(MAX_LINE_CHARS, "what the writer could say")


class LlmAnswer(BaseModel):
    """What the model must return: classification and wording in one object."""

    model_config = ConfigDict(frozen=True)

    rupture: bool
    moment: Moment | None
    patterns: list[LlmPattern] = Field(json_schema_extra={"maxItems": MAX_PATTERNS})
    phrasings: list[LlmPhrasing] = Field(
        json_schema_extra={"minItems": len(STYLE_ORDER), "maxItems": len(STYLE_ORDER)}
    )
    partner_prompt: str = _bounded(MAX_PARTNER_PROMPT_CHARS, "a line the other person could say")
    perspective: str = _bounded(MAX_PERSPECTIVE_CHARS, "what the other person may have felt")

    @field_validator("phrasings")
    @classmethod
    def _one_per_style(cls, value: list[LlmPhrasing]) -> list[LlmPhrasing]:
        styles = [p.style for p in value]
        if sorted(styles) != sorted(STYLE_ORDER):
            raise ValueError("phrasings must hold exactly one gentle, one direct and one nvc")
        return value


def answer_schema(mode: SchemaMode) -> dict[str, Any]:
    """The JSON schema of `LlmAnswer` in the shape `mode` needs.

    Both shapes start strict-compatible (every property required, no additional properties) so
    the grammar or the provider cannot let a field go missing; only strict loses the bounds.
    """
    schema = to_strict_json_schema(LlmAnswer)
    if mode is SchemaMode.STRICT:
        return _strip_keys(schema, _STRICT_UNSUPPORTED)
    return _one_phrasing_per_position(schema)


def _one_phrasing_per_position(schema: dict[str, Any]) -> dict[str, Any]:
    """Pin the phrasings to gentle, direct, nvc by position (`prefixItems`, a tuple).

    A grammar given `items` with a style enum lets a small model repeat one style three times;
    a tuple makes that impossible. Strict OpenAI has no tuples, so there the validator checks.
    """
    phrasings: dict[str, Any] = schema["properties"]["phrasings"]
    item = _resolve(schema, phrasings.pop("items"))
    phrasings["prefixItems"] = [
        {**item, "properties": {**item["properties"], "style": {"const": style.value}}}
        for style in STYLE_ORDER
    ]
    return schema


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return node
    resolved: dict[str, Any] = root
    for part in ref.removeprefix("#/").split("/"):
        resolved = resolved[part]
    return resolved


def _strip_keys(schema: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    """Remove keywords from a schema, except where they name properties (`properties.maxLength`
    would be a field called maxLength, not a keyword)."""
    stripped: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("properties", "$defs"):
            stripped[key] = {name: _strip_keys(sub, keys) for name, sub in value.items()}
        elif key not in keys:
            stripped[key] = _strip_any(value, keys)
    return stripped


def _strip_any(node: Any, keys: frozenset[str]) -> Any:
    if isinstance(node, dict):
        return _strip_keys(node, keys)
    if isinstance(node, list):
        return [_strip_any(item, keys) for item in node]
    return node


# --- prompt ----------------------------------------------------------------------------------


@cache
def system_prompt() -> str:
    """The versioned prompt file shipped as package data."""
    return resources.files("llm").joinpath("prompts/system.md").read_text(encoding="utf-8")


def user_message(text: str) -> str:
    """Wrap the description as data; a tag inside it cannot close the wrapper early."""
    neutral = _DESCRIPTION_TAG.sub(r"&lt;\1", text)
    return (
        "Classify this description and write the JSON answer.\n"
        f"<description>\n{neutral}\n</description>"
    )


# --- usage reporting ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LlmUsage:
    """Tokens of one chat call, reported out of band so the Draft stays a domain object."""

    prompt_tokens: int
    completion_tokens: int


UsageCallback = Callable[[LlmUsage], None]


# --- the classifier --------------------------------------------------------------------------


class _Fallback(Exception):
    """Why the LLM answer cannot be used; carries a short machine-readable reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OpenAIClassifier:
    """`Classifier` over any OpenAI-compatible chat endpoint, with an injected fallback."""

    def __init__(
        self,
        *,
        client: openai.AsyncOpenAI,
        model: str,
        fallback: Classifier,
        timeout: float = 20.0,
        schema_mode: SchemaMode = SchemaMode.STRICT,
        moderation: bool = True,
        max_tokens: int = 700,
        temperature: float = 0.2,
        on_usage: UsageCallback | None = None,
    ) -> None:
        self._client = client
        self._model = model
        self._fallback = fallback
        self._timeout = timeout
        self._schema_mode = schema_mode
        self._max_tokens = max_tokens
        self._temperature = temperature
        self._on_usage = on_usage
        # Flipped off for good once the provider shows it has no moderation endpoint.
        self._moderation_available = moderation
        self._response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {
                "name": SCHEMA_NAME,
                "strict": schema_mode is SchemaMode.STRICT,
                "schema": answer_schema(schema_mode),
            },
        }

    @property
    def moderation_available(self) -> bool:
        return self._moderation_available

    async def classify(self, text: str) -> Draft:
        started = time.monotonic()
        chat = asyncio.create_task(self._ask(text))
        moderation = (
            asyncio.create_task(self._moderate(text)) if self._moderation_available else None
        )
        tasks: list[asyncio.Task[Any]] = [t for t in (chat, moderation) if t is not None]
        try:
            # asyncio.wait (rather than a timeout around gather) keeps whichever half finished
            # in time: a moderation flag must survive a chat call that hit the deadline.
            await asyncio.wait(tasks, timeout=self._timeout)
        finally:
            await _cancel_unfinished(tasks)
        safety = _moderation_result(moderation)
        try:
            answer = _chat_result(chat)
        except _Fallback as failure:
            return await self._fall_back(text, failure.reason, safety, started)
        log.debug("llm answered in %.2fs", time.monotonic() - started)
        return _to_draft(answer, safety)

    # --- chat --------------------------------------------------------------------------------

    async def _ask(self, text: str) -> LlmAnswer:
        log.debug("llm request for description: %r", text)
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system_prompt()},
            {"role": "user", "content": user_message(text)},
        ]
        try:
            completion = await self._client.chat.completions.create(
                model=self._model,
                messages=messages,
                response_format=self._response_format,
                max_tokens=self._max_tokens,
                temperature=self._temperature,
                # Per-request timeout no longer than the whole deadline; the deadline in
                # classify() also bounds the client's retries.
                timeout=self._timeout,
            )
        except openai.OpenAIError as error:
            raise _Fallback(_error_reason(error)) from error
        self._report_usage(completion)
        return _read_answer(completion)

    def _report_usage(self, completion: ChatCompletion) -> None:
        if self._on_usage is None or completion.usage is None:
            return
        self._on_usage(
            LlmUsage(
                prompt_tokens=completion.usage.prompt_tokens,
                completion_tokens=completion.usage.completion_tokens,
            )
        )

    async def _fall_back(
        self, text: str, reason: str, safety: SafetyResult, started: float
    ) -> Draft:
        log.warning(
            "llm classifier fell back to offline: reason=%s model=%s after %.2fs",
            reason,
            self._model,
            time.monotonic() - started,
        )
        draft = await self._fallback.classify(text)
        return draft.model_copy(
            update={
                "classifier": "offline",
                "fallback_reason": reason,
                "safety": _higher(draft.safety, safety),
            }
        )

    # --- moderation --------------------------------------------------------------------------

    async def _moderate(self, text: str) -> SafetyResult:
        try:
            response = await self._client.moderations.create(input=text, timeout=self._timeout)
        except openai.NotFoundError:
            # llama-server and many other compatible servers have no such endpoint.
            self._moderation_available = False
            log.info("moderation endpoint not found at this provider; not asking again")
            return SafetyResult()
        except openai.OpenAIError as error:
            log.info("moderation failed (%s); ignored", type(error).__name__)
            return SafetyResult()
        return _safety_from_moderation(response)


# --- pure helpers ----------------------------------------------------------------------------


async def _cancel_unfinished(tasks: list[asyncio.Task[Any]]) -> None:
    for task in tasks:
        if not task.done():
            task.cancel()
    # Let cancelled requests unwind (close their connections) before answering.
    await asyncio.gather(*tasks, return_exceptions=True)


def _chat_result(task: asyncio.Task[LlmAnswer]) -> LlmAnswer:
    if task.cancelled():
        raise _Fallback("timeout")
    error = task.exception()
    if isinstance(error, _Fallback):
        raise error
    if error is not None:
        # A bug or an unexpected library error must still end in the fallback, not a crash.
        log.warning("llm call failed unexpectedly: %s", type(error).__name__)
        raise _Fallback("unexpected_error") from error
    return task.result()


def _moderation_result(task: asyncio.Task[SafetyResult] | None) -> SafetyResult:
    if task is None:
        return SafetyResult()
    if task.cancelled():
        log.info("moderation did not answer before the deadline; ignored")
        return SafetyResult()
    if task.exception() is not None:
        log.info("moderation failed unexpectedly; ignored")
        return SafetyResult()
    return task.result()


def _error_reason(error: openai.OpenAIError) -> str:
    # Order matters: APITimeoutError is an APIConnectionError, and the status errors share
    # a base class.
    if isinstance(error, openai.APITimeoutError):
        return "timeout"
    if isinstance(error, openai.APIConnectionError):
        return "connection_error"
    if isinstance(error, openai.RateLimitError):
        return "rate_limited"
    if isinstance(error, openai.InternalServerError):
        return "server_error"
    if isinstance(error, openai.BadRequestError):
        return "bad_request"
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return "auth_error"
    if isinstance(error, openai.NotFoundError):
        return "not_found"
    if isinstance(error, openai.APIStatusError):
        return f"http_{error.status_code}"
    if isinstance(error, openai.APIResponseValidationError):
        return "invalid_response"
    return "client_error"


def _read_answer(completion: ChatCompletion) -> LlmAnswer:
    if not completion.choices:
        raise _Fallback("invalid_response")
    choice = completion.choices[0]
    if choice.message.refusal:
        raise _Fallback("refusal")
    if choice.finish_reason == "length":
        # Cut off by max_tokens: the JSON is incomplete even if it happens to parse.
        raise _Fallback("truncated")
    if choice.finish_reason == "content_filter":
        raise _Fallback("content_filter")
    content = choice.message.content or ""
    log.debug("llm raw answer: %s", content)
    try:
        data = json.loads(content)
    except ValueError as error:
        raise _Fallback("invalid_json") from error
    try:
        answer = LlmAnswer.model_validate(data)
    except ValidationError as error:
        raise _Fallback("schema_invalid") from error
    if any(not p.text.strip() for p in answer.phrasings):
        raise _Fallback("empty_phrasing")
    return answer


def _to_draft(answer: LlmAnswer, safety: SafetyResult) -> Draft:
    classification = Classification(
        rupture=answer.rupture,
        # Not a rupture means nothing went wrong to place in a moment (the dev labels agree).
        moment=answer.moment if answer.rupture else None,
        patterns=_ranked_patterns(answer.patterns) if answer.rupture else [],
    )
    by_style = {p.style: p.text.strip() for p in answer.phrasings}
    return Draft(
        classification=classification,
        classifier="llm",
        safety=safety,
        phrasings=[Phrasing(style=style, text=by_style[style]) for style in STYLE_ORDER],
        partner_prompt=answer.partner_prompt.strip(),
        perspective=answer.perspective.strip(),
    )


def _ranked_patterns(patterns: list[LlmPattern]) -> list[PatternHit]:
    """Most confident first, one hit per id, at most MAX_PATTERNS (strict mode cannot bound it)."""
    best: dict[PatternId, LlmPattern] = {}
    for hit in patterns:
        if hit.id not in best or hit.confidence > best[hit.id].confidence:
            best[hit.id] = hit
    ranked = sorted(best.values(), key=lambda hit: hit.confidence, reverse=True)
    return [
        PatternHit(id=hit.id, confidence=hit.confidence, evidence=hit.evidence.strip())
        for hit in ranked[:MAX_PATTERNS]
    ]


def _safety_from_moderation(response: ModerationCreateResponse) -> SafetyResult:
    level = Safety.NONE
    for result in response.results:
        categories = result.categories
        if any(getattr(categories, name, False) for name in _MODERATION_CRISIS):
            level = _max_level(level, Safety.CRISIS)
        elif any(getattr(categories, name, False) for name in _MODERATION_ABUSE):
            level = _max_level(level, Safety.ABUSE)
    if level is Safety.NONE:
        return SafetyResult()
    return SafetyResult(level=level, cue="moderation")


def _max_level(a: Safety, b: Safety) -> Safety:
    return a if a.rank >= b.rank else b


def _higher(a: SafetyResult, b: SafetyResult) -> SafetyResult:
    return a if a.level.rank >= b.level.rank else b
