"""The gateway: Discord's WebSocket protocol on the fake's server (path "/").

HELLO, IDENTIFY → READY + one GUILD_CREATE per guild of the shard, heartbeats, RESUME (replays
what was dispatched while the connection was down, then RESUMED), member chunk requests, and
dispatch of events to the session of the shard that owns a guild (DMs: shard 0).
Frames are plain JSON text: discord.py asks for zlib-stream in the URL but reads text frames.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import _payloads
from ._state import FakeGuild

if TYPE_CHECKING:
    from ._fake import FakeDiscord

# Gateway opcodes and intents (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, VOICE_STATE = 0, 1, 2, 3, 4
RESUME, RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 6, 7, 8, 9, 10, 11

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT


@dataclass(eq=False)
class GatewaySession:
    """One identified gateway session (a shard of one bot process). It outlives its
    WebSocket so a RESUME can pick it up again."""

    session_id: str
    shard_id: int
    shard_count: int
    intents: int
    identify: dict[str, Any]
    ws: web.WebSocketResponse | None = None
    seq: int = 0
    resumes: int = 0
    # Everything the client sent after IDENTIFY (heartbeats excluded): presence updates,
    # chunk requests, … for assertions.
    received: list[dict[str, Any]] = field(default_factory=list)
    # Events dispatched while no WebSocket was attached, replayed on RESUME: (seq, t, d).
    missed: list[tuple[int, str, Any]] = field(default_factory=list)
    # All events dispatched to this session, in order: (t, d).
    dispatched: list[tuple[str, Any]] = field(default_factory=list)
    invalidated: bool = False
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed

    def has_intent(self, bit: int) -> bool:
        return bool(self.intents & bit)

    async def send(self, payload: dict[str, Any]) -> None:
        ws = self.ws
        if ws is None or ws.closed:
            return
        # One frame at a time: concurrent dispatches from several tasks keep their order.
        async with self._lock:
            try:
                await ws.send_str(json.dumps(payload, separators=(",", ":")))
            except ConnectionResetError:
                pass

    async def dispatch(self, event: str, data: Any) -> None:
        self.seq += 1
        self.dispatched.append((event, data))
        if self.connected:
            await self.send({"op": DISPATCH, "t": event, "s": self.seq, "d": data})
        else:
            self.missed.append((self.seq, event, data))

    async def request_reconnect(self) -> None:
        """Op 7: the client closes and RESUMEs on resume_gateway_url (what Discord does
        before moving a session to another node)."""
        await self.send({"op": RECONNECT, "d": None})

    async def invalidate(self, *, resumable: bool = False) -> None:
        """Op 9: the client drops the session and identifies again (unless resumable)."""
        self.invalidated = not resumable
        await self.send({"op": INVALID_SESSION, "d": resumable})


class Gateway:
    """The WebSocket endpoint and the sessions it has identified."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: list[GatewaySession] = []
        # Every connection attempt's URL query (v, encoding, compress) for assertions.
        self.connection_queries: list[dict[str, str]] = []
        self._sockets: set[web.WebSocketResponse] = set()

    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions if s.connected and not s.invalidated]

    def session_for_shard(self, shard_id: int, guild: FakeGuild | None = None) -> GatewaySession:
        """The newest session that owns this shard (for a guild: (id >> 22) % shard_count of
        that session; otherwise shard 0, where Discord sends DMs)."""
        for session in reversed(self.sessions):
            if session.invalidated:
                continue
            wanted = shard_id if guild is None else guild.shard_id(session.shard_count)
            if session.shard_id == wanted:
                return session
        where = f"guild {guild.name} ({guild.id})" if guild else f"shard {shard_id}"
        known = [(s.shard_id, s.shard_count) for s in self.sessions]
        raise AssertionError(
            f"no gateway session owns {where}; sessions (shard, count): {known}. "
            "Is the bot connected to the fake (fake.running(bot))?"
        )

    async def close_all(self) -> None:
        for ws in list(self._sockets):
            # 4000 would make discord.py reconnect; by now the tests have closed their bots,
            # so this only ends sockets a test left open.
            await ws.close(code=4000, message=b"fake discord shutting down")

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        self.connection_queries.append(dict(request.query))
        session: GatewaySession | None = None
        try:
            await ws.send_str(
                json.dumps(
                    {
                        "op": HELLO,
                        "d": {
                            "heartbeat_interval": self.fake.heartbeat_interval_ms,
                            "_trace": ["fake-discord"],
                        },
                    }
                )
            )
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    if msg.type is WSMsgType.BINARY:
                        await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                payload = json.loads(msg.data)
                op = payload.get("op")
                data = payload.get("d")
                if op == HEARTBEAT:
                    await ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
                elif op == IDENTIFY:
                    if session is not None:
                        await ws.close(code=4005, message=b"Already authenticated.")
                        break
                    session = await self._identify(ws, data)
                elif op == RESUME:
                    session = await self._resume(ws, data)
                elif session is None:
                    await ws.close(code=4003, message=b"Not authenticated.")
                    break
                elif op == REQUEST_MEMBERS:
                    session.received.append(payload)
                    await self._chunk(session, data)
                elif op in (PRESENCE_UPDATE, VOICE_STATE):
                    session.received.append(payload)
                else:
                    await ws.close(code=4001, message=b"Unknown opcode.")
                    break
                self.fake._notify()
        except Exception as error:
            # A bug of the fake must fail the test (problems()), not hang the bot's connect.
            self.fake.internal_errors.append(f"gateway: {error!r}")
            await ws.close(code=4000, message=b"fake Discord failed")
        finally:
            self._sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
            self.fake._notify()
        return ws

    async def _identify(
        self, ws: web.WebSocketResponse, data: dict[str, Any]
    ) -> GatewaySession | None:
        fake = self.fake
        if data.get("token") != fake.token or fake.reject_token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        shard_id, shard_count = data.get("shard") or [0, 1]
        if not 0 <= shard_id < shard_count:
            await ws.close(code=4010, message=b"Invalid shard.")
            return None
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED_INTENTS & ~fake.privileged_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        session = GatewaySession(
            session_id=secrets.token_hex(16),
            shard_id=shard_id,
            shard_count=shard_count,
            intents=intents,
            identify=data,
            ws=ws,
        )
        self.sessions.append(session)
        guilds = [g for g in fake.guilds if g.shard_id(shard_count) == shard_id]
        await session.dispatch(
            "READY",
            {
                "v": 10,
                "user": _payloads.me(fake.bot_user),
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.session_id,
                "session_type": "normal",
                "resume_gateway_url": fake.gateway_url,
                "shard": [shard_id, shard_count],
                "application": {
                    "id": str(fake.application_id),
                    "flags": _payloads.APPLICATION_FLAGS,
                },
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "user_settings": {},
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": ["fake"],
                "auth": {},
                "_trace": ["fake-discord"],
            },
        )
        for guild in guilds:
            await self.send_guild_create(session, guild)
        return session

    async def send_guild_create(self, session: GatewaySession, guild: FakeGuild) -> None:
        if not session.has_intent(INTENT_GUILDS):
            return
        # Without the privileged members intent Discord sends only the bot's own member.
        members = [
            m
            for m in guild.members.values()
            if session.has_intent(INTENT_GUILD_MEMBERS) or m.user is self.fake.bot_user
        ]
        payload = _payloads.guild_create(guild, members=members, bot_id=self.fake.bot_user.id)
        await session.dispatch("GUILD_CREATE", payload)

    async def _resume(
        self, ws: web.WebSocketResponse, data: dict[str, Any]
    ) -> GatewaySession | None:
        session = next((s for s in self.sessions if s.session_id == data.get("session_id")), None)
        if (
            session is None
            or session.invalidated
            or data.get("token") != self.fake.token
            or self.fake.reject_token
        ):
            await ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))
            return None
        session.ws = ws
        session.resumes += 1
        last_seen = int(data.get("seq") or 0)
        missed, session.missed = session.missed, []
        for seq, event, payload in missed:
            if seq > last_seen:
                await session.send({"op": DISPATCH, "t": event, "s": seq, "d": payload})
        await session.dispatch("RESUMED", {"_trace": ["fake-discord"]})
        return session

    async def _chunk(self, session: GatewaySession, data: dict[str, Any]) -> None:
        guild = next((g for g in self.fake.guilds if str(g.id) == str(data.get("guild_id"))), None)
        if guild is None:
            return
        wanted = {str(u) for u in data.get("user_ids") or []}
        query = str(data.get("query") or "").lower()
        members = [
            m
            for m in guild.members.values()
            if (not wanted or str(m.user.id) in wanted) and m.user.name.lower().startswith(query)
        ]
        limit = int(data.get("limit") or 0)
        if limit:
            members = members[:limit]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [_payloads.member(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": sorted(wanted - {str(m.user.id) for m in members}),
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
