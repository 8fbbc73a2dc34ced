"""The messages sent to the model: the versioned system prompt and the wrapped description."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_DESCRIPTION_TAG = re.compile(r"<(\s*/?\s*description)", re.IGNORECASE)


@cache
def system_prompt() -> str:
    """The versioned prompt file shipped as package data."""
    return resources.files("llm").joinpath("prompts/system.md").read_text(encoding="utf-8")


def user_message(text: str) -> str:
    """Wrap the description as data; a tag inside it cannot close the wrapper early."""
    neutral = _DESCRIPTION_TAG.sub(r"&lt;\1", text)
    return (
        "Classify this description and write the JSON answer.\n"
        f"<description>\n{neutral}\n</description>"
    )
