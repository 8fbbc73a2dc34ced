"""Phrasings a person would send, over a reviewed set of stories (issue 13, item 3).

`tests/data/golden.jsonl` holds stories of every writer role and relationship, each with the
phrasings a reader accepted (`accepted`) and what they checked or changed (`reviewed`). For
every story, the live coach's phrasings and partner prompt, and the stored accepted ones, hold
the properties below: the listener is "you" throughout, no name is wedged into a clause, no
quote or clause is cut mid-phrase, the request fits who is asked, a loss stays in view, and
the guard passes for the writer's role. Properties, not exact text: the classifier is retrained
often, and the pattern or role it picks may change.

Each row: id, story, relationship (who the listener is), writer_role (hurt|caused|both|null),
loss, accepted {gentle, direct, nvc}, reviewed; and where they apply, listener (the pronoun the
story uses for the listener), name (the listener's name) and loss_words (any of them keeps the
loss in view).
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from coaching.models import Assessment, Classification, Draft, Exchange, PatternHit, WriterRole
from coaching.phrasing import guard
from coaching.phrasing.relationship import NOUNS, Relationship, relationship_of
from coaching.phrasing.templates import phrasings
from coaching.service import CoachService
from coaching.taxonomy import PatternId, Safety, Style
from coaching.understanding.offline import OfflineClassifier

GOLDEN = Path(__file__).parent / "data" / "golden.jsonl"
ROWS: list[dict[str, Any]] = [json.loads(line) for line in GOLDEN.read_text().splitlines()]
IDS = [row["id"] for row in ROWS]
RELATIONSHIPS = {
    "partner": Relationship.PARTNER,
    "friend": Relationship.FRIEND,
    "parent": Relationship.PARENT,
    "adult_child": Relationship.CHILD,
    "sibling": Relationship.SIBLING,
    "roommate": Relationship.ROOMMATE,
    "coworker": Relationship.COWORKER,
    "boss": Relationship.BOSS,
    "unknown": Relationship.UNKNOWN,
}
ROLES: tuple[WriterRole | None, ...] = ("hurt", "caused", "both", None)
WORK = ("coworker", "boss")


# --- the properties ----------------------------------------------------------------------------

_PRONOUNS = {
    "he": r"\b(?:he|him|his|himself)\b",
    "she": r"\b(?:she|her|hers|herself)\b",
    "they": r"\b(?:they|them|their|theirs|themselves)\b",
}
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)")
# A clause cannot end on a preposition, an article, a conjunction or a speech verb...
_DANGLING = re.compile(
    r"\b(?:going|saying|telling|like|with|to|about|at|of|for|from|into|on|the|a|an|your|my|"
    r"and|but|or|then|if|when|because|always|never)\s*(?=[,.;:?!]|$)",
    re.IGNORECASE,
)
# ...unless the word is a particle of its verb ("move on").
_PHRASAL = re.compile(r"\b(?:move[sd]?|moving|carry|went|go|get|got|hold|keep|kept|come) on$", re.I)


def third_person_listener(text: str, row: dict[str, Any]) -> str | None:
    """A "he"/"her" for the one being spoken to, or "my husband" naming them: the phrasing is
    sent to that person, so they are "you" throughout (quoted words stay as said)."""
    narration = _QUOTED.sub("", text)
    pronoun = row.get("listener")
    if pronoun and (m := re.search(_PRONOUNS[pronoun], narration, re.IGNORECASE)):
        return m.group(0)
    kept = " ".join(row.get("loss_words", ())).lower()
    for noun, relationship in NOUNS.items():
        if relationship is RELATIONSHIPS[row["relationship"]] and noun not in kept:
            if m := re.search(rf"\bmy {re.escape(noun)}\b", narration, re.IGNORECASE):
                return m.group(0)
    return None


def wedged_name(text: str, row: dict[str, Any]) -> str | None:
    """ "When I told you Maya that…": a name after "you", or the listener's name anywhere but
    as the opening address, is the story's words pasted in, not something a person says."""
    if m := re.search(r"\byou,? (?!I\b|I'[a-z]+\b)[A-Z][a-z]+", text):
        return m.group(0)
    name = row.get("name")
    if name and name in text[1:]:
        return name
    return None


