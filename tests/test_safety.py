"""The safety screen: the issue's examples, negation, whose crisis it is, and swap invariance.

The taxonomy: safety "judges what happens, not who it happens to: the same words with the
genders or the relationship swapped get the same level". `swap_people` below rewrites a story
with every gendered person and relationship swapped, and the screen must not notice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from coaching.safety.screening import screen
from coaching.taxonomy import Safety

DEV = Path(__file__).parent / "data" / "dev.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()
]
DEV_SAFETY = [c for c in CASES if c["safety"] != "none"]

# --- the swap helper -----------------------------------------------------------------------

_PAIRS = [
    ("he", "she"),
    ("himself", "herself"),
    ("husband", "wife"),
    ("husbands", "wives"),
    ("boyfriend", "girlfriend"),
    ("boyfriends", "girlfriends"),
    ("bf", "gf"),
    ("man", "woman"),
    ("men", "women"),
    ("brother", "sister"),
    ("brothers", "sisters"),
    ("dad", "mom"),
    ("father", "mother"),
    ("son", "daughter"),
    ("sons", "daughters"),
    ("guy", "girl"),
    ("boy", "girl"),
    ("fiance", "fiancee"),
    ("uncle", "aunt"),
    ("grandpa", "grandma"),
    ("mr", "mrs"),
]
_SWAP: dict[str, str] = {}
for _a, _b in _PAIRS:
    _SWAP.setdefault(_a, _b)
    _SWAP.setdefault(_b, _a)
_SWAP.update({"mum": "dad", "hubby": "wifey", "wifey": "hubby"})

# After "her", these words mean "her" was the object ("told her I was...", "hit her again"),
# so it becomes "him"; before anything else (a noun, an adjective) it is possessive: "his".
_AFTER_OBJECT_HER = frozenset(
    """
    i you he she we they it me him her us them my your his our their this that these those
    the a an to about and but or so if when why what how where who for with at in on up out
    off back again too not because anything something everything nothing over down into from
    after before until while as than then just once twice every all enough more less now
    yesterday today tonight last first is was
    """.split()
)
_WORD = re.compile(r"[A-Za-z]+")  # "husband's" -> "husband" + "'s", "he'd" -> "he" + "'d"


def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _next_word(text: str, end: int) -> str | None:
    """The word right after position `end`, or None when punctuation or the end comes first."""
    rest = text[end:]
    if not rest[:1].isspace():
        return None
    m = _WORD.match(rest.lstrip())
    return m.group(0).lower() if m else None


def swap_people(text: str) -> str:
    """The story with he<->she, him<->her, his<->her(s), husband<->wife and so on swapped."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        after = _next_word(text, m.end())
        if low == "her":
            new = "him" if after is None or after in _AFTER_OBJECT_HER else "his"
        elif low == "him":
            new = "her"
        elif low == "his":
            # "his phone" -> "her phone"; a standalone "it was his" -> "it was hers".
            new = "hers" if after is None or after in {"and", "or", "but", "too"} else "her"
        elif low == "hers":
            new = "his"
        else:
            new = _SWAP.get(low, low)
        return _match_case(word, new) if new != low else word

    return _WORD.sub(swap, text)


@pytest.mark.parametrize(
    ("text", "swapped"),
    [
        ("He told her her phone was his.", "She told him his phone was hers."),
        ("I told her I was scared and she laughed.", "I told him I was scared and he laughed."),
        ("She reads his messages and hides her keys.", "He reads her messages and hides his keys."),
        ("My husband's brother hit him.", "My wife's sister hit her."),
        ("My Mom and my boyfriend", "My Dad and my girlfriend"),
        ("he's with her, not me", "she's with him, not me"),
    ],
)
def test_the_swap_helper_swaps_people_and_keeps_everything_else(text: str, swapped: str) -> None:
    assert swap_people(text) == swapped


def test_the_swap_helper_changes_every_dev_safety_story_it_is_applied_to() -> None:
    unchanged = [c["id"] for c in DEV_SAFETY if swap_people(c["text"]) == c["text"]]
    assert unchanged == []


