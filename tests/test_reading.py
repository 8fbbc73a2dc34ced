"""Reading a story: sentences and clauses, negation."""

from __future__ import annotations

from typing import Any

import pytest

from coaching.reading.negation import negated_before, opens_negated
from coaching.reading.sentences import clauses, sentences
from coaching.reading.story import read_story

# --- sentences -----------------------------------------------------------------------------


def test_a_sentence_ends_at_a_stop_followed_by_a_space() -> None:
    text = "We were cooking. She asked about my week! Was it that bad? Yes."
    assert sentences(text) == [
        "We were cooking.",
        "She asked about my week!",
        "Was it that bad?",
        "Yes.",
    ]


def test_a_line_break_ends_a_sentence_without_a_stop() -> None:
    assert sentences("first thing\n\nsecond thing") == ["first thing", "second thing"]


def test_a_dot_inside_a_number_ends_nothing() -> None:
    assert sentences("It took 2.5 hours to get home. Then we ate.") == [
        "It took 2.5 hours to get home.",
        "Then we ate.",
    ]


def test_a_run_of_stops_is_one_end() -> None:
    assert sentences("wait... what?! ok") == ["wait...", "what?!", "ok"]


@pytest.mark.parametrize(
    "text",
    [
        'He looked up and said "Relax. Breathe. It is one exam." and left.',
        "He looked up and said \u201cRelax. Breathe. It is one exam.\u201d and left.",
    ],
    ids=["straight", "curly"],
)
def test_a_quote_of_several_sentences_stays_whole(text: str) -> None:
    assert sentences(text) == [text]


def test_an_unclosed_quote_ends_at_the_line_break() -> None:
    text = 'she wrote "calm down. it is fine\nI stopped replying. Then I cried.'
    assert sentences(text) == [
        'she wrote "calm down. it is fine',
        "I stopped replying.",
        "Then I cried.",
    ]


def test_sentences_are_slices_of_the_text_in_order() -> None:
    text = ' My aunt called.  "Chin up. Onwards!" she said.\n\nI hung up?! '
    pieces = sentences(text)
    at = 0
    for piece in pieces:
        found = text.index(piece, at)
        assert not text[at:found].strip()
        at = found + len(piece)
    assert not text[at:].strip()


def test_nothing_to_read_is_no_sentence() -> None:
    assert sentences("  \n ") == []


# --- clauses -------------------------------------------------------------------------------


def test_clauses_end_at_semicolons_and_joined_clauses() -> None:
    text = (
        "I told him about the audition; he nodded, and then he turned the radio up, but I kept on."
    )
    assert clauses(text) == [
        "I told him about the audition",
        "he nodded",
        "then he turned the radio up",
        "I kept on",
    ]


def test_a_quote_is_not_cut_into_clauses() -> None:
    text = 'he said "fine; whatever, and stop texting me" and left'
    assert clauses(text) == [text]


# --- the story reader uses the same sentences ----------------------------------------------


def test_a_quote_of_two_sentences_is_one_clause_of_its_speaker() -> None:
    story = 'I told my brother about the layoff. He said "Meh. Jobs come and go."'
    quoted = [c for c in read_story(story) if c.quoted]
    assert [c.raw for c in quoted] == ["Meh. Jobs come and go."]
    assert quoted[0].sentence == 1


# --- negation ------------------------------------------------------------------------------


def _negated(text: str, cue: str, **kwargs: Any) -> bool:
    return negated_before(text, text.index(cue), **kwargs)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("he never really laughed", "laughed"),
        ("she didn't give me any advice", "advice"),
        ("he sat there instead of listening", "listening"),
        ("my dad refused to talk about it", "talk"),
    ],
)
def test_a_negation_a_few_words_before_a_cue_negates_it(text: str, cue: str) -> None:
    assert _negated(text, cue)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("i was not sure, but he laughed", "laughed"),
        ("i did not expect that at all when he laughed", "laughed"),
        ("he laughed", "laughed"),
        ("i noticed he laughed", "laughed"),
    ],
    ids=["comma", "too-far", "none", "inside-a-word"],
)
def test_a_negation_in_another_clause_or_far_away_does_not(text: str, cue: str) -> None:
    assert not _negated(text, cue)


def test_a_hedge_is_a_negation_only_when_asked() -> None:
    text = "i don't think i can keep going"
    assert _negated(text, "keep")
    assert not _negated(text, "keep", hedges=False)


@pytest.mark.parametrize("cue", ["didn't say a word", "do not want to be here", "no longer care"])
def test_a_cue_can_open_with_its_own_negation(cue: str) -> None:
    assert opens_negated(cue)


@pytest.mark.parametrize("cue", ["laughed at me", "nothing i do", "notice me"])
def test_a_cue_without_one_does_not(cue: str) -> None:
    assert not opens_negated(cue)
