"""The Discord bot end to end: the real discord.py client, built by the composition root over a
real SQLite file, against the fake Discord on 127.0.0.1 (tests/fake_discord). Assertions are on
the HTTP requests the bot made: payloads, `allowed_mentions`, the ephemeral flag, and the defer
that comes before any work."""

from __future__ import annotations

import json
from pathlib import Path

import discord
import pytest

from app.bot import BotStartError, run_bot
from app.settings import CoachSettings
from bot import texts
from tests.bot_harness import CRISIS, STORY, answered, bot_settings, running_bot
from tests.fake_discord import (
    CommandError,
    FakeDiscord,
    FakeMessage,
    InteractionResponse,
    fake_discord,
)

__all__ = ["fake_discord"]  # the fixture, imported for this module's tests

NO_MENTIONS = {"parse": []}
EPHEMERAL = 64


@pytest.fixture
def settings(tmp_path: Path) -> CoachSettings:
    return bot_settings(tmp_path / "data")


def _text(message: FakeMessage) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)


def _all_text(messages: list[FakeMessage]) -> str:
    return "\n".join(_text(m) for m in messages)


def _deferred_first(history: list[InteractionResponse], *, ephemeral: bool) -> None:
    first = history[0]
    assert first.kind == "callback" and first.type == 5, [(r.kind, r.type) for r in history]
    assert first.ephemeral is ephemeral


# --- DMs -----------------------------------------------------------------------------------


