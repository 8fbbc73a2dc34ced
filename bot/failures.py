"""What a person sees when something fails inside a button or a form (the slash commands have
`tree.on_error`, bot/exts/errors): a short apology without details, and a log line with the
error's type only (its text can quote what they wrote; the rest is at DEBUG)."""

from __future__ import annotations

import logging

import discord

from bot import texts
from bot.sending import NO_MENTIONS

log = logging.getLogger(__name__)


async def tell_failure(interaction: discord.Interaction, where: str, error: BaseException) -> None:
    log.error("%s failed: %s", where, type(error).__name__)
    log.debug("%s failure", where, exc_info=error)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                texts.SOMETHING_WENT_WRONG, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.response.send_message(
                texts.SOMETHING_WENT_WRONG, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException:
        log.warning("could not tell the person that %s failed", where)


class Reporting:
    """Mixed into views and modals: their failures go to `tell_failure`."""

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: object = None, /
    ) -> None:
        await tell_failure(interaction, type(self).__name__, error)
