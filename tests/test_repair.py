"""Repair from either side (issue 13.2): phrasings for a writer who caused the hurt or shares it.

Properties, not exact text: every pattern in every style passes the guard for its role; a
`caused` phrasing owns what the writer did without an excuse or self-punishment, guesses the
other person's feeling tentatively and ends in an invitation, and has no partner prompt; a
`both` phrasing owns the writer's part before it says what the writer felt. A writer who was
hurt gets exactly what they got before.
"""

from __future__ import annotations

import re

import pytest

from coaching import messages
from coaching.models import (
    Classification,
    Draft,
    Exchange,
    PatternHit,
    Phrasing,
    WriterRole,
)
from coaching.phrasing import guard, repair
from coaching.phrasing.owning import GENERAL, OWNING
from coaching.phrasing.perspective import perspective
from coaching.phrasing.templates import partner_prompt, phrasings
from coaching.service import CoachService
from coaching.taxonomy import Moment, PatternId, Style

P = PatternId

_OWNS = re.compile(r"\bI'm sorry\b|\bI (?:[a-z]+ed|went|told|made|got|left|laughed|kept)\b")
_TENTATIVE = re.compile(r"\b(?:might|may|wonder|I think|I imagine|guess)\b")
_EXCUSE = re.compile(
    r"\bbut\b|\bif you felt\b|\bsorry (?:if|you feel|you felt)\b|\bI (?:only|just) meant\b", re.I
)
_SELF_PUNISHMENT = re.compile(r"\bI'm (?:a |an |the )?(?:terrible|awful|worst|horrible)\b", re.I)
_FEELING = re.compile(r"\bI(?:'ve been)? (?:felt|feel|feeling)\b")
_THIRD_PERSON = re.compile(r"\b(?:he|him|his|she|her|hers)\b", re.I)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def caused(
    pattern: PatternId | None,
    *,
    moment: Moment | None = Moment.VULNERABILITY_DISMISSED,
    exchange: Exchange | None = None,
) -> Classification:
    hits = (
        []
        if pattern is None
        else [PatternHit(id=pattern, confidence=0.8, evidence="", by="writer")]
    )
    return Classification(
        rupture=True,
        writer_role="caused",
        patterns=hits,
        moment=moment,
        exchange=exchange or Exchange(actor="she"),
    )


def both(
    mine: PatternId | None,
    theirs: PatternId | None,
    *,
    moment: Moment | None = Moment.UNRESOLVED_CONFLICT,
    exchange: Exchange | None = None,
) -> Classification:
    hits = []
    if theirs is not None:
        hits.append(PatternHit(id=theirs, confidence=0.8, evidence="", by="other"))
    if mine is not None:
        hits.append(PatternHit(id=mine, confidence=0.7, evidence="", by="writer"))
    return Classification(
        rupture=True,
        writer_role="both",
        patterns=hits,
        moment=moment,
        exchange=exchange or Exchange(actor="he"),
    )


def _ends_in_an_invitation(text: str) -> bool:
    text = re.sub(r"\s*(?:I'm listening|I'm here|Take your time)\.$", "", text)
    return text.endswith("?")


# --- every pattern, every style, both roles ---------------------------------------------------


@pytest.mark.parametrize("pattern", list(PatternId))
def test_every_caused_phrasing_passes_the_caused_guard(pattern: PatternId) -> None:
    said = phrasings(caused(pattern), "My wife told me something and I got it wrong.")
    assert [p.style for p in said] == list(Style)
    for phrasing in said:
        assert guard.problems(phrasing.text, phrasing.style, "caused") == [], phrasing.text


@pytest.mark.parametrize("pattern", list(PatternId))
def test_every_caused_phrasing_names_what_the_writer_did_rather_than_falling_back(
    pattern: PatternId,
) -> None:
    # `phrasings()` returns only text that passes the guard, so what can fail here is that a
    # pattern's words stop passing and the person silently gets the plain fallback.
    for phrasing in phrasings(caused(pattern)):
        assert OWNING[pattern].did in phrasing.text, phrasing.text
        assert phrasing.text != repair.FALLBACK["caused"][phrasing.style]