async def test_a_dm_story_gets_a_greeting_then_an_answer_with_buttons(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    alice = fake_discord.create_user("alice")
    async with running_bot(fake_discord, settings):
        await fake_discord.dm(alice, STORY + " @everyone")
        await answered(fake_discord, alice)
        messages = fake_discord.messages_in(alice)
    greeting, *answer = messages
    assert greeting.content == texts.FIRST_CONTACT
    assert "not a person or a therapist" in greeting.content
    assert any(m.embeds for m in answer)
    ids = answer[-1].custom_ids
    assert [i.split(":")[1] for i in ids] == ["soft", "direct", "helped", "notquite", "why"]
    for message in messages:
        assert message.body.get("allowed_mentions") == NO_MENTIONS
    # It asked for guilds and DM messages only: no privileged intent (message content, members,
    # presences), and the DM's text still arrived.
    (session,) = fake_discord.sessions
    assert session.intents == discord.Intents(guilds=True, dm_messages=True).value


async def test_dms_sent_together_are_one_story_and_thanks_is_not_a_new_one(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    bob = fake_discord.create_user("bob")
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(bob, "I told my husband I was scared about my biopsy results.")
        await fake_discord.dm(
            bob, 'He said "at least it\'s not cancer yet" and went back to his phone.'
        )
        await answered(fake_discord, bob)
        answers = [m for m in fake_discord.messages_in(bob) if m.embeds]
        assert len(answers) >= 1
        story_answer = _all_text(answers)
        assert "phone" in story_answer.lower() or "shrinking" in story_answer.lower()
        before = len(fake_discord.messages_in(bob))
        await fake_discord.dm(bob, "thanks")
        later = await fake_discord.wait_for_messages(bob, before + 1, timeout=15)
        reply = later[-1]
        assert not reply.embeds and not reply.components and reply.content
        export = await bot.deps.history.export(str(bob.id))
        assert len(export.reports) == 1  # two messages, one story, one report


async def test_messages_from_other_bots_are_ignored(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    other = fake_discord.create_user("another-bot", bot=True)
    person = fake_discord.create_user("carol")
    async with running_bot(fake_discord, settings):
        await fake_discord.dm(other, STORY)
        await fake_discord.dm(person, "hi")
        await fake_discord.wait_for_messages(person, 1, timeout=15)
    assert fake_discord.messages_in(other) == []


async def test_a_crisis_gets_resources_no_buttons_and_no_check_in(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    dan = fake_discord.create_user("dan")
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(dan, CRISIS)
        messages = await fake_discord.wait_for_messages(dan, 2, timeout=15)
        text = _all_text(messages[1:])
        assert "988" in text and "findahelpline.com" in text
        assert all(not m.components for m in messages)
        assert "Gentle" not in text and "Things you could say" not in text
        sent = await bot.get_cog("CheckInSender").send_due()  # type: ignore[union-attr]
        assert sent == 0
        assert (await bot.deps.store.export(dan.id))["check_ins"] == []


# --- /coach and the buttons ----------------------------------------------------------------


async def test_coach_opens_a_modal_at_once_and_its_answer_is_ephemeral_in_a_server(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    erin = fake_discord.create_user("erin")
    guild = await fake_discord.create_guild("support", members=[erin])
    async with running_bot(fake_discord, settings):
        opened = await fake_discord.slash(erin, "coach", guild=guild)
        await opened.responses(1)
        modal = opened.modal
        assert modal is not None
        inputs = [c for row in modal["components"] for c in row["components"]]
        assert sum(i["max_length"] for i in inputs) <= 4000
        ids = [i["custom_id"] for i in inputs]
        submitted = await fake_discord.submit_modal(
            erin,
            modal["custom_id"],
            {
                ids[0]: "I told my husband I was scared about my biopsy results.",
                ids[1]: 'He said "at least it\'s not cancer yet" and went back to his phone.',
                ids[2]: "Small and alone.",
            },
        )
        history = await submitted.responses(
            lambda h: any(r.kind == "followup" and r.embeds for r in h), timeout=15
        )
    _deferred_first(history, ephemeral=True)
    followups = [r for r in history if r.kind == "followup"]
    assert all(r.ephemeral for r in followups)
    assert all(r.body.get("allowed_mentions") == NO_MENTIONS for r in followups)
    assert any(r.components for r in followups)


async def test_this_helped_is_recorded_and_softer_puts_the_gentle_wording_first(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    fay = fake_discord.create_user("fay")
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(fay, STORY)
        answer = await answered(fake_discord, fay)
        helped = next(i for i in answer.custom_ids if ":helped:" in i)
        report_id = helped.rsplit(":", 1)[1]
        pressed = await fake_discord.press(fay, answer, helped)
        history = await pressed.responses(2, timeout=10)
        _deferred_first(history, ephemeral=True)
        assert history[1].content == texts.RATED
        (report,) = (await bot.deps.history.export(str(fay.id))).reports
        assert report.report_id == report_id and report.rating == "helped"
        softer = next(i for i in answer.custom_ids if ":soft:" in i)
        pressed = await fake_discord.press(fay, answer, softer)
        history = await pressed.responses(
            lambda h: any(r.kind == "followup" and r.embeds for r in h), timeout=10
        )
        shown = json.dumps([r.embeds for r in history if r.kind == "followup"])
        assert shown.index("Gentle") < shown.index("Direct")


async def test_a_button_pressed_after_a_restart_still_works(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    gus = fake_discord.create_user("gus")
    async with running_bot(fake_discord, settings):
        await fake_discord.dm(gus, STORY)
        answer = await answered(fake_discord, gus)
    async with running_bot(fake_discord, settings) as bot:  # a new process: memory is empty
        why = next(i for i in answer.custom_ids if ":why:" in i)
        pressed = await fake_discord.press(gus, answer, why)
        history = await pressed.responses(2, timeout=10)
        assert history[1].content == texts.STORY_GONE
        helped = next(i for i in answer.custom_ids if ":notquite:" in i)
        pressed = await fake_discord.press(gus, answer, helped)
        history = await pressed.responses(2, timeout=10)
        assert history[1].content == texts.RATED
        (report,) = (await bot.deps.history.export(str(gus.id))).reports
        assert report.rating == "not_quite"


# --- quick help ----------------------------------------------------------------------------


async def test_repair_autocompletes_from_memory_and_answers_with_a_script(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    hal = fake_discord.create_user("hal")
    async with running_bot(fake_discord, settings):
        typing = await fake_discord.autocomplete(
            hal, "repair", {"pattern": "phone"}, focused="pattern"
        )
        await typing.responses(1)
        assert typing.choices and typing.choices[0]["value"] == "disengagement"
        ran = await fake_discord.slash(
            hal, "repair", {"pattern": "disengagement", "side": "I did it"}
        )
        history = await ran.responses(lambda h: any(r.embeds for r in h), timeout=15)
    _deferred_first(history, ephemeral=False)  # in the bot's DM: not ephemeral
    shown = json.dumps([r.embeds for r in history])
    assert "sorry" in shown.lower()


async def test_the_context_menu_coaches_about_a_reply_someone_sent(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    ida, jon = fake_discord.create_user("ida"), fake_discord.create_user("jon")
    guild = await fake_discord.create_guild("friends", members=[ida, jon])
    async with running_bot(fake_discord, settings):
        said = await fake_discord.send(jon, guild.channels[0], "you're being dramatic, get over it")
        picked = await fake_discord.context_menu(ida, "Get repair help", said)
        history = await picked.responses(lambda h: any(r.embeds for r in h), timeout=15)
    _deferred_first(history, ephemeral=True)
    assert all(r.ephemeral for r in history if r.kind == "followup")
    in_channel = fake_discord.messages_in(guild.channels[0])
    assert in_channel and all(m.ephemeral for m in in_channel)  # nothing public


async def test_the_context_menu_on_a_threat_answers_about_safety(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    kim, lee = fake_discord.create_user("kim"), fake_discord.create_user("lee")
    guild = await fake_discord.create_guild("friends", members=[kim, lee])
    async with running_bot(fake_discord, settings):
        said = await fake_discord.send(lee, guild.channels[0], "if you leave me I will kill you")
        picked = await fake_discord.context_menu(kim, "Get repair help", said)
        history = await picked.responses(lambda h: any(r.embeds for r in h), timeout=15)
    shown = json.dumps([r.embeds for r in history])
    assert "findahelpline.com" in shown and "Things you could say" not in shown


# --- the person's data ---------------------------------------------------------------------


async def test_history_returns_its_chart(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    max_ = fake_discord.create_user("max")
    async with running_bot(fake_discord, settings):
        await fake_discord.dm(max_, STORY)
        await answered(fake_discord, max_)
        asked = await fake_discord.slash(max_, "history")
        history = await asked.responses(lambda h: any(r.files for r in h), timeout=15)
    (with_file,) = [r for r in history if r.files]
    assert with_file.files[0].filename == "history.png"
    assert with_file.files[0].data.startswith(b"\x89PNG")


async def test_forget_needs_its_owner_to_confirm_then_deletes_everything(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    nia, oz = fake_discord.create_user("nia"), fake_discord.create_user("oz")
    guild = await fake_discord.create_guild("support", members=[nia, oz])
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(nia, STORY)
        await answered(fake_discord, nia)
        asked = await fake_discord.slash(nia, "forget", guild=guild)
        (reply,) = await asked.responses(1)
        assert reply.ephemeral and reply.message is not None
        confirm = next(i for i in reply.message.custom_ids)
        pressed = await fake_discord.press(nia, reply.message, confirm)
        await pressed.responses(2, timeout=10)
        export = await bot.deps.history.export(str(nia.id))
        assert export.reports == () and (await bot.deps.store.export(nia.id))["check_ins"] == []


async def test_export_with_dms_closed_comes_privately_and_says_how_to_open_them(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    pat = fake_discord.create_user("pat", dms_closed=True)
    guild = await fake_discord.create_guild("support", members=[pat])
    async with running_bot(fake_discord, settings):
        asked = await fake_discord.slash(pat, "export", guild=guild)
        history = await asked.responses(lambda h: any(r.files for r in h), timeout=15)
    _deferred_first(history, ephemeral=True)
    (with_file,) = [r for r in history if r.files]
    assert with_file.ephemeral and "Privacy Settings" in (with_file.content or "")
    document = json.loads(with_file.files[0].data)
    assert document["user_id"] == str(pat.id) and "bot" in document


async def test_setup_is_refused_to_a_member_without_manage_server(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    admin, member = fake_discord.create_user("admin"), fake_discord.create_user("member")
    guild = await fake_discord.create_guild(
        "support", members={admin: discord.Permissions(manage_guild=True), member: None}
    )
    async with running_bot(fake_discord, settings) as bot:
        with pytest.raises(CommandError, match="hides the command"):
            await fake_discord.slash(member, "setup", {"enabled": "off"}, guild=guild)
        # A server admin may still grant /setup to everyone (Server Settings > Integrations):
        # then the bot's own permission check is what refuses.
        for command in fake_discord.command_store.scopes[None]:
            if command["name"] == "setup":
                command["default_member_permissions"] = None
        refused = await fake_discord.slash(member, "setup", {"enabled": "off"}, guild=guild)
        history = await refused.responses(1, timeout=10)
        assert history[0].ephemeral and "Manage Server" in (history[0].content or "")
        assert (await bot.deps.store.guild(guild.id)).enabled
        done = await fake_discord.slash(admin, "setup", {"enabled": "off"}, guild=guild)
        await done.responses(2, timeout=10)
        assert not (await bot.deps.store.guild(guild.id)).enabled


# --- limits, check-ins, start-up -----------------------------------------------------------


async def test_the_rate_limit_is_kind_and_never_withholds_a_safety_answer(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path / "data", repair_coach_rate_limit=1)
    quinn = fake_discord.create_user("quinn")
    async with running_bot(fake_discord, settings):
        await fake_discord.slash(quinn, "repair", {"pattern": "minimizing", "situation": "my mum"})
        await fake_discord.wait_for(lambda: len(fake_discord.messages_in(quinn)) >= 2, timeout=15)
        limited = await fake_discord.slash(
            quinn, "repair", {"pattern": "minimizing", "situation": "my dad laughed it off"}
        )
        history = await limited.responses(2, timeout=15)
        assert "minute" in (history[1].content or "") and not history[1].embeds
        crisis = await fake_discord.slash(
            quinn, "repair", {"pattern": "minimizing", "situation": CRISIS}
        )
        history = await crisis.responses(lambda h: any(r.embeds for r in h), timeout=15)
        assert "988" in json.dumps([r.embeds for r in history])


async def test_a_check_in_is_sent_once_by_one_of_two_shards(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    base = {"shard_count": 2, "repair_coach_check_in_hours": 1e-6}
    first = bot_settings(tmp_path / "data", shard_ids="0", **base)
    second = bot_settings(tmp_path / "data", shard_ids="1", **base)
    rae = fake_discord.create_user("rae")
    async with running_bot(fake_discord, first) as one, running_bot(fake_discord, second) as two:
        await fake_discord.dm(rae, STORY)
        await answered(fake_discord, rae)
        sent = [
            await one.get_cog("CheckInSender").send_due(),  # type: ignore[union-attr]
            await two.get_cog("CheckInSender").send_due(),  # type: ignore[union-attr]
        ]
        assert sorted(sent) == [0, 1]
        check_in = await fake_discord.wait_for(
            lambda: next(
                (m for m in fake_discord.messages_in(rae) if m.content == texts.CHECK_IN), None
            ),
            timeout=10,
        )
        assert check_in.content == texts.CHECK_IN
        went_well = next(i for i in check_in.custom_ids if "went_well" in i)
        pressed = await fake_discord.press(rae, check_in, went_well)
        history = await pressed.responses(2, timeout=10)
        assert history[1].content == texts.CHECK_IN_THANKS["went_well"]
        outcomes = await one.deps.store.outcomes(rae.id)
        assert any(counts["went_well"] == 1 for counts in outcomes.values())


async def test_a_check_in_to_closed_dms_is_skipped_and_the_person_told_once_privately(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path / "data", repair_coach_check_in_hours=1e-6)
    sam = fake_discord.create_user("sam", dms_closed=True)
    guild = await fake_discord.create_guild("support", members=[sam])
    async with running_bot(fake_discord, settings) as bot:
        opened = await fake_discord.slash(sam, "coach", guild=guild)
        await opened.responses(1)
        modal = opened.modal
        assert modal is not None
        first_input = modal["components"][0]["components"][0]["custom_id"]
        submitted = await fake_discord.submit_modal(sam, modal["custom_id"], {first_input: STORY})
        await submitted.responses(lambda h: any(r.embeds for r in h), timeout=15)
        assert await bot.get_cog("CheckInSender").send_due() == 0  # type: ignore[union-attr]
        texts_seen = []
        for _ in range(2):
            opened = await fake_discord.slash(sam, "coach", guild=guild)
            await opened.responses(1)
            assert opened.modal is not None
            submitted = await fake_discord.submit_modal(
                sam, opened.modal["custom_id"], {first_input: STORY}
            )
            history = await submitted.responses(lambda h: any(r.embeds for r in h), timeout=15)
            texts_seen.append([r.content for r in history if r.kind == "followup"])
    assert texts.DMS_CLOSED in texts_seen[0] and texts.DMS_CLOSED not in texts_seen[1]


async def test_commands_are_synced_once_not_on_every_start(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    route = ("PUT", "/applications/{application_id}/commands")
    async with running_bot(fake_discord, settings):
        pass
    assert len(fake_discord.requests_to(*route)) == 1
    names = {c["name"] for c in fake_discord.commands()}
    assert {"coach", "repair", "history", "forget", "Get repair help"} <= names
    async with running_bot(fake_discord, settings):
        pass
    assert len(fake_discord.requests_to(*route)) == 1


async def test_a_rejected_token_is_one_clear_line(
    fake_discord: FakeDiscord, settings: CoachSettings
) -> None:
    fake_discord.reject_token = True
    with pytest.raises(BotStartError, match=r"rejected DISCORD_TOKEN"):
        await run_bot(settings)


async def test_no_token_says_how_to_create_one(tmp_path: Path) -> None:
    settings = bot_settings(tmp_path / "data", discord_token=None)
    with pytest.raises(BotStartError, match=r"discord\.com/developers"):
        await run_bot(settings)
