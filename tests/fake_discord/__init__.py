"""A local fake Discord speaking the real wire protocol (HTTP API + gateway WebSocket on
127.0.0.1), so tests run the real discord.py client against it and never reach Discord.

    async def test_dm(fake_discord: FakeDiscord) -> None:
        alice = fake_discord.create_user("alice")
        async with fake_discord.running(my_bot()):
            await fake_discord.dm(alice, "hello")
            [reply] = await fake_discord.wait_for_messages(alice)

Use the `fake_discord` fixture from any test module by adding to tests/conftest.py:
    pytest_plugins = ["tests.fake_discord"]
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
import yarl

from ._commands import CommandError
from ._fake import FakeDiscord
from ._gateway import GatewaySession
from ._http import FormPart, RecordedRequest, SpecViolation
from ._interactions import InteractionHandle, InteractionResponse
from ._state import (
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
)

__all__ = [
    "CommandError",
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeMessage",
    "FakeRole",
    "FakeUser",
    "FormPart",
    "GatewaySession",
    "InteractionHandle",
    "InteractionResponse",
    "RecordedRequest",
    "SpecViolation",
    "fake_discord",
]


@pytest_asyncio.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord with discord.py pointed at it (restored after the test). With
    `fake.strict` (the default) the test fails if the bot hit a route the fake does not
    implement or sent a body off Discord's OpenAPI description."""
    import discord.gateway
    import discord.http

    async with FakeDiscord() as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
        )
        yield fake
        if fake.strict:
            fake.assert_clean()
