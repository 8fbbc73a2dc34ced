"""The answers the bot gave lately, in memory, so *Softer*, *More direct* and *Why this?* can
work on them without storing the story anywhere.

Bounded (the oldest go first) and per person: a key is the person's id with the answer's token,
so one person's button can never reach another's answer. After a restart it is empty: those
buttons then say the story is gone (unless the person keeps text, then it comes back from the
history).
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from coaching.models import Assessment


@dataclass(frozen=True, slots=True)
class Remembered:
    answer: Assessment
    story: str


def answer_token(answer: Assessment) -> str:
    """The id the buttons carry: the report id when the answer was recorded, else a fresh random
    one of the same shape (32 hex digits)."""
    return answer.report_id or secrets.token_hex(16)


class AnswerMemory:
    def __init__(self, size: int = 2000) -> None:
        self._size = size
        self._items: OrderedDict[tuple[int, str], Remembered] = OrderedDict()

    def put(self, user_id: int, token: str, answer: Assessment, story: str) -> None:
        key = (user_id, token)
        self._items[key] = Remembered(answer, story)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def get(self, user_id: int, token: str) -> Remembered | None:
        return self._items.get((user_id, token))

    def forget(self, user_id: int) -> None:
        for key in [k for k in self._items if k[0] == user_id]:
            del self._items[key]
