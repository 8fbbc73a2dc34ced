"""Check-ins ("How did the conversation go?") a while after a report, and the daily purge of
reports past retention. Both are scheduled from the database: a restart loses no check-in, and
with several processes each check-in is claimed by exactly one (bot/ports.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.checkins._cog import CheckInSender

if TYPE_CHECKING:
    from bot.client import CoachBot


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(CheckInSender(bot))
