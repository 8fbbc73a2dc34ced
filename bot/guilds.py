"""Server settings as last read, for a short while.

Every server-side command checks whether the server's admins turned the bot off there, and a
`/coach` does so twice (the command, then the form's submit): a database read each time, for a
value that changes when an admin runs `/setup`. So a server's settings are kept for
`fresh_for` seconds. `/setup` in this process takes effect at once (it saves through here);
another process (a deployment with several) sees it within `fresh_for`.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from bot.ports import Guilds, GuildSettings

FRESH_FOR_S = 30.0
KEPT = 10_000  # servers remembered at most (the least recently asked about go first)


class RecentGuilds:
    def __init__(
        self,
        guilds: Guilds,
        fresh_for: float = FRESH_FOR_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._guilds = guilds
        self._fresh_for = fresh_for
        self._clock = clock
        self._read: OrderedDict[int, tuple[float, GuildSettings]] = OrderedDict()

    async def guild(self, guild_id: int) -> GuildSettings:
        now = self._clock()
        found = self._read.get(guild_id)
        if found is not None and now - found[0] < self._fresh_for:
            self._read.move_to_end(guild_id)
            return found[1]
        settings = await self._guilds.guild(guild_id)
        self._remember(now, settings)
        return settings

    async def save_guild(self, settings: GuildSettings) -> None:
        await self._guilds.save_guild(settings)
        self._remember(self._clock(), settings)

    def _remember(self, at: float, settings: GuildSettings) -> None:
        self._read[settings.guild_id] = (at, settings)
        self._read.move_to_end(settings.guild_id)
        while len(self._read) > KEPT:
            self._read.popitem(last=False)
