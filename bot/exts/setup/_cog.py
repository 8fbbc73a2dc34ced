from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.sending import NO_MENTIONS, say, to_followup

if TYPE_CHECKING:
    from bot.client import CoachBot

GUIDE = (
    "**Need help after a hard conversation?** I'm an automated coach (not a person or a "
    "therapist) for the moments someone stopped listening.\n"
    "• Everything here is private: use /coach, /repair or /patterns and only you see my answer.\n"
    "• Or send me a DM and tell me what happened, in as many messages as you like.\n"
    "• /resources lists crisis and abuse lines. /settings, /export and /forget control what I "
    "keep about you; server admins can never see it."
)


class ServerSetup(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="setup", description="Server admins: turn me on or off here, and more."
    )
    @app_commands.describe(
        enabled="whether members can use me in this server",
        locale="default country for crisis lines, e.g. US, UK",
        guide_channel="post a short public guide to using me privately in this channel",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def setup_command(
        self,
        interaction: discord.Interaction,
        enabled: Literal["on", "off"] | None = None,
        locale: app_commands.Range[str, 2, 10] | None = None,
        guide_channel: discord.TextChannel | None = None,
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        send = to_followup(interaction, ephemeral=True)
        assert interaction.guild_id is not None  # guild_only
        # From the store, not the short-lived copy: an admin changes what is there now.
        current = await self.bot.deps.store.guild(interaction.guild_id)
        changes: dict[str, object] = {}
        if enabled is not None:
            changes["enabled"] = enabled == "on"
        if locale is not None:
            changes["locale"] = locale.strip()
        if guide_channel is not None:
            changes["guide_channel_id"] = guide_channel.id
        if changes:
            current = dataclasses.replace(current, **changes)  # type: ignore[arg-type]
            await self.bot.deps.guilds.save_guild(current)
        posted = ""
        if guide_channel is not None:
            try:
                await guide_channel.send(GUIDE, allowed_mentions=NO_MENTIONS)
                posted = f"\nI posted the guide in {guide_channel.mention}."
            except discord.HTTPException:
                posted = (
                    f"\nI couldn't post in {guide_channel.mention}: check my permissions there."
                )
        await say(
            send,
            ("Saved. " if changes else "")
            + f"In this server I'm **{'on' if current.enabled else 'off'}**; crisis lines default "
            f"to **{current.locale or 'every region'}**. I never show anyone's reports to admins."
            + posted,
        )
