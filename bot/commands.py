"""The application-command payload the bot registers, and syncing it only when it changed.

Discord rate-limits command registration, and re-registering on every start or reconnect is
the classic way to hit that limit; so the payload's hash is kept in the database (shared by
every process) and a start syncs only when it differs. `repair-coach sync` forces it;
`repair-coach commands --json` prints the payload for review.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import discord
from discord import app_commands

from bot.ports import BotState

_KEY = "commands.synced"


def payload(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """What `tree.sync()` sends, in a stable order."""
    commands = [command.to_dict(tree) for command in tree.get_commands()]
    return sorted(commands, key=lambda c: (c.get("type", 1), c["name"]))


def digest(commands: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(commands, sort_keys=True).encode()).hexdigest()


async def sync(
    tree: app_commands.CommandTree[Any], state: BotState, guild_id: int | None = None
) -> int:
    """Register the commands (globally, or copied into one guild for testing); how many."""
    if guild_id is None:
        synced = await tree.sync()
        await state.put(_KEY, digest(payload(tree)))
        return len(synced)
    guild = discord.Object(id=guild_id)
    tree.copy_global_to(guild=guild)
    return len(await tree.sync(guild=guild))


async def sync_if_changed(tree: app_commands.CommandTree[Any], state: BotState) -> bool:
    """Sync globally when the payload differs from the last one synced; whether it did."""
    if await state.get(_KEY) == digest(payload(tree)):
        return False
    await sync(tree, state)
    return True
