"""The composition root: settings -> classifier -> CoachService. Nothing else reads settings."""

from __future__ import annotations

import logging

import openai

from app.settings import CoachSettings
from coaching.ports import Classifier
from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier
from llm.classifier import OpenAIClassifier, SchemaMode, schema_mode_for


def configure_logging(settings: CoachSettings) -> None:
    logging.basicConfig(
        level=settings.repair_coach_log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def build_classifier(settings: CoachSettings, offline: bool) -> Classifier:
    fallback = OfflineClassifier()
    if offline or settings.openai_api_key is None:
        return fallback
    mode = (
        schema_mode_for(settings.openai_base_url)
        if settings.repair_coach_schema == "auto"
        else SchemaMode(settings.repair_coach_schema)
    )
    client = openai.AsyncOpenAI(
        api_key=settings.openai_api_key.get_secret_value(),
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


def build_service(settings: CoachSettings, offline: bool) -> CoachService:
    return CoachService(build_classifier(settings, offline))
