"""bot/guilds.py: a server's settings kept for a short while, and saved through at once."""

from __future__ import annotations

from bot.guilds import RecentGuilds
from bot.ports import GuildSettings


class CountingGuilds:
    """The Guilds port in memory, counting reads."""

    def __init__(self) -> None:
        self.saved: dict[int, GuildSettings] = {}
        self.reads = 0

    async def guild(self, guild_id: int) -> GuildSettings:
        self.reads += 1
        return self.saved.get(guild_id, GuildSettings(guild_id))

    async def save_guild(self, settings: GuildSettings) -> None:
        self.saved[settings.guild_id] = settings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_settings_are_read_once_while_fresh_then_again() -> None:
    store, clock = CountingGuilds(), Clock()
    guilds = RecentGuilds(store, fresh_for=30.0, clock=clock)
    assert (await guilds.guild(1)).enabled
    assert (await guilds.guild(1)).enabled
    assert store.reads == 1
    store.saved[1] = GuildSettings(1, enabled=False)  # another process's /setup
    clock.now += 29.0
    assert (await guilds.guild(1)).enabled
    clock.now += 1.0
    assert not (await guilds.guild(1)).enabled
    assert store.reads == 2


async def test_a_save_here_takes_effect_at_once() -> None:
    store, clock = CountingGuilds(), Clock()
    guilds = RecentGuilds(store, clock=clock)
    assert (await guilds.guild(7)).enabled
    await guilds.save_guild(GuildSettings(7, enabled=False, locale="de-DE"))
    assert await guilds.guild(7) == GuildSettings(7, enabled=False, locale="de-DE")
    assert store.saved[7].locale == "de-DE"
    assert store.reads == 1


async def test_each_server_is_kept_apart() -> None:
    store = CountingGuilds()
    store.saved[2] = GuildSettings(2, enabled=False)
    guilds = RecentGuilds(store, clock=Clock())
    assert (await guilds.guild(1)).enabled
    assert not (await guilds.guild(2)).enabled
    assert store.reads == 2
