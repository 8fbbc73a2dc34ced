"""The composition root: settings -> classifier -> history store -> CoachService. Nothing else
reads settings.

Public surface: `configure_logging(settings)`, `open_history(settings, warn=...)` (the history
store, or None when it cannot be opened), `connect_history(settings)` (the store, or
`HistoryUnavailable` with one line) and `build_service(settings, offline=..., history=...)`.
The built-in models (safety screen, patterns, moment, the word encoder, language identification)
load once per process, when the first service is built: a missing model fails at start-up,
not on someone's first message, and no later message waits for a load.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from pydantic import SecretStr

from app.settings import CoachSettings
from coaching.ports import Classifier, HistoryStore, HistoryUnavailable
from coaching.safety import screen
from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier
from db import SqlHistoryStore, open_store

log = logging.getLogger(__name__)

# An ordinary story, read once at start-up so every model and lazy table is loaded.
_WARM_UP = "I told my friend I was scared about the interview and she changed the subject."


def configure_logging(settings: CoachSettings) -> None:
    logging.basicConfig(
        level=settings.repair_coach_log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def build_service(
    settings: CoachSettings,
    *,
    offline: bool,
    history: HistoryStore | None = None,
    at_once: int | None = None,
) -> CoachService:
    """The coach: the LLM classifier (with the built-in one as its fallback) when an API key is
    set and `offline` is false, else the built-in classifier alone. With `history` (from
    `open_history`) it remembers each person's reports; without, it records nothing.
    `at_once`: coachings working at the same time (`CoachService`'s), None for no limit."""
    fallback = _offline_classifier()
    key = settings.openai_api_key
    classifier = fallback if offline or key is None else _llm_classifier(settings, key, fallback)
    return CoachService(classifier, history=history, at_once=at_once)


async def connect_history(settings: CoachSettings) -> SqlHistoryStore:
    """The history store from DATABASE_URL, REPAIR_COACH_DATA_DIR, REPAIR_COACH_DATA_KEY and
    REPAIR_COACH_RETENTION_DAYS: migrated to head, reports past retention purged. Raises
    `HistoryUnavailable` with one line when it cannot be opened. Close it with `aclose()`."""
    key = settings.repair_coach_data_key
    return await open_store(
        settings.database_url,
        settings.repair_coach_data_dir,
        None if key is None else key.get_secret_value(),
        settings.repair_coach_retention_days,
    )


async def open_history(
    settings: CoachSettings, *, warn: Callable[[str], None] | None = None
) -> SqlHistoryStore | None:
    """`connect_history`, or None when the store cannot be opened: the coach then answers
    without history, and `warn` (default: a log warning) gets one line saying so."""
    try:
        return await connect_history(settings)
    except HistoryUnavailable as error:
        line = f"history is off for this run: {error}"
        if warn is None:
            log.warning("%s", line)
        else:
            warn(line)
        return None


@cache
def _offline_classifier() -> OfflineClassifier:
    """One per process, warmed: the classifier loads its models (language identification
    included) when built, the screen loads its own on the first story it reads."""
    classifier = OfflineClassifier()
    screen(_WARM_UP)
    classifier.classify_now(_WARM_UP)
    return classifier


def _llm_classifier(settings: CoachSettings, key: SecretStr, fallback: Classifier) -> Classifier:
    # Imported here: the offline coach starts without loading the openai client (~0.7 s).
    import openai

    from llm import OpenAIClassifier, SchemaMode, schema_mode_for

    mode = (
        schema_mode_for(settings.openai_base_url)
        if settings.repair_coach_schema == "auto"
        else SchemaMode(settings.repair_coach_schema)
    )
    client = openai.AsyncOpenAI(
        api_key=key.get_secret_value(),
        base_url=settings.openai_base_url,
        timeout=settings.repair_coach_llm_timeout,
    )
    return OpenAIClassifier(
        client=client,
        model=settings.repair_coach_model,
        fallback=fallback,
        timeout=settings.repair_coach_llm_timeout,
        schema_mode=mode,
    )
