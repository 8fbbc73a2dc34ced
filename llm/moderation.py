"""The provider's moderation endpoint: it can only raise the safety level, never lower it.

Many compatible servers (llama-server among them) have no such endpoint and answer 404. That is
a fact about the server, not about one classifier, so it is remembered per base URL for every
classifier in the process, and checked again after an hour (a proxy may gain the route).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import openai
from openai.types import ModerationCreateResponse

from coaching.models import SafetyResult
from coaching.taxonomy import Safety
from llm.retry import within_deadline

log = logging.getLogger(__name__)

RECHECK_AFTER_SECONDS = 3600.0

_CRISIS_CATEGORIES = ("self_harm", "self_harm_intent", "self_harm_instructions")
_ABUSE_CATEGORIES = ("violence", "violence_graphic", "harassment_threatening")


class MissingEndpoints:
    """Base URLs whose moderation endpoint answered 404, each with the time to ask again."""

    def __init__(self) -> None:
        self._until: dict[str, float] = {}

    def is_missing(self, base_url: str, now: float) -> bool:
        until = self._until.get(base_url)
        if until is None:
            return False
        if now >= until:
            del self._until[base_url]
            return False
        return True

    def record(self, base_url: str, now: float) -> None:
        self._until[base_url] = now + RECHECK_AFTER_SECONDS

    def clear(self) -> None:
        self._until.clear()


# One for the process: two classifiers for the same server share what it lacks.
MISSING_ENDPOINTS = MissingEndpoints()


class Moderation:
    """Asks the moderation endpoint of `client`'s base URL unless it is known to be missing.

    `client` should not retry by itself (`max_retries=0`): retries run here, inside the
    deadline. `clock` (seconds, monotonic) times the hour before a missing endpoint is asked
    again.
    """

    def __init__(
        self, client: openai.AsyncOpenAI, *, max_retries: int, clock: Callable[[], float]
    ) -> None:
        self._client = client
        self._max_retries = max_retries
        self._clock = clock
        self._base_url = str(client.base_url)

    @property
    def available(self) -> bool:
        return not MISSING_ENDPOINTS.is_missing(self._base_url, self._clock())

    async def check(self, text: str, *, deadline: float) -> SafetyResult:
        """The level the endpoint reads in `text`; `SafetyResult()` when it cannot say."""
        try:
            response = await within_deadline(
                lambda seconds_left: self._client.moderations.create(
                    input=text, timeout=seconds_left
                ),
                deadline=deadline,
                max_retries=self._max_retries,
            )
        except openai.NotFoundError:
            MISSING_ENDPOINTS.record(self._base_url, self._clock())
            log.info("moderation endpoint not found at this provider; asking again in an hour")
            return SafetyResult()
        except openai.OpenAIError as error:
            log.info("moderation failed (%s); ignored", type(error).__name__)
            return SafetyResult()
        return safety_from_moderation(response)


def safety_from_moderation(response: ModerationCreateResponse) -> SafetyResult:
    level = Safety.NONE
    for result in response.results:
        categories = result.categories
        if any(getattr(categories, name, False) for name in _CRISIS_CATEGORIES):
            level = _max_level(level, Safety.CRISIS)
        elif any(getattr(categories, name, False) for name in _ABUSE_CATEGORIES):
            level = _max_level(level, Safety.ABUSE)
    if level is Safety.NONE:
        return SafetyResult()
    return SafetyResult(level=level, cue="moderation")


def _max_level(a: Safety, b: Safety) -> Safety:
    return a if a.rank >= b.rank else b
