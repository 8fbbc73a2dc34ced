"""`CoachBot`: the discord.py client, with what it needs handed in (no settings read here).

The bot is a thin adapter: every story goes to `CoachService` (through a `Conversation` in
DMs), every person's data to the history store and the bot's own store (`bot/ports.py`). It
asks Discord for the least it can: the `guilds` intent (slash commands and `/setup` need the
server) and `dm_messages` (a DM's content arrives without the privileged message-content
intent, which it never asks for). `AutoShardedBot`, so a large deployment shards without code
changes; `SHARD_COUNT`/`SHARD_IDS` split the shards between processes over one database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import discord
from discord.ext import commands

from bot.commands import sync_if_changed
from bot.guilds import RecentGuilds
from bot.memory import AnswerMemory
from bot.ports import BotStore
from bot.views import AnswerButton, CheckInButton
from coaching.ports import HistoryStore
from coaching.service import CoachService

log = logging.getLogger(__name__)

# The bot has no voice features: silence discord.py's start-up warnings about voice libraries.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

EXTENSIONS = (
    "bot.exts.dm",
    "bot.exts.coach",
    "bot.exts.repair",
    "bot.exts.mine",
    "bot.exts.setup",
    "bot.exts.checkins",
    "bot.exts.errors",
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class BotConfig:
    rate_limit: int = 5  # coachings per person per `rate_window`
    rate_window: timedelta = timedelta(minutes=10)
    check_in_after: timedelta = timedelta(hours=24)
    check_in_poll: float = 60.0  # seconds between looks for due check-ins
    dm_join_seconds: float = 3.0  # DMs this close together are one message
    purge_every: timedelta = timedelta(days=1)
    retention: timedelta | None = timedelta(days=365)
    # Whether keep_text can be turned on (a data key is configured).
    can_keep_text: bool = False


@dataclass(slots=True)
class Deps:
    service: CoachService
    history: HistoryStore
    store: BotStore
    guilds: RecentGuilds  # the store's server settings, kept for a short while
    clock: Callable[[], datetime] = _utc_now
    memory: AnswerMemory = field(default_factory=AnswerMemory)


def intents() -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.dm_messages = True
    return chosen


class CoachBot(commands.AutoShardedBot):
    def __init__(
        self,
        deps: Deps | None,
        config: BotConfig,
        *,
        shard_count: int | None = None,
        shard_ids: list[int] | None = None,
        sync_on_start: bool = True,
        **options: object,
    ) -> None:
        super().__init__(
            # No prefix commands: everything is an application command or a DM.
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=shard_count,
            shard_ids=shard_ids,  # type: ignore[arg-type]  # None (all shards) is its default
            **options,  # type: ignore[arg-type]
        )
        self._deps = deps
        self.config = config
        self._sync_on_start = sync_on_start

    @property
    def deps(self) -> Deps:
        """What the bot works with. None only for a bot built to print its commands."""
        if self._deps is None:
            raise RuntimeError("this bot was built without its dependencies")
        return self._deps

    async def load_features(self) -> None:
        """Every extension, and the persistent buttons (found again after a restart by their
        custom ids)."""
        for name in EXTENSIONS:
            await self.load_extension(name)
        self.add_dynamic_items(AnswerButton, CheckInButton)

    async def setup_hook(self) -> None:
        await self.load_features()
        if self._sync_on_start and await sync_if_changed(self.tree, self.deps.store):
            log.info("application commands changed: synced")

    async def on_message(self, message: discord.Message, /) -> None:
        # DMs are handled by bot.exts.dm; there are no prefix commands to process.
        return
