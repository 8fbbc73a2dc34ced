"""The person's own data: `/history` (text and a chart), `/settings`, `/export` (a JSON file by
DM) and `/forget` (a confirmation only they can press). Nobody else, admins included, can
reach any of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.mine._cog import MyData

if TYPE_CHECKING:
    from bot.client import CoachBot


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(MyData(bot))
