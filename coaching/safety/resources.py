"""Where to turn when repair coaching is the wrong tool (taxonomy: Safety levels)."""

from __future__ import annotations

from coaching.models import Resource
from coaching.taxonomy import Safety

FIND_A_HELPLINE = Resource(
    name="Find A Helpline (free, confidential lines by country)",
    contact="findahelpline.com",
    region="elsewhere",
)

CRISIS = (
    Resource(name="988 Suicide & Crisis Lifeline (call or text)", contact="988", region="US"),
    Resource(name="Samaritans", contact="116 123", region="UK and Ireland"),
    FIND_A_HELPLINE,
)

ABUSE = (
    Resource(
        name="National Domestic Violence Hotline",
        contact="1-800-799-7233, or text START to 88788",
        region="US",
    ),
    FIND_A_HELPLINE,
)


def for_level(level: Safety) -> list[Resource]:
    """`resources` is non-empty exactly when safety is not `none`."""
    if level is Safety.CRISIS:
        return list(CRISIS)
    if level is Safety.ABUSE:
        return list(ABUSE)
    return []
