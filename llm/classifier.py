"""OpenAI-compatible classifier and phraser: one structured chat call per coaching.

The model returns the classification and its own wording together (`LlmAnswer`). Every way the
call can go wrong (deadline, HTTP errors, refusals, cut-off or invalid JSON) ends in the
injected fallback classifier, with a short machine-readable `fallback_reason`; this adapter
never raises for a bad backend. The answer's own `safety` and `safety_check`, and the optional
moderation endpoint that runs alongside the chat call, can only raise the safety level or add a
worry to ask about, never lower anything. One deadline covers all of it, retries
included (`llm.retry`).

Nothing here reads settings: the composition root builds the client and picks the schema mode
(`schema_mode_for`) unless a setting overrides it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import ValidationError

from coaching.models import (
    By,
    Classification,
    Doubt,
    Draft,
    PatternHit,
    Phrasing,
    SafetyResult,
    WriterRole,
)
from coaching.ports import Classifier
from coaching.safety import combined
from coaching.taxonomy import PatternId, Safety
from llm.moderation import Moderation
from llm.prompt import system_prompt, user_message
from llm.provider import sampling_for, schema_mode_for
from llm.retry import within_deadline
from llm.schema import (
    MAX_PATTERNS,
    SCHEMA_NAME,
    STYLE_ORDER,
    LlmAnswer,
    LlmPattern,
    SchemaMode,
    answer_schema,
)

__all__ = ["LlmUsage", "OpenAIClassifier", "SchemaMode", "UsageCallback", "schema_mode_for"]

log = logging.getLogger(__name__)

# Who did every pattern when the role settles it; with "both" each pattern says.
_ROLE_BY: dict[WriterRole, By] = {"hurt": "other", "caused": "writer"}


@dataclass(frozen=True, slots=True)
class LlmUsage:
    """Tokens of one chat call, reported out of band so the Draft stays a domain object."""

    prompt_tokens: int
    completion_tokens: int


UsageCallback = Callable[[LlmUsage], None]


class _Fallback(Exception):
    """Why the LLM answer cannot be used; carries a short machine-readable reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OpenAIClassifier:
    """`Classifier` over any OpenAI-compatible chat endpoint, with an injected fallback.

    `client.max_retries` is the retry budget, spent here inside `timeout` (the client itself is
    used without retries). `clock` (seconds, monotonic) times how long a missing moderation
    endpoint is left alone.
    """

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
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client.with_options(max_retries=0)
        self._max_retries = client.max_retries
        self._model = model
        self._fallback = fallback
        self._timeout = timeout
        self._max_tokens = max_tokens
        self._temperature = temperature
        self._on_usage = on_usage
        self._sampling = sampling_for(str(client.base_url), model)
        self._moderation = (
            Moderation(self._client, max_retries=self._max_retries, clock=clock)
            if moderation
            else None
        )
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
        return self._moderation is not None and self._moderation.available

    async def classify(self, text: str, *, history: str = "") -> Draft:
        """`history`: the person's bounded history summary (labels and counts, never their
        words), sent after the description in its own block; the moderation check and the
        offline fallback read the description only."""
        started = time.monotonic()
        deadline = asyncio.get_running_loop().time() + self._timeout
        chat = asyncio.create_task(self._ask(text, deadline, history))
        moderation = (
            asyncio.create_task(self._moderation.check(text, deadline=deadline))
            if self._moderation is not None and self._moderation.available
            else None
        )
        tasks: list[asyncio.Task[Any]] = [t for t in (chat, moderation) if t is not None]
        try:
            # Both halves, until the deadline: a moderation flag that arrives after the chat
            # answer still counts, and one that arrived in time survives a chat call that did
            # not (asyncio.wait keeps whichever finished, where a timeout around gather would
            # drop both).
            await asyncio.wait(tasks, timeout=self._timeout)
        finally:
            await _cancel_unfinished(tasks)
        safety = _moderation_result(moderation)
        try:
            answer = _chat_result(chat)
        except _Fallback as failure:
            return await self._fall_back(text, failure.reason, safety, started)
        log.debug("llm answered in %.2fs", time.monotonic() - started)
        return _to_draft(answer, combined(safety, _judged_safety(answer)))

    # --- chat --------------------------------------------------------------------------------

    async def _ask(self, text: str, deadline: float, history: str = "") -> LlmAnswer:
        log.debug("llm request for description: %r", text)
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system_prompt()},
            {"role": "user", "content": user_message(text, history)},
        ]
        sampling: dict[str, Any] = {self._sampling.token_limit_param: self._max_tokens}
        if self._sampling.sends_temperature:
            sampling["temperature"] = self._temperature

        async def request(seconds_left: float) -> ChatCompletion:
            # The sampling keys differ per provider (llm.provider), hence the ** splat.
            completion: ChatCompletion = await self._client.chat.completions.create(
                model=self._model,
                messages=messages,
                response_format=self._response_format,
                timeout=seconds_left,
                **sampling,
            )
            return completion

        try:
            completion = await within_deadline(
                request, deadline=deadline, max_retries=self._max_retries
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
                "safety": combined(draft.safety, safety),
            }
        )


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
        # Cut off by the token limit: the JSON is incomplete even if it happens to parse.
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
    role = _writer_role(answer)
    classification = Classification(
        rupture=answer.rupture,
        # Not a rupture means nothing went wrong to place in a moment (the dev labels agree).
        moment=answer.moment if answer.rupture else None,
        patterns=_ranked_patterns(answer.patterns, role) if role is not None else [],
        writer_role=role,
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


def _writer_role(answer: LlmAnswer) -> WriterRole | None:
    """Who hurt whom, consistent with the rupture: none without one, and a rupture the model
    gave no role (an older answer) is the writer's hurt, the only role there was."""
    if not answer.rupture:
        return None
    return answer.writer_role or "hurt"


def _ranked_patterns(patterns: list[LlmPattern], role: WriterRole) -> list[PatternHit]:
    """Most confident first, one hit per id, at most MAX_PATTERNS (strict mode cannot bound it).

    Each hit says who did it: with `hurt` the other person did everything and with `caused`
    the writer did, whatever a pattern's own `by` says; only `both` keeps the model's.
    """
    best: dict[PatternId, LlmPattern] = {}
    for hit in patterns:
        if hit.id not in best or hit.confidence > best[hit.id].confidence:
            best[hit.id] = hit
    ranked = sorted(best.values(), key=lambda hit: hit.confidence, reverse=True)
    return [
        PatternHit(
            id=hit.id,
            confidence=hit.confidence,
            evidence=hit.evidence.strip(),
            by=_ROLE_BY.get(role, hit.by),
        )
        for hit in ranked[:MAX_PATTERNS]
    ]


def _judged_safety(answer: LlmAnswer) -> SafetyResult:
    """The model's own safety judgement. It names a worry, not whose: the question it leads to
    asks the writer (the built-in screen's doubt, which knows the person, comes first)."""
    checks = (Doubt(worry=answer.safety_check),) if answer.safety_check else ()
    cue = "llm" if answer.safety is not Safety.NONE else ""
    return SafetyResult(level=answer.safety, cue=cue, checks=checks)