@pytest.mark.parametrize("theirs", list(PatternId))
@pytest.mark.parametrize("mine", list(PatternId))
def test_every_both_phrasing_passes_the_both_guard(mine: PatternId, theirs: PatternId) -> None:
    for phrasing in phrasings(both(mine, theirs), "My husband and I argued."):
        assert guard.problems(phrasing.text, phrasing.style, "both") == [], phrasing.text
        assert OWNING[mine].did in phrasing.text, phrasing.text
        assert phrasing.text != repair.FALLBACK["both"][phrasing.style]


@pytest.mark.parametrize("role", ["caused", "both"])
@pytest.mark.parametrize("style", list(Style))
def test_the_fallbacks_pass_the_guard_for_their_role(role: WriterRole, style: Style) -> None:
    # Nothing downstream checks them: they are what a person gets if a rule changes.
    assert guard.problems(repair.FALLBACK[role][style], style, role) == []


# --- caused: a repair attempt -----------------------------------------------------------------


@pytest.mark.parametrize("pattern", [*PatternId, None])
def test_a_caused_phrasing_owns_it_without_excuses_guesses_and_invites(
    pattern: PatternId | None,
) -> None:
    for phrasing in phrasings(caused(pattern)):
        text = phrasing.text
        assert _OWNS.search(text), text
        assert not _EXCUSE.search(text), text
        assert not _SELF_PUNISHMENT.search(text), text
        assert _TENTATIVE.search(text), text
        assert _ends_in_an_invitation(text), text


def test_a_caused_phrasing_says_the_seed_line_for_the_other_side() -> None:
    said = {p.style: p.text for p in phrasings(caused(P.UNSOLICITED_ADVICE))}
    assert said[Style.DIRECT].endswith("How can I show up for you better in moments like that?")


@pytest.mark.parametrize("moment", [*Moment, None])
def test_caused_with_no_pattern_is_a_general_repair_that_names_the_moment(
    moment: Moment | None,
) -> None:
    for phrasing in phrasings(caused(None, moment=moment)):
        assert phrasing.text.startswith(("When ", "More than once lately")), phrasing.text
        assert GENERAL.did in phrasing.text, phrasing.text
        assert guard.passes(phrasing.text, phrasing.style, "caused")


def test_caused_has_no_partner_prompt() -> None:
    assert partner_prompt(caused(P.DISENGAGEMENT)) == ""
    assert partner_prompt(caused(None, moment=None)) == ""


def test_what_the_other_person_told_is_said_back_to_them() -> None:
    exchange = Exchange(actor="she", shared="she was scared about the biopsy")
    story = "My wife told me she was scared about the biopsy and I told her to stay positive."
    for phrasing in phrasings(caused(P.UNSOLICITED_ADVICE, exchange=exchange), story):
        assert phrasing.text.startswith("When you told me you were scared about the biopsy, I ")
        assert not _THIRD_PERSON.search(phrasing.text), phrasing.text


def test_an_illness_the_story_names_keeps_the_moment_in_view() -> None:
    story = "My husband told me about the biopsy and I went straight into fixing mode."
    for phrasing in phrasings(caused(P.UNSOLICITED_ADVICE, exchange=Exchange(actor="he")), story):
        assert phrasing.text.startswith("When you told me about the biopsy, "), phrasing.text


def test_a_loss_that_may_be_the_writers_own_is_not_claimed_for_the_listener() -> None:
    # "diagnosed" reads as "my diagnosis" from a hurt writer; here it is her dad's.
    story = "Since my wife's dad was diagnosed I've been buying her flowers instead of talking."
    for phrasing in phrasings(caused(P.HOLLOW_AFFECTION), story):
        assert "diagnosis" not in phrasing.text, phrasing.text


def test_the_writers_own_act_is_said_when_it_reads_cleanly() -> None:
    exchange = Exchange(actor="they", shared="about the audition", response="I kept scrolling")
    said = phrasings(caused(P.DISENGAGEMENT, exchange=exchange))
    for phrasing in said:
        assert phrasing.text.startswith("When you told me about the audition, I kept scrolling")