def cut_mid_phrase(text: str) -> str | None:
    """A quote or clause that stops mid-phrase ("you said 'you always'", "hurry up and move",
    "looking at your phone going"): a trimmed story, not a sentence."""
    if "…" in text or "..." in text:
        return "…"
    for quote in _QUOTED.findall(text):
        inner = quote[1:-1].strip().rstrip(".,;:?!")
        if inner and _DANGLING.search(inner) and not _PHRASAL.search(inner):
            return quote
    for clause in re.split(r"[,.;:?!]", _QUOTED.sub("“”", text)):
        clause = clause.strip()
        if clause and _DANGLING.search(clause) and not _PHRASAL.search(clause):
            return clause
    return None


def unfitting_request(text: str, relationship: str) -> str | None:
    """A request that does not fit who is asked: nothing "tonight", tender or in bed to a boss
    or coworker (no shared evening, no intimacy), and no "take turns" to a parent (an elder is
    asked to hear the writer first, not to share a rota of feelings)."""
    low = text.lower()
    if relationship in WORK:
        for phrase in ("tonight", "be close", "tender", "in bed", "sit with me", "take turns"):
            if phrase in low:
                return phrase
    if relationship == "parent" and "take turns" in low:
        return "take turns"
    return None


def loss_out_of_view(text: str, row: dict[str, Any]) -> bool:
    """A story of grief or illness keeps it in view: "when I told you about the biopsy", not a
    phrasing that could be about anything."""
    words = row.get("loss_words", ())
    return bool(words) and not any(word in text.lower() for word in words)


def problems(text: str, style: Style | None, role: WriterRole | None, row: dict[str, Any]) -> list:
    """Every property `text` breaks, for the listener of `row` (empty when it is sendable).
    `style` None is a partner prompt: the other person's line, checked for the guard's prompt
    rules and for a fitting request only."""
    found: list[object] = []
    if style is not None:
        found += [third_person_listener(text, row), wedged_name(text, row)]
        if loss_out_of_view(text, row):
            found.append("loss out of view")
    found += [cut_mid_phrase(text), unfitting_request(text, row["relationship"])]
    if not guard.passes(text, style, role or "hurt"):
        found.append(guard.problems(text, style, role or "hurt"))
    return [p for p in found if p]


# --- the live coach ---------------------------------------------------------------------------


class FakeLabelledRole:
    """The offline classifier with the writer's role set as labelled, so the repair phrasings
    are read on every story even when the classifier reads the role differently."""

    def __init__(self, inner: OfflineClassifier, role: WriterRole | None) -> None:
        self._inner, self._role = inner, role

    async def classify(self, text: str) -> Draft:
        draft = await self._inner.classify(text)
        c = draft.classification
        if self._role is None:
            c = c.model_copy(update={"rupture": False, "patterns": [], "writer_role": None})
        else:
            hits = [
                hit.model_copy(update={"by": "writer" if self._role == "caused" or i else "other"})
                for i, hit in enumerate(c.patterns)
            ]
            c = c.model_copy(update={"rupture": True, "patterns": hits, "writer_role": self._role})
        return draft.model_copy(update={"classification": c})


@pytest.fixture(scope="module")
def answers() -> dict[str, tuple[Assessment, Assessment]]:
    """Each story's live answer, and its answer with the role as labelled."""
    classifier = OfflineClassifier()
    live = CoachService(classifier)

    async def run() -> dict[str, tuple[Assessment, Assessment]]:
        out = {}
        for row in ROWS:
            labelled = CoachService(FakeLabelledRole(classifier, row["writer_role"]))
            out[row["id"]] = (
                await live.coach("golden", row["story"]),
                await labelled.coach("golden", row["story"]),
            )
        return out

    return asyncio.run(run())


def _said(answer: Assessment) -> list[tuple[str, Style | None]]:
    assert answer.safety is Safety.NONE
    assert [p.style for p in answer.phrasings] == list(Style)
    said: list[tuple[str, Style | None]] = [(p.text, p.style) for p in answer.phrasings]
    if answer.partner_prompt:
        said.append((answer.partner_prompt, None))
    return said


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_live_coach_says_what_a_person_would_send(
    answers: dict[str, tuple[Assessment, Assessment]], row: dict[str, Any]
) -> None:
    answer = answers[row["id"]][0]
    for text, style in _said(answer):
        assert problems(text, style, answer.writer_role, row) == [], text


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_coach_for_the_labelled_role_says_what_a_person_would_send(
    answers: dict[str, tuple[Assessment, Assessment]], row: dict[str, Any]
) -> None:
    answer = answers[row["id"]][1]
    assert answer.writer_role == row["writer_role"]
    if row["writer_role"] == "caused":
        assert answer.partner_prompt == ""
    for text, style in _said(answer):
        assert problems(text, style, answer.writer_role, row) == [], text


