"""The OpenAI-compatible adapter: a `Classifier` that asks any chat-completions endpoint."""

from llm.classifier import OpenAIClassifier, SchemaMode, schema_mode_for

__all__ = ["OpenAIClassifier", "SchemaMode", "schema_mode_for"]
