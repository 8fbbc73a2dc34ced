"""The conversation around the coach: one person's current story across messages.

`Conversation.turn(text)` answers with an `Assessment` (the whole story coached again) or a
short `Reply` (small talk, a question about the advice, a request for the story);
`ConversationRegistry` keeps one conversation per person. `turns.py` holds the rules that sort a
message, `replies.py` the words of the replies.
"""

from coaching.conversation.conversation import IDLE_AFTER, Clock, Conversation
from coaching.conversation.registry import ConversationRegistry
from coaching.conversation.turns import Turn

__all__ = ["IDLE_AFTER", "Clock", "Conversation", "ConversationRegistry", "Turn"]
