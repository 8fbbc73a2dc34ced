"""The coaching service with a history (issue 14.3): recurring patterns, what helps this
person, their settings in every phrasing, a bounded summary for the LLM, and a store that
fails without costing the person their answer. The store is an in-memory double of our own
port (tests/history_memory.py); the SQL store is tested in db/'s own suite."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from coaching.conversation import Conversation
from coaching.history.preferences import LEAD_INS
from coaching.history.records import Offered, PatternSeen, Rating, Report, UserSettings
from coaching.history.summary import history_summary
from coaching.messages import RECORDING_NOTICE
from coaching.models import Assessment, By, Classification, Draft, Exchange, PatternHit, Phrasing
from coaching.phrasing import guard
from coaching.ports import HistoryUnavailable
from coaching.service import CoachService
from coaching.taxonomy import Moment, PatternId, Safety, Style
from coaching.understanding.offline import OfflineClassifier
from llm import OpenAIClassifier, SchemaMode
from llm.moderation import MISSING_ENDPOINTS
from tests.fakes import FakeClassifier, FakeOpenAIServer
from tests.history_memory import FakeFailingHistoryStore, FakeHistoryStore

P = PatternId
USER = "alice"
START = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
STORY = (
    "I told my husband I was nervous about the interview and he said I should just prepare more."
)
CRISIS = "I don't want to be alive anymore. I have pills saved up."
SECRET = "Wilhelmina"  # a word that is only in the story, to look for in logs


class FakeDateClock:
    """UTC datetimes that move only when a test says so."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class FakeFixedClassifier:
    """A `Classifier` that returns one Draft and remembers the history summaries it was given."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.histories: list[str] = []

    async def classify(self, text: str, *, history: str = "") -> Draft:
        self.histories.append(history)
        return self.draft


def hurt(
    *patterns: PatternId, moment: Moment = Moment.VULNERABILITY_DISMISSED, by: By | None = None
) -> Draft:
    hits = [PatternHit(id=p, confidence=0.8, evidence="", by=by) for p in patterns]
    return Draft(
        classification=Classification(
            rupture=True,
            writer_role="hurt",
            moment=moment,
            patterns=hits,
            exchange=Exchange(actor="he", shared="I was nervous about the interview"),
        ),
        classifier="offline",
    )


def caused(pattern: PatternId) -> Draft:
    return Draft(
        classification=Classification(
            rupture=True,
            writer_role="caused",
            moment=Moment.VULNERABILITY_DISMISSED,
            patterns=[PatternHit(id=pattern, confidence=0.8, evidence="", by="writer")],
            exchange=Exchange(actor="she", shared="she was scared about the biopsy"),
        ),
        classifier="offline",
    )


def past(
    report_id: str,
    at: datetime,
    *patterns: PatternId,
    by: By = "other",
    user_id: str = USER,
    picked: Style | None = None,
    rating: Rating | None = None,
) -> Report:
    return Report(
        report_id=report_id,
        user_id=user_id,
        at=at,
        safety=Safety.NONE,
        safety_check_asked=False,
        rupture=True,
        writer_role="hurt" if by == "other" else "caused",
        moment=Moment.VULNERABILITY_DISMISSED,
        patterns=tuple(PatternSeen(pattern=p, confidence=0.8, by=by) for p in patterns),
        classifier="offline",
        offered=(Offered(style=Style.GENTLE, template="template.0", text=f"text {report_id}"),),
        picked=picked,
        rating=rating,
    )


@pytest.fixture
def store() -> FakeHistoryStore:
    return FakeHistoryStore()


@pytest.fixture
def clock() -> FakeDateClock:
    return FakeDateClock()


def coach_with(draft: Draft, store: FakeHistoryStore, clock: FakeDateClock) -> CoachService:
    return CoachService(FakeFixedClassifier(draft), store, clock=clock)


def all_pass(answer: Assessment) -> bool:
    return all(guard.passes(p.text, p.style, answer.writer_role) for p in answer.phrasings)


# --- what is recorded --------------------------------------------------------------------------


async def test_a_report_is_recorded_with_labels_and_no_story_text_when_keep_text_is_off(
    classifier: OfflineClassifier, store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = CoachService(classifier, store, clock=clock)
    answer = await service.coach(USER, STORY)
    assert answer.report_id is not None
    (report,) = store.saved
    assert report.report_id == answer.report_id and report.user_id == USER
    assert report.at == START
    assert (report.safety, report.rupture, report.writer_role) == (
        answer.safety,
        answer.rupture,
        answer.writer_role,
    )
    assert report.moment == answer.moment
    assert [s.pattern for s in report.patterns] == [p.id for p in answer.patterns]
    assert report.story is None and report.evidence == ()
    assert [o.style for o in report.offered] == [p.style for p in answer.phrasings]
    assert answer.history is not None and answer.history.reports == 1


async def test_kept_text_is_handed_to_the_store_only_when_the_person_keeps_it(
    classifier: OfflineClassifier, store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    await store.save_settings(USER, UserSettings(keep_text=True))
    await CoachService(classifier, store, clock=clock).coach(USER, STORY)
    assert store.saved[0].story == STORY


async def test_follow_ups_in_one_conversation_update_one_report(
    classifier: OfflineClassifier, store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = CoachService(classifier, store, clock=clock)
    conversation = Conversation(service, USER, clock=lambda: 0.0)
    first = await conversation.turn(STORY)
    clock.advance(minutes=5)
    second = await conversation.turn("And when I tried again later he said I was being dramatic.")
    assert isinstance(first, Assessment) and isinstance(second, Assessment)
    assert first.report_id is not None and second.report_id == first.report_id
    assert len(store.reports_of(USER)) == 1
    assert store.reports_of(USER)[0].at == START  # the story's time is when it was first told
    assert second.history is not None and second.history.reports == 1
    await conversation.turn("new")
    third = await conversation.turn(STORY)
    assert isinstance(third, Assessment) and third.report_id != first.report_id
    assert len(store.reports_of(USER)) == 2


async def test_a_question_about_the_advice_records_nothing(
    classifier: OfflineClassifier, store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    conversation = Conversation(CoachService(classifier, store, clock=clock), USER, lambda: 0.0)
    await conversation.turn(STORY)
    await conversation.turn("should I text him or wait until tonight?")
    assert len(store.saved) == 1


# --- recurring patterns ------------------------------------------------------------------------


async def test_a_pattern_in_three_stories_within_30_days_recurs(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.UNSOLICITED_ADVICE), store, clock)
    answers = []
    for _ in range(3):
        answers.append(await service.coach(USER, STORY))
        clock.advance(days=9)
    third = answers[-1]
    assert third.moment is Moment.REPEATED_MISUNDERSTANDING
    assert "This is the third time in a month you've described being brushed off with advice." in (
        third.summary
    )
    assert third.history is not None and third.history.recurring == [P.UNSOLICITED_ADVICE]
    assert third.phrasings[0].text.startswith("I've noticed a few times lately that when I bring")
    assert len(third.phrasings) == 4 and {p.style for p in third.phrasings[1:]} == set(Style)
    assert all_pass(third)
    assert store.saved[-1].moment is Moment.REPEATED_MISUNDERSTANDING


async def test_two_stories_are_not_yet_recurring(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.UNSOLICITED_ADVICE), store, clock)
    await service.coach(USER, STORY)
    second = await service.coach(USER, STORY)
    assert second.moment is Moment.VULNERABILITY_DISMISSED
    assert second.history is not None and second.history.recurring == []
    assert len(second.phrasings) == 3 and "time in a month" not in second.summary


async def test_a_story_coached_three_times_counts_once(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.UNSOLICITED_ADVICE), store, clock)
    first = await service.coach(USER, STORY)
    for _ in range(2):
        again = await service.coach(USER, STORY, report_id=first.report_id)
    assert again.history is not None and again.history.reports == 1
    assert again.moment is Moment.VULNERABILITY_DISMISSED


async def test_a_pattern_the_writer_did_does_not_count(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(caused(P.UNSOLICITED_ADVICE), store, clock)
    for _ in range(3):
        answer = await service.coach(USER, STORY)
    assert answer.history is not None and answer.history.recurring == []
    assert answer.moment is Moment.VULNERABILITY_DISMISSED
    assert all(seen.by == "writer" for seen in store.saved[-1].patterns)


async def test_stories_outside_the_window_do_not_count(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    store.add(past("old1", START - timedelta(days=45), P.UNSOLICITED_ADVICE))
    store.add(past("old2", START - timedelta(days=31), P.UNSOLICITED_ADVICE))
    answer = await coach_with(hurt(P.UNSOLICITED_ADVICE), store, clock).coach(USER, STORY)
    assert answer.moment is Moment.VULNERABILITY_DISMISSED
    assert answer.history is not None and answer.history.reports == 1


async def test_the_thresholds_are_configurable(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    store.add(past("old", START - timedelta(days=50), P.MINIMIZING))
    service = CoachService(
        FakeFixedClassifier(hurt(P.MINIMIZING)),
        store,
        clock=clock,
        window=timedelta(days=60),
        recurring_after=2,
    )
    answer = await service.coach(USER, STORY)
    assert answer.moment is Moment.REPEATED_MISUNDERSTANDING
    assert "This is the second time in 60 days" in answer.summary


async def test_safety_answers_are_counted_but_get_no_script(
    classifier: OfflineClassifier, store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    for n in range(3):
        store.add(past(f"p{n}", START - timedelta(days=n + 1), P.UNSOLICITED_ADVICE))
    answer = await CoachService(classifier, store, clock=clock).coach(USER, CRISIS)
    assert answer.safety is Safety.CRISIS
    assert answer.phrasings == [] and answer.partner_prompt == ""
    assert answer.moment is None
    assert answer.history is not None and answer.history.reports == 4
    assert store.saved[-1].safety is Safety.CRISIS and store.saved[-1].patterns == ()


# --- what helps this person --------------------------------------------------------------------


async def test_feedback_moves_a_helpful_style_first(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.MINIMIZING), store, clock)
    before = await service.coach(USER, STORY)
    assert [p.style for p in before.phrasings] == [Style.GENTLE, Style.DIRECT, Style.NVC]
    assert before.report_id is not None
    assert await store.feedback(USER, before.report_id, "helped", Style.NVC)
    after = await service.coach(USER, STORY)
    assert [p.style for p in after.phrasings] == [Style.NVC, Style.GENTLE, Style.DIRECT]


async def test_a_style_that_did_not_quite_help_moves_down(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    store.add(
        past("p1", START - timedelta(days=1), P.MINIMIZING, picked=Style.GENTLE, rating="not_quite")
    )
    answer = await coach_with(hurt(P.MINIMIZING), store, clock).coach(USER, STORY)
    assert [p.style for p in answer.phrasings] == [Style.DIRECT, Style.NVC, Style.GENTLE]


async def test_the_tone_setting_puts_that_style_first(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    store.add(
        past("p1", START - timedelta(days=1), P.MINIMIZING, picked=Style.NVC, rating="helped")
    )
    await store.save_settings(USER, UserSettings(tone=Style.DIRECT))
    answer = await coach_with(hurt(P.MINIMIZING), store, clock).coach(USER, STORY)
    assert [p.style for p in answer.phrasings] == [Style.DIRECT, Style.NVC, Style.GENTLE]


async def test_a_phrasing_offered_in_the_window_is_not_offered_word_for_word_again(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.MINIMIZING), store, clock)
    seen: set[str] = set()
    for _ in range(6):
        answer = await service.coach(USER, STORY)
        texts = {p.text for p in answer.phrasings}
        assert not texts & seen
        assert all_pass(answer)
        seen |= texts
        clock.advance(days=1)


async def test_the_same_words_come_back_after_the_window(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.MINIMIZING), store, clock)
    first = await service.coach(USER, STORY)
    clock.advance(days=31)
    later = await service.coach(USER, STORY)
    assert later.phrasings == first.phrasings


async def test_a_story_re_coached_keeps_its_own_words(
    classifier: OfflineClassifier, store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    store.add(past("p1", START - timedelta(days=1), P.MINIMIZING))  # its template.0 too
    service = CoachService(classifier, store, clock=clock)
    first = await service.coach(USER, STORY)
    again = await service.coach(USER, STORY, report_id=first.report_id)
    assert again.phrasings == first.phrasings


# --- settings shape every phrasing -------------------------------------------------------------


async def test_the_other_persons_name_opens_each_offline_phrasing_and_is_nowhere_else(
    classifier: OfflineClassifier, store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    await store.save_settings(USER, UserSettings(other_name="Sam"))
    answer = await CoachService(classifier, store, clock=clock).coach(USER, STORY)
    for phrasing in answer.phrasings:
        assert phrasing.text.startswith("Sam, ")
        assert phrasing.text.count("Sam") == 1
        assert not phrasing.text.startswith("Sam, When")
    assert all_pass(answer)


async def test_the_other_persons_name_opens_the_llms_phrasings_too(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    await store.save_settings(USER, UserSettings(other_name="Sam"))
    llm = hurt(P.MINIMIZING).model_copy(
        update={
            "classifier": "llm",
            "phrasings": [
                Phrasing(
                    style=s,
                    text=f"When you said it was nothing, I felt small ({s}). Could we talk?",
                )
                for s in Style
            ],
        }
    )
    answer = await coach_with(llm, store, clock).coach(USER, STORY)
    assert answer.phrasings[0].text == (
        "Sam, when you said it was nothing, I felt small (gentle). Could we talk?"
    )
    assert all(p.text.startswith("Sam, when you said") for p in answer.phrasings)


async def test_a_name_that_is_a_label_is_not_used(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    await store.save_settings(USER, UserSettings(other_name="selfish"))
    answer = await coach_with(hurt(P.MINIMIZING), store, clock).coach(USER, STORY)
    assert not any("selfish" in p.text for p in answer.phrasings)


async def test_history_off_records_nothing_but_tone_and_name_still_apply(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    await store.save_settings(USER, UserSettings(history=False, tone=Style.NVC, other_name="Sam"))
    draft = hurt(P.MINIMIZING)
    classifier = FakeFixedClassifier(draft)
    for _ in range(3):
        answer = await CoachService(classifier, store, clock=clock).coach(USER, STORY)
    assert store.saved == []
    assert answer.report_id is None and answer.history is None and answer.notice == ""
    assert answer.phrasings[0].style is Style.NVC
    assert all(p.text.startswith("Sam, ") for p in answer.phrasings)
    assert classifier.histories == ["", "", ""]


async def test_without_a_store_the_answer_is_as_before(classifier: OfflineClassifier) -> None:
    answer = await CoachService(classifier).coach(USER, STORY)
    assert answer.report_id is None and answer.history is None and answer.notice == ""
    assert [p.style for p in answer.phrasings] == list(Style)


# --- faults ------------------------------------------------------------------------------------


@pytest.mark.parametrize("failing", ["settings", "reports_since", "offered_before", "save_report"])
async def test_a_failing_store_still_answers_and_logs_no_content(
    failing: str,
    classifier: OfflineClassifier,
    clock: FakeDateClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    store = FakeFailingHistoryStore(failing)
    story = f"I told my sister {SECRET} I was nervous about the interview and she laughed."
    answer = await CoachService(classifier, store, clock=clock).coach(USER, story)
    assert answer.phrasings and answer.safety is Safety.NONE
    if failing != "offered_before":
        assert answer.report_id is None and answer.history is None and answer.notice == ""
    assert "history unavailable" in caplog.text
    assert SECRET not in caplog.text and "nervous" not in caplog.text


async def test_any_exception_from_the_store_is_survived(
    classifier: OfflineClassifier, clock: FakeDateClock
) -> None:
    store = FakeFailingHistoryStore("save_report", error=OSError)
    answer = await CoachService(classifier, store, clock=clock).coach(USER, STORY)
    assert answer.phrasings and answer.report_id is None
    assert issubclass(HistoryUnavailable, RuntimeError)


# --- the first record --------------------------------------------------------------------------


async def test_the_first_record_notice_appears_once(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.MINIMIZING), store, clock)
    first = await service.coach(USER, STORY)
    second = await service.coach(USER, STORY)
    clock.advance(days=40)  # an empty window is not a first record
    later = await service.coach(USER, STORY)
    assert first.notice == RECORDING_NOTICE
    assert "repair-coach settings history off" in first.notice and "\n" not in first.notice
    assert second.notice == "" and later.notice == ""
    other = await service.coach("bob", STORY)
    assert other.notice == RECORDING_NOTICE


async def test_the_answers_json_carries_report_id_history_and_notice(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    answer = await coach_with(hurt(P.MINIMIZING), store, clock).coach(USER, STORY)
    shown = json.loads(answer.model_dump_json())
    assert shown["report_id"] == answer.report_id
    assert shown["history"] == {"reports": 1, "recurring": []}
    assert shown["notice"] == RECORDING_NOTICE


# --- the bounded summary -----------------------------------------------------------------------


def many_reports(n: int) -> list[Report]:
    patterns = list(PatternId)
    return [
        past(
            f"r{i}",
            START - timedelta(minutes=i),
            patterns[i % 10],
            patterns[(i * 3) % 10],
            picked=list(Style)[i % 3],
            rating="helped" if i % 2 else "not_quite",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [10, 1_000, 10_000])
def test_the_summary_stays_within_600_characters(n: int) -> None:
    summary = history_summary(many_reports(n), START)
    assert 0 < len(summary) <= 600
    assert f"{n} reports" in summary and "unsolicited_advice" in summary
    assert "text r" not in summary  # no offered text, no story


def test_the_summary_is_empty_without_history() -> None:
    assert history_summary([], START) == ""


async def test_the_summary_reaches_the_classifier(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    for report in many_reports(20):
        store.add(report)
    classifier = FakeFixedClassifier(hurt(P.MINIMIZING))
    await CoachService(classifier, store, clock=clock).coach(USER, STORY)
    assert classifier.histories[0].startswith("Past 30 days: 20 reports.")


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server
    MISSING_ENDPOINTS.clear()


async def test_the_llm_request_carries_the_bounded_summary_for_1000_reports(
    fake_openai: FakeOpenAIServer,
    classifier: OfflineClassifier,
    store: FakeHistoryStore,
    clock: FakeDateClock,
) -> None:
    for report in many_reports(1_000):
        store.add(report)
    client = fake_openai.client(max_retries=0)
    llm = OpenAIClassifier(
        client=client,
        model="test-model",
        fallback=FakeClassifier(classifier),
        timeout=5.0,
        schema_mode=SchemaMode.STRICT,
        moderation=False,
    )
    answer = await CoachService(llm, store, clock=clock).coach(USER, STORY)
    await client.close()
    assert answer.classifier == "llm"
    (request,) = fake_openai.chat_requests
    user = request.body["messages"][-1]["content"]
    block = user.split("<history>\n", 1)[1].split("\n</history>", 1)[0]
    assert "1000 reports" in block and len(block) <= 600
    assert "<description>" in user and user.index("<description>") < user.index("<history>")


async def test_once_every_wording_was_offered_the_same_words_come_after_a_lead_in(
    store: FakeHistoryStore, clock: FakeDateClock
) -> None:
    service = coach_with(hurt(P.MINIMIZING), store, clock)
    seen: set[str] = set()
    led_in: list[str] = []
    for _ in range(20):
        answer = await service.coach(USER, STORY)
        texts = {p.text for p in answer.phrasings}
        assert all_pass(answer)
        led_in += [t for t in texts if t.startswith(LEAD_INS)]
        if not led_in:
            assert not texts & seen  # fresh words while any are left
        seen |= texts
        clock.advance(hours=12)
    assert led_in, "twenty stories in the window should use up the plain wordings"
