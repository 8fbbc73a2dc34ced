"""The phrasing rules of the taxonomy, as `coaching.phrasing.guard` enforces them.

Each test starts from a phrasing that passes and changes one thing, so a failure names the rule
that moved (a rejection test cannot pass just because the base phrasing was already bad).
"""

from __future__ import annotations

import pytest

from coaching.phrasing import guard
from coaching.taxonomy import MAX_PHRASING_CHARS, Style

GOOD = "I felt lonely when you went back to your phone. Could we try that again tonight?"
GOOD_PARTNER = "How can I show up for you better in moments like that?"


@pytest.mark.parametrize("style", list(Style))
def test_a_first_person_feeling_with_an_invitation_passes(style: Style) -> None:
    assert guard.problems(GOOD, style) == []


@pytest.mark.parametrize(
    "text",
    [
        "When you went back to your phone, it was a lot. Could we try that again tonight?",
        "You went back to your phone while I was talking. Could we try that again tonight?",
    ],
)
@pytest.mark.parametrize("style", list(Style))
def test_a_phrasing_without_a_first_person_feeling_is_rejected(text: str, style: Style) -> None:
    assert not guard.passes(text, style)


@pytest.mark.parametrize(
    "text",
    [
        "I feel lonely when you go back to your phone. Could we try that again tonight?",
        "I'm feeling lonely since you went back to your phone. Could we try that again tonight?",
        "When you went back to your phone, I felt lonely. Could we try that again tonight?",
    ],
)
def test_other_first_person_feeling_forms_pass(text: str) -> None:
    assert guard.passes(text, Style.GENTLE)


@pytest.mark.parametrize("label", ["selfish", "narcissist", "gaslighting"])
@pytest.mark.parametrize("style", list(Style))
def test_a_label_is_rejected(label: str, style: Style) -> None:
    text = f"I felt lonely when you were {label} about my phone call. Could we talk tonight?"
    assert not guard.passes(text, style)


@pytest.mark.parametrize("label", ["Selfish", "NARCISSIST", "Gaslighting"])
def test_a_label_is_rejected_whatever_its_case(label: str) -> None:
    text = f"{label}, that is how it felt, and I felt lonely. Could we talk about it tonight?"
    assert not guard.passes(text, Style.GENTLE)


@pytest.mark.parametrize("label", ["selfish", "narcissist", "gaslighting"])
def test_a_label_is_rejected_in_a_partner_prompt(label: str) -> None:
    assert not guard.passes(f"I know I was {label}. How can I show up for you better?")


@pytest.mark.parametrize(
    "blame",
    [
        "I felt lonely because you always go back to your phone.",
        "I felt lonely because you never put your phone down.",
        "I felt lonely, and it is your fault that the evening went wrong.",
        "I felt lonely, and you should have put your phone down.",
    ],
)
@pytest.mark.parametrize("style", list(Style))
def test_an_absolute_or_blame_is_rejected(blame: str, style: Style) -> None:
    assert not guard.passes(f"{blame} Could we try that again tonight?", style)


@pytest.mark.parametrize(
    "blame", ["You always do this.", "You never listen.", "It's your fault.", "You should know."]
)
def test_an_absolute_or_blame_is_rejected_in_a_partner_prompt(blame: str) -> None:
    assert not guard.passes(f"{blame} How can I show up for you better?")


def test_a_phrasing_that_ends_in_a_statement_is_rejected() -> None:
    text = "I felt lonely when you went back to your phone. I need you to put it down."
    assert not guard.passes(text, Style.GENTLE)


def test_a_question_earlier_does_not_count_when_the_phrasing_ends_in_a_demand() -> None:
    text = "Could we talk? I felt lonely when you went back to your phone. Put it down next time."
    assert not guard.passes(text, Style.GENTLE)


@pytest.mark.parametrize(
    "ending",
    [
        "Could we try that again tonight?",
        "Would you sit with me for ten minutes?",
        "Please sit with me for ten minutes.",
        "I'd love it if we could try that again tonight.",
    ],
)
def test_a_question_or_a_request_at_the_end_is_an_invitation(ending: str) -> None:
    assert guard.passes(f"I felt lonely when you went back to your phone. {ending}", Style.GENTLE)


