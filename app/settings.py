"""The settings of the whole app, one model, read from the environment (and `.env`).

Only entry points build it (`CoachSettings()`), never a module at import time. An empty value
means unset: a `.env` copied from `.env.example` with nothing filled in is the offline coach.
No setting is required by the terminal coach; a command that cannot work without a secret asks
for it (`require_discord_token()`), so the coach never needs the bot's token.
"""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class MissingSettingError(RuntimeError):
    """A command needs a setting that is not set; the message names it and where to set it."""


class CoachSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_ignore_empty=True, extra="ignore")

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    repair_coach_model: str = "gpt-4o-mini"
    repair_coach_llm_timeout: float = 20.0
    repair_coach_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "WARNING"
    # How the JSON schema is sent: "strict" (OpenAI structured outputs), "bounded" (llama.cpp
    # and other servers that need maxLength on strings), or "auto" (decided from the base URL).
    repair_coach_schema: Literal["auto", "strict", "bounded"] = "auto"
    # The Discord bot's token: only the bot command needs it.
    discord_token: SecretStr | None = None
    # Per-user history (db/). Empty: a SQLite file in the data folder, which defaults to the
    # platform's user data folder (platformdirs). PostgreSQL: postgresql+asyncpg://...
    database_url: str | None = None
    repair_coach_data_dir: str | None = None
    # A Fernet key (python -m db.crypto prints one; "new,old" rotates): needed only to keep the
    # text of stories (the keep_text setting); without it, history holds labels only.
    repair_coach_data_key: SecretStr | None = None
    repair_coach_retention_days: int = 365

    @field_validator(
        "openai_api_key",
        "openai_base_url",
        "discord_token",
        "database_url",
        "repair_coach_data_dir",
        "repair_coach_data_key",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `env_ignore_empty` drops "", this drops "  " too (a space left after the "=").
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def require_discord_token(self) -> str:
        """The bot's token, or an error saying how to set it."""
        if self.discord_token is None:
            raise MissingSettingError(
                "DISCORD_TOKEN is not set: put the bot's token in .env (see .env.example) or "
                "export DISCORD_TOKEN. The terminal coach (`repair-coach chat`) needs no token."
            )
        return self.discord_token.get_secret_value()
