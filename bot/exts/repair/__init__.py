"""Quick help: `/repair` (an instant script for one pattern, from the templates), `/patterns` (the
ten patterns and five moments, paged) and `/resources` (crisis and abuse lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.repair._cog import QuickHelp

if TYPE_CHECKING:
    from bot.client import CoachBot


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(QuickHelp(bot))
