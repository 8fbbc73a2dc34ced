"""Running the real bot (built by the composition root, over a real SQLite file) against the fake
Discord, for the end-to-end tests (tests/test_bot_*.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from app.bot import opened_bot
from app.settings import CoachSettings
from bot.client import CoachBot
from tests.fake_discord import FakeDiscord, FakeMessage, FakeUser

# A story the offline coach answers with a repair script (minimizing and turning away).
STORY = (
    "I told my husband I was scared about my biopsy results and he said "
    '"at least it\'s not cancer yet" and went back to his phone.'
)
CRISIS = "After the fight I keep thinking everyone would be better off if I wasn't alive."


def bot_settings(data_dir: Path, **overrides: Any) -> CoachSettings:
    values: dict[str, Any] = {
        "repair_coach_data_dir": str(data_dir),
        "discord_token": "fake-bot-token",
        "repair_coach_dm_join_seconds": 0.3,
        "openai_api_key": None,
    }
    values.update(overrides)
    return CoachSettings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running_bot(
    fake: FakeDiscord, settings: CoachSettings, **options: Any
) -> AsyncIterator[CoachBot]:
    """The bot as `repair-coach bot` builds it, logged in and ready on the fake."""
    async with opened_bot(settings, guild_ready_timeout=0.05, **options) as bot:
        async with fake.running(bot):
            yield bot


async def answered(fake: FakeDiscord, user: FakeUser, *, after: int = 0) -> FakeMessage:
    """The bot's message with an answer's buttons (the last of an answer) in the person's DM,
    newer than the first `after` messages."""
    return await fake.wait_for(
        lambda: next((m for m in fake.messages_in(user)[after:] if m.components), None),
        timeout=15,
        what="an answer with buttons",
    )
