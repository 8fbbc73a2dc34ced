"""FakeDiscord: the server (HTTP API + gateway on one 127.0.0.1 port), the world it serves,
and the test-facing API that plays the users (DMs, slash commands, autocomplete, context
menus, buttons, modals) and reads back what the bot did."""

# The waits take `timeout=` (ASYNC109): a test reads `await handle.responses(timeout=5)` better
# than a wrapping asyncio.timeout(), and on expiry the fake's AssertionError names what was
# awaited and the last requests, which a bare TimeoutError would not.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import copy
import mimetypes
import re
import secrets
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import TYPE_CHECKING, Any, TypeVar

import yarl
from aiohttp import web

from . import _payloads
from ._commands import (
    CHAT_INPUT,
    MESSAGE_COMMAND,
    USER_COMMAND,
    CommandError,
    CommandStore,
    OptionBuilder,
)
from ._gateway import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    PRIVILEGED_INTENTS,
    Gateway,
    GatewaySession,
)
from ._http import HttpApi, HttpError, RecordedRequest, SpecViolation
from ._interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionHandle,
)
from ._spec import Spec, load_spec
from ._state import (
    ALL_PERMISSIONS,
    DM_APP_PERMISSIONS,
    EVERYONE_DEFAULT,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
    HasValue,
    Snowflakes,
    now,
    permission_bits,
    walk_components,
)

if TYPE_CHECKING:
    import discord

T = TypeVar("T")

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
# What a typical invite gives the bot in a server: read, write, embed, attach, commands.
BOT_DEFAULT_PERMISSIONS = EVERYONE_DEFAULT
_MENTION = re.compile(r"<@!?(\d+)>")
_SELECTS = (3, 5, 6, 7, 8)


