"""CoachService(at_once=K): at most K coachings do their own work together; waiting on the
classifier (an LLM's latency) is not part of a turn."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from coaching.history.records import UserSettings
from coaching.models import Classification, Draft, PatternHit
from coaching.service import CoachService
from coaching.taxonomy import Moment, PatternId
from tests.history_memory import FakeHistoryStore

STORY = "I told my brother I got the job and he just said 'ok' and went back to his game."


class SlowClassifier:
    """Answers once `go` is set, like an LLM that takes its time; counts who is waiting."""

    def __init__(self) -> None:
        self.go = asyncio.Event()
        self.waiting = 0

    async def classify(self, text: str, *, history: str = "") -> Draft:
        self.waiting += 1
        await self.go.wait()
        hit = PatternHit(id=PatternId.DISENGAGEMENT, confidence=0.8, evidence="ok")
        return Draft(
            classification=Classification(
                rupture=True,
                moment=Moment.VULNERABILITY_DISMISSED,
                patterns=[hit],
                writer_role="hurt",
            ),
            classifier="llm",
        )


class HeldStore(FakeHistoryStore):
    """Holds every coaching that reads its settings until `release` is set; counts them."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.inside = 0
        self.most = 0

    async def settings(self, user_id: str) -> UserSettings:
        self.inside += 1
        self.most = max(self.most, self.inside)
        try:
            await self.release.wait()
            return await super().settings(user_id)
        finally:
            self.inside -= 1


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)


async def test_waiting_on_the_classifier_does_not_hold_a_turn() -> None:
    classifier = SlowClassifier()
    service = CoachService(classifier, FakeHistoryStore(), at_once=1)
    coachings = [asyncio.create_task(service.coach(f"u{n}", STORY)) for n in range(3)]
    for _ in range(200):
        if classifier.waiting == 3:
            break
        await asyncio.sleep(0.01)
    assert classifier.waiting == 3  # all three screened and read their history, one at a time
    classifier.go.set()
    answers = await asyncio.gather(*coachings)
    assert all(a.phrasings and a.report_id for a in answers)


async def test_no_more_than_at_once_coachings_work_together() -> None:
    classifier = SlowClassifier()
    classifier.go.set()
    for at_once, expected in ((2, 2), (None, 8)):
        store = HeldStore()
        service = CoachService(classifier, store, at_once=at_once)
        coachings = [asyncio.create_task(service.coach(f"u{n}", STORY)) for n in range(8)]
        await _until(lambda store=store, expected=expected: store.inside == expected)
        await asyncio.sleep(0.2)  # time for any other coaching to get in, were it let
        assert store.most == expected
        store.release.set()
        answers = await asyncio.gather(*coachings)
        assert all(a.phrasings for a in answers)
