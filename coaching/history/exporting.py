"""Everything stored about a person as one JSON-able document (`export` in the terminal and the
bot): the dataclasses as they are, times in ISO 8601, ids as their strings."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from enum import Enum
from typing import Any

from coaching.history.records import Export


def export_document(export: Export, **more: object) -> dict[str, Any]:
    """The export as plain JSON values; `more` adds an adapter's own data (the bot's check-ins)."""
    document: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(export), default=_value))
    document.update(json.loads(json.dumps(more, default=_value)))
    return document


def _value(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
