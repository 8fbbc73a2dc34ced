"""What the Discord adapter needs from a database beyond the person's history, as Protocols.

The bot runs as one or several processes (shards) over one database, so whatever must hold
across processes lives behind these ports: the per-person rate limit is counted in the
database, check-ins are claimed there (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two
shards never send the same one), and whether the person has been greeted or told that their
DMs are closed is remembered there. `db/bot_store.py` implements them; the composition root
wires them. Everything here about a person is exported with their history and deleted by
`forget`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from coaching.taxonomy import PatternId

Outcome = Literal["went_well", "still_hard", "not_yet"]
OUTCOMES: tuple[Outcome, ...] = ("went_well", "still_hard", "not_yet")

# A person-level fact the bot remembers once: greeted on first contact; a DM to them failed
# (closed DMs); told, privately in a server, how to open DMs.
Flag = Literal["greeted", "dms_closed", "told_dms_closed"]


@dataclass(frozen=True, slots=True)
class DueCheckIn:
    """A check-in whose time has come, claimed by one process. `discord_user_id` is kept only
    until the check-in is sent or skipped: it is the one place the bot needs to reach a person
    unprompted. `reported_at` is when the report was made: it does not move when a check-in
    that could not be sent is scheduled again, so retries can be bounded by it."""

    report_id: str
    discord_user_id: int
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class GuildSettings:
    guild_id: int
    enabled: bool = True
    locale: str = ""  # default resources locale for members who set none
    guide_channel_id: int | None = None


class CheckIns(Protocol):
    async def schedule(self, discord_user_id: int, report_id: str, due: datetime) -> None:
        """Schedule (or move) the check-in for one report; one per report. Nothing is
        scheduled for a person who turned check-ins off."""
        ...

    async def cancel(self, discord_user_id: int, report_id: str) -> None: ...

    async def claim_due(self, now: datetime, limit: int) -> list[DueCheckIn]:
        """Claim up to `limit` check-ins due at or before `now`; a claimed check-in is never
        returned again, to this process or another, unless `schedule` puts it back."""
        ...

    async def answer(self, discord_user_id: int, report_id: str, outcome: Outcome) -> bool:
        """Record how the conversation went; False when the person has no such report."""
        ...

    async def outcomes(self, discord_user_id: int) -> dict[PatternId, dict[Outcome, int]]:
        """Per pattern (done by the other person), how the conversations after it went."""
        ...


class RateLimits(Protocol):
    async def take(
        self, discord_user_id: int, now: datetime, limit: int, per: timedelta
    ) -> datetime | None:
        """Count one coaching for the person, or refuse: None when it is within `limit` per
        `per` (and counted), else the time when the next one will be allowed (not counted)."""
        ...


class Flags(Protocol):
    async def flags(self, discord_user_id: int) -> frozenset[Flag]:
        """Every flag set for the person (one read for all the once-only checks of a story)."""
        ...

    async def set(self, discord_user_id: int, flag: Flag) -> bool:
        """Set the flag; True when it was not set before (the caller acts once)."""
        ...


class Guilds(Protocol):
    async def guild(self, guild_id: int) -> GuildSettings: ...

    async def save_guild(self, settings: GuildSettings) -> None: ...


class BotState(Protocol):
    """Small deployment-wide values, e.g. the hash of the last application-command payload
    synced, so commands are synced only when they changed."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str) -> None: ...


class PersonData(Protocol):
    """What the bot's own tables hold about a person, for `/export` (the history store exports
    the rest). Deletion needs no method here: these rows belong to the person's profile and go
    with it in the history store's `forget`, in the same transaction."""

    async def export(self, discord_user_id: int) -> dict[str, object]: ...


class BotStore(CheckIns, RateLimits, Flags, Guilds, BotState, PersonData, Protocol):
    """All of the above, as one store (`db.bot_store`)."""
