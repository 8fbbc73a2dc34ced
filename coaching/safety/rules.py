"""Every rule the screen reads, in the order it reads them: crisis before abuse, plain statements
(data, phrases/*.txt) before the situations described in code (situations.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coaching.models import WORRIES, Harm, Worry
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
    # What the writer describes doing, for the rules written in the first person
    # (phrases/abuse_by_writer.txt); "" for rules about anyone.
    harm: Harm = ""

    @classmethod
    def of(
        cls,
        level: Safety,
        pattern: str,
        innocent: bool = False,
        english: bool = True,
        harm: Harm = "",
    ) -> Rule:
        # MULTILINE: the screen scans all clauses at once, one a line, and "$" ends a clause.
        full = fold(fill(pattern))
        return cls(
            level, re.compile(full, re.MULTILINE), requirement(full), innocent, english, harm
        )


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
        *(Rule.of(abuse, p, harm="violence") for p in patterns("abuse_by_writer", "violence")),
        *(Rule.of(abuse, p, harm="threat") for p in patterns("abuse_by_writer", "threat")),
        *(Rule.of(abuse, p, harm="control") for p in patterns("abuse_by_writer", "control")),
    )


# The middle tier's rules: doubt the screen cannot rule out, asked about, never a level.
DOUBTS: tuple[tuple[Worry, re.Pattern[str]], ...] = tuple(
    (worry, re.compile(fold(fill(p)), re.MULTILINE))
    for worry in WORRIES
    for p in patterns(f"doubt_{worry}")
)


# Crisis first: it outranks abuse, so the first crisis cue found ends the screen.
RULES: tuple[Rule, ...] = _rules()