@pytest.mark.parametrize(
    "response",
    [
        "she went back to her laptop",  # the other person's act, not the writer's
        "I told her she was being dramatic",  # a label, and "her"
        "I said “you always do this”",  # a quote with an absolute
        "I told Maya to cheer up",  # a name
    ],
)
def test_an_act_that_would_read_oddly_gives_way_to_the_patterns_words(response: str) -> None:
    exchange = Exchange(actor="she", response=response)
    for phrasing in phrasings(caused(P.INVALIDATION, exchange=exchange)):
        assert OWNING[P.INVALIDATION].did in phrasing.text, phrasing.text
        narration = _QUOTED.sub("", phrasing.text)
        assert not _THIRD_PERSON.search(narration), phrasing.text
        assert "Maya" not in phrasing.text and "dramatic" not in phrasing.text


def test_the_writers_own_words_shared_are_not_said_back_as_theirs() -> None:
    # An exchange read as if the writer were hurt: "shared" is the writer's own.
    exchange = Exchange(actor="he", shared="I've been anxious about the move")
    for phrasing in phrasings(caused(P.DEFENSIVENESS, exchange=exchange)):
        assert "anxious" not in phrasing.text, phrasing.text


@pytest.mark.parametrize("pattern", list(PatternId))
def test_a_repair_to_a_boss_asks_for_nothing_tonight_or_tender(pattern: PatternId) -> None:
    story = "My boss told me about her divorce and I handled it badly."
    for phrasing in phrasings(caused(pattern), story):
        low = phrasing.text.lower()
        assert "tonight" not in low and "tender" not in low and "be close" not in low, low


@pytest.mark.parametrize("theirs", list(PatternId))
def test_both_with_a_boss_asks_for_nothing_tonight_or_tender(theirs: PatternId) -> None:
    story = "My boss and I argued in the meeting and we both said things."
    for phrasing in phrasings(both(P.IMPATIENCE, theirs), story):
        low = phrasing.text.lower()
        assert "tonight" not in low and "tender" not in low and "be close" not in low, low


def test_grief_is_not_rushed_again() -> None:
    story = "Her dad died last week, and when she was crying about it I told her to hurry up."
    said = phrasings(caused(P.IMPATIENCE), story)
    for phrasing in said:
        assert phrasing.text.startswith("When you told me about losing your dad, "), phrasing.text
        assert "grief" in phrasing.text or "grieve" in phrasing.text, phrasing.text


# --- both: my part first, then what I felt ----------------------------------------------------


@pytest.mark.parametrize("theirs", [*PatternId, None])
@pytest.mark.parametrize("mine", [P.IMPATIENCE, P.MISTIMED_HUMOR, None])
def test_both_owns_the_writers_part_before_saying_what_the_writer_felt(
    mine: PatternId | None, theirs: PatternId | None
) -> None:
    for phrasing in phrasings(both(mine, theirs)):
        text = phrasing.text
        owned = re.search(r"\bI'm sorry\b|\bI know I said\b", text)
        felt = _FEELING.search(text)
        assert owned and felt, text
        assert owned.start() < felt.start(), text
        assert not _EXCUSE.search(text), text
        assert _ends_in_an_invitation(text), text


def test_both_says_the_other_persons_act_back_to_them() -> None:
    exchange = Exchange(actor="he", response="he walked out")
    for phrasing in phrasings(both(P.INVALIDATION, P.DISENGAGEMENT, exchange=exchange)):
        text = phrasing.text
        assert "you walked out" in text, text
        assert text.index("I told you it wasn't as bad as you felt") < text.index("you walked out")


def test_both_with_only_the_other_persons_part_owns_my_part_generically() -> None:
    for phrasing in phrasings(both(None, P.DISENGAGEMENT)):
        text = phrasing.text
        assert text.startswith("I know I said things I regret, and I'm sorry"), text
        assert guard.passes(phrasing.text, phrasing.style, "both")


def test_both_keeps_a_partner_prompt() -> None:
    line = partner_prompt(both(P.IMPATIENCE, P.DEFENSIVENESS))
    assert line and guard.problems(line, None) == []


# --- perspective and summary -----------------------------------------------------------------

BLAME_WRITER = re.compile(
    r"\byour fault\b|\byou should\b|\byou (?:made|caused|hurt|failed)\b|\bbecause (?:of )?you\b",
    re.I,
)


@pytest.mark.parametrize("pattern", [*PatternId, None])
def test_caused_perspective_is_what_they_may_have_felt_or_needed(
    pattern: PatternId | None,
) -> None:
    line = perspective(caused(pattern, exchange=Exchange(actor="my wife")))
    assert line.startswith("Your wife may "), line
    assert len(line) <= 200 and line.count(".") == 1, line
    assert not BLAME_WRITER.search(line) and not guard.LABEL_RE.search(line), line


