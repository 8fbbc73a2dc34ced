"""`CoachService.script` (the Discord bot's /repair) and `safety_first` (run before a rate limit
could withhold an answer): templates alone, screened first, shaped by the person's settings."""

from __future__ import annotations

from coaching.history.records import UserSettings
from coaching.phrasing import guard
from coaching.service import CoachService
from coaching.taxonomy import PatternId, Safety, Style
from coaching.understanding.offline import OfflineClassifier
from tests.history_memory import FakeHistoryStore


async def test_a_script_names_the_pattern_and_offers_every_style(service: CoachService) -> None:
    answer = await service.script("u", PatternId.MINIMIZING, "my mum said it was only a dog")
    assert answer.safety is Safety.NONE and answer.patterns[0].id is PatternId.MINIMIZING
    assert {p.style for p in answer.phrasings} == set(Style)
    assert all(guard.passes(p.text, p.style, "hurt") for p in answer.phrasings)
    assert answer.partner_prompt and answer.report_id is None


async def test_a_script_for_the_writer_who_caused_it_is_a_repair_attempt(
    service: CoachService,
) -> None:
    answer = await service.script("u", PatternId.DISENGAGEMENT, role="caused")
    assert answer.writer_role == "caused" and answer.partner_prompt == ""
    assert all("sorry" in p.text.lower() for p in answer.phrasings)
    assert all(guard.passes(p.text, p.style, "caused") for p in answer.phrasings)


async def test_a_situation_with_a_threat_gets_resources_and_no_script(
    service: CoachService,
) -> None:
    answer = await service.script("u", PatternId.DEFENSIVENESS, "he said he'd kill me if I leave")
    assert answer.safety is Safety.ABUSE and answer.phrasings == [] and answer.resources


async def test_the_persons_tone_and_name_shape_the_script(classifier: OfflineClassifier) -> None:
    history = FakeHistoryStore()
    await history.save_settings("ana", UserSettings(tone=Style.DIRECT, other_name="Sam"))
    service = CoachService(classifier, history=history)
    answer = await service.script("ana", PatternId.IMPATIENCE)
    assert answer.phrasings[0].style is Style.DIRECT
    assert any("Sam" in p.text for p in answer.phrasings)
    assert history.reports_of("ana") == []  # a script is not a story: nothing recorded


async def test_safety_first_answers_a_crisis_and_passes_an_ordinary_story(
    service: CoachService,
) -> None:
    crisis = await service.safety_first("I don't want to be alive anymore")
    assert crisis is not None and crisis.safety is Safety.CRISIS and crisis.phrasings == []
    assert await service.safety_first("He checked his phone while I talked about work.") is None


async def test_the_persons_locale_puts_their_lines_first(classifier: OfflineClassifier) -> None:
    history = FakeHistoryStore()
    service = CoachService(classifier, history=history)
    story = "I don't want to be alive anymore"
    default = await service.coach("ana", story)
    assert default.resources[0].region == "US"
    await history.save_settings("ana", UserSettings(locale="en-GB"))
    local = await service.coach("ana", story)
    assert local.resources[0].region == "UK and Ireland"
    assert {r.name for r in local.resources} == {r.name for r in default.resources}
    assert local.resources[-1].contact == "findahelpline.com"