# --- the reviewed set --------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_accepted_phrasings_pass_the_same_checks(row: dict[str, Any]) -> None:
    assert set(row["accepted"]) == {s.value for s in Style}
    assert row["reviewed"].strip()
    for style, text in row["accepted"].items():
        assert problems(text, Style(style), row["writer_role"], row) == [], text


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_relationship_is_read_from_the_story(row: dict[str, Any]) -> None:
    assert relationship_of(row["story"]) is RELATIONSHIPS[row["relationship"]]


def test_the_set_covers_every_role_and_relationship() -> None:
    assert len(ROWS) >= 60
    assert len(set(IDS)) == len(IDS)
    roles = Counter(row["writer_role"] for row in ROWS)
    assert all(roles[role] >= 2 for role in ROLES), roles
    relationships = Counter(row["relationship"] for row in ROWS)
    assert all(relationships[r] >= 2 for r in RELATIONSHIPS), relationships
    assert sum(row["loss"] for row in ROWS) >= 8
    assert all(row["loss"] == bool(row.get("loss_words")) for row in ROWS)


# --- the checks themselves ---------------------------------------------------------------------

_ROW = {"relationship": "boss", "listener": "he", "name": "Maya", "loss_words": ["biopsy"]}


@pytest.mark.parametrize(
    "text",
    [
        "I felt alone when I told you about the biopsy and he went back to his phone. Could we?",
        "I felt alone when I told my boss about the biopsy. Could we talk?",
        "I felt alone when I told you Maya about the biopsy. Could we talk?",
        "I felt alone when I told you about the biopsy and you said 'you always'. Could we talk?",
        "I felt rushed when I told you about the biopsy and you told me to hurry up and. Could we?",
        "I felt alone when I told you about the biopsy. Can we talk about it tonight?",
        "I felt alone when you went back to your phone. Could we talk this week?",
    ],
)
def test_each_check_can_fail(text: str) -> None:
    assert problems(text, Style.GENTLE, "hurt", _ROW), text


def test_a_parent_is_not_asked_to_take_turns() -> None:
    assert unfitting_request("Could you take turns with me?", "parent") == "take turns"


# --- awkward exchanges, said the way a person would -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My mum passed away and when I told my husband he shrugged.", Relationship.PARTNER),
        ("My dad's funeral was Friday and my flatmate kept the TV on.", Relationship.ROOMMATE),
        ("My team lead laughed at my question.", Relationship.BOSS),
        ("I told my stepdad about it and he sighed.", Relationship.PARENT),
        ("I said 'Dad, please listen' and he kept talking.", Relationship.PARENT),
        ("I told my son and he said 'Mum, don't start'.", Relationship.CHILD),
        ("Nothing much happened today.", Relationship.UNKNOWN),
    ],
)
def test_the_listener_is_the_one_told_not_the_one_lost(text: str, expected: Relationship) -> None:
    assert relationship_of(text) is expected


@pytest.mark.parametrize(
    ("exchange", "story"),
    [
        (
            Exchange(actor="they", shared="I got dumped", response="went back to her laptop"),
            "I told Maya I got dumped and Maya went back to her laptop.",
        ),
        (
            Exchange(actor="he", shared="Maya that I got dumped", response="he shrugged"),
            "I told my friend Maya that I got dumped and he shrugged.",
        ),
        (
            Exchange(
                actor="he",
                shared="husband I was afraid",
                response="he kept looking at his phone going",
            ),
            "I told my selfish husband I was afraid and he kept looking at his phone going 'mm'.",
        ),
    ],
    ids=["her-laptop", "you-Maya", "going"],
)
def test_an_awkward_exchange_is_said_the_way_a_person_would(exchange: Exchange, story: str) -> None:
    hit = PatternHit(id=PatternId.DISENGAGEMENT, confidence=0.9, evidence="")
    classification = Classification(rupture=True, patterns=[hit], exchange=exchange)
    row = {"relationship": relationship_of(story).value, "listener": "she", "name": "Maya"}
    for phrasing in phrasings(classification, story):
        text = phrasing.text
        assert not re.search(r"\b(?:her|his|he|she)\b", text), text
        assert "husband" not in text and " going" not in text, text
        assert problems(text, phrasing.style, "hurt", row) == [], text
