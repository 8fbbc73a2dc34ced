"""One conversation per person: two people's stories are never mixed, and idle ones go."""

from __future__ import annotations

from coaching.conversation.conversation import IDLE_AFTER, Clock, Conversation
from coaching.models import Assessment, Reply
from coaching.service import CoachService


class ConversationRegistry:
    """The conversations in memory, by person id. Each person's messages go to their own
    `Conversation` only; one idle for `idle_after` seconds is dropped (its story ended anyway,
    and a story is intimate: it is kept no longer than it is needed)."""

    def __init__(self, service: CoachService, clock: Clock, idle_after: float = IDLE_AFTER) -> None:
        self._service = service
        self._clock = clock
        self._idle_after = idle_after
        self._conversations: dict[str, Conversation] = {}

    def __len__(self) -> int:
        return len(self._conversations)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._conversations

    def conversation(self, user_id: str) -> Conversation:
        """The person's conversation, started if they have none (idle ones are dropped first)."""
        self.drop_idle()
        found = self._conversations.get(user_id)
        if found is None:
            found = Conversation(self._service, user_id, self._clock, self._idle_after)
            self._conversations[user_id] = found
        return found

    async def turn(self, user_id: str, text: str) -> Assessment | Reply:
        """One message from one person, answered within their own conversation."""
        return await self.conversation(user_id).turn(text)

    def drop_idle(self) -> int:
        """Forget every idle conversation; returns how many went. A walk over all of them, run on
        every message: fine for the people one process talks with in half an hour."""
        idle = [user_id for user_id, c in self._conversations.items() if c.idle()]
        for user_id in idle:
            del self._conversations[user_id]
        return len(idle)
