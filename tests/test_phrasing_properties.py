"""Properties every offline phrasing holds, over stories of many relationships (issue 13).

A phrasing is something a person would actually send: the listener is "you" throughout (never
"her laptop" when she is the one being spoken to), a name is not wedged after "you", nothing is
cut mid-phrase, the request fits who is being asked (no "tonight" to a boss, no "take turns"
to a parent), and a story of grief or illness keeps the loss in view.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import pytest

from coaching.models import Assessment, Classification, Exchange, PatternHit
from coaching.phrasing import guard
from coaching.phrasing.relationship import Relationship, relationship_of
from coaching.phrasing.templates import phrasings
from coaching.service import CoachService
from coaching.taxonomy import PatternId, Safety
from coaching.understanding.offline import OfflineClassifier

R = Relationship


@dataclass(frozen=True)
class Story:
    text: str
    relationship: Relationship
    listener: str = ""  # "he", "she" or "they": the pronoun the story uses for the listener
    loss: tuple[str, ...] = ()  # any of these words keeps the loss in view
    name: str = ""  # the listener's name, when the story uses one


STORIES = [
    # partners
    Story(
        "I told my husband I was scared about the biopsy results and he kept scrolling on his "
        "phone.",
        R.PARTNER,
        "he",
        ("biopsy",),
    ),
    Story(
        "I told my girlfriend that I got passed over for the promotion and she went back to her "
        "laptop.",
        R.PARTNER,
        "she",
    ),
    Story("My wife laughed when I told her I was nervous about the recital.", R.PARTNER, "she"),
    Story(
        "I told my partner I felt overwhelmed with the move and they said I should just make a "
        "list.",
        R.PARTNER,
        "they",
    ),
    Story(
        "I told my selfish husband I was afraid of the surgery and he went back to watching TV.",
        R.PARTNER,
        "he",
        ("surgery",),
    ),
    # named listeners
    Story(
        "I told my friend Maya that I got dumped and she went back to her laptop.",
        R.FRIEND,
        "she",
        name="Maya",
    ),
    Story(
        "I told my best friend Tariq that my exam went badly and he kept looking at his phone "
        "going 'uh huh'.",
        R.FRIEND,
        "he",
        name="Tariq",
    ),
    Story(
        "I told Jordan I was dreading the audition and he just changed the subject.",
        R.UNKNOWN,
        "he",
        name="Jordan",
    ),
    Story(
        "Priya rolled her eyes when I told her about the audition I bombed.",
        R.UNKNOWN,
        "she",
        name="Priya",
    ),
    Story(
        "I told Sam about my panic attack at work and Sam nodded and went back to her laptop.",
        R.UNKNOWN,
        "she",
        name="Sam",
    ),
    # friends
    Story(
        "I told my friend I was lonely since the move and she said everyone feels that way "
        "sometimes.",
        R.FRIEND,
        "she",
    ),
    Story(
        "My best friend made a joke when I told him I failed my driving test again.",
        R.FRIEND,
        "he",
    ),
    Story(
        "I told my friend I got rejected again and she kept saying it happens, over and over.",
        R.FRIEND,
        "she",
    ),
    # parents
    Story(
        "I told my dad I was struggling at university and he said he worked two jobs at my age.",
        R.PARENT,
        "he",
    ),
    Story(
        "I told my mum I was exhausted from the new baby and she said she had it much harder "
        "than me.",
        R.PARENT,
        "she",
    ),
    Story(
        "I told my father I was stressed about the bar exam and he told me to stop whining.",
        R.PARENT,
        "he",
    ),
    # adult children
    Story(
        "I told my son I was lonely since his mother died and he said he was busy and hung up.",
        R.CHILD,
        "he",
        ("died", "mother"),
    ),
    Story(
        "I told my daughter I was worried about my knee surgery and she said I worry about "
        "everything.",
        R.CHILD,
        "she",
        ("surgery",),
    ),
    # siblings
    Story(
        "I told my sister I was anxious about the wedding speech and she went back to her phone.",
        R.SIBLING,
        "she",
    ),
    Story("I told my brother I lost my job and he said his week was worse.", R.SIBLING, "he"),
    # roommates
    Story(
        "I told my roommate I was having a rough week and she turned up her music.",
        R.ROOMMATE,
        "she",
    ),
    Story("My roommate laughed when I told him I was homesick.", R.ROOMMATE, "he"),
    # coworkers
    Story(
        "I told my coworker I was overwhelmed by the deadline and she said we're all busy.",
        R.COWORKER,
        "she",
    ),
    Story(
        "I told my colleague I was nervous about presenting and he laughed at me.",
        R.COWORKER,
        "he",
    ),
    Story(
        "I told my coworker about my diagnosis and she started talking about her own back pain.",
        R.COWORKER,
        "she",
        ("diagnosis",),
    ),
    # bosses
    Story(
        "I told my boss I was struggling since my divorce and he said to keep personal stuff out "
        "of the office.",
        R.BOSS,
        "he",
    ),
    Story(
        "My manager kept checking her email while I explained why I was burned out.",
        R.BOSS,
        "she",
    ),
    Story(
        "I told my boss my dad was in hospital and he said he was too tired to deal with it "
        "and went back to his screen.",
        R.BOSS,
        "he",
        ("hospital", "dad"),
    ),
    # grief and illness
    Story(
        "My mum passed away last month and when I told my husband I missed her he said I "
        "needed to stay busy.",
        R.PARTNER,
        "he",
        ("mum", "passed"),
    ),
    Story(
        "I told my friend I was still crying about my dad's funeral and she told me to hurry up "
        "and move on.",
        R.FRIEND,
        "she",
        ("funeral", "dad"),
    ),
    Story(
        "Our dog died on Sunday and when I told my boyfriend I was heartbroken he said it was "
        "just a dog.",
        R.PARTNER,
        "he",
        ("dog",),
    ),
    Story(
        "I told my sister I couldn't stop thinking about Grandpa's funeral and she asked if I "
        "was almost done.",
        R.SIBLING,
        "she",
        ("funeral", "grandpa"),
    ),
    Story(
        "I told my wife the chemo was wearing me down and she said other people have it worse.",
        R.PARTNER,
        "she",
        ("chemo",),
    ),
    Story(
        "I told my dad I had been diagnosed with MS and he changed the subject to the football.",
        R.PARENT,
        "he",
        ("diagnos", "ms"),
    ),
    Story(
        "Since my brother passed I can barely sleep, and my roommate said I should be over it "
        "by now.",
        R.ROOMMATE,
        "",
        ("brother", "passed"),
    ),
    # quotes
    Story(
        'I told my boyfriend I was scared about the scan and he said "you will be fine, stop '
        'worrying."',
        R.PARTNER,
        "he",
        ("scan",),
    ),
    Story(
        "I told my mom I was nervous about the move and she said 'well, that's life, honey' "
        "and laughed.",
        R.PARENT,
        "she",
    ),
]
IDS = [f"{i:02d}-{s.relationship.value}" for i, s in enumerate(STORIES)]

_PRONOUNS = {
    "he": r"\b(?:he|him|his|himself)\b",
    "she": r"\b(?:she|her|hers|herself)\b",
    "they": r"\b(?:they|them|their|theirs|themselves)\b",
}
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_DANGLING = re.compile(
    r"\b(?:going|saying|telling|like|with|to|about|at|of|for|from|into|on|the|a|an|your|my|"
    r"and|but|or|then|goes|says|said)\s*(?=[,.;:?!])",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def answers() -> dict[str, Assessment]:
    service = CoachService(OfflineClassifier())

    async def run() -> dict[str, Assessment]:
        return {s.text: await service.coach("u", s.text) for s in STORIES}

    return asyncio.run(run())


def _said(answers: dict[str, Assessment], story: Story) -> list[str]:
    answer = answers[story.text]
    assert answer.safety is Safety.NONE, story.text
    assert answer.phrasings, story.text
    return [p.text for p in answer.phrasings]


def test_the_stories_cover_every_relationship() -> None:
    covered = {s.relationship for s in STORIES}
    assert covered >= set(Relationship) - {R.UNKNOWN}
    assert len(STORIES) >= 30
    assert sum(1 for s in STORIES if s.loss) >= 8


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_the_relationship_is_read_from_the_story(story: Story) -> None:
    assert relationship_of(story.text) is story.relationship


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_every_phrasing_passes_the_guard(answers: dict[str, Assessment], story: Story) -> None:
    for phrasing in answers[story.text].phrasings:
        assert guard.passes(phrasing.text, phrasing.style), phrasing.text


@pytest.mark.parametrize("story", [s for s in STORIES if s.listener], ids=lambda s: s.text[:40])
def test_the_listener_is_always_you(answers: dict[str, Assessment], story: Story) -> None:
    pronoun = re.compile(_PRONOUNS[story.listener], re.IGNORECASE)
    for text in _said(answers, story):
        narration = _QUOTED.sub("", text)
        assert not pronoun.search(narration), text


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_no_name_is_wedged_after_you(answers: dict[str, Assessment], story: Story) -> None:
    for text in _said(answers, story):
        assert not re.search(r"\byou,? (?!I\b|I'[a-z]+\b)[A-Z][a-z]+", text), text
        if story.name:
            assert story.name not in text[1:], text


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_nothing_is_cut_mid_phrase(answers: dict[str, Assessment], story: Story) -> None:
    for text in _said(answers, story):
        assert "…" not in text and "..." not in text, text
        assert not _DANGLING.search(_QUOTED.sub("“”", text)), text


@pytest.mark.parametrize("story", STORIES, ids=IDS)
def test_the_request_fits_the_relationship(answers: dict[str, Assessment], story: Story) -> None:
    for text in _said(answers, story):
        low = text.lower()
        if story.relationship in (R.COWORKER, R.BOSS):
            assert "tonight" not in low, text
            assert "be close" not in low and "tender" not in low, text
        if story.relationship in (R.PARENT, R.BOSS, R.COWORKER):
            assert "take turns" not in low, text


@pytest.mark.parametrize("story", [s for s in STORIES if s.loss], ids=lambda s: s.text[:40])
def test_grief_and_illness_keep_the_loss_in_view(
    answers: dict[str, Assessment], story: Story
) -> None:
    for text in _said(answers, story):
        assert any(word in text.lower() for word in story.loss), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My mum passed away and when I told my husband he shrugged.", R.PARTNER),
        ("My dad's funeral was Friday and my flatmate kept the TV on.", R.ROOMMATE),
        ("My team lead laughed at my question.", R.BOSS),
        ("I told my stepdad about it and he sighed.", R.PARENT),
        ("Nothing much happened today.", R.UNKNOWN),
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
    for phrasing in phrasings(classification, story):
        text = phrasing.text
        assert not re.search(r"\b(?:her|his|he|she)\b", text), text
        assert not re.search(r"\byou,? [A-Z][a-z]+", text) and "husband" not in text, text
        assert not _DANGLING.search(text) and " going" not in text, text
        assert guard.passes(text, phrasing.style), text