class FakeDiscord:
    """A local Discord for one test. Start it (`async with FakeDiscord() as fake`, or the
    `fake_discord` fixture), point discord.py at it (`patch_discord()`; the fixture does it),
    build users and guilds, run a bot (`async with fake.running(bot)`), drive it and read what
    it sent."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_name: str = "Repair Coach",
        heartbeat_interval_ms: int = 41_250,
        interaction_deadline: float | None = 3.0,
        privileged_intents: int = PRIVILEGED_INTENTS,
        recommended_shards: int = 1,
        validate_responses: bool = True,
    ) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        # Seconds within which the first callback must come (Discord: 3); None: no limit.
        self.interaction_deadline = interaction_deadline
        # Privileged intents "enabled in the developer portal"; IDENTIFY asking for others is
        # closed with 4014 as on Discord.
        self.privileged_intents = privileged_intents
        # `shards` of GET /gateway/bot (what AutoShardedBot uses without shard_count).
        self.recommended_shards = recommended_shards
        # Check the fake's own HTTP answers against the description's response schemas.
        self.validate_responses = validate_responses
        # When True, GET /users/@me and IDENTIFY reject the token (401 / close 4004).
        self.reject_token = False
        # The fixture fails the test at teardown on unhandled routes or spec violations.
        self.strict = True

        self.ids = Snowflakes()
        self.bot_user = FakeUser(self.ids.next(), bot_name, bot=True)
        # A modern application's id is its bot user's id.
        self.application_id = self.bot_user.id
        self.owner = FakeUser(self.ids.next(), "app-owner")
        self.guilds: list[FakeGuild] = []
        self.command_store = CommandStore(self.ids, self.application_id)
        self.interactions: dict[int, InteractionHandle] = {}

        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.spec_violations: list[SpecViolation] = []
        self.response_violations: list[SpecViolation] = []
        # Exceptions inside the fake's handlers (its bugs, or bodies it cannot digest).
        self.internal_errors: list[str] = []

        self.spec: Spec = load_spec()
        self.gateway = Gateway(self)
        self.http = HttpApi(self)

        self._users: dict[int, FakeUser] = {u.id: u for u in (self.bot_user, self.owner)}
        self._channels: dict[int, FakeChannel] = {}
        self._dm_channels: dict[int, FakeChannel] = {}
        self._by_token: dict[str, InteractionHandle] = {}
        self._open_modals: dict[tuple[int, str], InteractionHandle] = {}
        self._attachments: dict[str, FakeAttachment] = {}
        self._request_attachments: dict[int, list[FakeAttachment]] = {}
        self._rate_limits: dict[tuple[str, str], list[float]] = {}
        self._failures: dict[tuple[str, str], list[int | None]] = {}
        self._changed: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- server -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.http.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        address = self._runner.addresses[0]
        self.port = int(address[1])

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What discord.http.Route.BASE must be."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    @contextmanager
    def patch_discord(self) -> Iterator[None]:
        """Point discord.py (REST, interaction webhooks and gateway) at this fake, and back."""
        import discord.gateway
        import discord.http

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    @asynccontextmanager
    async def running(
        self, bot: discord.Client, *, timeout: float = 10.0
    ) -> AsyncIterator[discord.Client]:
        """Log the bot in, connect it, wait for on_ready (all shards), and close it after.
        A rejected token raises discord.LoginFailure from here."""
        import discord.http

        if discord.http.Route.BASE != self.api_base:
            raise AssertionError("discord.py is not pointed at this fake: use fake.patch_discord()")
        try:
            await bot.login(self.token)
        except BaseException:
            await bot.close()
            raise
        connecting = asyncio.create_task(bot.connect(), name="fake-discord-bot")
        ready = asyncio.create_task(bot.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {connecting, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if connecting in done:
                connecting.result()
                raise AssertionError("the bot's connection ended before it was ready")
            if not done:
                raise AssertionError(f"the bot was not ready within {timeout} s")
            yield bot
        finally:
            ready.cancel()
            await bot.close()
            with suppress(asyncio.CancelledError):
                await asyncio.wait_for(connecting, timeout=5.0)

    # -- the world --------------------------------------------------------------------------

    def create_user(
        self,
        name: str,
        *,
        bot: bool = False,
        dms_closed: bool = False,
        locale: str = "en-US",
        global_name: str | None = None,
    ) -> FakeUser:
        """A user (a person, or another bot with bot=True); dms_closed: the bot's DMs to them
        answer 403 / 50007."""
        user = FakeUser(
            self.ids.next(),
            name,
            bot=bot,
            dms_closed=dms_closed,
            locale=locale,
            global_name=global_name,
        )
        self._users[user.id] = user
        return user

    async def create_guild(
        self,
        name: str,
        *,
        members: Mapping[FakeUser, int | HasValue | None] | Iterable[FakeUser] = (),
        channels: Sequence[str] = ("general",),
        owner: FakeUser | None = None,
        bot_permissions: int | HasValue = BOT_DEFAULT_PERMISSIONS,
        on_shard: tuple[int, int] | None = None,
        locale: str = "en-US",
    ) -> FakeGuild:
        """A server with the bot in it. `members` maps each user to the permissions they get on
        top of @everyone's defaults (e.g. discord.Permissions(manage_guild=True)), through one
        role per distinct set. `on_shard=(shard_id, shard_count)` picks an id on that shard.
        If the bot is connected, its shard gets GUILD_CREATE now."""
        guild_id = self.ids.for_shard(*on_shard) if on_shard else self.ids.next()
        owner = owner or self.create_user(f"{name}-owner")
        everyone = FakeRole(guild_id, "@everyone", EVERYONE_DEFAULT)
        guild = FakeGuild(guild_id, name, owner.id, everyone, locale=locale)
        wanted: dict[FakeUser, int] = {owner: 0, self.bot_user: permission_bits(bot_permissions)}
        if isinstance(members, Mapping):
            wanted.update({u: permission_bits(p) for u, p in members.items()})
        else:
            wanted.update({u: 0 for u in members})
        roles: dict[int, FakeRole] = {}
        for user, bits in wanted.items():
            extra = bits & ~EVERYONE_DEFAULT
            member_roles = []
            if extra:
                if extra not in roles:
                    roles[extra] = FakeRole(
                        self.ids.next(), f"role-{len(roles) + 1}", extra, len(roles) + 1
                    )
                member_roles.append(roles[extra])
            guild.members[user.id] = FakeMember(user, guild, member_roles)
            self._users.setdefault(user.id, user)
        guild.roles = list(roles.values())
        for channel_name in channels:
            channel = FakeChannel(self.ids.next(), 0, channel_name, guild=guild)
            guild.channels.append(channel)
            self._channels[channel.id] = channel
        self.guilds.append(guild)
        for session in self.gateway.sessions:
            if session.connected and guild.shard_id(session.shard_count) == session.shard_id:
                await self.gateway.send_guild_create(session, guild)
        self._notify()
        return guild

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and this user (created on first use, as Discord)."""
        channel = self._dm_channels.get(user.id)
        if channel is None:
            channel = FakeChannel(self.ids.next(), 1, None, recipient=user)
            self._dm_channels[user.id] = channel
            self._channels[channel.id] = channel
        return channel

    def deny_bot(self, channel: FakeChannel, permissions: int | HasValue) -> None:
        """Deny the bot these permissions in a guild channel (a member overwrite): without
        Send Messages its posts there answer 403 / 50013, as on Discord."""
        channel.bot_denied |= permission_bits(permissions)

    # -- driving the bot --------------------------------------------------------------------

    async def dm(
        self, user: FakeUser, content: str = "", *, files: Mapping[str, bytes] | None = None
    ) -> FakeMessage:
        """`user` writes to the bot in DMs (MESSAGE_CREATE on shard 0, no guild_id); a user
        created with bot=True is another bot writing."""
        return await self.send(user, self.dm_channel(user), content, files=files)

    async def send(
        self,
        user: FakeUser,
        channel: FakeChannel,
        content: str = "",
        *,
        files: Mapping[str, bytes] | None = None,
    ) -> FakeMessage:
        """`user` posts in a channel (a guild text channel or their DM with the bot)."""
        if channel.guild is not None:
            channel.guild.member(user)
        message = FakeMessage(self.ids.next(), channel, user, content)
        for filename, data in (files or {}).items():
            message.attachments.append(self._new_attachment(channel.id, filename, data))
        channel.messages.append(message)
        await self._announce(message, "MESSAGE_CREATE", required=True)
        return message

    async def slash(
        self,
        user: FakeUser,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
    ) -> InteractionHandle:
        """`user` runs /name (subcommands: "group sub") with option values by name (users,
        channels, roles as fake objects; attachments as (filename, bytes)), in DMs unless a
        guild is given. Typed by the command as the bot registered it."""
        words = name.split()
        command, scope = self.command_store.find(words[0], CHAT_INPUT, guild)
        self._check_available(command, user, guild)
        builder = OptionBuilder(self.ids, guild, self._resolved_attachment)
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": CHAT_INPUT}
        built = builder.build(command.get("options") or [], words[1:], options or {})
        if built:
            data["options"] = built
        if builder.resolved:
            data["resolved"] = builder.resolved
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._interact(
            APPLICATION_COMMAND, user, guild, channel, data, command=command
        )

    async def autocomplete(
        self,
        user: FakeUser,
        name: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
    ) -> InteractionHandle:
        """`user` is typing in option `focused` of /name (its value: the text so far);
        the bot's choices are in `handle.choices` once it answered."""
        words = name.split()
        command, scope = self.command_store.find(words[0], CHAT_INPUT, guild)
        self._check_available(command, user, guild)
        builder = OptionBuilder(self.ids, guild, self._resolved_attachment)
        data: dict[str, Any] = {
            "id": command["id"],
            "name": command["name"],
            "type": CHAT_INPUT,
            "options": builder.build(
                command.get("options") or [], words[1:], options, focused=focused
            ),
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._interact(AUTOCOMPLETE, user, guild, channel, data, command=command)

    async def context_menu(
        self,
        user: FakeUser,
        name: str,
        target: FakeMessage | FakeUser,
        *,
        guild: FakeGuild | None = None,
        channel: FakeChannel | None = None,
    ) -> InteractionHandle:
        """`user` picks Apps → name on a message (data.type 3) or a user (data.type 2)."""
        if isinstance(target, FakeMessage):
            kind = MESSAGE_COMMAND
            guild = guild or target.channel.guild
            channel = channel or target.channel
            resolved: dict[str, Any] = {"messages": {str(target.id): self._message_payload(target)}}
        else:
            kind = USER_COMMAND
            resolved = {"users": {str(target.id): _payloads.user(target)}}
            if guild is not None and target.id in guild.members:
                resolved["members"] = {
                    str(target.id): _payloads.member(guild.members[target.id], with_user=False)
                }
        command, scope = self.command_store.find(name, kind, guild)
        self._check_available(command, user, guild)
        data: dict[str, Any] = {
            "id": command["id"],
            "name": command["name"],
            "type": kind,
            "target_id": str(target.id),
            "resolved": resolved,
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        return await self._interact(
            APPLICATION_COMMAND, user, guild, channel, data, command=command
        )

    async def press(
        self,
        user: FakeUser,
        message: FakeMessage,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
    ) -> InteractionHandle:
        """`user` clicks the button (or picks `values` in the string select) `custom_id` on a
        message, as it is now (after edits)."""
        if message.deleted:
            raise CommandError(f"message {message.id} was deleted")
        component = message.component(custom_id)
        if component.get("disabled"):
            raise CommandError(f"component {custom_id!r} is disabled")
        if message.ephemeral and message.interaction_id is not None:
            owner = self.interactions[message.interaction_id].user
            if owner is not user:
                raise CommandError(f"only {owner.name} sees this ephemeral message")
        kind = int(component["type"])
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if "id" in component:
            data["id"] = component["id"]
        if kind == 2:
            if values is not None:
                raise CommandError("a button takes no values")
        elif kind == 3:
            picked = list(values or [])
            offered = [o["value"] for o in component.get("options", [])]
            low, high = component.get("min_values", 1), component.get("max_values", 1)
            if not set(picked) <= set(offered) or not low <= len(picked) <= high:
                raise CommandError(f"values {picked} not allowed: options {offered}, {low}-{high}")
            data["values"] = picked
        else:
            raise CommandError(f"component type {kind} is not supported by press()")
        return await self._interact(
            MESSAGE_COMPONENT, user, message.channel.guild, message.channel, data, source=message
        )

    async def submit_modal(
        self, user: FakeUser, custom_id: str, values: Mapping[str, str | Sequence[str]]
    ) -> InteractionHandle:
        """`user` submits the modal the bot opened for them with this custom_id, filling its
        inputs by their custom_id (text inputs: str; selects: list of values)."""
        opener = self._open_modals.pop((user.id, custom_id), None)
        if opener is None:
            shown = [cid for (uid, cid) in self._open_modals if uid == user.id]
            raise CommandError(
                f"the bot opened no modal {custom_id!r} for {user.name}; open: {shown}"
            )
        modal = opener.modal or {}
        counter = iter(range(1, 1000))
        unused = set(values)
        components = _submitted(modal.get("components") or [], values, unused, counter)
        if unused:
            raise CommandError(f"the modal has no inputs {sorted(unused)}")
        data = {"custom_id": custom_id, "components": components}
        return await self._interact(
            MODAL_SUBMIT,
            user,
            opener.guild,
            opener.channel,
            data,
            source=opener.source_message,
            opener=opener,
        )

    async def dispatch(
        self, event: str, data: Any, *, guild: FakeGuild | None = None, shard_id: int = 0
    ) -> GatewaySession:
        """Send any gateway event to the session owning `guild` (else `shard_id`)."""
        session = self.gateway.session_for_shard(shard_id, guild)
        await session.dispatch(event, data)
        return session

    # -- reading what the bot did -----------------------------------------------------------

    @property
    def sessions(self) -> list[GatewaySession]:
        return list(self.gateway.sessions)

    def messages_in(
        self, where: FakeChannel | FakeUser, *, by_bot: bool = True, deleted: bool = False
    ) -> list[FakeMessage]:
        """Messages in a channel (a user: their DM with the bot), the bot's only by default."""
        channel = self.dm_channel(where) if isinstance(where, FakeUser) else where
        return [
            m
            for m in channel.messages
            if (deleted or not m.deleted) and (not by_bot or m.author is self.bot_user)
        ]

    async def wait_for_messages(
        self, where: FakeChannel | FakeUser, count: int = 1, *, timeout: float = 5.0
    ) -> list[FakeMessage]:
        """The bot's messages there, once there are at least `count`."""
        return await self.wait_for(
            lambda: found if len(found := self.messages_in(where)) >= count else None,
            timeout=timeout,
            what=f"{count} bot message(s) in {_describe(where)}",
        )

    def commands(self, guild: FakeGuild | None = None) -> list[dict[str, Any]]:
        """The commands the bot registered, global or for a guild (as Discord stores them)."""
        return self.command_store.get(None if guild is None else guild.id)

    def requests_to(self, method: str, route: str) -> list[RecordedRequest]:
        """Recorded requests by method and OpenAPI path template, e.g.
        ("POST", "/channels/{channel_id}/messages")."""
        return [r for r in self.requests if r.method == method and r.route == route]

    async def wait_for_sessions(
        self, count: int = 1, *, timeout: float = 5.0
    ) -> list[GatewaySession]:
        """The connected gateway sessions, once there are at least `count`."""
        return await self.wait_for(
            lambda: live if len(live := self.gateway.live_sessions()) >= count else None,
            timeout=timeout,
            what=f"{count} gateway session(s)",
        )

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        *,
        timeout: float = 5.0,
        what: str | Callable[[], str] = "condition",
    ) -> T:
        """Wait until predicate() is truthy and return it. It is checked on every request,
        gateway message and state change of the fake (and every 50 ms, for bot-side state);
        on timeout an AssertionError names what was awaited and the last requests."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                label = what() if callable(what) else what
                recent = "\n  ".join(str(r) for r in self.requests[-8:]) or "(none)"
                raise AssertionError(
                    f"timed out after {timeout} s waiting for {label}; last requests:\n  {recent}"
                )
            if self._changed is None:
                self._changed = asyncio.Event()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    def problems(self) -> list[str]:
        """Unhandled routes, spec violations of the bot's bodies and of the fake's answers,
        and exceptions inside the fake."""
        return (
            [f"unhandled route: {r}" for r in self.unhandled]
            + [f"spec violation: {v}" for v in self.spec_violations]
            + [f"fake's own answer off-spec: {v}" for v in self.response_violations]
            + [f"fake failed: {e}" for e in self.internal_errors]
        )

    def assert_clean(self) -> None:
        """No unhandled route, no body off the OpenAPI description (bot's or fake's)."""
        problems = self.problems()
        if problems:
            raise AssertionError("fake Discord saw problems:\n" + "\n".join(problems))

    def rate_limit(
        self, method: str, route: str, *, retry_after: float = 0.05, times: int = 1
    ) -> None:
        """Answer the next `times` requests to (method, path template) with 429."""
        self._rate_limits[(method.upper(), route)] = [retry_after] * times

    def fail(self, method: str, route: str, *, status: int | None = 503, times: int = 1) -> None:
        """Answer the next `times` requests to (method, path template) with `status`, in
        Discord's error shape, as an outage would (they are still recorded and their bodies
        validated); `status=None` drops the connection instead of answering. discord.py tries
        a 500, 502, 504 or 524 five times itself; a 503 it raises at once."""
        if status is not None and not 400 <= status <= 599:
            raise ValueError("a failure is a 4xx or 5xx status, or None to drop the connection")
        self._failures[(method.upper(), route)] = [status] * times

    # -- internals used by the HTTP API and the gateway -------------------------------------

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    def _loop_time(self) -> float:
        return asyncio.get_running_loop().time()

    def _guild(self, guild_id: int) -> FakeGuild | None:
        return next((g for g in self.guilds if g.id == guild_id), None)

    def _take_rate_limit(self, method: str, route: str) -> float | None:
        pending = self._rate_limits.get((method, route))
        return pending.pop() if pending else None

    def _take_failure(self, method: str, route: str) -> tuple[bool, int | None]:
        """(whether the request fails, with which status or None to drop the connection)."""
        pending = self._failures.get((method, route))
        return (True, pending.pop()) if pending else (False, None)

    def _new_attachment(
        self,
        channel_id: int,
        filename: str,
        data: bytes,
        description: str | None = None,
    ) -> FakeAttachment:
        attachment_id = self.ids.next()
        path = f"/attachments/{channel_id}/{attachment_id}/{filename}"
        content_type = mimetypes.guess_type(filename)[0]
        attachment = FakeAttachment(
            attachment_id, filename, data, self.base_url + path, content_type, description
        )
        self._attachments[path] = attachment
        return attachment

    def _resolved_attachment(self, filename: str, data: bytes) -> FakeAttachment:
        # Slash-command attachments live in an ephemeral upload channel (id 0 in the URL).
        return self._new_attachment(0, filename, data)

    def _new_attachments(self, record: RecordedRequest) -> list[FakeAttachment]:
        return self._request_attachments.get(id(record), [])

    def _attach(
        self,
        channel: FakeChannel,
        record: RecordedRequest,
        body: Mapping[str, Any],
        existing: list[FakeAttachment],
    ) -> list[FakeAttachment]:
        """The attachments after a create/edit: kept ones by id, new ones from files[n]."""
        parts = {p.name: p for p in record.files}
        entries = body.get("attachments")
        new: list[FakeAttachment] = []
        if entries is None:
            kept = list(existing)
            for upload in record.files:
                new.append(
                    self._new_attachment(channel.id, upload.filename or upload.name, upload.data)
                )
        else:
            kept = []
            for entry in entries:
                old = next((a for a in existing if str(a.id) == str(entry.get("id"))), None)
                if old is not None:
                    kept.append(old)
                    continue
                part = parts.get(f"files[{entry.get('id')}]")
                if part is None:
                    raise HttpError(400, "Invalid Form Body: attachment without a file", 50035)
                new.append(
                    self._new_attachment(
                        channel.id,
                        str(entry.get("filename") or part.filename),
                        part.data,
                        entry.get("description"),
                    )
                )
        self._request_attachments.setdefault(id(record), []).extend(new)
        return kept + new

    def _bot_message(
        self,
        channel: FakeChannel,
        record: RecordedRequest,
        *,
        allowed_flags: int,
        interaction: InteractionHandle | None = None,
        loading: bool = False,
        body: Mapping[str, Any] | None = None,
    ) -> FakeMessage:
        body = dict(record.json or {}) if body is None else dict(body)
        flags = int(body.get("flags") or 0)
        if flags & ~allowed_flags:
            raise HttpError(400, f"Invalid Form Body: flags {flags} not allowed here", 50035)
        message = FakeMessage(
            self.ids.next(),
            channel,
            self.bot_user,
            flags=(flags & 64) | 128 if loading else flags,
            interaction_id=None if interaction is None else interaction.id,
            webhook_id=None if interaction is None else self.application_id,
        )
        if not loading:
            message.content = str(body.get("content") or "")
            message.embeds = _embeds(body.get("embeds") or [])
            message.components = _components(body.get("components") or [])
            message.tts = bool(body.get("tts", False))
            message.attachments = self._attach(channel, record, body, [])
            reference = body.get("message_reference") or {}
            if reference.get("message_id"):
                message.reference_id = int(reference["message_id"])
            if not (message.content or message.embeds or message.components or message.attachments):
                raise HttpError(400, "Cannot send an empty message", 50006)
        message.bodies.append(body)
        channel.messages.append(message)
        return message

    def _edit_message(
        self,
        message: FakeMessage,
        record: RecordedRequest,
        *,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        body = dict(record.json or {}) if body is None else dict(body)
        was_loading = message.loading
        if "content" in body:
            message.content = str(body["content"] or "")
        if "embeds" in body:
            message.embeds = _embeds(body["embeds"] or [])
        if "components" in body:
            message.components = _components(body["components"] or [])
        if "attachments" in body or record.files:
            message.attachments = self._attach(message.channel, record, body, message.attachments)
        if "flags" in body:
            # Ephemerality is fixed at creation; suppress-embeds and components-v2 may change.
            message.flags = (message.flags & 64) | (int(body["flags"] or 0) & (4 | 32768))
        message.flags &= ~128
        if not was_loading:
            message.edited_timestamp = now()
        message.bodies.append(body)

    def _message_payload(self, message: FakeMessage) -> dict[str, Any]:
        handle = self.interactions.get(message.interaction_id or 0)
        metadata = None if handle is None else self._interaction_metadata(handle, message)
        payload = _payloads.message(
            message,
            application_id=self.application_id if message.webhook_id else None,
            interaction_metadata=metadata,
        )
        mentioned = [
            self._users[int(i)] for i in _MENTION.findall(message.content) if int(i) in self._users
        ]
        payload["mentions"] = [_payloads.user(u) for u in mentioned]
        return payload

    def _interaction_metadata(
        self, handle: InteractionHandle, message: FakeMessage | None = None
    ) -> dict[str, Any]:
        """A message's `interaction_metadata`: which interaction made it, and for a modal
        submit, the interaction that opened the modal."""
        metadata: dict[str, Any] = {
            "id": str(handle.id),
            "type": handle.type,
            "user": _payloads.user(handle.user),
            "authorizing_integration_owners": handle.payload["authorizing_integration_owners"],
        }
        if handle.original is not None and handle.original is not message:
            metadata["original_response_message_id"] = str(handle.original.id)
        data = handle.payload.get("data") or {}
        if handle.type == APPLICATION_COMMAND and data.get("type") == MESSAGE_COMMAND:
            metadata["target_message_id"] = data["target_id"]
        elif handle.type == APPLICATION_COMMAND and data.get("type") == USER_COMMAND:
            metadata["target_user"] = data["resolved"]["users"][data["target_id"]]
        elif handle.type == MESSAGE_COMPONENT and handle.source_message is not None:
            metadata["interacted_message_id"] = str(handle.source_message.id)
        elif handle.type == MODAL_SUBMIT and handle.opener is not None:
            metadata["triggering_interaction_metadata"] = self._interaction_metadata(handle.opener)
        return metadata

    async def _announce(self, message: FakeMessage, event: str, *, required: bool = False) -> None:
        """The gateway event for a message change, to the shard that owns it, if its intents
        ask for it (a test's own message with no session to receive it is an error)."""
        if message.ephemeral:
            return
        guild = message.channel.guild
        try:
            session = self.gateway.session_for_shard(0, guild)
        except AssertionError:
            if required:
                raise
            return
        intent = INTENT_GUILD_MESSAGES if guild is not None else INTENT_DIRECT_MESSAGES
        if not session.has_intent(intent):
            return
        if event == "MESSAGE_DELETE":
            data: dict[str, Any] = {"id": str(message.id), "channel_id": str(message.channel.id)}
        else:
            data = self._message_payload(message)
            if (
                guild is not None
                and not session.has_intent(INTENT_MESSAGE_CONTENT)
                and message.author is not self.bot_user
                and self.bot_user.mention not in message.content
            ):
                # Without the message content intent Discord blanks guild messages that do not
                # mention the bot.
                data.update(content="", embeds=[], attachments=[], components=[])
        if guild is not None:
            data["guild_id"] = str(guild.id)
            if event != "MESSAGE_DELETE" and message.author.id in guild.members:
                data["member"] = _payloads.member(guild.members[message.author.id], with_user=False)
        await session.dispatch(event, data)

    def _check_available(
        self, command: Mapping[str, Any], user: FakeUser, guild: FakeGuild | None
    ) -> None:
        """What the Discord client offers: a command in this context, for this member."""
        contexts = command.get("contexts")
        if guild is None:
            if "guild_id" in command:
                raise CommandError(f"{command['name']!r} is a guild command, not usable in DMs")
            if command.get("dm_permission") is False or (
                contexts is not None and 1 not in contexts
            ):
                raise CommandError(f"{command['name']!r} is not available in DMs")
            return
        if contexts is not None and 0 not in contexts:
            raise CommandError(f"{command['name']!r} is not available in servers")
        member = guild.member(user)
        needed = command.get("default_member_permissions")
        # "0" hides the command from everyone but administrators (who have every bit).
        wanted = None if needed is None else int(needed) or ALL_PERMISSIONS
        if wanted is not None and (wanted & member.permissions) != wanted:
            raise CommandError(
                f"{user.name} lacks the permissions {needed} that {command['name']!r} requires; "
                "Discord hides the command from them"
            )

    async def _interact(
        self,
        kind: int,
        user: FakeUser,
        guild: FakeGuild | None,
        channel: FakeChannel | None,
        data: dict[str, Any],
        *,
        source: FakeMessage | None = None,
        command: Mapping[str, Any] | None = None,
        opener: InteractionHandle | None = None,
    ) -> InteractionHandle:
        member = guild.member(user) if guild is not None else None
        if channel is None:
            channel = guild.channel() if guild is not None else self.dm_channel(user)
        interaction_id = self.ids.next()
        token = "aW50ZXJhY3Rpb24." + secrets.token_urlsafe(48)
        channel_payload = _payloads.channel(channel, bot_id=self.bot_user.id)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel": channel_payload,
            "channel_id": str(channel.id),
            "token": token,
            "version": 1,
            "locale": user.locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        integration_types = (command or {}).get("integration_types") or [0]
        if guild is not None and member is not None:
            bot_member = guild.member(self.bot_user)
            channel_payload["permissions"] = str(member.permissions)
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.locale, "features": []},
                guild_locale=guild.locale,
                member=_payloads.member(member, permissions=True),
                app_permissions=str(bot_member.permissions & ~channel.bot_denied),
                context=0,
                authorizing_integration_owners={"0": str(guild.id)},
            )
        else:
            owners = {"1": str(user.id)} if 1 in integration_types else {"0": "0"}
            payload.update(
                user=_payloads.user(user),
                app_permissions=str(DM_APP_PERMISSIONS),
                context=1,
                authorizing_integration_owners=owners,
            )
        if source is not None:
            payload["message"] = self._message_payload(source)
        session = self.gateway.session_for_shard(0, guild)
        handle = InteractionHandle(
            fake=self,
            id=interaction_id,
            token=token,
            type=kind,
            user=user,
            guild=guild,
            channel=channel,
            member=member,
            payload=payload,
            dispatched_at=self._loop_time(),
            source_message=source,
            opener=opener,
        )
        self.interactions[interaction_id] = handle
        self._by_token[token] = handle
        await session.dispatch("INTERACTION_CREATE", copy.deepcopy(payload))
        self._notify()
        return handle


