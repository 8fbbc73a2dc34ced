"""`/setup` for server admins (Manage Server): turn the bot on or off in the server, the default
crisis-lines locale, and a channel for a short public guide on using the bot privately. No
admin can ever read members' reports: nothing here reaches them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.setup._cog import ServerSetup

if TYPE_CHECKING:
    from bot.client import CoachBot


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(ServerSetup(bot))
