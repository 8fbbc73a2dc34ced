"""The settings of the whole app, one model, read from the environment (and `.env`).

Only entry points build it (`CoachSettings()`), never a module at import time. An empty value
means unset: a `.env` copied from `.env.example` with nothing filled in is the offline coach.
No setting is required by the terminal coach; a command that cannot work without a secret asks
for it (`require_discord_token()`), so the coach never needs the bot's token.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
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
    # The Discord bot (bot/). Sharding: unset lets Discord say how many shards and runs them all
    # in this process; several processes over one PostgreSQL each take some of them.
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: str | None = None  # "0,1": the shards this process runs (needs SHARD_COUNT)
    # Per-person coachings allowed per window, counted in the database (so across processes).
    repair_coach_rate_limit: int = Field(default=5, ge=1)
    repair_coach_rate_window_minutes: float = Field(default=10.0, gt=0)
    # Hours after a report before the "How did the conversation go?" check-in.
    repair_coach_check_in_hours: float = Field(default=24.0, gt=0)
    # DM messages sent within this many seconds of each other are read as one message.
    repair_coach_dm_join_seconds: float = Field(default=3.0, ge=0)

    @field_validator(
        "openai_api_key",
        "openai_base_url",
        "discord_token",
        "database_url",
        "repair_coach_data_dir",
        "repair_coach_data_key",
        "shard_count",
        "shard_ids",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `env_ignore_empty` drops "", this drops "  " too (a space left after the "=").
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("shard_ids")
    @classmethod
    def _shard_list(cls, value: str | None) -> str | None:
        if value is not None and not all(p.strip().isdigit() for p in value.split(",")):
            raise ValueError('SHARD_IDS must be shard numbers separated by commas, e.g. "0,1"')
        return value

    def require_discord_token(self) -> str:
        """The bot's token, or an error saying how to set it."""
        if self.discord_token is None:
            raise MissingSettingError(
                "DISCORD_TOKEN is not set: create a bot at https://discord.com/developers/"
                "applications (Bot > Reset Token), then put DISCORD_TOKEN=... in .env (see "
                ".env.example) or export it. The terminal coach (`repair-coach chat`) needs no "
                "token."
            )
        return self.discord_token.get_secret_value()

    def shards(self) -> tuple[int | None, list[int] | None]:
        """SHARD_COUNT and SHARD_IDS as the bot takes them; SHARD_IDS needs SHARD_COUNT and
        each id below it."""
        ids = None if self.shard_ids is None else [int(p) for p in self.shard_ids.split(",")]
        if ids is not None and (self.shard_count is None or max(ids) >= self.shard_count):
            raise MissingSettingError(
                "SHARD_IDS needs SHARD_COUNT, and every id must be below it "
                f"(SHARD_COUNT={self.shard_count}, SHARD_IDS={self.shard_ids})"
            )
        return self.shard_count, ids
