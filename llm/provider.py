"""What differs between providers behind the same OpenAI-compatible API, decided in one place.

OpenAI itself takes strict structured outputs and `max_completion_tokens` (its reasoning
families, o1/o3/o4 and gpt-5, refuse `max_tokens` and any temperature but the default);
llama.cpp and most compatible servers want a bounded schema and know `max_tokens`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from llm.schema import SchemaMode

OPENAI_HOST = "api.openai.com"
# Model ids of OpenAI's reasoning families, also when a gateway prefixes them ("openai/o3").
_REASONING_MODEL = re.compile(r"^(?:o[1-9]|gpt-5)(?:$|[-._:])", re.IGNORECASE)


def is_openai(base_url: str | None) -> bool:
    """OpenAI itself: the SDK's default URL (None) or its API host, not a look-alike."""
    return base_url is None or urlsplit(base_url).hostname == OPENAI_HOST


def schema_mode_for(base_url: str | None) -> SchemaMode:
    """Strict for OpenAI itself (the SDK's default URL when None), bounded for anything else."""
    return SchemaMode.STRICT if is_openai(base_url) else SchemaMode.BOUNDED


@dataclass(frozen=True, slots=True)
class Sampling:
    """How the answer's length and randomness are asked for at one provider and model."""

    token_limit_param: str  # "max_tokens" or "max_completion_tokens"
    sends_temperature: bool


def sampling_for(base_url: str | None, model: str) -> Sampling:
    """`max_completion_tokens` at OpenAI (where `max_tokens` is deprecated) and for its
    reasoning families anywhere (Azure, gateways), which also take no temperature; `max_tokens`
    and a temperature everywhere else (llama.cpp, vLLM, Ollama...)."""
    reasoning = _REASONING_MODEL.match(model.rsplit("/", 1)[-1]) is not None
    newer_api = reasoning or is_openai(base_url)
    return Sampling(
        token_limit_param="max_completion_tokens" if newer_api else "max_tokens",
        sends_temperature=not reasoning,
    )
