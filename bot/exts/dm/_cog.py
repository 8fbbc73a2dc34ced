from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot import texts
from bot.flow import admitted, deliver, greet_once
from bot.sending import say, to_channel
from coaching.conversation import turns
from coaching.conversation.registry import ConversationRegistry
from coaching.service import InputError, clean_input

if TYPE_CHECKING:
    from bot.client import CoachBot

log = logging.getLogger(__name__)


@dataclass
class _Pending:
    """Messages waiting for the join window to close."""

    channel: discord.abc.Messageable
    parts: list[str] = field(default_factory=list)
    timer: asyncio.Task[None] | None = None


class DirectMessages(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self._conversations: ConversationRegistry | None = None
        self._pending: dict[int, _Pending] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    @property
    def conversations(self) -> ConversationRegistry:
        if self._conversations is None:
            self._conversations = ConversationRegistry(self.bot.deps.service, time.monotonic)
        return self._conversations

    async def cog_unload(self) -> None:
        for pending in self._pending.values():
            if pending.timer is not None:
                pending.timer.cancel()

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is not None:
            return
        if not isinstance(message.channel, discord.DMChannel):
            return
        log.debug("DM from %s: %r", message.author.id, message.content)
        user_id = message.author.id
        if not message.content.strip():
            await say(to_channel(message.channel), texts.EMPTY_DM)
            return
        pending = self._pending.setdefault(user_id, _Pending(message.channel))
        pending.parts.append(message.content)
        if pending.timer is not None:
            pending.timer.cancel()
        pending.timer = asyncio.create_task(self._after_window(user_id))

    async def _after_window(self, user_id: int) -> None:
        await asyncio.sleep(self.bot.config.dm_join_seconds)
        pending = self._pending.pop(user_id, None)
        if pending is None:
            return
        # One person's turns run in order; their next messages gather meanwhile.
        lock = self._locks.setdefault(user_id, asyncio.Lock())
        async with lock:
            try:
                await self._answer(user_id, pending.channel, "\n".join(pending.parts))
            except Exception as error:
                # The error's type only: its text can quote the story.
                log.error("answering a DM failed: %s", type(error).__name__)
                log.debug("DM failure", exc_info=error)
                await say(to_channel(pending.channel), texts.SOMETHING_WENT_WRONG)
        if user_id not in self._pending and not lock.locked():
            self._locks.pop(user_id, None)  # nothing waiting: one lock per person talking now

    async def _answer(self, user_id: int, channel: discord.abc.Messageable, text: str) -> None:
        send = to_channel(channel)
        await greet_once(self.bot, user_id, send)
        conversation = self.conversations.conversation(str(user_id))
        try:
            message = clean_input(text)
        except InputError as error:
            await say(send, str(error))
            return
        coaching = not conversation.worried and turns.kind(message) is turns.Turn.STORY
        story = "\n".join(p for p in (conversation.story, message) if p)
        if coaching and not await admitted(self.bot, user_id, story, send):
            return
        async with channel.typing():
            try:
                answer = await conversation.turn(text)
            except InputError as error:
                await say(send, str(error))
                return
        await deliver(self.bot, user_id, answer, conversation.story or message, send)

    def forget(self, user_id: int) -> None:
        """Drop the person's current story (after /forget)."""
        self.conversations.conversation(str(user_id)).reset()
