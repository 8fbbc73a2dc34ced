"""Check-ins that cannot be sent (bot/exts/checkins), end to end: the bot built by the
composition root over a real database (SQLite, and PostgreSQL for the first test when the tests
have a server), against the fake Discord staging an outage (`FakeDiscord.fail`). A passing
failure (a 503, a dropped connection) puts the check-in back for an hour later, up to a day past
its time; the others of the batch are sent regardless; a refusal is not tried again; and nothing
about the person is logged above DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from bot import texts
from bot.client import CoachBot
from bot.exts.checkins._cog import CheckInSender
from coaching.ports import HistoryUnavailable
from db import SqlBotStore
from tests import conftest_db
from tests.bot_harness import STORY, answered, bot_settings, running_bot
from tests.conftest_db import Database
from tests.fake_discord import FakeDiscord, FakeUser, fake_discord

database = conftest_db.database  # SQLite, and PostgreSQL when the tests have a server
__all__ = ["database", "fake_discord"]

MESSAGES = "/channels/{channel_id}/messages"
SECRET = "my secret biopsy"


def _sender(bot: CoachBot) -> CheckInSender:
    cog = bot.get_cog("CheckInSender")  # loaded as an extension: not this module's class
    assert cog is not None and type(cog).__name__ == "CheckInSender"
    return cast(CheckInSender, cog)


def _check_ins(fake: FakeDiscord, user: FakeUser) -> int:
    return [m.content for m in fake.messages_in(user)].count(texts.CHECK_IN)


def _attempts(fake: FakeDiscord) -> int:
    return sum(
        1
        for r in fake.requests_to("POST", MESSAGES)
        if isinstance(r.json, dict) and r.json.get("content") == texts.CHECK_IN
    )


def _at(base: datetime, later: timedelta) -> Callable[[], datetime]:
    return lambda: base + later


@pytest.mark.parametrize("failure", [503, None], ids=["server-error", "connection-dropped"])
async def test_a_check_in_that_failed_is_sent_later_once_and_the_rest_of_the_batch_at_once(
    fake_discord: FakeDiscord, database: Database, failure: int | None
) -> None:
    settings = bot_settings(
        database.data_dir, repair_coach_check_in_hours=1e-6, database_url=database.url
    )
    ann, bo = fake_discord.create_user("ann"), fake_discord.create_user("bo")
    async with running_bot(fake_discord, settings) as bot:
        for person in (ann, bo):  # ann's check-in is due first, so it is the one that fails
            await fake_discord.dm(person, STORY)
            await answered(fake_discord, person)
        fake_discord.fail("POST", MESSAGES, status=failure)
        sender, now = _sender(bot), bot.deps.clock()
        assert await sender.send_due() == 1  # bo's, after ann's failed
        assert (_check_ins(fake_discord, ann), _check_ins(fake_discord, bo)) == (0, 1)
        assert await sender.send_due() == 0  # not before its hour
        bot.deps.clock = _at(now, timedelta(minutes=59))
        assert await sender.send_due() == 0
        bot.deps.clock = _at(now, timedelta(minutes=61))
        assert await sender.send_due() == 1
        bot.deps.clock = _at(now, timedelta(days=3))
        assert await sender.send_due() == 0
        assert (_check_ins(fake_discord, ann), _check_ins(fake_discord, bo)) == (1, 1)
        assert _attempts(fake_discord) == 3
        (pending,) = (await bot.deps.store.export(ann.id))["check_ins"]  # type: ignore[misc]
        assert pending["pending"] is False  # sent: the Discord id is no longer stored


async def test_a_check_in_failing_for_a_day_is_given_up_and_nothing_about_the_person_logged(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = bot_settings(tmp_path / "data", repair_coach_check_in_hours=1e-6)
    cy = fake_discord.create_user("cy")
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(cy, f"{STORY} It was about {SECRET}.")
        await answered(fake_discord, cy)
        (check_in,) = (await bot.deps.store.export(cy.id))["check_ins"]  # type: ignore[misc]
        fake_discord.fail("POST", MESSAGES, status=503, times=1000)  # an outage of days
        sender, now = _sender(bot), bot.deps.clock()
        step = timedelta(minutes=61)  # one round a little after each retry is due
        for n in range(30):
            bot.deps.clock = _at(now, n * step)
            assert await sender.send_due() == 0
        # Tried at 0, 61 min, …, 24 × 61 min: the first failure over a day past its time is
        # the last (reported_at + check_in_after + 1 day).
        assert _attempts(fake_discord) == 25
        assert _check_ins(fake_discord, cy) == 0
        (given_up,) = (await bot.deps.store.export(cy.id))["check_ins"]  # type: ignore[misc]
        assert given_up["pending"] is False  # the Discord id is not kept for nothing
    logged = [r.getMessage() for r in caplog.records if r.levelno > logging.DEBUG]
    assert sum("check-in given up" in line for line in logged) == 1
    assert any("HTTP 503" in line for line in logged)
    private = (str(cy.id), check_in["report_id"], SECRET, "biopsy", "husband")
    assert not [line for line in logged if any(p in line for p in private)]


async def test_a_check_in_discord_refuses_is_not_tried_again(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path / "data", repair_coach_check_in_hours=1e-6)
    dot = fake_discord.create_user("dot")
    async with running_bot(fake_discord, settings) as bot:
        await fake_discord.dm(dot, STORY)
        await answered(fake_discord, dot)
        fake_discord.fail("POST", MESSAGES, status=404)  # e.g. the account is gone
        sender, now = _sender(bot), bot.deps.clock()
        assert await sender.send_due() == 0
        bot.deps.clock = _at(now, timedelta(hours=2))
        assert await sender.send_due() == 0
        assert _attempts(fake_discord) == 1


class _FailingSchedule(SqlBotStore):
    async def schedule(self, *args: object, **kwargs: object) -> None:
        raise HistoryUnavailable("schedule check-in failed")


async def test_a_check_in_that_cannot_be_put_back_is_lost_alone(
    fake_discord: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = bot_settings(tmp_path / "data", repair_coach_check_in_hours=1e-6)
    eve, fay = fake_discord.create_user("eve"), fake_discord.create_user("fay")
    async with running_bot(fake_discord, settings) as bot:
        for person in (eve, fay):
            await fake_discord.dm(person, STORY)
            await answered(fake_discord, person)
        bot.deps.store = _FailingSchedule(bot.deps.history)  # type: ignore[arg-type]
        fake_discord.fail("POST", MESSAGES, status=503)
        assert await _sender(bot).send_due() == 1
        assert (_check_ins(fake_discord, eve), _check_ins(fake_discord, fay)) == (0, 1)
    assert "check-in lost: HistoryUnavailable" in [
        r.getMessage() for r in caplog.records if r.levelno == logging.ERROR
    ]