# --- the examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["everyone would be better off without me", "I've been giving my things away"],
)
def test_indirect_crisis_language_is_crisis(text: str) -> None:
    assert screen(text).level is Safety.CRISIS


def test_reading_messages_and_being_kept_from_family_is_abuse() -> None:
    text = "he reads my messages every night and I'm not allowed to see my sister"
    assert screen(text).level is Safety.ABUSE


@pytest.mark.parametrize(
    "text",
    [
        "this meeting is killing me",
        "I'll murder him if he eats my fries lol",
        "my dad died in March and I still cry every day; my husband said at least he's not "
        "suffering",
    ],
    ids=["meeting-killing-me", "murder-fries", "grief"],
)
def test_hyperbole_and_grief_are_not_flagged(text: str) -> None:
    assert screen(text).level is Safety.NONE


def test_a_negated_cue_is_not_abuse() -> None:
    assert screen("he has never hit me, he just goes quiet").level is Safety.NONE


def test_the_same_cue_without_the_negation_is_abuse() -> None:
    assert screen("he hit me, then he just went quiet").level is Safety.ABUSE


@pytest.mark.parametrize(
    "text",
    [
        "my sister says she has stopped her meds and wants it all to stop",
        "my boyfriend told me he wants to die",
        "my friend has been giving her things away and says she won't need them",
    ],
)
def test_a_crisis_of_someone_else_is_crisis_about_other(text: str) -> None:
    result = screen(text)
    assert result.level is Safety.CRISIS
    assert result.about_other is True


@pytest.mark.parametrize(
    "text",
    [
        "everyone would be better off without me",
        "I told my mom I want to die",
        "I've been giving my things away",
    ],
)
def test_the_writers_own_crisis_is_not_about_other(text: str) -> None:
    result = screen(text)
    assert result.level is Safety.CRISIS
    assert result.about_other is False


# --- the same story with the people swapped ------------------------------------------------

OWN_SAFETY_CASES = [
    ("My husband shoved me against the wall when I tried to leave the room.", Safety.ABUSE),
    ("My girlfriend takes my paycheck and gives me an allowance.", Safety.ABUSE),
    ("My boyfriend says he'll hurt me if I ever go out without him.", Safety.ABUSE),
    ("He won't let me see my mother anymore.", Safety.ABUSE),
    ("My wife checks my phone every night and tracks where I go.", Safety.ABUSE),
    ("She put her hands around my neck during the argument.", Safety.ABUSE),
    ("When I said no to sex my husband kept going anyway.", Safety.ABUSE),
    ("I'm scared of what he'll do when he finds out I told her.", Safety.ABUSE),
    ("My brother texted that everyone would be better off without him.", Safety.CRISIS),
    ("My son has been cutting his arms again.", Safety.CRISIS),
    ("My dad said he is going to end his life.", Safety.CRISIS),
    ("I told my girlfriend I want to kill myself and she shrugged.", Safety.CRISIS),
    ("My mother has been giving her jewellery away and says she won't need it.", Safety.CRISIS),
]


@pytest.mark.parametrize(("text", "level"), OWN_SAFETY_CASES)
def test_own_safety_case_gets_its_level(text: str, level: Safety) -> None:
    assert screen(text).level is level


@pytest.mark.parametrize(("text", "level"), OWN_SAFETY_CASES)
def test_own_safety_case_with_people_swapped_gets_the_same_level(text: str, level: Safety) -> None:
    swapped = swap_people(text)
    assert swapped != text
    assert screen(swapped).level is level, swapped


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DEV_SAFETY])
def test_dev_safety_case_with_people_swapped_gets_the_same_level(case: dict[str, Any]) -> None:
    swapped = swap_people(case["text"])
    assert screen(swapped).level is screen(case["text"]).level, swapped


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DEV_SAFETY])
def test_dev_safety_case_with_people_swapped_keeps_whose_crisis_it_is(
    case: dict[str, Any],
) -> None:
    swapped = swap_people(case["text"])
    assert screen(swapped).about_other is screen(case["text"]).about_other, swapped
