"""The phrasing rules of the taxonomy, as `coaching.phrasing.guard` enforces them.

Each test starts from a phrasing that passes and changes one thing, so a failure names the rule
that moved (a rejection test cannot pass just because the base phrasing was already bad).
"""

from __future__ import annotations

import pytest

from coaching.models import WriterRole
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


# --- the writer's role: repair attempts (`caused`) and shared hurt (`both`) -------------------

GOOD_CAUSED = (
    "When you told me about the biopsy, I jumped straight to fixing it, and I'm sorry. I think it "
    "might have left you feeling alone with it. Would you tell me about it again? I'm listening."
)
GOOD_BOTH = (
    "I'm sorry I rushed you; that wasn't fair to you. And when you walked out, I felt alone. "
    "Could we start again tonight and really hear each other?"
)


@pytest.mark.parametrize("style", list(Style))
def test_a_repair_attempt_passes_for_caused(style: Style) -> None:
    assert guard.problems(GOOD_CAUSED, style, "caused") == []


@pytest.mark.parametrize("style", list(Style))
def test_a_repair_attempt_has_no_first_person_feeling_so_it_fails_for_hurt(style: Style) -> None:
    assert "no first-person feeling" in guard.problems(GOOD_CAUSED, style, "hurt")


def test_no_role_is_read_as_hurt() -> None:
    assert guard.problems(GOOD_CAUSED, Style.GENTLE, None) == guard.problems(
        GOOD_CAUSED, Style.GENTLE
    )
    assert guard.passes(GOOD, Style.GENTLE, None)


@pytest.mark.parametrize(
    "text",
    [
        "When you told me about the biopsy, I jumped straight to fixing it. I think you might "
        "have felt alone with it. Would you tell me about it again?",
        "I went back to my phone while you were talking. How can I show up for you better?",
        "I apologise for going quiet when you needed me. Would you tell me again?",
    ],
)
def test_owning_it_without_a_feeling_passes_for_caused(text: str) -> None:
    assert guard.problems(text, Style.GENTLE, "caused") == []


@pytest.mark.parametrize(
    "text",
    [
        "That moment with the biopsy went badly. Would you tell me about it again?",
        "You seemed upset after we talked about the biopsy. Would you tell me about it again?",
        "I wanted you to feel better about the biopsy. Would you tell me about it again?",
    ],
)
def test_a_repair_attempt_that_owns_nothing_is_rejected(text: str) -> None:
    assert "does not own it" in guard.problems(text, Style.GENTLE, "caused")


EXCUSES = {
    "but after sorry": "I'm sorry I jumped to fixing it, but I was exhausted. Would you tell me "
    "again?",
    "but in the next sentence": "I'm sorry I jumped to fixing it. But you caught me at a bad "
    "time. Would you tell me again?",
    "but after the act": "I jumped to fixing it, but that's how I show I care. Would you tell "
    "me again?",
    "if you felt": "If you felt alone with it, I'm sorry. Would you tell me again?",
    "sorry if": "I'm sorry if I jumped to fixing it. Would you tell me again?",
    "sorry you feel": "I'm sorry you feel that I jumped to fixing it. Would you tell me again?",
    "sorry you felt": "I'm sorry you felt hurt when I gave advice. Would you tell me again?",
    "only meant": "I jumped to fixing it; I only meant to help. Would you tell me again?",
    "just trying": "I jumped to fixing it. I was just trying to help. Would you tell me again?",
    "didn't mean": "I'm sorry I jumped to fixing it. I didn't mean to hurt you. Would you tell "
    "me again?",
}
SELF_PUNISHMENT = {
    "terrible partner": "I jumped to fixing it. I'm a terrible partner. Would you tell me again?",
    "the worst": "I'm sorry I jumped to fixing it, I'm the worst. Would you tell me again?",
    "awful": "I'm sorry. I'm such an awful wife. Would you tell me about it again?",
    "hate myself": "I jumped to fixing it and I hate myself for it. Would you tell me again?",
    "always mess up": "I'm sorry, I always mess this up. Would you tell me about it again?",
}


@pytest.mark.parametrize("text", list(EXCUSES.values()), ids=list(EXCUSES))
@pytest.mark.parametrize("role", ["caused", "both"])
def test_an_excuse_is_rejected_for_a_writer_who_hurt(text: str, role: WriterRole) -> None:
    found = guard.problems(f"{text} I felt awful about it.", Style.GENTLE, role)
    assert any(p.startswith("an excuse") for p in found), found


@pytest.mark.parametrize("text", list(EXCUSES.values()), ids=list(EXCUSES))
def test_the_same_excuse_is_not_the_hurt_writers_concern(text: str) -> None:
    # A hurt writer's phrasing is held to its own rules: no excuse rule applies.
    found = guard.problems(text, Style.GENTLE, "hurt")
    assert not any(p.startswith("an excuse") for p in found), found


