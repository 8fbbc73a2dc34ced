"""One person's current story across messages.

Each message is sorted by `turns.kind`, then:

- a story message (the first, or a follow-up that adds detail) is added to the story and the
  WHOLE story is coached again, so the safety screen reads everything told so far every time:
  a worry in the second message is caught, and stays caught while the story goes on;
- small talk gets a short reply, never three scripts;
- a question about the advice gets a short reply, but only after the coach, reading the whole
  story with the question added, finds no worry in it: a question that carries one ("what if he
  hits me again?") is taken as part of the story and coached;
- "new", or 30 minutes with no message (by the injected clock), starts over.

Once an answer has a safety level or a safety question, every message until the story ends is
taken as part of the story and coached again: "ok" after "Are you thinking about ending your
life?" is not small talk, and the answer (with its resources) is given again. A short "yes" to
that question is taken at its word: the worry it confirms is added to the story said plainly
(confirm.py), and the screen answers it with the hard tier.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from coaching.conversation import confirm, replies, turns
from coaching.conversation.turns import Turn
from coaching.models import Assessment, Reply
from coaching.service import CoachService, InputError, clean_input
from coaching.taxonomy import Safety

Clock = Callable[[], float]  # seconds, monotonic: `time.monotonic` in an adapter, a fake in tests
IDLE_AFTER = 30 * 60.0  # seconds with no message before a story ends
_SEPARATOR = "\n"  # a line break ends a sentence for the reader and the screen


class Conversation:
    """One person's current story. Turns run one at a time (a lock), in arrival order."""

    def __init__(
        self,
        service: CoachService,
        user_id: str,
        clock: Clock,
        idle_after: float = IDLE_AFTER,
    ) -> None:
        self._service = service
        self._user_id = user_id
        self._clock = clock
        self._idle_after = idle_after
        self._parts: list[str] = []  # the story's messages as written, oldest first
        self._last: Assessment | None = None  # the latest answer to the story
        # The story's report in the history: each re-coaching updates it (one story, one report).
        self._report_id: str | None = None
        self._active_at: float | None = None
        self._asked_for_more = False  # the one question for more was asked for this story
        self._lock = asyncio.Lock()

    @property
    def user_id(self) -> str:
        return self._user_id

    @property
    def story(self) -> str:
        """The story as the coach last read it ("" when there is none)."""
        return _SEPARATOR.join(self._parts)

    def idle(self) -> bool:
        """True when the last message is at least `idle_after` seconds old."""
        return self._active_at is not None and self._clock() - self._active_at >= self._idle_after

    @property
    def report_id(self) -> str | None:
        """The current story's report in the person's history (None until one is recorded)."""
        return self._report_id

    @property
    def worried(self) -> bool:
        """Whether the story's latest answer carries a safety level or question: every message
        is then part of the story (an adapter must not hold such a message back)."""
        return self._worried()

    def reset(self) -> None:
        """Start over: no story, no answer, and the next story is a new report."""
        self._parts = []
        self._last = None
        self._report_id = None
        self._asked_for_more = False

    async def turn(self, text: str) -> Assessment | Reply:
        """Answer one message. Raises `InputError` (the story unchanged) for text the coach
        refuses: empty, or over the limit on its own."""
        async with self._lock:
            if self.idle():
                self.reset()
            self._active_at = self._clock()
            message = clean_input(text)  # refuses empty and over-long text, as the coach does
            kind = turns.kind(message)
            if kind is Turn.NEW:
                self.reset()
                return Reply(text=replies.NEW_STORY)
            if self._worried():
                return await self._follow_up(self._with_what_yes_confirms(text, message))
            if kind is Turn.SMALL_TALK:
                has_story = bool(self._parts)
                return Reply(text=replies.small_talk(turns.flavour(message), has_story=has_story))
            if kind is Turn.QUESTION:
                return await self._question(text, message)
            if not self._parts and not self._asked_for_more and turns.too_short(message):
                return await self._ask_for_more(text)
            return await self._follow_up(text)

    async def _ask_for_more(self, text: str) -> Assessment | Reply:
        """A first message too short to coach: one question for the rest, keeping what was said
        as the story's start. Read by the coach first (not recorded): a worry in it is answered
        at once, as the whole story."""
        answer = await self._service.coach(self._user_id, text, record=False)
        if answer.safety is not Safety.NONE or answer.safety_check:
            return await self._follow_up(text)
        self._parts = [text.strip()]
        self._asked_for_more = True
        return Reply(text=replies.TELL_ME_MORE)

    def _with_what_yes_confirms(self, text: str, message: str) -> str:
        """`text`, and when it is a short yes to the middle tier's question, the question's
        worry said plainly after it (confirm.py): the screen then answers a plain statement."""
        last = self._last
        if last is None or last.safety is not Safety.NONE or not confirm.says_yes(message):
            return text
        statement = confirm.confirmed(last.safety_check)
        return f"{text.strip()} {statement}" if statement else text

    def _worried(self) -> bool:
        last = self._last
        return last is not None and (last.safety is not Safety.NONE or bool(last.safety_check))

    async def _follow_up(self, text: str) -> Assessment:
        """Add the message to the story and coach the whole story again (its report updated in
        place)."""
        parts = _within_limit([*self._parts, text.strip()])
        answer = await self._coach(parts)
        self._parts, self._last = parts, answer
        return answer

    async def _coach(self, parts: list[str]) -> Assessment:
        story = _SEPARATOR.join(parts)
        answer = await self._service.coach(self._user_id, story, report_id=self._report_id)
        self._report_id = answer.report_id or self._report_id
        return answer

    async def _question(self, text: str, message: str) -> Assessment | Reply:
        """A reply when the whole story with the question added raises no worry; else the
        question is part of the story (and that answer, which carries the worry, is given).
        The question is read without recording: only a question that joins the story (one that
        carries a worry) is coached again and recorded as part of the story's report."""
        parts = _within_limit([*self._parts, text.strip()])
        story = _SEPARATOR.join(parts)
        answer = await self._service.coach(self._user_id, story, record=False)
        if answer.safety is not Safety.NONE or answer.safety_check:
            answer = await self._coach(parts)
            self._parts, self._last = parts, answer
            return answer
        if not self._parts:
            return Reply(text=replies.STORY_FIRST)
        return Reply(text=replies.answer(message))


def _within_limit(parts: list[str]) -> list[str]:
    """The latest parts whose story the coach accepts (its 4,000-character limit, what a Discord
    modal allows), dropping the oldest whole messages first. The latest are kept because they
    are what the person just said: a new worry is most likely there and must never be the part
    cut, and the older parts were already screened and coached when they arrived. The newest
    message alone always fits: `turn` refused it otherwise."""
    kept = list(parts)
    while len(kept) > 1 and not _fits(_SEPARATOR.join(kept)):
        kept.pop(0)
    return kept


def _fits(story: str) -> bool:
    try:
        clean_input(story)
    except InputError:
        return False
    return True
