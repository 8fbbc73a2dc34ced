"""The answer's ids (stable API; README: "The answer (JSON)") and the text adapters show.

The JSON answer, the LLM's structured output and (later) the database all use these ids, so
they live in one place and nothing else spells them.
"""

from __future__ import annotations

from enum import StrEnum


class Safety(StrEnum):
    NONE = "none"
    CRISIS = "crisis"
    ABUSE = "abuse"

    @property
    def rank(self) -> int:
        """Crisis outranks abuse: missing a crisis is the worst error the product can make."""
        return _SAFETY_RANK[self.value]


_SAFETY_RANK = {"none": 0, "abuse": 1, "crisis": 2}


class PatternId(StrEnum):
    UNSOLICITED_ADVICE = "unsolicited_advice"
    MINIMIZING = "minimizing"
    INVALIDATION = "invalidation"
    DEFENSIVENESS = "defensiveness"
    COMPETING_SUFFERING = "competing_suffering"
    IMPATIENCE = "impatience"
    DISENGAGEMENT = "disengagement"
    MISTIMED_HUMOR = "mistimed_humor"
    HOLLOW_AFFECTION = "hollow_affection"
    BURDEN_SHIFTING = "burden_shifting"


class Moment(StrEnum):
    VULNERABILITY_DISMISSED = "vulnerability_dismissed"
    EMOTIONAL_CRISIS = "emotional_crisis"
    REPEATED_MISUNDERSTANDING = "repeated_misunderstanding"
    AFFECTION_FEELS_HOLLOW = "affection_feels_hollow"
    UNRESOLVED_CONFLICT = "unresolved_conflict"


class Style(StrEnum):
    GENTLE = "gentle"
    DIRECT = "direct"
    NVC = "nvc"


PATTERN_NAMES: dict[PatternId, str] = {
    PatternId.UNSOLICITED_ADVICE: "Fixing instead of feeling",
    PatternId.MINIMIZING: "Shrinking it",
    PatternId.INVALIDATION: "Denying it",
    PatternId.DEFENSIVENESS: "Turning it around",
    PatternId.COMPETING_SUFFERING: "One-upping",
    PatternId.IMPATIENCE: "Rushing",
    PatternId.DISENGAGEMENT: "Checking out",
    PatternId.MISTIMED_HUMOR: "Laughing it off",
    PatternId.HOLLOW_AFFECTION: "Gifts instead of presence",
    PatternId.BURDEN_SHIFTING: "Managing the manager",
}

PATTERN_MEANINGS: dict[PatternId, str] = {
    PatternId.UNSOLICITED_ADVICE: "solutions or advice arrived when listening was needed",
    PatternId.MINIMIZING: "the feeling or loss was made smaller than it is",
    PatternId.INVALIDATION: "you were told your feeling or reading of things is wrong",
    PatternId.DEFENSIVENESS: "your hurt was answered with self-defence or their own guilt",
    PatternId.COMPETING_SUFFERING: "their hardship took the place of yours",
    PatternId.IMPATIENCE: "you were hurried through the feeling",
    PatternId.DISENGAGEMENT: "attention went elsewhere: the subject changed, or a screen won",
    PatternId.MISTIMED_HUMOR: "a joke or a laugh landed on a vulnerable moment",
    PatternId.HOLLOW_AFFECTION: "gifts, plans or touch took the place of talking about the hurt",
    PatternId.BURDEN_SHIFTING: "the work of fixing it was handed back to you",
}

MOMENT_NAMES: dict[Moment, str] = {
    Moment.VULNERABILITY_DISMISSED: "sharing something personal and having it brushed off",
    Moment.EMOTIONAL_CRISIS: "struggling emotionally and getting no comfort",
    Moment.REPEATED_MISUNDERSTANDING: "the same kind of miss, again and again",
    Moment.AFFECTION_FEELS_HOLLOW: "affection or gifts instead of emotional support",
    Moment.UNRESOLVED_CONFLICT: "walking away from an argument feeling unheard",
}

MAX_PHRASING_CHARS = 320