def test_exactly_the_length_limit_passes() -> None:
    head = "I felt lonely when you went back to your phone"
    tail = ". Could we try that again tonight?"
    text = head + " and" * ((MAX_PHRASING_CHARS - len(head) - len(tail)) // 4)
    text = text + "x" * (MAX_PHRASING_CHARS - len(text) - len(tail)) + tail
    assert len(text) == MAX_PHRASING_CHARS == 320
    assert guard.passes(text, Style.GENTLE)


def test_one_character_over_the_length_limit_is_rejected() -> None:
    head = "I felt lonely when you went back to your phone"
    tail = ". Could we try that again tonight?"
    text = head + " and" * ((MAX_PHRASING_CHARS - len(head) - len(tail)) // 4)
    text = text + "x" * (MAX_PHRASING_CHARS + 1 - len(text) - len(tail)) + tail
    assert len(text) == 321
    assert not guard.passes(text, Style.GENTLE)


@pytest.mark.parametrize("evaluation", ["unheard", "dismissed"])
def test_nvc_rejects_an_evaluation_in_place_of_a_feeling(evaluation: str) -> None:
    text = f"When you went back to your phone, I felt {evaluation}. Could we try that again?"
    assert not guard.passes(text, Style.NVC)


@pytest.mark.parametrize("evaluation", ["unheard", "dismissed"])
@pytest.mark.parametrize("style", [Style.GENTLE, Style.DIRECT])
def test_gentle_and_direct_may_say_unheard_or_dismissed(evaluation: str, style: Style) -> None:
    text = f"When you went back to your phone, I felt {evaluation}. Could we try that again?"
    assert guard.passes(text, style)


NON_ENGLISH = {
    "es": "Cuando nunca miras hacia mí, me siento sola. ¿Podemos hablar esta noche un rato?",
    "fr": "Je me suis sentie seule quand tu es retourné à ton téléphone. Pourrions-nous "
    "réessayer ce soir ?",
    "de": "Ich habe mich einsam gefühlt, als du wieder auf dein Handy geschaut hast. Können wir "
    "es heute Abend noch einmal versuchen?",
    "it": "Mi sono sentita sola quando sei tornato al telefono. Possiamo riprovare stasera?",
}


@pytest.mark.parametrize("language", sorted(NON_ENGLISH))
@pytest.mark.parametrize("style", list(Style))
def test_a_non_english_phrasing_is_not_held_to_the_english_word_rules(
    language: str, style: Style
) -> None:
    # No "I felt" (and the Spanish one says "nunca"): only length and invitation apply.
    assert guard.problems(NON_ENGLISH[language], style) == []


def test_a_spanish_phrasing_with_me_and_a_is_not_held_to_the_english_word_rules() -> None:
    # "me" and "a" are everyday Spanish words; they do not make the sentence English.
    text = "Me sentí sola cuando volviste a tu teléfono. ¿Podemos intentarlo otra vez esta noche?"
    assert guard.problems(text, Style.GENTLE) == []


def test_a_non_english_phrasing_is_held_to_the_length_rule() -> None:
    within = "Ich habe mich einsam gefühlt, als du wieder auf dein Handy geschaut hast. "
    ask = "Können wir es heute Abend noch einmal versuchen?"
    assert guard.passes(within + ask, Style.GENTLE)
    too_long = within * 4 + ask
    assert len(too_long) > MAX_PHRASING_CHARS
    assert not guard.passes(too_long, Style.GENTLE)


def test_a_non_english_phrasing_is_held_to_the_invitation_rule() -> None:
    statement = "Ich habe mich einsam gefühlt, als du wieder auf dein Handy geschaut hast."
    assert not guard.passes(statement, Style.GENTLE)


def test_a_partner_prompt_does_not_need_a_first_person_feeling() -> None:
    assert guard.problems(GOOD_PARTNER, None) == []
    assert not guard.passes(GOOD_PARTNER, Style.GENTLE)


def test_a_partner_prompt_must_still_end_in_an_invitation() -> None:
    assert not guard.passes("I'm sorry I brushed past it. I'll do better next time.", None)


def test_a_partner_prompt_is_held_to_the_length_limit() -> None:
    text = "I'm sorry I brushed past it, " * 12 + "can we talk?"
    assert len(text) > MAX_PHRASING_CHARS
    assert not guard.passes(text, None)


def test_an_empty_phrasing_is_rejected() -> None:
    assert not guard.passes("   ", Style.GENTLE)
    assert not guard.passes("", None)
