"""The composition root: settings -> classifier -> CoachService. Nothing else reads settings.

Public surface: `configure_logging(settings)` and `build_service(settings, offline=...)`. The
built-in models (safety screen, patterns, moment, the word encoder, language identification)
load once per process, when the first service is built: a missing model fails at start-up,
not on someone's first message, and no later message waits for a load.
"""

from __future__ import annotations

import logging
from functools import cache

from pydantic import SecretStr

from app.settings import CoachSettings
from coaching.ports import Classifier
from coaching.safety import screen
from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier

# An ordinary story, read once at start-up so every model and lazy table is loaded.
_WARM_UP = "I told my friend I was scared about the interview and she changed the subject."


def configure_logging(settings: CoachSettings) -> None:
    logging.basicConfig(
        level=settings.repair_coach_log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def build_service(settings: CoachSettings, *, offline: bool) -> CoachService:
    """The coach: the LLM classifier (with the built-in one as its fallback) when an API key is
    set and `offline` is false, else the built-in classifier alone."""
    fallback = _offline_classifier()
    key = settings.openai_api_key
    if offline or key is None:
        return CoachService(fallback)
    return CoachService(_llm_classifier(settings, key, fallback))


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
