"""Sending what `bot.render` produced: to a DM channel or as an interaction's followup, always
with `AllowedMentions.none()` (a story that contains `@everyone` pings nobody), the buttons on
the last message only, ephemeral in servers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot.render import Outgoing

NO_MENTIONS = discord.AllowedMentions.none()

Send = Callable[..., Awaitable[Any]]


def to_channel(channel: discord.abc.Messageable) -> Send:
    return channel.send


def to_followup(interaction: discord.Interaction, *, ephemeral: bool) -> Send:
    async def send(**kwargs: Any) -> Any:
        return await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)

    return send


def is_private(interaction: discord.Interaction) -> bool:
    """Whether replies must be ephemeral: anywhere but the person's DM with the bot."""
    return interaction.guild_id is not None or not isinstance(
        interaction.channel, discord.DMChannel
    )


async def send_all(
    send: Send,
    messages: Sequence[Outgoing],
    *,
    view: discord.ui.View | None = None,
    files: Sequence[discord.File] = (),
) -> None:
    """Every message in order; `view` and `files` ride on the last one."""
    for n, message in enumerate(messages):
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if message.content:
            kwargs["content"] = message.content
        if message.embeds:
            kwargs["embeds"] = list(message.embeds)
        if n == len(messages) - 1:
            if view is not None:
                kwargs["view"] = view
            if files:
                kwargs["files"] = list(files)
        await send(**kwargs)


async def say(send: Send, text: str) -> None:
    """One short plain message."""
    await send(content=text, allowed_mentions=NO_MENTIONS)
