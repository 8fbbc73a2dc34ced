"""The composition root for the Discord bot: settings -> history store -> bot store -> service
-> `CoachBot`. The only place the bot's settings are read.

`run_bot(settings)` runs it until stopped; `sync_commands(settings, guild_id)` registers the
application commands on demand; `command_payload()` is what would be registered (no login).
Each failure a person running it can fix (no token, a rejected token, a history that cannot
be opened, bad shard settings) is raised as `BotStartError` with one line.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import discord

from app.compose import build_service, connect_history
from app.cores import AT_ONCE, side_by_side
from app.settings import CoachSettings, MissingSettingError
from bot.client import BotConfig, CoachBot, Deps
from bot.commands import payload, sync
from bot.guilds import RecentGuilds
from coaching.ports import HistoryUnavailable
from db import SqlBotStore


class BotStartError(RuntimeError):
    """The bot cannot start; the message says why in one line."""


def bot_config(settings: CoachSettings, *, can_keep_text: bool) -> BotConfig:
    days = settings.repair_coach_retention_days
    return BotConfig(
        rate_limit=settings.repair_coach_rate_limit,
        rate_window=timedelta(minutes=settings.repair_coach_rate_window_minutes),
        check_in_after=timedelta(hours=settings.repair_coach_check_in_hours),
        dm_join_seconds=settings.repair_coach_dm_join_seconds,
        retention=timedelta(days=days) if days > 0 else None,
        can_keep_text=can_keep_text,
    )


@asynccontextmanager
async def opened_bot(settings: CoachSettings, **options: Any) -> AsyncIterator[CoachBot]:
    """The bot with everything it needs, closed (and its database with it) on the way out."""
    try:
        shard_count, shard_ids = settings.shards()
        history = await connect_history(settings)
    except (MissingSettingError, HistoryUnavailable) as error:
        raise BotStartError(str(error)) from None
    try:
        service = build_service(settings, offline=False, history=history, at_once=AT_ONCE)
        store = SqlBotStore(history)
        deps = Deps(service=service, history=history, store=store, guilds=RecentGuilds(store))
        config = bot_config(settings, can_keep_text=history.can_keep_text)
        bot = CoachBot(deps, config, shard_count=shard_count, shard_ids=shard_ids, **options)
        async with bot:
            with side_by_side():
                yield bot
    finally:
        await history.aclose()


async def run_bot(settings: CoachSettings, **options: Any) -> None:
    token = _token(settings)
    async with opened_bot(settings, **options) as bot:
        try:
            await bot.start(token)
        except discord.LoginFailure:
            raise BotStartError(
                "Discord rejected DISCORD_TOKEN: copy the token again from the Developer "
                "Portal (your application > Bot > Reset Token) into .env"
            ) from None
        except discord.PrivilegedIntentsRequired:
            raise BotStartError("Discord refused the bot's intents") from None


async def sync_commands(
    settings: CoachSettings, guild_id: int | None = None, **options: Any
) -> int:
    """Log in (no gateway connection) and register the commands; how many."""
    token = _token(settings)
    async with opened_bot(settings, sync_on_start=False, **options) as bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            raise BotStartError("Discord rejected DISCORD_TOKEN") from None
        return await sync(bot.tree, bot.deps.store, guild_id)


async def command_payload() -> list[dict[str, Any]]:
    """The exact application-command payload the bot registers, without logging in."""
    bot = CoachBot(None, BotConfig())
    # Nothing is opened before login (no HTTP session, no gateway), so there is nothing to close.
    await bot.load_features()
    return payload(bot.tree)


def _token(settings: CoachSettings) -> str:
    try:
        return settings.require_discord_token()
    except MissingSettingError as error:
        raise BotStartError(str(error)) from None
