"""The OpenAI-compatible adapter: a `Classifier` that asks any chat-completions endpoint.

Modules: `classifier` (the call, its deadline and fallbacks), `schema` (the answer and its
strict/bounded JSON schema), `provider` (what differs between providers), `retry` (retries
inside the deadline), `moderation` (the optional moderation endpoint), `prompt` (messages;
the prompt text itself is package data in `prompts/`).
"""

from llm.classifier import OpenAIClassifier
from llm.provider import schema_mode_for
from llm.schema import SchemaMode

__all__ = ["OpenAIClassifier", "SchemaMode", "schema_mode_for"]
