"""Retries that fit inside the deadline.

The openai client's own retries honour a `Retry-After` of up to two minutes and know nothing of
our deadline: a 429 asking for 120 s would hold the answer until the deadline and then be
reported as a timeout. Here the client is used without retries and the same policy runs in
the open, with one difference: a wait that would end after the deadline is not started, and
the error is reported at once.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

import openai

log = logging.getLogger(__name__)

T = TypeVar("T")

INITIAL_DELAY = 0.5  # the openai client's backoff: 0.5 s, 1 s, 2 s... with up to 25% jitter
MAX_DELAY = 8.0


async def within_deadline(
    request: Callable[[float], Awaitable[T]], *, deadline: float, max_retries: int
) -> T:
    """`request(seconds_left)` until it answers, retrying what a retry can help while the wait
    ends before `deadline` (event-loop time); otherwise the last `openai.OpenAIError` is raised."""
    loop = asyncio.get_running_loop()
    retries = 0
    while True:
        try:
            return await request(max(deadline - loop.time(), 0.0))
        except openai.OpenAIError as error:
            delay = retry_delay(error, retries) if retries < max_retries else None
            if delay is None or loop.time() + delay >= deadline:
                raise
            log.debug("retrying after %s in %.2fs", type(error).__name__, delay)
        await asyncio.sleep(delay)
        retries += 1


def retry_delay(error: openai.OpenAIError, retries: int) -> float | None:
    """Seconds to wait before asking again, or None when asking again cannot help."""
    if isinstance(error, openai.APITimeoutError):
        # Each request already had all the time left.
        return None
    if isinstance(error, openai.APIConnectionError):
        return _backoff(retries)
    if not isinstance(error, openai.APIStatusError):
        return None
    headers = error.response.headers
    should_retry = headers.get("x-should-retry")
    if should_retry == "false":
        return None
    if should_retry != "true" and not _retryable(error.status_code):
        return None
    asked = retry_after(headers)
    return asked if asked is not None and asked > 0 else _backoff(retries)


def retry_after(headers: Mapping[str, str]) -> float | None:
    """The server's requested wait in seconds (`retry-after-ms`, then `Retry-After` as seconds
    or an HTTP date), or None when it asks for nothing readable."""
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            continue
        return seconds if not math.isnan(seconds) else None
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()


def _retryable(status: int) -> bool:
    # Request timeout, lock timeout, rate limit, server errors: what the openai client retries.
    return status in (408, 409, 429) or status >= 500


def _backoff(retries: int) -> float:
    return min(INITIAL_DELAY * 2.0**retries, MAX_DELAY) * (1 - 0.25 * random.random())
