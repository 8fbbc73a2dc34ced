from __future__ import annotations

import asyncio
import dataclasses
import io
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import texts
from bot.chart import history_chart
from bot.render import history_outgoing
from bot.sending import NO_MENTIONS, is_private, say, send_all, to_followup
from bot.views import ForgetConfirm
from coaching.history.exporting import export_document
from coaching.history.overview import history_overview
from coaching.history.records import UserSettings
from coaching.taxonomy import Style

if TYPE_CHECKING:
    from bot.client import CoachBot

_EVERYWHERE = {"guilds": True, "dms": True, "private_channels": True}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OnOff = Literal["on", "off"]


class MyData(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="history", description="Your patterns over time, with a chart.")
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def history(self, interaction: discord.Interaction) -> None:
        private = is_private(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        user = str(interaction.user.id)
        reports = await self.bot.deps.history.reports_since(user, _EPOCH)
        outcomes = await self.bot.deps.store.outcomes(interaction.user.id)
        overview = history_overview(reports, self.bot.deps.clock(), outcomes=outcomes)
        files = []
        if overview.total:
            # matplotlib is CPU work: off the event loop.
            png = await asyncio.to_thread(history_chart, overview)
            files.append(discord.File(io.BytesIO(png), filename="history.png"))
        send = to_followup(interaction, ephemeral=private)
        await send_all(send, [history_outgoing(overview)], files=files)

    @app_commands.command(name="settings", description="See or change what I keep and how I talk.")
    @app_commands.describe(
        history="keep a private history of my answers (labels, not your words)",
        tone="the style of phrasing shown first",
        name="the other person's name or nickname for the phrasings ('-' clears it)",
        keep_text="also keep your stories' text, encrypted",
        check_ins="a message a day later asking how the conversation went",
        locale="your country for crisis lines, e.g. US, UK, en-GB",
    )
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def settings(
        self,
        interaction: discord.Interaction,
        history: OnOff | None = None,
        tone: Literal["gentle", "direct", "nvc", "none"] | None = None,
        name: app_commands.Range[str, 1, 40] | None = None,
        keep_text: OnOff | None = None,
        check_ins: OnOff | None = None,
        locale: app_commands.Range[str, 2, 10] | None = None,
    ) -> None:
        private = is_private(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        send = to_followup(interaction, ephemeral=private)
        user = str(interaction.user.id)
        current = await self.bot.deps.history.settings(user)
        changes: dict[str, object] = {}
        if history is not None:
            changes["history"] = history == "on"
        if tone is not None:
            changes["tone"] = None if tone == "none" else Style(tone)
        if name is not None:
            changes["other_name"] = "" if name.strip() == "-" else name.strip()
        if keep_text is not None:
            if keep_text == "on" and not self.bot.config.can_keep_text:
                await say(
                    send,
                    "I can't keep your text on this server: it has no encryption key set "
                    "(REPAIR_COACH_DATA_KEY), and I never keep stories unencrypted. Nothing "
                    "changed.",
                )
                return
            changes["keep_text"] = keep_text == "on"
        if check_ins is not None:
            changes["check_ins"] = check_ins == "on"
        if locale is not None:
            changes["locale"] = locale.strip()
        if changes:
            current = dataclasses.replace(current, **changes)  # type: ignore[arg-type]
            await self.bot.deps.history.save_settings(user, current)
        await say(send, _describe(current, changed=bool(changes)))

    @app_commands.command(
        name="export", description="Everything I store about you, as a file in your DMs."
    )
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def export(self, interaction: discord.Interaction) -> None:
        private = is_private(interaction)
        await interaction.response.defer(ephemeral=private, thinking=True)
        send = to_followup(interaction, ephemeral=private)
        user_id = interaction.user.id
        stored = await self.bot.deps.history.export(str(user_id))
        document = export_document(stored, bot=await self.bot.deps.store.export(user_id))
        data = json.dumps(document, ensure_ascii=False, indent=2).encode()

        def file() -> discord.File:
            return discord.File(io.BytesIO(data), filename="repair-coach-export.json")

        if not private:
            await send(
                content="Everything I store about you:", file=file(), allowed_mentions=NO_MENTIONS
            )
            return
        try:
            await interaction.user.send(
                "Everything I store about you:", file=file(), allowed_mentions=NO_MENTIONS
            )
        except discord.Forbidden:
            # DMs closed: the file comes here instead, still visible only to them.
            await self.bot.deps.store.set(user_id, "dms_closed")
            await send(
                content=f"{texts.DMS_CLOSED}\nHere it is instead, visible only to you:",
                file=file(),
                allowed_mentions=NO_MENTIONS,
            )
            return
        await say(send, "I sent it to you in a DM.")

    @app_commands.command(name="forget", description="Delete everything I store about you.")
    @app_commands.allowed_contexts(**_EVERYWHERE)
    @app_commands.allowed_installs(guilds=True, users=True)
    async def forget(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "This deletes your history, settings and check-ins for good. Are you sure?",
            view=ForgetConfirm(interaction.user.id),
            ephemeral=is_private(interaction),
            allowed_mentions=NO_MENTIONS,
        )


def _describe(settings: UserSettings, *, changed: bool) -> str:
    def on(value: bool) -> str:
        return "on" if value else "off"

    lines = [
        "Saved. Your settings now:" if changed else "Your settings:",
        f"• history: {on(settings.history)}",
        f"• tone first: {settings.tone.value if settings.tone else 'none (what helps you first)'}",
        f"• name in phrasings: {settings.other_name or '(none: I say “you”)'}",
        f"• keep text (encrypted): {on(settings.keep_text)}",
        f"• check-ins: {on(settings.check_ins)}",
        f"• locale for crisis lines: {settings.locale or '(default)'}",
    ]
    return "\n".join(lines)
