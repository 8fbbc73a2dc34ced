from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.guard import enabled_here
from bot.flow import admitted, deliver, greet_once
from bot.render import patterns_pages, resources_outgoing
from bot.sending import is_private, say, send_all, to_followup
from bot.views import Pages
from coaching.safety.resources import every_line, for_locale
from coaching.service import InputError
from coaching.taxonomy import PATTERN_MEANINGS, PATTERN_NAMES, PatternId

if TYPE_CHECKING:
    from bot.client import CoachBot

_EVERYWHERE = {"guilds": True, "dms": True, "private_channels": True}
# Autocomplete answers from memory: Discord gives it no time for a database. Besides the names
# and meanings, the everyday words people type for each pattern.
_EVERYDAY = {
    PatternId.UNSOLICITED_ADVICE: "advice fix solution should tips",
    PatternId.MINIMIZING: "at least small not a big deal overreacting",
    PatternId.INVALIDATION: "dramatic wrong too sensitive imagining crazy",
    PatternId.DEFENSIVENESS: "defensive blame excuses guilty turned it around",
    PatternId.COMPETING_SUFFERING: "me too tired too worse one-up my day",
    PatternId.IMPATIENCE: "hurry move on get over it rushed",
    PatternId.DISENGAGEMENT: "phone screen ignored changed subject walked away tv",
    PatternId.MISTIMED_HUMOR: "joke laughed sarcasm teasing",
    PatternId.HOLLOW_AFFECTION: "gift flowers hug instead of talking",
    PatternId.BURDEN_SHIFTING: "tell me what to do your job fix it yourself",
}
_CHOICES = [
    (pattern, f"{PATTERN_NAMES[pattern]}: {PATTERN_MEANINGS[pattern]}"[:100], _EVERYDAY[pattern])
    for pattern in PatternId
]


class QuickHelp(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="repair", description="An instant repair script for one pattern.")
    @app_commands.describe(
        pattern="what went wrong (start typing: advice, shrinking, phone…)",
        situation="optional: a few words about it, to fit the wording",
        side="who did it (default: it was done to you)",
    )
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def repair(
        self,
        interaction: discord.Interaction,
        pattern: str,
        situation: app_commands.Range[str, 1, 1000] | None = None,
        side: Literal["it was done to me", "I did it"] = "it was done to me",
    ) -> None:
        private = is_private(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        send = to_followup(interaction, ephemeral=private)
        if not await enabled_here(interaction, ephemeral=private):
            return
        try:
            chosen = PatternId(pattern)
        except ValueError:
            await say(
                send, "Pick a pattern from the list (start typing to see them), or see /patterns."
            )
            return
        user_id = interaction.user.id
        await greet_once(self.bot, user_id, send, private=private)
        if situation and not await admitted(self.bot, user_id, situation, send):
            return
        role: Literal["hurt", "caused"] = "caused" if side == "I did it" else "hurt"
        try:
            answer = await self.bot.deps.service.script(
                str(user_id), chosen, situation or "", role=role
            )
        except InputError as error:
            await say(send, str(error))
            return
        await deliver(self.bot, user_id, answer, situation or "", send)

    @repair.autocomplete("pattern")
    async def _patterns(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        typed = current.lower().strip()
        return [
            app_commands.Choice(name=label, value=pattern.value)
            for pattern, label, everyday in _CHOICES
            if not typed or any(typed in text for text in (label.lower(), pattern.value, everyday))
        ][:25]

    @app_commands.command(
        name="patterns", description="The ten patterns and five moments, explained."
    )
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def patterns(self, interaction: discord.Interaction) -> None:
        pages = patterns_pages()
        await interaction.response.send_message(
            embed=pages[0],
            view=Pages(interaction.user.id, pages),
            ephemeral=is_private(interaction),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.command(
        name="resources", description="Crisis and abuse lines, for you or someone else."
    )
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def resources(self, interaction: discord.Interaction) -> None:
        private = is_private(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        locale = (await self.bot.deps.history.settings(str(interaction.user.id))).locale
        if not locale and interaction.guild_id is not None:
            locale = (await self.bot.deps.guilds.guild(interaction.guild_id)).locale
        lines = for_locale(every_line(), locale or str(interaction.locale))
        intro = (
            "If you or someone else is in danger right now, call your local emergency number. "
            "These lines are free and confidential:"
        )
        await send_all(
            to_followup(interaction, ephemeral=private), [resources_outgoing(lines, intro)]
        )
