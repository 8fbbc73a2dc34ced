"""DMs: a person's messages are one conversation (`coaching.conversation`); messages sent within
a few seconds of each other are joined into one before the coach reads them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.dm._cog import DirectMessages

if TYPE_CHECKING:
    from bot.client import CoachBot


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(DirectMessages(bot))
