"""Every rule the screen reads, in the order it reads them: crisis before abuse, plain statements
(data, phrases/*.txt) before the situations described in code (situations.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.reading.prefilter import requirement
from coaching.safety import situations
from coaching.safety.people import fill
from coaching.safety.phrases import fold, patterns
from coaching.taxonomy import Safety


@dataclass(frozen=True, slots=True)
class Rule:
    level: Safety
    regex: re.Pattern[str]
    # Word openings one of which every match holds (None: unknown, always scanned).
    gate: frozenset[str] | None
    # A departure cue that an everyday reason close by explains ("saying goodbye to everyone
    # at the party before we move"). Every other crisis cue stands whatever the clause says.
    innocent: bool = False
    # English negation ("he has never hit me") applies; other languages carry their own.
    english: bool = True

    @classmethod
    def of(cls, level: Safety, pattern: str, innocent: bool = False, english: bool = True) -> Rule:
        # MULTILINE: the screen scans all clauses at once, one a line, and "$" ends a clause.
        full = fold(fill(pattern))
        return cls(level, re.compile(full, re.MULTILINE), requirement(full), innocent, english)


def _rules() -> tuple[Rule, ...]:
    crisis, abuse = Safety.CRISIS, Safety.ABUSE
    return (
        *(Rule.of(crisis, p) for p in patterns("crisis")),
        *(Rule.of(crisis, p, english=False) for p in patterns("crisis_other_languages")),
        *(Rule.of(crisis, p) for p in situations.CRISIS),
        *(Rule.of(crisis, p, innocent=True) for p in situations.DEPARTURES),
        *(Rule.of(abuse, p) for p in patterns("abuse")),
        *(Rule.of(abuse, p, english=False) for p in patterns("abuse_other_languages")),
        *(Rule.of(abuse, p) for p in situations.ABUSE),
    )


# Crisis first: it outranks abuse, so the first crisis cue found ends the screen.
RULES: tuple[Rule, ...] = _rules()
