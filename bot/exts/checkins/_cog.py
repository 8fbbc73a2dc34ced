from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord.ext import commands

from bot import texts
from bot.ports import DueCheckIn
from bot.sending import NO_MENTIONS
from bot.views import check_in_view

if TYPE_CHECKING:
    from bot.client import CoachBot

log = logging.getLogger(__name__)
_BATCH = 20
# A check-in that could not be sent for a passing reason (Discord answering 5xx or 429, the
# network) is tried again this much later, until this long after it was first due.
RETRY_AFTER = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=1)


class CheckInSender(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self._tasks: list[asyncio.Task[None]] = []

    async def cog_load(self) -> None:
        if self.bot._deps is None:  # built only to print its commands
            return
        self._tasks = [
            asyncio.create_task(self._every(self.bot.config.check_in_poll, self.send_due)),
            asyncio.create_task(
                self._every(self.bot.config.purge_every.total_seconds(), self.purge)
            ),
        ]

    async def cog_unload(self) -> None:
        for task in self._tasks:
            task.cancel()

    async def _every(self, seconds: float, job: object) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await job()  # type: ignore[operator]
            except Exception as error:  # a bad round must not end the loop
                log.error("scheduled job failed: %s", type(error).__name__)
                log.debug("scheduled job failure", exc_info=error)
            await asyncio.sleep(seconds)

    async def send_due(self) -> int:
        """Claim the due check-ins (each claimed by one process only) and send them; how many
        were sent. One that cannot be sent now is put back for later; a failure with one never
        stops the others (claimed, they exist only here)."""
        sent = 0
        while True:
            due = await self.bot.deps.store.claim_due(self.bot.deps.clock(), _BATCH)
            for check_in in due:
                try:
                    sent += await self._send(check_in)
                except Exception as error:  # e.g. the database, putting it back: this one is lost
                    log.error("check-in lost: %s", type(error).__name__)
                    log.debug("check-in lost", exc_info=error)
            if len(due) < _BATCH:
                return sent

    async def _send(self, check_in: DueCheckIn) -> int:
        try:
            # One request to open the DM channel (the person may not be in any cache).
            channel = await self.bot.create_dm(discord.Object(id=check_in.discord_user_id))
            await channel.send(
                texts.CHECK_IN, view=check_in_view(check_in.report_id), allowed_mentions=NO_MENTIONS
            )
            return 1
        except discord.Forbidden:
            # DMs closed: skipped; the person is told once, privately, next time they use a
            # command in a server.
            await self.bot.deps.store.set(check_in.discord_user_id, "dms_closed")
        except discord.HTTPException as error:
            if error.status >= 500 or error.status == 429:
                await self._retry_later(check_in, f"HTTP {error.status}")
            else:  # Discord refused it (e.g. the account is gone): trying again would not help
                log.warning("check-in not sent: HTTP %s", error.status)
        except (aiohttp.ClientError, OSError, TimeoutError) as error:
            await self._retry_later(check_in, type(error).__name__)
        return 0

    async def _retry_later(self, check_in: DueCheckIn, reason: str) -> None:
        """Put the check-in back, due in `RETRY_AFTER`, unless it is more than `GIVE_UP_AFTER`
        past its first due time (counted from the report, which retries do not move)."""
        now = self.bot.deps.clock()
        if now > check_in.reported_at + self.bot.config.check_in_after + GIVE_UP_AFTER:
            log.warning("check-in given up: not sent for a day (last failure: %s)", reason)
            return
        log.warning("check-in not sent (%s): trying again later", reason)
        await self.bot.deps.store.schedule(
            check_in.discord_user_id, check_in.report_id, now + RETRY_AFTER
        )

    async def purge(self) -> int:
        """Delete reports past retention (their check-ins go with them)."""
        retention = self.bot.config.retention
        if retention is None:
            return 0
        return await self.bot.deps.history.purge_before(self.bot.deps.clock() - retention)
