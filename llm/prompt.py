"""The messages sent to the model: the versioned system prompt and the wrapped description."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_DESCRIPTION_TAG = re.compile(r"<(\s*/?\s*description)", re.IGNORECASE)
_HISTORY_TAG = re.compile(r"<(\s*/?\s*(?:description|history))", re.IGNORECASE)
HISTORY_MAX_CHARS = 600  # coaching/history/summary.py keeps to it; this is the last bound


@cache
def system_prompt() -> str:
    """The versioned prompt file shipped as package data."""
    return resources.files("llm").joinpath("prompts/system.md").read_text(encoding="utf-8")


def user_message(text: str, history: str = "") -> str:
    """Wrap the description as data; a tag inside it cannot close the wrapper early. The
    person's history summary, when there is one, follows in its own block, bounded."""
    neutral = _DESCRIPTION_TAG.sub(r"&lt;\1", text)
    message = (
        "Classify this description and write the JSON answer.\n"
        f"<description>\n{neutral}\n</description>"
    )
    summary = _HISTORY_TAG.sub(r"&lt;\1", " ".join(history.split()))[:HISTORY_MAX_CHARS]
    if not summary:
        return message
    return (
        f"{message}\n"
        "The same person's earlier reports, as labels and counts (context only: classify the "
        "description above by its own words; a pattern seen before is not evidence of it "
        "now).\n"
        f"<history>\n{summary}\n</history>"
    )
