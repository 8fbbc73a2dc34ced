from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.guard import enabled_here, the_bot
from bot.failures import Reporting
from bot.flow import coach_story
from bot.sending import is_private, to_followup
from coaching.service import MAX_CHARS

if TYPE_CHECKING:
    from bot.client import CoachBot

# The three fields add up to the coach's 4,000-character limit, so nothing typed is refused.
_SAID, _FELT = 1000, 1000
_HAPPENED = MAX_CHARS - _SAID - _FELT - 2  # room for the two line breaks that join them
_EVERYWHERE = {"guilds": True, "dms": True, "private_channels": True}


class StoryModal(Reporting, discord.ui.Modal, title="What happened?"):
    happened: discord.ui.TextInput[StoryModal] = discord.ui.TextInput(
        label="What happened",
        style=discord.TextStyle.paragraph,
        placeholder="I told my partner I'd had an awful day at work…",
        max_length=_HAPPENED,
    )
    said: discord.ui.TextInput[StoryModal] = discord.ui.TextInput(
        label="What they said or did (or what you did)",
        style=discord.TextStyle.paragraph,
        placeholder='She said "at least you have a job" and went back to her phone.',
        max_length=_SAID,
        required=False,
    )
    felt: discord.ui.TextInput[StoryModal] = discord.ui.TextInput(
        label="How you felt",
        style=discord.TextStyle.paragraph,
        placeholder="Small, and alone with it.",
        max_length=_FELT,
        required=False,
    )

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        private = is_private(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        if not await enabled_here(interaction, ephemeral=private):
            return
        story = "\n".join(
            part.strip()
            for part in (self.happened.value, self.said.value, self.felt.value)
            if part.strip()
        )
        send = to_followup(interaction, ephemeral=private)
        await coach_story(the_bot(interaction), interaction.user, story, send, private=private)


class Coaching(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name="Get repair help",
            callback=self.repair_help,
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
        )
        bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    @app_commands.command(
        name="coach", description="Tell me what happened; I'll help you find words."
    )
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def coach(self, interaction: discord.Interaction) -> None:
        # The modal goes out at once (Discord's 3-second deadline); the work starts on submit.
        await interaction.response.send_modal(StoryModal())

    async def repair_help(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Coach the person about a reply someone sent them: the message is the other person's
        words. A message that itself speaks of a crisis or a threat gets the safety answer."""
        private = is_private(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        if not await enabled_here(interaction, ephemeral=private):
            return
        words = message.content.strip()
        send = to_followup(interaction, ephemeral=private)
        if not words:
            await send(
                content="That message has no text I can read. Tell me with /coach what happened.",
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return
        if message.author.id == interaction.user.id:
            story = f'I said: "{words}"'
        else:
            story = f'I was talking with someone and they replied: "{words}"'
        await coach_story(the_bot(interaction), interaction.user, story, send, private=private)
