"""The fake Discord (tests/fake_discord) driven by tiny real discord.py bots written here (not
the product's bot): login and READY, a rejected token, DMs with a button, two shards, slash
commands through tree.sync(), autocomplete, modals, a persistent view across a restart, files,
closed DMs, context menus, RESUME, a 429, a staged outage, and the fake catching bodies off
Discord's spec.

The `fake_discord` fixture fails a test at teardown if the bot hit a route the fake does not
implement or sent (or the fake answered) a body off the OpenAPI description, so every happy
path below also asserts "no spec violations, no unhandled routes"."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any, ClassVar

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests import fake_discord as fake_discord_package
from tests.fake_discord import CommandError, FakeDiscord

fake_discord = fake_discord_package.fake_discord  # the fixture, for this module

MANAGE_GUILD = discord.Permissions(manage_guild=True)


def make_bot(**options: Any) -> commands.Bot:
    """A bot with the default intents; guild_ready_timeout short so READY comes at once."""
    options.setdefault("intents", discord.Intents.default())
    options.setdefault("guild_ready_timeout", 0.05)
    return commands.Bot(command_prefix=commands.when_mentioned, **options)


class QuickShardedBot(commands.AutoShardedBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before each IDENTIFY after the first (Discord's identify rate
        limit); the fake has no such limit, so the second shard connects at once."""


