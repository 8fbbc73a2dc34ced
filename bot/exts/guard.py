"""Checks every server-side command shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot import texts
from bot.sending import say, to_followup

if TYPE_CHECKING:
    from bot.client import CoachBot


def the_bot(interaction: discord.Interaction) -> CoachBot:
    return interaction.client  # type: ignore[return-value]


async def enabled_here(interaction: discord.Interaction, *, ephemeral: bool) -> bool:
    """False (and the person told how to reach the bot privately) when a server's admins turned
    the bot off there. Call after deferring."""
    if interaction.guild_id is None:
        return True
    settings = await the_bot(interaction).deps.guilds.guild(interaction.guild_id)
    if settings.enabled:
        return True
    await say(to_followup(interaction, ephemeral=ephemeral), texts.DISABLED_HERE)
    return False