def test_both_perspective_is_about_the_other_persons_part() -> None:
    classification = both(P.MISTIMED_HUMOR, P.DISENGAGEMENT)
    hurt = Classification(
        rupture=True,
        patterns=[PatternHit(id=P.DISENGAGEMENT, confidence=0.8, evidence="")],
        exchange=Exchange(actor="he"),
    )
    assert perspective(classification) == perspective(hurt)


def test_the_summary_speaks_to_the_writer_as_the_one_who_did_it() -> None:
    text = messages.summary(caused(P.UNSOLICITED_ADVICE))
    assert "you reached for solutions" in text and "they shared" in text, text
    assert "you shared" not in text


def test_the_summary_of_both_names_each_part() -> None:
    text = messages.summary(both(P.IMPATIENCE, P.DEFENSIVENESS))
    assert "your part looks like rushing" in text and "their part looks like turning" in text


# --- a writer who was hurt gets what they got before ------------------------------------------

HURT_BEFORE = [
    (
        Classification(
            rupture=True,
            writer_role="hurt",
            moment=Moment.VULNERABILITY_DISMISSED,
            patterns=[PatternHit(id=P.DISENGAGEMENT, confidence=0.9, evidence="his phone")],
            exchange=Exchange(
                actor="my husband",
                shared="I was nervous about the interview",
                response="he went back to his phone",
            ),
        ),
        "I told my husband I was nervous about the interview and he went back to his phone.",
        [
            "I felt alone when I told you I was nervous about the interview and you went back to "
            "your phone. Could you put everything down for ten minutes and talk with me?",
            "When I told you I was nervous about the interview and you went back to your phone, "
            "I felt unheard. I need to feel that you're with me. Can we talk about it tonight?",
            "When you went back to your phone, I felt lonely, because I need to feel that you're "
            "with me. Would you be willing to put everything down for ten minutes and talk with "
            "me?",
        ],
        "Thank you for trusting me with that, and I'm sorry I brushed past it. I'm listening "
        "this time: would you tell me again?",
    ),
    (
        Classification(
            rupture=True,
            moment=Moment.EMOTIONAL_CRISIS,
            patterns=[PatternHit(id=P.UNSOLICITED_ADVICE, confidence=0.9, evidence="stay busy")],
            exchange=Exchange(
                actor="he", shared="I missed her", response="he said I needed to stay busy"
            ),
        ),
        "My mum passed away last month and when I told my husband I missed her he said I "
        "needed to stay busy.",
        [
            "I felt a bit alone when I told you how hard losing my mum has been and you said I "
            "needed to stay busy. Could you just listen for a few minutes before we look for "
            "solutions?",
            "When I told you how hard losing my mum has been and you said I needed to stay busy, "
            "I felt unheard. I need to feel listened to first. Can we talk about it tonight?",
            "When I told you how hard losing my mum has been and you said I needed to stay busy, "
            "I felt lonely, because I need to feel listened to first. Would you be willing to "
            "just listen for a few minutes before we look for solutions?",
        ],
        "I'm sorry I wasn't with you in that. What would help right now: company, quiet, or "
        "talking it through?",
    ),
]


@pytest.mark.parametrize(("classification", "story", "texts", "prompt"), HURT_BEFORE)
def test_a_hurt_writer_gets_the_same_phrasings_as_before(
    classification: Classification, story: str, texts: list[str], prompt: str
) -> None:
    assert [p.text for p in phrasings(classification, story)] == texts
    assert partner_prompt(classification) == prompt


def test_a_hurt_writers_summary_and_perspective_are_unchanged() -> None:
    classification = HURT_BEFORE[0][0]
    assert messages.summary(classification) == (
        "The moment that stands out: his phone. That looks like checking out (attention went "
        "elsewhere: the subject changed, or a screen won). It came right after you shared "
        "something personal."
    )
    assert perspective(classification) == (
        "Your husband may have felt overwhelmed or unsure what to say, and pulled back instead "
        "of staying, even though staying was what mattered."
    )


# --- the service -------------------------------------------------------------------------------


