"""Interactions the fake dispatched, and everything the bot answered to each: the callback
(POST /interactions/{id}/{token}/callback) and the webhook calls on its token (followups,
edits and deletes of @original or of a followup), kept in order per interaction."""

# The waits take `timeout=` (ASYNC109): a test reads `await handle.responses(timeout=5)` better
# than a wrapping asyncio.timeout(), and on expiry the fake's AssertionError names what was
# awaited and the last requests, which a bare TimeoutError would not.
# ruff: noqa: ASYNC109

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ._state import FakeAttachment, FakeChannel, FakeGuild, FakeMember, FakeMessage, FakeUser

if TYPE_CHECKING:
    from ._fake import FakeDiscord

# Interaction types and callback types (https://discord.com/developers/docs/interactions).
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
REPLY, DEFERRED_REPLY, DEFERRED_UPDATE, UPDATE, AUTOCOMPLETE_RESULT, MODAL = 4, 5, 6, 7, 8, 9

# Which callbacks Discord accepts for which interaction (others: 400).
ALLOWED_CALLBACKS: dict[int, set[int]] = {
    APPLICATION_COMMAND: {REPLY, DEFERRED_REPLY, MODAL},
    MESSAGE_COMPONENT: {REPLY, DEFERRED_REPLY, DEFERRED_UPDATE, UPDATE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {REPLY, DEFERRED_REPLY, DEFERRED_UPDATE, UPDATE},
}

ResponseKind = Literal["callback", "followup", "edit", "delete"]


@dataclass
class InteractionResponse:
    """One thing the bot did with an interaction, in the order it happened."""

    kind: ResponseKind
    # The JSON the bot sent (payload_json for multipart). For a callback: {"type", "data"}.
    body: dict[str, Any]
    # The callback type (4 reply, 5 deferred, 6 deferred update, 7 update, 8 choices,
    # 9 modal); None for webhook calls.
    type: int | None = None
    # The message created or edited (None for 6, 8, 9 and deletes).
    message: FakeMessage | None = None
    files: list[FakeAttachment] = field(default_factory=list)
    # For edits and deletes: "@original" or the followup's message id.
    target: str | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The message-like part: a callback's `data`, a webhook call's whole body."""
        if self.kind == "callback":
            found: dict[str, Any] = self.body.get("data") or {}
            return found
        return self.body

    @property
    def flags(self) -> int:
        return int(self.data.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    @property
    def deferred(self) -> bool:
        return self.type in (DEFERRED_REPLY, DEFERRED_UPDATE)

    @property
    def content(self) -> str | None:
        return self.data.get("content")

    @property
    def embeds(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.data.get("embeds") or []
        return found

    @property
    def components(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.data.get("components") or []
        return found


@dataclass(eq=False)
class InteractionHandle:
    """An interaction the fake dispatched; await its responses with `responses()`."""

    fake: FakeDiscord
    id: int
    token: str
    type: int
    user: FakeUser
    guild: FakeGuild | None
    channel: FakeChannel
    member: FakeMember | None
    payload: dict[str, Any]
    dispatched_at: float
    # The message a component was on (and for a modal opened from a component, that message).
    source_message: FakeMessage | None = None
    # For a modal submit: the interaction whose MODAL callback opened the modal.
    opener: InteractionHandle | None = None
    history: list[InteractionResponse] = field(default_factory=list)
    # The message @original designates once acknowledged (reply, deferral, or the updated
    # component message).
    original: FakeMessage | None = None
    followup_messages: list[FakeMessage] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return self.callback is not None

    @property
    def callback(self) -> InteractionResponse | None:
        return next((r for r in self.history if r.kind == "callback"), None)

    @property
    def followups(self) -> list[InteractionResponse]:
        return [r for r in self.history if r.kind == "followup"]

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (custom_id, title, components), if it answered with one."""
        callback = self.callback
        return callback.data if callback is not None and callback.type == MODAL else None

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        """The autocomplete choices the bot answered, if any."""
        callback = self.callback
        if callback is None or callback.type != AUTOCOMPLETE_RESULT:
            return None
        found: list[dict[str, Any]] = callback.data.get("choices") or []
        return found

    async def responses(
        self,
        until: int | Callable[[list[InteractionResponse]], bool] = 1,
        *,
        timeout: float = 5.0,
    ) -> list[InteractionResponse]:
        """Wait until the bot has made `until` responses (or `until(history)` is true) and
        return them all; on timeout an AssertionError says what arrived."""

        def ready() -> bool:
            if callable(until):
                return bool(until(list(self.history)))
            return len(self.history) >= until

        await self.fake.wait_for(
            ready, timeout=timeout, what=lambda: f"responses to interaction {self.describe()}"
        )
        return list(self.history)

    def describe(self) -> str:
        name = (self.payload.get("data") or {}).get("name") or (self.payload.get("data") or {}).get(
            "custom_id"
        )
        got = [(r.kind, r.type) for r in self.history]
        return f"{self.id} (type {self.type}, {name!r}) from {self.user.name}; so far {got}"