class Confirm(discord.ui.View):
    """A persistent view: no timeout, every item with a custom_id."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.pressed_by: list[int] = []

    @discord.ui.button(label="Yes", style=discord.ButtonStyle.green, custom_id="confirm:yes")
    async def yes(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.pressed_by.append(interaction.user.id)
        await interaction.response.edit_message(content="Confirmed.", view=None)


class Rate(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"rate:(?P<report>[0-9]+):(?P<verdict>up|down)",
):
    """A persistent button whose state is in its custom_id (found by regex, not by view)."""

    rated: ClassVar[list[tuple[int, str]]] = []  # what the callbacks saw, across instances

    def __init__(self, report: int, verdict: str) -> None:
        super().__init__(discord.ui.Button(label=verdict, custom_id=f"rate:{report}:{verdict}"))
        self.report, self.verdict = report, verdict

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any
    ) -> Rate:
        return cls(int(match["report"]), match["verdict"])

    async def callback(self, interaction: discord.Interaction) -> None:
        self.rated.append((self.report, self.verdict))
        await interaction.response.defer()  # type 6: @original is the message clicked on
        await interaction.edit_original_response(content=f"Thanks for rating {self.report}.")


class StoryModal(discord.ui.Modal, title="Tell me what happened"):
    story: discord.ui.TextInput[StoryModal] = discord.ui.TextInput(
        label="What happened?", style=discord.TextStyle.paragraph, custom_id="story", max_length=500
    )
    who: discord.ui.TextInput[StoryModal] = discord.ui.TextInput(
        label="Who was it?", custom_id="who", required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"Heard: {self.story.value} (who: {self.who.value or 'unsaid'})", ephemeral=True
        )


async def test_login_and_ready(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    guild = await fake_discord.create_guild("Friends", members=[alice])
    bot = make_bot()
    ready = asyncio.Event()

    @bot.event
    async def on_ready() -> None:
        ready.set()

    async with fake_discord.running(bot):
        assert ready.is_set()
        assert bot.user is not None
        assert (bot.user.id, bot.user.name) == (fake_discord.bot_user.id, "Repair Coach")
        assert bot.application_id == fake_discord.application_id
        assert [g.id for g in bot.guilds] == [guild.id]
        # Without the members intent GUILD_CREATE carries only the bot's own member.
        assert [m.id for m in bot.guilds[0].members] == [fake_discord.bot_user.id]
        [session] = fake_discord.sessions
        assert (session.shard_id, session.shard_count) == (0, 1)
        assert session.intents == discord.Intents.default().value
        assert [event for event, _ in session.dispatched] == ["READY", "GUILD_CREATE"]
    assert [r.route for r in fake_discord.requests] == ["/users/@me", "/oauth2/applications/@me"]
    [query] = fake_discord.gateway.connection_queries
    assert (query["v"], query["encoding"]) == ("10", "json")


async def test_members_intent_and_member_queries(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    await fake_discord.create_guild("Friends", members=[alice, fake_discord.create_user("bob")])
    bot = make_bot(intents=discord.Intents.default() | discord.Intents(members=True))
    async with fake_discord.running(bot):
        guild = bot.guilds[0]
        assert {m.name for m in guild.members} == {"alice", "bob", "Friends-owner", "Repair Coach"}
        assert guild.chunked
        found = await guild.query_members("al")
        assert [m.id for m in found] == [alice.id]
        [session] = fake_discord.sessions
        assert [(p["op"], p["d"]["query"]) for p in session.received] == [(8, "al")]


async def test_rejected_token_raises_login_failure(fake_discord: FakeDiscord) -> None:
    fake_discord.reject_token = True
    with pytest.raises(discord.LoginFailure):
        async with fake_discord.running(make_bot()):
            pass
    [request] = fake_discord.requests
    assert (request.route, request.status) == ("/users/@me", 401)
    assert request.response == {"message": "401: Unauthorized", "code": 0}


async def test_dm_reply_carries_a_button_and_no_mentions(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    other_bot = fake_discord.create_user("some-bot", bot=True)
    bot = make_bot()
    seen: list[tuple[str, bool, bool]] = []

    @bot.event
    async def on_message(message: discord.Message) -> None:
        seen.append((message.content, message.author.bot, message.guild is None))
        if message.author.bot:
            return
        await message.channel.send(
            f"Hi {message.author.mention}, shall we start?",
            view=Confirm(),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async with fake_discord.running(bot):
        sent = await fake_discord.dm(alice, "hello")
        [reply] = await fake_discord.wait_for_messages(alice)
        await fake_discord.dm(other_bot, "beep")
        await fake_discord.wait_for(lambda: ("beep", True, True) in seen)

    assert sent.channel.is_dm and sent.channel.recipient is alice
    assert reply.content == f"Hi <@{alice.id}>, shall we start?"
    assert reply.body["allowed_mentions"] == {"parse": []}
    assert reply.custom_ids == ["confirm:yes"]
    assert reply.component("confirm:yes")["label"] == "Yes"
    # The bot also receives its own message (as on Discord) and ignores it as a bot's.
    assert ("hello", False, True) in seen
    assert (reply.content, True, True) in seen
    assert fake_discord.messages_in(other_bot) == []


@pytest.mark.parametrize("shard_count", [2, None], ids=["shard_count=2", "recommended"])
async def test_auto_sharded_bot_connects_two_shards(
    fake_discord: FakeDiscord, shard_count: int | None
) -> None:
    # Without shard_count, AutoShardedBot asks GET /gateway/bot how many shards to run.
    fake_discord.recommended_shards = 2
    alice = fake_discord.create_user("alice")
    first = await fake_discord.create_guild("On shard 0", members=[alice], on_shard=(0, 2))
    second = await fake_discord.create_guild("On shard 1", members=[alice], on_shard=(1, 2))
    intents = discord.Intents.default()
    bot = QuickShardedBot(
        command_prefix="!", intents=intents, shard_count=shard_count, guild_ready_timeout=0.05
    )
    shard_of_message: list[int | None] = []

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.guild is not None:
            shard_of_message.append(message.guild.shard_id)

    async with fake_discord.running(bot):
        sessions = sorted(fake_discord.sessions, key=lambda s: s.shard_id)
        assert [(s.shard_id, s.shard_count) for s in sessions] == [(0, 2), (1, 2)]
        assert bot.get_guild(first.id).shard_id == 0  # type: ignore[union-attr]
        assert bot.get_guild(second.id).shard_id == 1  # type: ignore[union-attr]
        created = [[d["id"] for t, d in s.dispatched if t == "GUILD_CREATE"] for s in sessions]
        assert created == [[str(first.id)], [str(second.id)]]

        await fake_discord.send(alice, second.channel(), "in the second server")
        await fake_discord.dm(alice, "a DM")
        await fake_discord.wait_for(lambda: shard_of_message == [1])
        assert any(t == "MESSAGE_CREATE" for t, _ in sessions[1].dispatched)
        dm_events = [d for t, d in sessions[0].dispatched if t == "MESSAGE_CREATE"]
        assert [d["content"] for d in dm_events] == ["a DM"]  # DMs go to shard 0
    asked = [r.route for r in fake_discord.requests if r.route == "/gateway/bot"]
    assert asked == ([] if shard_count else ["/gateway/bot"])


@pytest.mark.parametrize("kind", ["Bot(shard_id)", "AutoShardedBot(shard_ids)"])
async def test_two_bot_processes_split_the_shards(fake_discord: FakeDiscord, kind: str) -> None:
    alice = fake_discord.create_user("alice")
    first = await fake_discord.create_guild("A", members=[alice], on_shard=(0, 2))
    second = await fake_discord.create_guild("B", members=[alice], on_shard=(1, 2))

    def process(shard: int) -> commands.Bot | commands.AutoShardedBot:
        if kind == "Bot(shard_id)":
            return make_bot(shard_id=shard, shard_count=2)
        return QuickShardedBot(
            command_prefix="!",
            intents=discord.Intents.default(),
            shard_ids=[shard],
            shard_count=2,
            guild_ready_timeout=0.05,
        )

    zero, one = process(0), process(1)
    heard: list[tuple[int, str, str]] = []
    for number, bot in enumerate((zero, one)):

        @bot.event
        async def on_message(message: discord.Message, number: int = number) -> None:
            where = message.guild.name if message.guild else "DM"
            heard.append((number, where, message.content))

    async with fake_discord.running(zero), fake_discord.running(one):
        assert [g.id for g in zero.guilds] == [first.id]
        assert [g.id for g in one.guilds] == [second.id]
        assert len(await fake_discord.wait_for_sessions(2)) == 2
        await fake_discord.send(alice, second.channel(), "to B")
        await fake_discord.dm(alice, "a DM")
        await fake_discord.send(alice, first.channel(), "to A")
        await fake_discord.wait_for(lambda: len(heard) == 3)
    # Each process hears only its own shard's guild; DMs reach the process running shard 0.
    # Without the message content intent, guild messages arrive blank (DMs do not).
    assert sorted(heard) == [(0, "A", ""), (0, "DM", "a DM"), (1, "B", "")]


async def test_slash_command_deferred_ephemeral_then_followup(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice", locale="fr")
    bob = fake_discord.create_user("bob")
    guild = await fake_discord.create_guild("Team", members={alice: MANAGE_GUILD, bob: None})
    bot = make_bot()
    seen: dict[str, Any] = {}

    @bot.tree.command(name="coach", description="Tell the coach what happened")
    @app_commands.describe(story="What happened", rounds="How many suggestions")
    async def coach(interaction: discord.Interaction, story: str, rounds: int = 1) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        seen.update(locale=interaction.locale, guild=interaction.guild_id, rounds=rounds)
        embed = discord.Embed(title="Your coaching", description=story.upper())
        await interaction.followup.send(embed=embed, ephemeral=True)

    @bot.tree.command(name="settings", description="Server settings")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def settings(interaction: discord.Interaction) -> None:
        seen["manage_guild"] = interaction.permissions.manage_guild
        await interaction.response.send_message("Settings.", ephemeral=True)

    async with fake_discord.running(bot):
        synced = await bot.tree.sync()
        assert {c.name for c in synced} == {"coach", "settings"}
        registered = {c["name"]: c for c in fake_discord.commands()}
        assert registered["coach"]["options"][0]["name"] == "story"
        assert {c.id for c in synced} == {int(c["id"]) for c in registered.values()}

        handle = await fake_discord.slash(alice, "coach", {"story": "i forgot", "rounds": 2})
        first, second = await handle.responses(until=2)
        assert (first.kind, first.type, first.ephemeral) == ("callback", 5, True)
        assert second.kind == "followup"
        assert second.embeds[0]["description"] == "I FORGOT"
        assert second.message is handle.original and second.message is not None
        assert second.message.ephemeral and not second.message.loading
        assert seen == {"locale": discord.Locale.french, "guild": None, "rounds": 2}
        assert handle.payload["context"] == 1 and "user" in handle.payload

        in_guild = await fake_discord.slash(alice, "settings", guild=guild)
        [reply] = await in_guild.responses()
        assert (reply.type, reply.content, reply.ephemeral) == (4, "Settings.", True)
        assert seen["manage_guild"] is True
        with pytest.raises(CommandError, match="lacks the permissions"):
            await fake_discord.slash(bob, "settings", guild=guild)
        with pytest.raises(CommandError, match="not available in DMs"):
            await fake_discord.slash(alice, "settings")
        with pytest.raises(CommandError, match="required option 'story' missing"):
            await fake_discord.slash(alice, "coach", {})
    assert fake_discord.requests_to("PUT", "/applications/{application_id}/commands")


async def test_autocomplete_answers_choices(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    bot = make_bot()
    topics = ["partner", "parent", "friend", "colleague"]

    @bot.tree.command(name="topic", description="Pick a topic")
    async def topic(interaction: discord.Interaction, about: str) -> None:
        await interaction.response.send_message(f"About {about}")

    @topic.autocomplete("about")
    async def about_choices(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in topics if t.startswith(current)]

    async with fake_discord.running(bot):
        await bot.tree.sync()
        handle = await fake_discord.autocomplete(alice, "topic", {"about": "par"}, focused="about")
        [answer] = await handle.responses()
        assert answer.type == 8
        assert handle.choices == [
            {"name": "partner", "value": "partner"},
            {"name": "parent", "value": "parent"},
        ]
        chosen = await fake_discord.slash(alice, "topic", {"about": "parent"})
        [reply] = await chosen.responses()
        assert reply.content == "About parent" and not reply.ephemeral


async def test_modal_opened_and_submitted(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    bot = make_bot()

    @bot.tree.command(name="tell", description="Tell the story in a form")
    async def tell(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(StoryModal(custom_id="story-modal"))

    async with fake_discord.running(bot):
        await bot.tree.sync()
        opened = await fake_discord.slash(alice, "tell")
        [shown] = await opened.responses()
        assert shown.type == 9
        assert opened.modal is not None
        assert opened.modal["custom_id"] == "story-modal"
        assert opened.modal["title"] == "Tell me what happened"
        with pytest.raises(CommandError, match="length 501"):
            await fake_discord.submit_modal(alice, "story-modal", {"story": "x" * 501})
        opened = await fake_discord.slash(alice, "tell")
        await opened.responses()
        submitted = await fake_discord.submit_modal(alice, "story-modal", {"story": "I snapped"})
        [reply] = await submitted.responses()
        assert reply.type == 4 and reply.ephemeral
        assert reply.content == "Heard: I snapped (who: unsaid)"
        with pytest.raises(CommandError, match="opened no modal"):
            await fake_discord.submit_modal(alice, "story-modal", {"story": "again"})


async def test_persistent_view_survives_a_restart(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    first = make_bot()

    @first.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            await message.channel.send("Ready to start?", view=Confirm())

    async with fake_discord.running(first):
        await fake_discord.dm(alice, "hi")
        [prompt] = await fake_discord.wait_for_messages(alice)

    # A new process: the view is registered again in setup_hook, with no message id.
    second = make_bot()
    view = Confirm()

    async def setup_hook() -> None:
        second.add_view(view)

    second.setup_hook = setup_hook  # type: ignore[method-assign]
    async with fake_discord.running(second):
        handle = await fake_discord.press(alice, prompt, "confirm:yes")
        [update] = await handle.responses()
    assert update.type == 7
    assert view.pressed_by == [alice.id]
    assert prompt.content == "Confirmed." and prompt.components == []
    assert prompt.edited_timestamp is not None
    with pytest.raises(LookupError, match="no component"):
        prompt.component("confirm:yes")


async def test_dynamic_item_button_in_a_guild(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    guild = await fake_discord.create_guild("Team", members=[alice])
    intents = discord.Intents.none()
    intents.guilds = intents.dm_messages = True  # what a DM-first bot asks for
    bot = make_bot(intents=intents)
    Rate.rated = []

    async def setup_hook() -> None:
        bot.add_dynamic_items(Rate)

    bot.setup_hook = setup_hook  # type: ignore[method-assign]

    @bot.tree.command(name="answer", description="An answer to rate")
    async def answer(interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None).add_item(Rate(42, "up")).add_item(Rate(42, "down"))
        await interaction.response.send_message("Here is an answer.", view=view)

    async with fake_discord.running(bot):
        await bot.tree.sync()
        asked = await fake_discord.slash(alice, "answer", guild=guild)
        [reply] = await asked.responses()
        shown = reply.message
        assert shown is not None and shown.channel is guild.channel("general")
        assert shown.custom_ids == ["rate:42:up", "rate:42:down"]
        clicked = await fake_discord.press(alice, shown, "rate:42:down")
        deferred, edit = await clicked.responses(until=2)
    assert Rate.rated == [(42, "down")]
    assert (deferred.type, edit.kind, edit.target) == (6, "edit", "@original")
    assert edit.message is shown and shown.content == "Thanks for rating 42."
    assert clicked.payload["member"]["user"]["id"] == str(alice.id)
    assert clicked.payload["message"]["id"] == str(shown.id)


async def test_channel_option_and_missing_permissions(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    guild = await fake_discord.create_guild(
        "Team", members={alice: MANAGE_GUILD}, channels=("general", "guide", "locked")
    )
    fake_discord.deny_bot(guild.channel("locked"), discord.Permissions(send_messages=True))
    bot = make_bot()

    @bot.tree.command(name="guide", description="Post the guide in a channel")
    @app_commands.guild_only()
    async def guide(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            await channel.send("How to use me", allowed_mentions=discord.AllowedMentions.none())
            said = f"Posted in {channel.mention}."
        except discord.Forbidden as error:
            said = f"Cannot post in {channel.mention} ({error.code})."
        await interaction.followup.send(said, ephemeral=True)

    async with fake_discord.running(bot):
        await bot.tree.sync()
        ok = await fake_discord.slash(
            alice, "guide", {"channel": guild.channel("guide")}, guild=guild
        )
        locked = guild.channel("locked")
        refused = await fake_discord.slash(alice, "guide", {"channel": locked}, guild=guild)
        _, posted = await ok.responses(until=2)
        _, failed = await refused.responses(until=2)
    assert posted.content == f"Posted in <#{guild.channel('guide').id}>."
    assert failed.content == f"Cannot post in <#{locked.id}> (50013)."
    assert [m.content for m in fake_discord.messages_in(guild.channel("guide"))] == [
        "How to use me"
    ]
    assert fake_discord.messages_in(locked) == []


async def test_files_arrive_with_their_bytes(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    bot = make_bot()
    chart = b"\x89PNG\r\n\x1a\n fake chart bytes"

    @bot.tree.command(name="history", description="Your history as a chart")
    async def history(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(
            "Your last month:", file=discord.File(io.BytesIO(chart), filename="history.png")
        )

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        data = await message.attachments[0].read()
        await message.channel.send(
            "Your export", file=discord.File(io.BytesIO(data.upper()), filename="export.json")
        )

    async with fake_discord.running(bot):
        await bot.tree.sync()
        handle = await fake_discord.slash(alice, "history")
        _, followup = await handle.responses(until=2)
        assert followup.files[0].filename == "history.png"
        assert followup.files[0].data == chart
        assert followup.message is not None and followup.message.files == {"history.png": chart}
        assert not followup.message.ephemeral

        await fake_discord.dm(alice, "export please", files={"story.json": b'{"a": 1}'})
        *_, export = await fake_discord.wait_for_messages(alice, 2)
        assert export.files == {"export.json": b'{"A": 1}'}
        assert export.attachments[0].content_type == "application/json"
    upload = fake_discord.requests_to("POST", "/channels/{channel_id}/messages")[-1]
    assert [p.name for p in upload.parts] == ["payload_json", "files[0]"]
    assert upload.json["attachments"] == [{"id": 0, "filename": "export.json"}]


async def test_dm_to_a_user_with_closed_dms_is_forbidden(fake_discord: FakeDiscord) -> None:
    closed = fake_discord.create_user("private", dms_closed=True)
    bot = make_bot()
    async with fake_discord.running(bot):
        user = await bot.fetch_user(closed.id)
        with pytest.raises(discord.Forbidden) as raised:
            await user.send("Time for your check-in")
        assert raised.value.code == 50007
        assert raised.value.status == 403
    assert fake_discord.messages_in(closed) == []


async def test_context_menu_on_a_message(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    bot = make_bot()

    @bot.tree.context_menu(name="Coach this")
    async def coach_this(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"Coaching: {message.content}", ephemeral=True)

    async with fake_discord.running(bot):
        await bot.tree.sync()
        said = await fake_discord.dm(alice, "You never listen")
        handle = await fake_discord.context_menu(alice, "Coach this", said)
        [reply] = await handle.responses()
    assert reply.content == "Coaching: You never listen"
    assert handle.payload["data"]["type"] == 3
    assert handle.payload["data"]["resolved"]["messages"][str(said.id)]["content"] == said.content


async def test_resume_after_reconnect_replays_nothing_lost(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    bot = make_bot()
    resumed = asyncio.Event()

    @bot.event
    async def on_resumed() -> None:
        resumed.set()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if not message.author.bot:
            await message.channel.send(f"got {message.content}")

    async with fake_discord.running(bot):
        [session] = fake_discord.sessions
        await session.request_reconnect()
        await fake_discord.wait_for(lambda: session.resumes == 1 and session.connected)
        await asyncio.wait_for(resumed.wait(), 5)
        await fake_discord.dm(alice, "still there?")
        [reply] = await fake_discord.wait_for_messages(alice)
    assert reply.content == "got still there?"
    assert len(fake_discord.sessions) == 1  # resumed, not identified again


async def test_rate_limited_send_is_retried(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    bot = make_bot()
    fake_discord.rate_limit("POST", "/channels/{channel_id}/messages", retry_after=0.01)
    async with fake_discord.running(bot):
        channel = await (await bot.fetch_user(alice.id)).create_dm()
        await channel.send("after a 429")
    statuses = [
        r.status for r in fake_discord.requests_to("POST", "/channels/{channel_id}/messages")
    ]
    assert statuses == [429, 200]
    assert [m.content for m in fake_discord.messages_in(alice)] == ["after a 429"]


async def test_a_staged_outage_fails_that_many_requests_then_recovers(
    fake_discord: FakeDiscord,
) -> None:
    fake_discord.strict = False  # one body is off-spec on purpose: an outage still checks it
    alice = fake_discord.create_user("alice")
    bot = make_bot()
    route = "/channels/{channel_id}/messages"
    fake_discord.fail("POST", route, status=503, times=2)
    async with fake_discord.running(bot):
        channel = await (await bot.fetch_user(alice.id)).create_dm()
        with pytest.raises(discord.DiscordServerError) as raised:
            await channel.send("x" * 2001)
        assert raised.value.status == 503  # discord.py does not retry a 503
        with pytest.raises(discord.DiscordServerError):
            await channel.send("during the outage")
        fake_discord.fail("POST", route, status=None)
        with pytest.raises(aiohttp.ClientError):  # the connection dropped, nothing answered
            await channel.send("connection lost")
        await channel.send("after the outage")
    statuses = [r.status for r in fake_discord.requests_to("POST", route)]
    assert statuses == [503, 503, 0, 200]
    assert [m.content for m in fake_discord.messages_in(alice)] == ["after the outage"]
    (problem,) = fake_discord.problems()
    assert "2001 characters" in problem
    with pytest.raises(ValueError):
        fake_discord.fail("POST", route, status=200)


async def test_off_spec_bodies_and_unknown_routes_are_caught(fake_discord: FakeDiscord) -> None:
    fake_discord.strict = False  # this test makes the problems on purpose
    alice = fake_discord.create_user("alice")
    bot = make_bot()
    async with fake_discord.running(bot):
        channel = fake_discord.dm_channel(alice)
        route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
        await bot.http.request(route, json={"content": "x", "embeds": [{"title": 5}]})
        with pytest.raises(discord.NotFound):
            await bot.fetch_guild(123)
        bad = [{"name": "Bad Name", "description": "", "type": 1}]
        await bot.http.bulk_upsert_global_commands(fake_discord.application_id, bad)
        await (await bot.fetch_user(alice.id)).send("x" * 2001)  # the schema allows 4000
    problems = fake_discord.problems()
    assert len(problems) == 4, problems
    assert "content: 2001 characters, a bot may send 2000" in problems[3]
    assert "embeds/0/title: 5 is not of type 'string', 'null'" in problems[1]
    assert "must be 1-32 lowercase" in problems[2] and "1-100 characters" in problems[2]
    assert fake_discord.unhandled[0].path == "/guilds/123"
    with pytest.raises(AssertionError, match="unhandled route: GET /guilds/123"):
        fake_discord.assert_clean()


async def test_interaction_answered_too_late_is_unknown(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    fake_discord.interaction_deadline = 0.05
    bot = make_bot()
    errors: list[int] = []

    @bot.tree.command(name="slow", description="Thinks before answering")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.2)  # the slow work a real bot must defer before
        try:
            await interaction.response.send_message("too late")
        except discord.NotFound as error:
            errors.append(error.code)

    async with fake_discord.running(bot):
        await bot.tree.sync()
        handle = await fake_discord.slash(alice, "slow")
        await fake_discord.wait_for(lambda: errors)
    assert errors == [10062]
    assert handle.history == []


def test_spec_copy_is_in_the_repository() -> None:
    """CI runs on a clean clone: the description and its licence are in tests/data."""
    from tests.fake_discord._spec import SPEC_PATH

    assert SPEC_PATH.is_file()
    assert "MIT" in (SPEC_PATH.parent / "LICENSE").read_text(encoding="utf-8")
    assert json.loads(SPEC_PATH.read_text(encoding="utf-8"))["info"]["version"] == "10"


class Feedback(discord.ui.Modal, title="How was it?"):
    rating: discord.ui.Label[Feedback] = discord.ui.Label(
        text="Rating",
        component=discord.ui.Select(
            custom_id="rating",
            options=[
                discord.SelectOption(label="Good", value="good"),
                discord.SelectOption(label="Bad", value="bad"),
            ],
        ),
    )
    note: discord.ui.TextInput[Feedback] = discord.ui.TextInput(
        label="Note", custom_id="note", required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.rating.component, discord.ui.Select)
        picked = self.rating.component.values[0]
        # From a button's modal, the reply may replace the message the button was on.
        await interaction.response.edit_message(
            content=f"Rated {picked}: {self.note.value}", view=None
        )


async def test_edits_deletes_and_a_modal_from_a_button(fake_discord: FakeDiscord) -> None:
    alice = fake_discord.create_user("alice")
    bot = make_bot()

    class AskFeedback(discord.ui.View):
        @discord.ui.button(label="Give feedback", custom_id="feedback")
        async def feedback(
            self, interaction: discord.Interaction, button: discord.ui.Button[Any]
        ) -> None:
            await interaction.response.send_modal(Feedback(custom_id="feedback-modal"))

    @bot.tree.command(name="ask", description="Answers, then edits and deletes")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Draft", ephemeral=True)
        await interaction.edit_original_response(content="Final")
        extra = await interaction.followup.send("Temporary", wait=True)
        await extra.edit(content="Temporary, edited")
        await extra.delete()
        kept = await interaction.followup.send("Rate me", view=AskFeedback(), wait=True)
        assert (await interaction.original_response()).content == "Final"
        assert kept.id

    async with fake_discord.running(bot):
        await bot.tree.sync()
        handle = await fake_discord.slash(alice, "ask")
        history = await handle.responses(until=5)
        temporary = history[2].message
        assert temporary is not None and temporary.deleted
        assert temporary.content == "Temporary, edited"
        assert [(r.kind, r.target) for r in history] == [
            ("callback", None),
            ("edit", "@original"),
            ("followup", None),
            ("edit", str(temporary.id)),
            ("delete", str(temporary.id)),
        ]
        [rate] = (await handle.responses(until=6))[5:]
        assert handle.original is not None and handle.original.content == "Final"
        assert rate.message is not None and rate.message.custom_ids == ["feedback"]
        assert [m.content for m in fake_discord.messages_in(alice)] == ["Final", "Rate me"]

        opened = await fake_discord.press(alice, rate.message, "feedback")
        await opened.responses()
        assert opened.modal is not None and opened.modal["custom_id"] == "feedback-modal"
        submitted = await fake_discord.submit_modal(
            alice, "feedback-modal", {"rating": ["good"], "note": "helpful"}
        )
        [update] = await submitted.responses()
    assert update.type == 7
    assert rate.message.content == "Rated good: helpful" and rate.message.components == []
    components = submitted.payload["data"]["components"]
    assert components[0]["type"] == 18 and components[0]["component"]["values"] == ["good"]

    # The bot edits and deletes its own channel messages through the REST API.
    bot2 = make_bot()
    async with fake_discord.running(bot2):
        channel = await (await bot2.fetch_user(alice.id)).create_dm()
        sent = await channel.send("first")
        await sent.edit(content="second")
        fetched = await channel.fetch_message(sent.id)
        assert fetched.content == "second" and fetched.edited_at is not None
        await sent.delete()
    assert "second" not in [m.content for m in fake_discord.messages_in(alice)]
    assert [m.content for m in fake_discord.messages_in(alice, deleted=True)][-1] == "second"
