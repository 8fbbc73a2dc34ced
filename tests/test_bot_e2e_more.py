"""More of the bot end to end (tests/test_bot_e2e.py has the main surfaces): the same bot over a
real PostgreSQL (two shard processes claiming one check-in), through the LLM (a fake
OpenAI-compatible server on 127.0.0.1, the real openai client), the daily purge, *Why this?*,
a story kept (encrypted) surviving a restart for *Softer*, and `sync --guild`."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import discord
import pytest

from app.bot import sync_commands
from bot import texts
from coaching.ports import HistoryUnavailable
from db import new_data_key
from tests import conftest_db
from tests.bot_harness import STORY, answered, bot_settings, running_bot
from tests.conftest_db import Database
from tests.fake_discord import FakeDiscord, FakeMessage, fake_discord
from tests.fakes import FakeOpenAIServer, make_answer
from tests.history_memory import FakeFailingHistoryStore, FakeHistoryStore

database = conftest_db.database  # SQLite, and PostgreSQL when the tests have a server
__all__ = ["database", "fake_discord"]


def _button(message: FakeMessage, action: str) -> str:
    return next(i for i in message.custom_ids if i.startswith(f"rc:{action}:"))


async def test_two_shard_processes_over_one_database_send_a_check_in_once(
    fake_discord: FakeDiscord, database: Database, tmp_path: Path
) -> None:
    base = {
        "shard_count": 2,
        "repair_coach_check_in_hours": 1e-6,
        "database_url": database.url,
    }
    first = bot_settings(database.data_dir, shard_ids="0", **base)
    second = bot_settings(database.data_dir, shard_ids="1", **base)
    una = fake_discord.create_user("una")
    async with running_bot(fake_discord, first) as one, running_bot(fake_discord, second) as two:
        await fake_discord.dm(una, STORY)
        await answered(fake_discord, una)
        sent = [
            await one.get_cog("CheckInSender").send_due(),  # type: ignore[union-attr]
            await two.get_cog("CheckInSender").send_due(),  # type: ignore[union-attr]
        ]
        assert sorted(sent) == [0, 1]
        await fake_discord.wait_for(
            lambda: [m for m in fake_discord.messages_in(una) if m.content == texts.CHECK_IN],
            timeout=10,
        )
        assert [m.content for m in fake_discord.messages_in(una)].count(texts.CHECK_IN) == 1


async def test_with_an_llm_the_answer_comes_from_it(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    with FakeOpenAIServer() as llm:
        llm.answer = make_answer()
        settings = bot_settings(
            tmp_path / "data", openai_api_key="test-key", openai_base_url=llm.base_url
        )
        vic = fake_discord.create_user("vic")
        async with running_bot(fake_discord, settings) as bot:
            await fake_discord.dm(vic, STORY)
            await answered(fake_discord, vic)
            (report,) = (await bot.deps.history.export(str(vic.id))).reports
        assert llm.chat_requests and report.classifier == "llm"
        # The person's words went to the LLM, but never into a Discord request but their own.
        shown = json.dumps([m.embeds for m in fake_discord.messages_in(vic)])
        assert "Shrinking it" in shown


async def test_why_this_shows_the_words_the_answer_rests_on(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    wes = fake_discord.create_user("wes")
    async with running_bot(fake_discord, bot_settings(tmp_path / "data")):
        await fake_discord.dm(wes, STORY)
        answer = await answered(fake_discord, wes)
        pressed = await fake_discord.press(wes, answer, _button(answer, "why"))
        history = await pressed.responses(lambda h: any(r.embeds for r in h), timeout=10)
    assert history[0].type == 5 and history[0].ephemeral
    shown = json.dumps([r.embeds for r in history if r.kind == "followup"])
    assert "phone" in shown or "cancer" in shown


async def test_a_kept_story_survives_a_restart_for_softer(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path / "data", repair_coach_data_key=new_data_key())
    xan = fake_discord.create_user("xan")
    async with running_bot(fake_discord, settings):
        done = await fake_discord.slash(xan, "settings", {"keep_text": "on"})
        assert "keep text (encrypted): on" in json.dumps(
            [r.content for r in await done.responses(2, timeout=10)]
        )
        await fake_discord.dm(xan, STORY)
        answer = await answered(fake_discord, xan)
    async with running_bot(fake_discord, settings):
        pressed = await fake_discord.press(xan, answer, _button(answer, "soft"))
        history = await pressed.responses(lambda h: any(r.embeds for r in h), timeout=15)
    shown = json.dumps([r.embeds for r in history if r.kind == "followup"])
    assert shown.index("Gentle") < shown.index("Direct")


async def test_keep_text_without_a_key_is_refused_with_the_reason(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    yan = fake_discord.create_user("yan")
    async with running_bot(fake_discord, bot_settings(tmp_path / "data")) as bot:
        done = await fake_discord.slash(yan, "settings", {"keep_text": "on"})
        history = await done.responses(2, timeout=10)
        assert "REPAIR_COACH_DATA_KEY" in (history[1].content or "")
        assert not (await bot.deps.history.settings(str(yan.id))).keep_text


async def test_the_daily_purge_deletes_reports_past_retention(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path / "data", repair_coach_retention_days=30)
    zed = fake_discord.create_user("zed")
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(zed, STORY)
        await answered(fake_discord, zed)
        cog = bot.get_cog("CheckInSender")
        assert await cog.purge() == 0  # type: ignore[union-attr]
        now = bot.deps.clock()
        bot.deps.clock = lambda: now + timedelta(days=31)
        assert await cog.purge() == 1  # type: ignore[union-attr]
        assert (await bot.deps.history.export(str(zed.id))).reports == ()


async def test_sync_for_one_guild_registers_the_commands_there(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    guild = await fake_discord.create_guild("testing")
    count = await sync_commands(bot_settings(tmp_path / "data"), guild.id)
    names = {c["name"] for c in fake_discord.commands(guild)}
    assert count == len(names) and {"coach", "repair", "setup"} <= names
    assert fake_discord.commands() == []  # nothing global was registered


@pytest.mark.parametrize("rating", ["helped", "notquite"])
async def test_rating_a_script_that_was_not_recorded_says_so(
    fake_discord: FakeDiscord, tmp_path: Path, rating: str
) -> None:
    amy = fake_discord.create_user("amy")
    async with running_bot(fake_discord, bot_settings(tmp_path / "data")):
        ran = await fake_discord.slash(amy, "repair", {"pattern": "impatience"})
        await ran.responses(lambda h: any(r.components for r in h), timeout=15)
        (script,) = [r.message for r in ran.history if r.components and r.message]
        pressed = await fake_discord.press(amy, script, _button(script, rating))
        history = await pressed.responses(2, timeout=10)
    assert history[1].content == texts.NOT_RECORDED


class _FailingFeedback(FakeHistoryStore):
    async def feedback(self, *args: object, **kwargs: object) -> bool:
        raise HistoryUnavailable(f"feedback failed for {SECRET!r}")


SECRET = "my secret biopsy"


async def test_a_failure_tells_the_person_without_details_and_logs_no_content(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ben = fake_discord.create_user("ben")
    async with running_bot(fake_discord, bot_settings(tmp_path / "data")) as bot:
        await fake_discord.dm(ben, f"{STORY} It was about {SECRET}.")
        answer = await answered(fake_discord, ben)
        bot.deps.history = FakeFailingHistoryStore("reports_since")
        asked = await fake_discord.slash(ben, "history")
        history = await asked.responses(2, timeout=10)
        assert history[1].content == texts.SOMETHING_WENT_WRONG and history[1].ephemeral
        bot.deps.history = _FailingFeedback()
        pressed = await fake_discord.press(ben, answer, _button(answer, "helped"))
        history = await pressed.responses(2, timeout=10)
        assert history[1].content == texts.SOMETHING_WENT_WRONG
    logged = [r.getMessage() for r in caplog.records if r.levelno > logging.DEBUG]
    assert any("HistoryUnavailable" in line for line in logged)
    assert not any(SECRET in line or "biopsy" in line for line in logged)


async def test_setup_posts_the_public_guide_where_the_admin_asked(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    admin = fake_discord.create_user("admin")
    guild = await fake_discord.create_guild(
        "support", members={admin: discord.Permissions(manage_guild=True)}, channels=("welcome",)
    )
    async with running_bot(fake_discord, bot_settings(tmp_path / "data")) as bot:
        done = await fake_discord.slash(
            admin, "setup", {"locale": "UK", "guide_channel": guild.channels[0]}, guild=guild
        )
        history = await done.responses(2, timeout=10)
        assert history[0].ephemeral and history[1].ephemeral
        assert (await bot.deps.store.guild(guild.id)).locale == "UK"
        (guide,) = [m for m in fake_discord.messages_in(guild.channels[0]) if not m.ephemeral]
    assert "only you see my answer" in guide.content and "admins can never see" in guide.content
    assert guide.body["allowed_mentions"] == {"parse": []}


async def test_patterns_pages_forward_and_resources_put_the_persons_region_first(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    cal = fake_discord.create_user("cal", locale="en-GB")
    async with running_bot(fake_discord, bot_settings(tmp_path / "data")):
        shown = await fake_discord.slash(cal, "patterns")
        (reply,) = await shown.responses(1)
        assert reply.message is not None
        first_page = reply.message.embeds[0]["footer"]["text"]
        buttons = [c for row in reply.message.components for c in row["components"]]
        nxt = next(b["custom_id"] for b in buttons if b["label"] == "Next")
        pressed = await fake_discord.press(cal, reply.message, nxt)
        await pressed.responses(1)
        assert reply.message.embeds[0]["footer"]["text"] != first_page
        asked = await fake_discord.slash(cal, "resources")
        history = await asked.responses(lambda h: any(r.embeds for r in h), timeout=10)
    text = json.dumps([r.embeds for r in history])
    assert text.index("Samaritans") < text.index("988")


async def test_a_safety_question_comes_first_with_resources_and_no_check_in_follows(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path / "data", repair_coach_check_in_hours=1e-6)
    dee = fake_discord.create_user("dee")
    story = "I told my husband I can't keep going like this and he said we'd talk after the match."
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(dee, story)
        answer = await answered(fake_discord, dee)
        assert answer.components  # the coaching stays, with its buttons
        every = json.dumps([m.embeds for m in fake_discord.messages_in(dee)])
        assert "988" in every
        assert every.index("ending your life") < every.index("Things you could say")
        assert await bot.get_cog("CheckInSender").send_due() == 0  # type: ignore[union-attr]
        assert (await bot.deps.store.export(dee.id))["check_ins"] == []