class FakeClassifier:
    """Returns one fixed Draft, as a classifier (offline or the LLM's) would."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft

    async def classify(self, text: str) -> Draft:
        return self.draft


STORY = "My girlfriend told me she was scared about the biopsy and I sent her a list of doctors."
SHE_SCARED = Exchange(actor="she", shared="she was scared about the biopsy")


async def test_the_service_gives_a_caused_writer_repair_attempts_and_no_partner_prompt() -> None:
    draft = Draft(
        classification=caused(P.UNSOLICITED_ADVICE, exchange=SHE_SCARED),
        classifier="llm",
        partner_prompt="How can I show up for you better in moments like that?",
    )
    answer = await CoachService(FakeClassifier(draft)).coach("u", STORY)
    assert answer.writer_role == "caused"
    assert answer.partner_prompt == ""
    assert [p.style for p in answer.phrasings] == list(Style)
    for phrasing in answer.phrasings:
        assert guard.passes(phrasing.text, phrasing.style, "caused"), phrasing.text
        assert "When you told me you were scared about the biopsy" in phrasing.text
    assert answer.perspective.startswith("She may have needed company in the worry")
    assert "you reached for solutions" in answer.summary


@pytest.mark.parametrize(
    "proposal",
    [
        "I felt lonely when you told me about the biopsy. Could we talk tonight?",  # hurt-shaped
        "I'm sorry I sent you a list, but I was scared too. Would you tell me again?",
        "I'm sorry if you felt alone with it. Would you tell me about it again?",
        "I sent you a list of doctors. I'm the worst. Would you tell me about it again?",
    ],
    ids=["no-ownership", "but", "if-you-felt", "self-punishment"],
)
async def test_an_llm_phrasing_that_fails_the_caused_guard_gives_way_to_the_template(
    proposal: str,
) -> None:
    draft = Draft(
        classification=caused(P.UNSOLICITED_ADVICE, exchange=SHE_SCARED),
        classifier="llm",
        phrasings=[Phrasing(style=Style.GENTLE, text=proposal)],
    )
    answer = await CoachService(FakeClassifier(draft)).coach("u", STORY)
    gentle = next(p for p in answer.phrasings if p.style is Style.GENTLE)
    assert gentle.text != proposal
    assert guard.passes(gentle.text, Style.GENTLE, "caused")


async def test_an_llm_phrasing_that_passes_the_caused_guard_is_kept() -> None:
    proposal = (
        "When you told me about the biopsy, I sent you a list of doctors, and I'm sorry. I "
        "wonder if you wanted company more than a plan. Would you tell me again? I'm listening."
    )
    draft = Draft(
        classification=caused(P.UNSOLICITED_ADVICE, exchange=SHE_SCARED),
        classifier="llm",
        phrasings=[Phrasing(style=Style.GENTLE, text=proposal)],
    )
    answer = await CoachService(FakeClassifier(draft)).coach("u", STORY)
    assert next(p for p in answer.phrasings if p.style is Style.GENTLE).text == proposal


async def test_the_service_gives_both_a_phrasing_that_owns_then_feels_and_a_partner_prompt() -> (
    None
):
    exchange = Exchange(actor="he", response="he walked out")
    draft = Draft(
        classification=both(P.IMPATIENCE, P.DISENGAGEMENT, exchange=exchange), classifier="offline"
    )
    story = "We argued about the dishes, I rushed him and then he walked out."
    answer = await CoachService(FakeClassifier(draft)).coach("u", story)
    assert answer.writer_role == "both"
    assert answer.partner_prompt and guard.passes(answer.partner_prompt)
    for phrasing in answer.phrasings:
        assert guard.passes(phrasing.text, phrasing.style, "both"), phrasing.text
        assert phrasing.text.startswith(("I'm sorry I rushed you", "I rushed you")), phrasing.text


async def test_an_llm_phrasing_for_both_must_own_the_writers_part() -> None:
    proposal = "When you walked out, I felt alone. Could we start again tonight?"
    draft = Draft(
        classification=both(P.IMPATIENCE, P.DISENGAGEMENT),
        classifier="llm",
        phrasings=[Phrasing(style=Style.GENTLE, text=proposal)],
    )
    answer = await CoachService(FakeClassifier(draft)).coach("u", "We argued and he walked out.")
    assert next(p for p in answer.phrasings if p.style is Style.GENTLE).text != proposal