def _describe(where: FakeChannel | FakeUser) -> str:
    if isinstance(where, FakeUser):
        return f"the DM with {where.name}"
    return f"#{where.name}" if where.name else f"DM channel {where.id}"


def _embeds(embeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Discord answers every embed the bot sends with its type ("rich").
    return [{"type": "rich", **copy.deepcopy(e)} for e in embeds]


def _components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Discord numbers every component (`id`, an int32 unique in the message) when the bot
    # leaves it out; discord.py reads it back and sends it in component interactions.
    out = copy.deepcopy(components)
    used = {c["id"] for c in walk_components(out) if isinstance(c.get("id"), int)}
    counter = 0
    for component in walk_components(out):
        if "id" not in component or component["id"] is None:
            counter += 1
            while counter in used:
                counter += 1
            component["id"] = counter
            used.add(counter)
    return out


def _submitted(
    components: list[dict[str, Any]],
    values: Mapping[str, str | Sequence[str]],
    unused: set[str],
    counter: Iterator[int],
) -> list[dict[str, Any]]:
    """A modal's MODAL_SUBMIT components: its layout with each input's value, checked as the
    Discord client checks them (required, min/max length, select options)."""
    out: list[dict[str, Any]] = []
    for component in components:
        kind = component["type"]
        number = component.get("id") or next(counter)
        if kind == 1:
            inner = _submitted(component.get("components") or [], values, unused, counter)
            out.append({"type": 1, "id": number, "components": inner})
        elif kind == 18:
            inner = _submitted([component["component"]], values, unused, counter)
            out.append({"type": 18, "id": number, "component": inner[0]})
        elif kind == 4:
            custom_id = component["custom_id"]
            unused.discard(custom_id)
            value = values.get(custom_id, component.get("value") or "")
            if not isinstance(value, str):
                raise CommandError(f"text input {custom_id!r} takes a string")
            if component.get("required", True) and not value:
                raise CommandError(f"text input {custom_id!r} is required")
            low, high = component.get("min_length", 0), component.get("max_length", 4000)
            if value and not low <= len(value) <= high:
                raise CommandError(
                    f"text input {custom_id!r}: length {len(value)} outside {low}-{high}"
                )
            out.append({"type": 4, "id": number, "custom_id": custom_id, "value": value})
        elif kind in _SELECTS:
            custom_id = component["custom_id"]
            unused.discard(custom_id)
            raw = values.get(custom_id, [])
            picked = [raw] if isinstance(raw, str) else list(raw)
            low = component.get("min_values", 1 if component.get("required", True) else 0)
            high = component.get("max_values", 1)
            offered = [o["value"] for o in component.get("options", [])]
            if (kind == 3 and not set(picked) <= set(offered)) or not low <= len(picked) <= high:
                raise CommandError(
                    f"select {custom_id!r}: {picked} not allowed ({offered}, {low}-{high})"
                )
            out.append({"type": kind, "id": number, "custom_id": custom_id, "values": picked})
        elif kind == 10:
            out.append({"type": 10, "id": number})
        elif "custom_id" in component:
            raise CommandError(f"modal component type {kind} is not supported by submit_modal()")
    return out
