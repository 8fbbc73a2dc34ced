"""What the history holds, as the domain sees it: one report per story, and a person's settings.

Data minimisation is the default: a report holds labels (safety, role, moment, patterns), not
the story. The phrasings offered are recorded by style and template so the coach can avoid
offering the same words twice; the store keeps a keyed hash of their text, never the text,
unless the person turned `keep_text` on (then the store encrypts it at rest, with the story).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from coaching.models import By, ClassifierName, HistorySummary, WriterRole
from coaching.taxonomy import Moment, PatternId, Safety, Style

Rating = Literal["helped", "not_quite"]

__all__ = [
    "Export",
    "HistorySummary",  # what the answer shows (coaching/models.py: it is part of the answer)
    "Offered",
    "PatternSeen",
    "Rating",
    "Report",
    "UserSettings",
]


@dataclass(frozen=True, slots=True)
class PatternSeen:
    pattern: PatternId
    confidence: float
    by: By = "other"


@dataclass(frozen=True, slots=True)
class Offered:
    """A phrasing offered in a report: its style, the template it came from, and its text (the
    store hashes it, or encrypts it when the person keeps text)."""

    style: Style
    template: str
    text: str


@dataclass(frozen=True, slots=True)
class Report:
    """One story's assessment. A conversation's follow-ups update the same report in place
    (same `report_id`), so one story is one report however often it is re-coached."""

    report_id: str
    user_id: str
    at: datetime  # timezone-aware, UTC
    safety: Safety
    safety_check_asked: bool
    rupture: bool
    writer_role: WriterRole | None
    moment: Moment | None
    patterns: tuple[PatternSeen, ...]
    classifier: ClassifierName
    offered: tuple[Offered, ...] = ()
    picked: Style | None = None
    rating: Rating | None = None
    story: str | None = None  # only when the person keeps text; encrypted at rest
    evidence: tuple[str, ...] = ()  # only when the person keeps text; encrypted at rest


@dataclass(frozen=True, slots=True)
class UserSettings:
    history: bool = True  # off: nothing is recorded
    tone: Style | None = None  # the style shown first
    other_name: str = ""  # how to call the other person in phrasings ("" : "you" only)
    keep_text: bool = False  # keep the story and phrasing texts (encrypted)
    check_ins: bool = True
    locale: str = ""  # for resources ("" : the default lines)


@dataclass(frozen=True, slots=True)
class Export:
    """Everything stored about one person (the store decrypts kept text for its owner)."""

    user_id: str
    settings: UserSettings
    reports: tuple[Report, ...] = field(default_factory=tuple)
