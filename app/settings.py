"""Settings for the terminal coach, read from the environment (and `.env`) by the entry point."""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class CoachSettings(BaseSettings):
    """No setting is required: with no API key the coach runs offline."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    repair_coach_model: str = "gpt-4o-mini"
    repair_coach_llm_timeout: float = 20.0
    repair_coach_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "WARNING"
    # How the JSON schema is sent: "strict" (OpenAI structured outputs), "bounded" (llama.cpp
    # and other servers that need maxLength on strings), or "auto" (decided from the base URL).
    repair_coach_schema: Literal["auto", "strict", "bounded"] = "auto"
