"""The HTTP API: every request recorded, routed by the OpenAPI description's path templates,
its JSON body validated against the operation, and answered in Discord's shapes.

A route the fake does not implement answers 404 and is recorded as unhandled; an error is
answered as Discord does (status, `{"message", "code"}`), so discord.py raises the same
exceptions (LoginFailure, Forbidden, NotFound, HTTPException) as in production. An outage
can be staged per route (`FakeDiscord.fail`): an error status, or the connection dropped.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from . import _commands, _payloads
from ._interactions import (
    ALLOWED_CALLBACKS,
    AUTOCOMPLETE_RESULT,
    DEFERRED_REPLY,
    DEFERRED_UPDATE,
    MODAL,
    REPLY,
    UPDATE,
    InteractionHandle,
    InteractionResponse,
)
from ._spec import Operation, message_limit_errors
from ._state import FakeChannel, FakeMessage

if TYPE_CHECKING:
    from ._fake import FakeDiscord

API_PREFIX = "/api/v10"
VIEW_CHANNEL, SEND_MESSAGES, ATTACH_FILES = 1 << 10, 1 << 11, 1 << 15


@dataclass
class FormPart:
    """One part of a multipart/form-data body (payload_json, files[n])."""

    name: str
    data: bytes
    filename: str | None = None
    content_type: str | None = None


@dataclass(eq=False)
class RecordedRequest:
    """One HTTP request the bot made, and what the fake answered."""

    method: str
    path: str  # without /api/v10
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None  # the JSON body, or a multipart body's payload_json
    parts: list[FormPart] = field(default_factory=list)
    route: str | None = None  # the OpenAPI path template, None if not in the description
    params: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def files(self) -> list[FormPart]:
        return [p for p in self.parts if p.filename is not None]

    def __str__(self) -> str:
        body = json.dumps(self.json)[:200] if self.json is not None else ""
        return f"{self.method} {self.path} → {self.status} {body}"


@dataclass
class SpecViolation:
    """A body that does not validate against Discord's OpenAPI description (or a documented
    limit). `side` is "request" (the bot sent it) or "response" (the fake's own answer)."""

    request: RecordedRequest
    side: str
    errors: list[str]

    def __str__(self) -> str:
        return f"{self.side} of {self.request.method} {self.request.path}: " + "; ".join(
            self.errors
        )


class HttpError(Exception):
    """An error answer in Discord's shape."""

    def __init__(self, status: int, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, "code": code}


class _Dropped(Exception):
    """The connection is closed instead of answered (`FakeDiscord.fail(..., status=None)`)."""


def unknown(what: str, code: int) -> HttpError:
    return HttpError(404, f"Unknown {what}", code)


Handler = Callable[[RecordedRequest], Awaitable[tuple[int, Any]]]

# Routes that authenticate with the interaction token in the URL, not the bot token.
_TOKEN_ROUTES = ("/interactions/", "/webhooks/")


class HttpApi:
    """Route table and handlers. Handlers return (status, JSON body or None for 204)."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        a = "/applications/{application_id}"
        w = "/webhooks/{webhook_id}/{webhook_token}"
        self.routes: dict[tuple[str, str], Handler] = {
            ("GET", "/users/@me"): self.get_me,
            ("GET", "/users/{user_id}"): self.get_user,
            ("GET", "/oauth2/applications/@me"): self.get_application,
            ("GET", "/applications/@me"): self.get_application,
            ("GET", "/gateway"): self.get_gateway,
            ("GET", "/gateway/bot"): self.get_gateway_bot,
            ("GET", a + "/commands"): self.get_commands,
            ("PUT", a + "/commands"): self.put_commands,
            ("POST", a + "/commands"): self.post_command,
            ("DELETE", a + "/commands/{command_id}"): self.delete_command,
            ("GET", a + "/guilds/{guild_id}/commands"): self.get_commands,
            ("PUT", a + "/guilds/{guild_id}/commands"): self.put_commands,
            ("POST", a + "/guilds/{guild_id}/commands"): self.post_command,
            ("DELETE", a + "/guilds/{guild_id}/commands/{command_id}"): self.delete_command,
            ("POST", "/users/@me/channels"): self.create_dm,
            ("GET", "/channels/{channel_id}"): self.get_channel,
            ("POST", "/channels/{channel_id}/typing"): self.typing,
            ("POST", "/channels/{channel_id}/messages"): self.create_message,
            ("GET", "/channels/{channel_id}/messages/{message_id}"): self.get_message,
            ("PATCH", "/channels/{channel_id}/messages/{message_id}"): self.edit_message,
            ("DELETE", "/channels/{channel_id}/messages/{message_id}"): self.delete_message,
            ("GET", "/guilds/{guild_id}/members/{user_id}"): self.get_member,
            ("POST", "/interactions/{interaction_id}/{interaction_token}/callback"): self.callback,
            ("POST", w): self.followup,
            ("GET", w + "/messages/@original"): self.get_webhook_message,
            ("PATCH", w + "/messages/@original"): self.edit_webhook_message,
            ("DELETE", w + "/messages/@original"): self.delete_webhook_message,
            ("GET", w + "/messages/{message_id}"): self.get_webhook_message,
            ("PATCH", w + "/messages/{message_id}"): self.edit_webhook_message,
            ("DELETE", w + "/messages/{message_id}"): self.delete_webhook_message,
        }

    # -- plumbing ---------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        if request.path == "/" and request.headers.get("Upgrade", "").lower() == "websocket":
            return await fake.gateway.handle(request)
        if request.path.startswith("/attachments/") and request.method == "GET":
            return self._attachment(request)
        path = request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX) else None
        record = RecordedRequest(
            method=request.method,
            path=path if path is not None else request.path,
            query=dict(request.query),
            headers=dict(request.headers),
        )
        await self._read_body(request, record)
        fake.requests.append(record)
        found = None if path is None else fake.spec.find(request.method, path)
        handler = None if found is None else self.routes.get((request.method, found[0].template))
        if found is None or handler is None:
            record.status = 404
            record.response = {"message": "404: Not Found", "code": 0}
            fake.unhandled.append(record)
            fake._notify()
            return _json(404, record.response)
        operation, record.params = found
        record.route = operation.template
        try:
            status, body, headers = await self._answer(record, operation, handler)
        except _Dropped:
            fake._notify()
            if request.transport is not None:
                request.transport.close()  # the client sees it as aiohttp's ClientError
            return web.Response()  # never written: the connection is gone
        record.status, record.response = status, body
        fake._notify()
        return _json(status, body, headers)

    async def _answer(
        self, record: RecordedRequest, operation: Operation, handler: Handler
    ) -> tuple[int, Any, dict[str, str]]:
        fake = self.fake
        if not record.path.startswith(_TOKEN_ROUTES) and (
            record.headers.get("Authorization") != f"Bot {fake.token}" or fake.reject_token
        ):
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        limited = fake._take_rate_limit(record.method, operation.template)
        if limited is not None:
            # discord.py treats a 429 without a Via header as a Cloudflare ban, not a limit.
            body = {
                "message": "You are being rate limited.",
                "retry_after": limited,
                "global": False,
            }
            return 429, body, {"Via": "1.1 google", "Retry-After": str(limited)}
        errors = fake.spec.validate_request(operation, record.json)
        if operation.template.endswith("/commands") and record.method in ("PUT", "POST"):
            bodies = record.json if isinstance(record.json, list) else [record.json]
            errors += _commands.limit_errors([b for b in bodies if isinstance(b, dict)])
        if operation.template.startswith(("/channels/", "/webhooks/")) and record.method in (
            "POST",
            "PATCH",
        ):
            errors += message_limit_errors(record.json)
        elif operation.template.endswith("/callback") and isinstance(record.json, dict):
            errors += message_limit_errors(record.json.get("data"))
        if errors:
            fake.spec_violations.append(SpecViolation(record, "request", errors))
        failing, failure = fake._take_failure(record.method, operation.template)
        if failing:  # an outage (`fake.fail`): the request is recorded and checked, not handled
            if failure is None:
                raise _Dropped
            return failure, {"message": f"{failure}: {_phrase(failure)}", "code": 0}, {}
        try:
            status, body = await handler(record)
        except HttpError as error:
            return error.status, error.body, {}
        except Exception as error:
            # A bug of the fake (or a body it cannot digest): reported by problems(), and
            # answered 400 so discord.py fails at once (it retries a 500 for seconds).
            fake.internal_errors.append(f"{record.method} {record.path}: {error!r}")
            return 400, {"message": f"fake Discord failed: {error!r}", "code": 0}, {}
        # An answer echoing an off-spec request is off-spec too; only the request is reported.
        if fake.validate_responses and body is not None and not errors:
            answer_errors = fake.spec.validate_response(operation, status, body)
            if answer_errors:
                fake.response_violations.append(SpecViolation(record, "response", answer_errors))
        return status, body, {}

    async def _read_body(self, request: web.Request, record: RecordedRequest) -> None:
        if not request.can_read_body:
            return
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                if not isinstance(part, BodyPartReader):
                    continue
                data = await part.read(decode=False)
                record.parts.append(
                    FormPart(
                        name=part.name or "",
                        data=bytes(data),
                        filename=part.filename,
                        content_type=part.headers.get("Content-Type"),
                    )
                )
            payload = next((p for p in record.parts if p.name == "payload_json"), None)
            if payload is not None:
                record.json = json.loads(payload.data)
        else:
            text = await request.text()
            if text:
                record.json = json.loads(text)

    def _attachment(self, request: web.Request) -> web.StreamResponse:
        found = self.fake._attachments.get(request.path)
        if found is None:
            return web.Response(status=404)
        return web.Response(
            body=found.data, content_type=found.content_type or "application/octet-stream"
        )

    # -- users, application, gateway -------------------------------------------------------

    async def get_me(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, _payloads.me(self.fake.bot_user)

    async def get_user(self, record: RecordedRequest) -> tuple[int, Any]:
        user = self.fake._users.get(int(record.params["user_id"]))
        if user is None:
            raise unknown("User", 10013)
        return 200, _payloads.user(user)

    async def get_application(self, record: RecordedRequest) -> tuple[int, Any]:
        fake = self.fake
        return 200, _payloads.application(fake.application_id, fake.bot_user, fake.owner)

    async def get_gateway(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, {"url": self.fake.gateway_url}

    async def get_gateway_bot(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, {
            "url": self.fake.gateway_url,
            "shards": self.fake.recommended_shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    # -- commands ---------------------------------------------------------------------------

    def _scope(self, record: RecordedRequest) -> int | None:
        if record.params["application_id"] != str(self.fake.application_id):
            raise HttpError(403, "Missing Access", 50001)
        guild_id = record.params.get("guild_id")
        if guild_id is None:
            return None
        if self.fake._guild(int(guild_id)) is None:
            raise HttpError(403, "Missing Access", 50001)
        return int(guild_id)

    async def get_commands(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, self.fake.command_store.get(self._scope(record))

    async def put_commands(self, record: RecordedRequest) -> tuple[int, Any]:
        scope = self._scope(record)
        return 200, self.fake.command_store.overwrite(scope, list(record.json or []))

    async def post_command(self, record: RecordedRequest) -> tuple[int, Any]:
        scope = self._scope(record)
        return 201, self.fake.command_store.upsert(scope, dict(record.json or {}))

    async def delete_command(self, record: RecordedRequest) -> tuple[int, Any]:
        if not self.fake.command_store.delete(self._scope(record), record.params["command_id"]):
            raise unknown("application command", 10063)
        return 204, None

    # -- channels and messages --------------------------------------------------------------

    async def create_dm(self, record: RecordedRequest) -> tuple[int, Any]:
        body = record.json or {}
        user = self.fake._users.get(int(body.get("recipient_id") or 0))
        if user is None:
            raise HttpError(400, "Invalid Recipient(s)", 50033)
        return 200, _payloads.channel(self.fake.dm_channel(user))

    def _channel(self, record: RecordedRequest) -> FakeChannel:
        channel = self.fake._channels.get(int(record.params["channel_id"]))
        if channel is None:
            raise unknown("Channel", 10003)
        return channel

    def _message(self, record: RecordedRequest) -> FakeMessage:
        channel = self._channel(record)
        wanted = int(record.params["message_id"])
        message = next((m for m in channel.messages if m.id == wanted and not m.deleted), None)
        if message is None or message.ephemeral:
            raise unknown("Message", 10008)
        return message

    async def get_channel(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, _payloads.channel(self._channel(record), bot_id=self.fake.bot_user.id)

    async def typing(self, record: RecordedRequest) -> tuple[int, Any]:
        self._channel(record)
        return 204, None

    async def get_member(self, record: RecordedRequest) -> tuple[int, Any]:
        guild = self.fake._guild(int(record.params["guild_id"]))
        if guild is None:
            raise unknown("Guild", 10004)
        member = guild.members.get(int(record.params["user_id"]))
        if member is None:
            raise unknown("Member", 10007)
        return 200, _payloads.member(member)

    async def create_message(self, record: RecordedRequest) -> tuple[int, Any]:
        fake = self.fake
        channel = self._channel(record)
        if (
            channel.is_dm
            and channel.recipient is not None
            and (channel.recipient.dms_closed or channel.recipient.bot)
        ):
            raise HttpError(403, "Cannot send messages to this user", 50007)
        if channel.bot_denied & (VIEW_CHANNEL | SEND_MESSAGES) or (
            record.files and channel.bot_denied & ATTACH_FILES
        ):
            raise HttpError(403, "Missing Permissions", 50013)
        # Only these flags may be set on a plain message; ephemeral is for interactions.
        message = fake._bot_message(channel, record, allowed_flags=4 | 4096 | 32768)
        await fake._announce(message, "MESSAGE_CREATE")
        return 200, fake._message_payload(message)

    async def get_message(self, record: RecordedRequest) -> tuple[int, Any]:
        return 200, self.fake._message_payload(self._message(record))

    async def edit_message(self, record: RecordedRequest) -> tuple[int, Any]:
        message = self._message(record)
        if message.author is not self.fake.bot_user:
            raise HttpError(403, "Cannot edit a message authored by another user", 50005)
        self.fake._edit_message(message, record)
        await self.fake._announce(message, "MESSAGE_UPDATE")
        return 200, self.fake._message_payload(message)

    async def delete_message(self, record: RecordedRequest) -> tuple[int, Any]:
        message = self._message(record)
        message.deleted = True
        await self.fake._announce(message, "MESSAGE_DELETE")
        return 204, None

    # -- interactions -----------------------------------------------------------------------

    async def callback(self, record: RecordedRequest) -> tuple[int, Any]:
        fake = self.fake
        handle = fake.interactions.get(int(record.params["interaction_id"]))
        if handle is None or handle.token != record.params["interaction_token"]:
            raise unknown("interaction", 10062)
        if handle.acknowledged:
            raise HttpError(400, "Interaction has already been acknowledged.", 40060)
        if (
            fake.interaction_deadline is not None
            and fake._loop_time() - handle.dispatched_at > fake.interaction_deadline
        ):
            # Discord forgets an interaction not answered within 3 seconds.
            raise unknown("interaction", 10062)
        body = record.json or {}
        kind = int(body.get("type", 0))
        if kind not in ALLOWED_CALLBACKS.get(handle.type, set()) or (
            kind in (DEFERRED_UPDATE, UPDATE) and handle.source_message is None
        ):
            raise HttpError(
                400,
                f"Invalid Form Body: callback type {kind} for interaction type {handle.type}",
                50035,
            )
        data = body.get("data") or {}
        response = InteractionResponse(kind="callback", body=body, type=kind)
        resource: dict[str, Any] | None = None
        if kind in (REPLY, DEFERRED_REPLY):
            message = fake._bot_message(
                handle.channel,
                record,
                allowed_flags=64 | 4 | 4096 | 32768,
                interaction=handle,
                loading=kind == DEFERRED_REPLY,
                body=data,
            )
            handle.original = response.message = message
            response.files = list(message.attachments)
            if kind == REPLY:
                resource = {"type": REPLY, "message": fake._message_payload(message)}
                await fake._announce(message, "MESSAGE_CREATE")
        elif kind in (DEFERRED_UPDATE, UPDATE):
            handle.original = handle.source_message
            if kind == UPDATE and handle.original is not None:
                fake._edit_message(handle.original, record, body=data)
                response.message = handle.original
                response.files = list(handle.original.attachments)
                resource = {"type": UPDATE, "message": fake._message_payload(handle.original)}
                await fake._announce(handle.original, "MESSAGE_UPDATE")
        elif kind == MODAL:
            fake._open_modals[(handle.user.id, str(data.get("custom_id")))] = handle
        handle.history.append(response)
        answer: dict[str, Any] = {"interaction": self._interaction_summary(handle)}
        if resource is not None:
            answer["resource"] = resource
        return 200, answer

    def _interaction_summary(self, handle: InteractionHandle) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(handle.id), "type": handle.type}
        original = handle.original
        callback = handle.callback
        if (
            original is not None
            and callback is not None
            and callback.type
            in (
                REPLY,
                DEFERRED_REPLY,
                UPDATE,
            )
        ):
            out["response_message_id"] = str(original.id)
            out["response_message_loading"] = original.loading
            out["response_message_ephemeral"] = original.ephemeral
        out["channel_id"] = str(handle.channel.id)
        if handle.guild is not None:
            out["guild_id"] = str(handle.guild.id)
        return out

    def _webhook_handle(self, record: RecordedRequest) -> InteractionHandle:
        fake = self.fake
        handle = fake._by_token.get(record.params["webhook_token"])
        if handle is None or record.params["webhook_id"] != str(fake.application_id):
            raise unknown("Webhook", 10015)
        # The token works only once the interaction was acknowledged, and not for
        # autocomplete or a bare modal.
        callback = handle.callback
        if callback is None or callback.type in (AUTOCOMPLETE_RESULT, MODAL):
            raise unknown("Webhook", 10015)
        return handle

    def _webhook_message(self, record: RecordedRequest, handle: InteractionHandle) -> FakeMessage:
        wanted = record.params.get("message_id")
        if wanted is None or (handle.original is not None and wanted == str(handle.original.id)):
            message = handle.original
        else:
            message = next((m for m in handle.followup_messages if str(m.id) == wanted), None)
        if message is None or message.deleted:
            raise unknown("Message", 10008)
        return message

    async def followup(self, record: RecordedRequest) -> tuple[int, Any]:
        fake = self.fake
        handle = self._webhook_handle(record)
        original = handle.original
        response = InteractionResponse(kind="followup", body=record.json or {})
        if (
            original is not None
            and original.loading
            and not handle.followup_messages
            and handle.callback is not None
            and handle.callback.type == DEFERRED_REPLY
        ):
            # The first followup after a deferred reply replaces the "thinking…" message (and
            # keeps the deferral's ephemerality), as on Discord.
            fake._edit_message(original, record)
            message = original
            await fake._announce(message, "MESSAGE_CREATE")
        else:
            message = fake._bot_message(
                handle.channel, record, allowed_flags=64 | 4 | 4096 | 32768, interaction=handle
            )
            await fake._announce(message, "MESSAGE_CREATE")
        handle.followup_messages.append(message)
        response.message = message
        response.files = [a for a in message.attachments if a in fake._new_attachments(record)]
        handle.history.append(response)
        if record.query.get("wait") in ("1", "true", "True"):
            return 200, fake._message_payload(message)
        return 204, None

    async def get_webhook_message(self, record: RecordedRequest) -> tuple[int, Any]:
        handle = self._webhook_handle(record)
        return 200, self.fake._message_payload(self._webhook_message(record, handle))

    async def edit_webhook_message(self, record: RecordedRequest) -> tuple[int, Any]:
        fake = self.fake
        handle = self._webhook_handle(record)
        message = self._webhook_message(record, handle)
        fake._edit_message(message, record)
        await fake._announce(message, "MESSAGE_UPDATE")
        handle.history.append(
            InteractionResponse(
                kind="edit",
                body=record.json or {},
                message=message,
                files=[a for a in message.attachments if a in fake._new_attachments(record)],
                target=record.params.get("message_id", "@original"),
            )
        )
        return 200, fake._message_payload(message)

    async def delete_webhook_message(self, record: RecordedRequest) -> tuple[int, Any]:
        handle = self._webhook_handle(record)
        message = self._webhook_message(record, handle)
        message.deleted = True
        await self.fake._announce(message, "MESSAGE_DELETE")
        handle.history.append(
            InteractionResponse(
                kind="delete",
                body={},
                message=message,
                target=record.params.get("message_id", "@original"),
            )
        )
        return 204, None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # e.g. Cloudflare's 524
        return "Error"


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    if status == 204 or body is None:
        return web.Response(status=status, headers=headers)
    # Exactly "application/json": with "; charset=utf-8" discord.py reads the body as text.
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={**(headers or {}), "Content-Type": "application/json"},
    )
