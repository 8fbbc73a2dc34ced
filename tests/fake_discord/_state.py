"""The fake's world: users, guilds, members, channels, messages, files, and snowflake ids.

Plain objects the tests hold and compare by identity; their Discord JSON is built in
_payloads.py. Nothing here does I/O.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits used by the fake itself (https://discord.com/developers/docs/topics/permissions).
ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 51) - 1
# What Discord gives @everyone in a new server: a member given no extra permissions can read,
# write and use commands, but not manage the server.
EVERYONE_DEFAULT = (
    (1 << 0)  # create instant invite
    | (1 << 6)  # add reactions
    | (1 << 10)  # view channel
    | (1 << 11)  # send messages
    | (1 << 14)  # embed links
    | (1 << 15)  # attach files
    | (1 << 16)  # read message history
    | (1 << 18)  # use external emojis
    | (1 << 20)  # connect
    | (1 << 21)  # speak
    | (1 << 26)  # change nickname
    | (1 << 31)  # use application commands
)
# What an app is allowed in its own DM channel (Discord sends this as app_permissions there).
DM_APP_PERMISSIONS = (
    (1 << 6) | (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 18) | (1 << 31)
)


class HasValue(Protocol):
    """discord.Permissions (or anything with an int `.value`)."""

    @property
    def value(self) -> int: ...


def permission_bits(permissions: int | HasValue | None) -> int:
    if permissions is None:
        return 0
    if isinstance(permissions, int):
        return permissions
    return int(permissions.value)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def now() -> datetime:
    return datetime.now(UTC)


class Snowflakes:
    """Discord ids: milliseconds since 2015 in the top bits, so ids sort by creation and
    `snowflake_time()` in discord.py gives a sensible date; a counter keeps them unique."""

    def __init__(self) -> None:
        self._increment = itertools.count()

    def next(self, *, at_ms: int | None = None) -> int:
        stamp = (at_ms if at_ms is not None else int(time.time() * 1000)) - DISCORD_EPOCH_MS
        return (stamp << 22) | (1 << 17) | (next(self._increment) % 4096)

    def for_shard(self, shard_id: int, shard_count: int) -> int:
        """A fresh id whose guild would live on that shard: (id >> 22) % shard_count."""
        stamp = int(time.time() * 1000)
        while ((stamp - DISCORD_EPOCH_MS) % shard_count) != shard_id:
            stamp -= 1
        return self.next(at_ms=stamp)


@dataclass(eq=False)
class FakeUser:
    """A Discord user (a person, or another bot with `bot=True`)."""

    id: int
    name: str
    bot: bool = False
    global_name: str | None = None
    locale: str = "en-US"
    # When True, the bot's POST to this user's DM channel answers 403 / 50007, as Discord does
    # for people who turned off DMs from server members (or blocked the bot).
    dms_closed: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass(eq=False)
class FakeRole:
    id: int
    name: str
    permissions: int
    position: int = 0


@dataclass(eq=False)
class FakeMember:
    user: FakeUser
    guild: FakeGuild
    roles: list[FakeRole] = field(default_factory=list)
    nick: str | None = None
    joined_at: datetime = field(default_factory=now)

    @property
    def permissions(self) -> int:
        """Server-wide permissions, computed as Discord does (owner and administrator: all)."""
        if self.guild.owner_id == self.user.id:
            return ALL_PERMISSIONS
        bits = self.guild.everyone.permissions
        for role in self.roles:
            bits |= role.permissions
        return ALL_PERMISSIONS if bits & ADMINISTRATOR else bits


@dataclass(eq=False)
class FakeChannel:
    """A guild text channel (type 0) or a DM channel between the bot and one user (type 1)."""

    id: int
    type: int
    name: str | None = None
    guild: FakeGuild | None = None
    recipient: FakeUser | None = None
    messages: list[FakeMessage] = field(default_factory=list)
    # Permission bits denied to the bot here (a member overwrite), e.g. send messages:
    # Discord then answers the bot's posts with 403 / 50013 Missing Permissions.
    bot_denied: int = 0

    @property
    def is_dm(self) -> bool:
        return self.type == 1


@dataclass(eq=False)
class FakeGuild:
    id: int
    name: str
    owner_id: int
    everyone: FakeRole
    roles: list[FakeRole] = field(default_factory=list)
    members: dict[int, FakeMember] = field(default_factory=dict)
    channels: list[FakeChannel] = field(default_factory=list)
    locale: str = "en-US"

    def member(self, user: FakeUser) -> FakeMember:
        try:
            return self.members[user.id]
        except KeyError:
            raise LookupError(f"{user.name} is not a member of {self.name}") from None

    def channel(self, name: str | None = None) -> FakeChannel:
        """A text channel by name (the first one when no name is given)."""
        for channel in self.channels:
            if name is None or channel.name == name:
                return channel
        raise LookupError(f"no channel {name!r} in {self.name}")

    def shard_id(self, shard_count: int) -> int:
        return (self.id >> 22) % shard_count


@dataclass(eq=False)
class FakeAttachment:
    """A file on a message: what the bot uploaded (filename and bytes as received), or a file
    a user attached, served back at `url` so the bot can download it."""

    id: int
    filename: str
    data: bytes
    url: str
    content_type: str | None = None
    description: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(eq=False)
class FakeMessage:
    """A message in a channel, as the fake holds it (current state after edits)."""

    id: int
    channel: FakeChannel
    author: FakeUser
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[FakeAttachment] = field(default_factory=list)
    flags: int = 0
    tts: bool = False
    timestamp: datetime = field(default_factory=now)
    edited_timestamp: datetime | None = None
    deleted: bool = False
    # The interaction that created it (a reply, deferral or followup), if any.
    interaction_id: int | None = None
    webhook_id: int | None = None
    reference_id: int | None = None
    # Every JSON body the bot sent for this message: the creation first, then each edit.
    bodies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def loading(self) -> bool:
        """A deferred interaction's "is thinking…" placeholder not yet replaced."""
        return bool(self.flags & 128)

    @property
    def body(self) -> dict[str, Any]:
        """The JSON the bot sent to create it (payload_json for multipart requests)."""
        return self.bodies[0] if self.bodies else {}

    @property
    def files(self) -> dict[str, bytes]:
        """Attached files by filename."""
        return {a.filename: a.data for a in self.attachments}

    def walk_components(self) -> list[dict[str, Any]]:
        """Every component, rows and containers flattened, in order."""
        return list(walk_components(self.components))

    def component(self, custom_id: str) -> dict[str, Any]:
        for component in walk_components(self.components):
            if component.get("custom_id") == custom_id:
                return component
        ids = [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]
        raise LookupError(f"no component {custom_id!r} on message {self.id}; it has {ids}")

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in walk_components(self.components) if "custom_id" in c]


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        # Action rows and containers hold `components`; sections hold an `accessory`; a modal
        # label holds one `component`.
        yield from walk_components(component.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(component.get(key), dict):
                yield from walk_components([component[key]])
