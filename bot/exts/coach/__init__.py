"""`/coach` (a modal: what happened, what was said or done, how it felt) and the message menu
**Get repair help** (coach the person about a reply someone sent them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.coach._cog import Coaching

if TYPE_CHECKING:
    from bot.client import CoachBot


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Coaching(bot))
