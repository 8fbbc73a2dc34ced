"""Where to turn when repair coaching is the wrong tool (taxonomy: Safety levels)."""

from __future__ import annotations

from coaching.models import Doubt, Harm, Resource, Worry
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


# For the writer who harms: help for people who want to stop, first.
STOPPING = (
    Resource(
        name="Respect Phoneline (for people who want to stop hurting a partner or family)",
        contact="0808 802 4040",
        region="UK",
    ),
    Resource(
        name="National Domestic Violence Hotline (also talks with people who use abuse)",
        contact="1-800-799-7233",
        region="US",
    ),
    FIND_A_HELPLINE,
)

_FOR_WORRY: dict[Worry, tuple[Resource, ...]] = {"suicide": CRISIS, "danger": ABUSE}


def for_level(level: Safety, harm: Harm = "") -> list[Resource]:
    """The lines for a hard level: for abuse the writer describes doing (`harm`), help to stop."""
    if level is Safety.CRISIS:
        return list(CRISIS)
    if level is Safety.ABUSE:
        return list(STOPPING if harm else ABUSE)
    return []


def for_answer(level: Safety, checks: tuple[Doubt, ...], harm: Harm = "") -> list[Resource]:
    """`resources` of an answer: the level's lines, then each asked worry's, each line once and
    findahelpline.com last. Empty exactly when the level is `none` and nothing is asked."""
    found = [*for_level(level, harm), *(r for d in checks for r in _FOR_WORRY[d.worry])]
    unique = list(dict.fromkeys(found))
    if FIND_A_HELPLINE in unique:
        unique.remove(FIND_A_HELPLINE)
        unique.append(FIND_A_HELPLINE)
    return unique


# Country codes as Discord's locales spell them (en-GB) to the regions the lines name.
_REGION_NAMES = {"GB": "UK", "UK": "UK", "IE": "Ireland", "US": "US"}


def for_locale(found: list[Resource], locale: str) -> list[Resource]:
    """The same lines, the person's region first (`locale`: "US", "UK", or a locale such as
    "en-GB"); findahelpline.com stays last. Nothing is dropped: a person abroad still sees
    every line."""
    code = locale.strip().replace("_", "-").split("-")[-1].upper()
    region = _REGION_NAMES.get(code, code)
    if not region:
        return found

    def mine(resource: Resource) -> bool:
        return resource is not FIND_A_HELPLINE and region.lower() in resource.region.lower()

    return sorted(found, key=lambda r: (not mine(r), r is FIND_A_HELPLINE))


def every_line() -> list[Resource]:
    """Every crisis and abuse line, for a person who asks for them (`/resources`)."""
    lines = [r for r in dict.fromkeys([*CRISIS, *ABUSE]) if r is not FIND_A_HELPLINE]
    return [*lines, FIND_A_HELPLINE]