@pytest.mark.parametrize("text", list(SELF_PUNISHMENT.values()), ids=list(SELF_PUNISHMENT))
def test_self_punishment_is_rejected_for_caused(text: str) -> None:
    assert "self-punishment" in guard.problems(text, Style.GENTLE, "caused")


@pytest.mark.parametrize(
    "text",
    [
        "I jumped straight to fixing it, and I'm sorry. You felt alone with it. Would you tell "
        "me again?",
        "I'm sorry I jumped straight to fixing it. I know you felt alone. Would you tell me again?",
    ],
)
def test_telling_them_what_they_felt_is_rejected_for_caused(text: str) -> None:
    assert "tells them what they felt" in guard.problems(text, Style.GENTLE, "caused")


@pytest.mark.parametrize(
    "guess",
    [
        "I wonder if you felt alone with it.",
        "I think you may have felt alone with it.",
        "I imagine you felt alone with it.",
        "I guess you felt alone with it.",
        "Maybe you felt alone with it.",
    ],
)
def test_a_tentative_guess_at_their_feeling_passes_for_caused(guess: str) -> None:
    text = f"I jumped straight to fixing it, and I'm sorry. {guess} Would you tell me again?"
    assert guard.problems(text, Style.GENTLE, "caused") == []


def test_saying_what_i_told_them_about_their_feeling_is_not_telling_them_what_they_felt() -> None:
    text = "I told you it wasn't as bad as you felt, and I'm sorry. How is it for you?"
    assert guard.problems(text, Style.GENTLE, "caused") == []


@pytest.mark.parametrize("role", ["caused", "both"])
def test_a_label_or_blame_is_rejected_for_every_role(role: WriterRole) -> None:
    label = "I'm sorry I called you selfish. Would you tell me about it again?"
    blame = "I'm sorry I rushed you, and I felt hurt because you never listen. Can we talk?"
    assert "labels the person" in guard.problems(label, Style.GENTLE, role)
    assert "absolute or blame" in guard.problems(blame, Style.GENTLE, role)


@pytest.mark.parametrize("role", ["caused", "both"])
def test_nvc_still_names_a_feeling_not_an_evaluation_for_every_role(role: WriterRole) -> None:
    text = "I'm sorry I rushed you. I felt dismissed when you left. I wonder if you felt ignored. "
    found = guard.problems(text + "Would you tell me again?", Style.NVC, role)
    assert "an evaluation where NVC names a feeling" in found


@pytest.mark.parametrize("role", ["caused", "both"])
def test_a_repair_attempt_must_still_end_in_an_invitation(role: WriterRole) -> None:
    text = "I'm sorry I rushed you, and I felt alone when you left. I'll do better next time."
    assert "does not end in an invitation" in guard.problems(text, Style.GENTLE, role)


@pytest.mark.parametrize("reassurance", ["I'm listening.", "I'm here.", "Take your time."])
def test_a_short_reassurance_may_follow_the_question_for_caused(reassurance: str) -> None:
    text = f"I'm sorry I rushed you. Would you tell me again? {reassurance}"
    assert guard.problems(text, Style.GENTLE, "caused") == []


def test_a_reassurance_after_the_question_does_not_count_for_hurt() -> None:
    text = "I felt lonely when you went back to your phone. Could we try again? I'm listening."
    assert "does not end in an invitation" in guard.problems(text, Style.GENTLE, "hurt")


def test_a_demand_after_the_question_is_not_a_reassurance() -> None:
    text = "I'm sorry I rushed you. Would you tell me again? Tell me now."
    assert "does not end in an invitation" in guard.problems(text, Style.GENTLE, "caused")


@pytest.mark.parametrize("style", list(Style))
def test_owning_my_part_and_saying_what_i_felt_passes_for_both(style: Style) -> None:
    assert guard.problems(GOOD_BOTH, style, "both") == []


def test_both_needs_a_first_person_feeling() -> None:
    text = "I'm sorry I rushed you; that wasn't fair to you. Could we start again tonight?"
    assert guard.problems(text, Style.GENTLE, "both") == ["no first-person feeling"]


def test_both_needs_the_writer_to_own_something() -> None:
    text = "When you walked out, I felt alone. Could we start again tonight?"
    assert guard.problems(text, Style.GENTLE, "both") == ["does not own it"]
    assert guard.problems(text, Style.GENTLE, "hurt") == []


def test_a_partner_prompt_is_held_to_the_partner_rules_whatever_the_role() -> None:
    assert guard.problems(GOOD_PARTNER, None, "both") == []


def test_how_bad_you_felt_names_no_feeling_for_them() -> None:
    text = (
        "I'm sorry I made it about me. It turned into how bad you felt, and I felt alone. Can we?"
    )
    assert "tells them what they felt" not in guard.problems(text, Style.GENTLE, "both")
