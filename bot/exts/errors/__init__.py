"""One error handler for every application command: it logs without the person's words and
tells them something went wrong, without details."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import texts
from bot.sending import NO_MENTIONS

if TYPE_CHECKING:
    from bot.client import CoachBot

log = logging.getLogger(__name__)


async def on_app_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    if isinstance(error, app_commands.MissingPermissions):
        text = "Only server admins (Manage Server) can use this."
    elif isinstance(error, app_commands.NoPrivateMessage):
        text = "This works only in a server."
    else:
        command = interaction.command.qualified_name if interaction.command else "?"
        # The error's text can quote what the person wrote: its type only, the rest at DEBUG.
        original = getattr(error, "original", error)
        log.error("command %s failed: %s", command, type(original).__name__)
        log.debug("command failure", exc_info=original)
        text = texts.SOMETHING_WENT_WRONG
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: CoachBot) -> None:
    bot.tree.on_error = on_app_command_error  # type: ignore[method-assign]
