"""One story's way through the bot, whichever door it came in by (a DM, the `/coach` modal, the
context menu): greet a first-timer, let the safety screen run before the rate limit, coach,
send, and schedule the check-in. No coaching logic: that is `CoachService`'s."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot import texts
from bot.memory import answer_token
from bot.render import render_answer
from bot.sending import Send, say, send_all
from bot.views import answer_view
from coaching.models import Assessment, Reply
from coaching.service import InputError
from coaching.taxonomy import Safety

if TYPE_CHECKING:
    from bot.client import CoachBot

log = logging.getLogger(__name__)

Turn = Callable[[str], Awaitable[Assessment | Reply]]


async def greet_once(bot: CoachBot, user_id: int, send: Send, *, private: bool = False) -> None:
    """The three lines on first contact: what the bot is, what it keeps, how to delete it.
    `private` (a server's ephemeral replies): first, once, how to open DMs when a DM to the
    person failed (a check-in, an export); a DM could not reach them. One read for both checks:
    for someone already greeted, nothing is written."""
    store = bot.deps.store
    flags = await store.flags(user_id)
    if (
        private
        and "dms_closed" in flags
        and "told_dms_closed" not in flags
        and await store.set(user_id, "told_dms_closed")
    ):
        await say(send, texts.DMS_CLOSED)
    if "greeted" not in flags and await store.set(user_id, "greeted"):
        await say(send, texts.FIRST_CONTACT)


async def admitted(bot: CoachBot, user_id: int, story: str, send: Send) -> bool:
    """Whether to coach now. The safety screen goes first: a story it answers is never held back
    by the limit (the coaching then answers it with resources). Otherwise one coaching is
    counted, or the person is told kindly when to come back."""
    if await bot.deps.service.safety_first(story) is not None:
        return True
    now = bot.deps.clock()
    config = bot.config
    until = await bot.deps.store.take(user_id, now, config.rate_limit, config.rate_window)
    if until is None:
        return True
    await say(send, texts.rate_limited(until, now))
    return False


async def deliver(
    bot: CoachBot, user_id: int, answer: Assessment | Reply, story: str, send: Send
) -> None:
    """Send an answer, with its buttons when it coaches; remember it for the buttons; schedule
    the check-in when the person wants them and the answer was a repair script."""
    if isinstance(answer, Reply):
        await send_all(send, render_answer(answer))
        return
    if answer.notice:
        answer = answer.model_copy(update={"notice": texts.RECORDING_NOTICE})
    token = answer_token(answer)
    bot.deps.memory.put(user_id, token, answer, story)
    coaching = answer.safety is Safety.NONE and bool(answer.phrasings)
    view = answer_view(token) if coaching else None
    # Scheduled before sending, so whatever the person does next finds it in place.
    if coaching and not answer.safety_check and answer.rupture and answer.report_id:
        await _schedule_check_in(bot, user_id, answer.report_id)
    await send_all(send, render_answer(answer), view=view)


async def _schedule_check_in(bot: CoachBot, user_id: int, report_id: str) -> None:
    # The store schedules nothing for a person who turned check-ins off.
    due = bot.deps.clock() + bot.config.check_in_after
    await bot.deps.store.schedule(user_id, report_id, due)


async def coach_story(
    bot: CoachBot, user: discord.abc.User, story: str, send: Send, *, private: bool = False
) -> None:
    """A whole story told at once (the modal, the context menu): one report. `private`: the
    replies are ephemeral in a server."""
    await greet_once(bot, user.id, send, private=private)
    if not await admitted(bot, user.id, story, send):
        return
    try:
        answer = await bot.deps.service.coach(str(user.id), story)
    except InputError as error:  # empty, or over the limit: said plainly, nothing lost
        await say(send, str(error))
        return
    await deliver(bot, user.id, answer, story, send)
