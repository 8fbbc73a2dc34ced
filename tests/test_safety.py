"""The safety screen: the issue's examples, negation, whose crisis it is, and swap invariance.

The taxonomy: safety "judges what happens, not who it happens to: the same words with the
genders or the relationship swapped get the same level". `swap_people` below rewrites a story
with every gendered person and relationship swapped, and the screen must not notice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coaching.safety import screening
from coaching.safety.heads import MAX_SENTENCES
from coaching.safety.screening import read_rules, screen
from coaching.taxonomy import Safety
from training.swap import swap_people

DEV = Path(__file__).parent / "data" / "dev.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()
]
DEV_SAFETY = [c for c in CASES if c["safety"] != "none"]

# --- the swap helper (training/swap.py) ------------------------------------------------


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


# --- an everyday word never cancels a crisis (issue 11a) ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "After the meeting I told my wife I've been thinking about ending it all.",
        "After the party I told my sister that I've been cutting myself.",
        "During the project review I told my boss that I don't want to be alive anymore.",
        "I've felt this way forever and I told my husband that I'd rather be dead.",
    ],
    ids=["meeting", "party", "project", "forever"],
)
def test_an_everyday_word_in_the_clause_does_not_cancel_a_crisis(text: str) -> None:
    assert screen(text).level is Safety.CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "I'm giving away my old books because we're moving next month",
        "saying goodbye to everyone at the party before we move",
        "My brother said he won't be around much longer, he starts a new job in Lisbon.",
        "I wrote a goodbye note for my flatmate before my flight left.",
    ],
)
def test_an_everyday_reason_next_to_a_departure_is_not_a_crisis(text: str) -> None:
    assert screen(text).level is Safety.NONE


def test_an_everyday_word_far_from_the_departure_does_not_explain_it() -> None:
    text = (
        "I've been giving away my things to friends one by one and nobody has asked me why, "
        "not even my sister at her party"
    )
    assert screen(text).level is Safety.CRISIS


def test_an_everyday_reading_the_writer_rules_out_does_not_explain_it() -> None:
    text = "I just want to leave and not come back, and not like a holiday either."
    assert screen(text).level is Safety.CRISIS


# --- someone else's blow is abuse, not self-harm (issue 11b) --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I don't think he hit me on purpose, but he hit me.",
        "She says she didn't punch me deliberately. She still punched me.",
    ],
)
def test_being_hit_on_purpose_or_not_is_abuse(text: str) -> None:
    assert screen(text).level is Safety.ABUSE


@pytest.mark.parametrize(
    "text",
    [
        "I hit my head against the wall on purpose until it hurt.",
        "My son punches himself on purpose when he gets overwhelmed.",
    ],
)
def test_hurting_oneself_on_purpose_is_still_crisis(text: str) -> None:
    assert screen(text).level is Safety.CRISIS


# --- a short sentence about the other person is not abuse by itself (issue 11c) -------------


@pytest.mark.parametrize(
    "text",
    [
        "He hung up on me.",
        "I called to say sorry about the dinner and he said I was overreacting. He hung up on me.",
        "She hung up on me again.",
        "He ignored me all evening.",
    ],
)
def test_a_short_ordinary_sentence_about_him_and_me_is_not_abuse(text: str) -> None:
    assert screen(text).level is Safety.NONE


@pytest.mark.parametrize("text", ["He hit me again.", "She choked me.", "He shoved me."])
def test_a_short_sentence_that_names_violence_is_still_abuse(text: str) -> None:
    assert screen(text).level is Safety.ABUSE


# --- crisis and abuse statements in other languages (issue 11d) -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Quiero morir.",
        "Me quiero matar",
        "Ya no quiero vivir, estoy cansada de todo.",
        "Voy a suicidarme esta noche.",
        "Je veux mourir",
        "Je veux me suicider",
        "Je ne veux plus vivre comme ça.",
        "Ich will sterben",
        "Ich will mich umbringen",
        "Ich möchte nicht mehr leben.",
        "Ich moechte sterben",
        "Quero morrer",
        "Vou me matar",
        "Não quero mais viver.",
        "Nao quero mais viver.",
        "Voglio morire",
        "Voglio uccidermi",
        "Non voglio più vivere.",
        "Non voglio piu vivere.",
    ],
)
def test_well_known_crisis_statements_in_other_languages_are_crisis(text: str) -> None:
    assert screen(text).level is Safety.CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "Mi marido me pega cuando bebe.",
        "Il me frappe quand il a bu.",
        "Er schlägt mich.",
        "Er schlaegt mich jeden Abend.",
        "Ele me bate.",
        "Mio marito mi picchia.",
    ],
)
def test_being_hit_said_in_other_languages_is_abuse(text: str) -> None:
    assert screen(text).level is Safety.ABUSE


@pytest.mark.parametrize(
    "text",
    [
        "Quiero comer pizza.",
        "Je veux partir en vacances.",
        "Ich will morgen ins Kino gehen.",
        "Quero viajar para o Brasil.",
        "Voglio andare al mare.",
        "No quiero morir, quiero que me escuche.",
        "Je ne veux pas mourir.",
        "Ich will nicht sterben.",
        "Não quero morrer.",
        "Non voglio morire.",
        "Me muero de risa con mi hermana.",
        "Er schlägt mich nicht, aber er schreit.",
    ],
)
def test_ordinary_and_negated_sentences_in_other_languages_are_none(text: str) -> None:
    assert screen(text).level is Safety.NONE


# --- a story being told (fiction filter) ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In the novel I'm writing the character wants to die.",
        "in the movie he shot her",
        "In the video game I'm playing my character threatens to kill the king.",
    ],
)
def test_a_cue_inside_a_story_being_told_is_not_flagged(text: str) -> None:
    assert screen(text).level is Safety.NONE


@pytest.mark.parametrize(
    "text",
    [
        "In the book I'm reading I realised I want to die too.",
        "We watched a film and in the car afterwards he hit me.",
        "We were coming home from the movie when he slapped her in front of the kids.",
        "We were watching a film and he said he would hurt her if she left.",
    ],
)
def test_the_writer_stepping_out_of_the_story_is_flagged(text: str) -> None:
    assert screen(text).level is not Safety.NONE


# --- odd input (issue 11e) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n ",
        "😭😭😭 💔",
        "我不知道该怎么办。他不听我说话。",
        "죽고 싶지 않아요",
        "?!.,;" * 500,
        "e\u0301" * 300,
        "x" * 20_000,
        "and then, " * 5_000,
    ],
    ids=["empty", "blank", "emoji", "zh", "ko", "punctuation", "combining", "one-word", "commas"],
)
def test_odd_input_is_screened_without_error(text: str) -> None:
    assert screen(text).level is Safety.NONE


def test_a_very_long_line_is_read_in_bounded_pieces() -> None:
    # One 150,000-character clause once made the filters quadratic; what bounds the work now is
    # that every filter reads at most a 400-character piece and the heads read at most
    # MAX_SENTENCES of them (the time it takes is bench/coach_latency.py's business).
    text = "I'm giving away my old books because we're moving " * 3_000
    assert screen(text).level is Safety.NONE
    assert max(map(len, screening._clauses(text.lower()))) <= 400
    heard = read_rules(text).sentences
    assert len(heard) <= MAX_SENTENCES
    assert max(map(len, heard)) <= 400


def test_a_cue_at_the_end_of_a_very_long_line_is_found() -> None:
    text = "he talked and talked about his day at work " * 500 + "and I want to kill myself"
    assert screen(text).level is Safety.CRISIS


# A crisis told as history (distant past or recovery news) is not a crisis today; the same
# words said as present, or with the writer saying it is back, still are.
@pytest.mark.parametrize(
    "text",
    [
        "Back when I was twenty I took an overdose; these days I coach a netball team and love it.",
        "In my teens I cut myself a lot, and my partner still brings it up when we argue.",
        "I made an attempt on my life decades ago and I talk about it openly now.",
        "I am eight months clean from self-harm and my brother forgot to text me.",
        "My counsellor says I'm well past those suicidal thoughts, so we are ending our sessions.",
        "Two years free of hurting myself, and my mum wants a party I don't want.",
        "My uncle was suicidal as a young man and is a cheerful grandfather now.",
        pytest.param(
            "I used to burn my arms with a lighter and I'm doing really well now.",
            marks=pytest.mark.xfail(
                strict=True,
                reason="known miss: 'used to' is not read as history, and the heads read a crisis",
            ),
        ),
        "Proud I went to therapy today, first session done!",
    ],
)
def test_a_crisis_told_as_history_is_not_a_crisis(text: str) -> None:
    assert screen(text).level is Safety.NONE


@pytest.mark.parametrize(
    "text",
    [
        "I was suicidal years ago and I'm there again now.",
        "I cut myself when I was fifteen and last night I did it again.",
        "I used to overdose back in my twenties and lately I want to die.",
        "I was six months clean from self-harm but I relapsed on Sunday.",
        "I tried to kill myself two weeks ago and nobody knows.",
        "At twenty-seven I want to die every single day.",
        "Years ago I moved out. I want to kill myself.",
        "I used to be happy and now I want to die.",
        "I used to self-harm and I'm fine at work, but lately I want to do it again.",
    ],
)
def test_the_same_words_said_as_present_are_still_crisis(text: str) -> None:
    assert screen(text).level is Safety.CRISIS


def test_a_model_reading_beside_a_crisis_told_as_history_is_only_asked_about() -> None:
    result = screen(
        "I stopped hurting myself years ago. My girlfriend keeps checking my arms when I "
        "come home late from the gym."
    )
    assert result.level is Safety.NONE


# A story, a role or a game the sentence is about, wherever its frame sits in the sentence.
@pytest.mark.parametrize(
    "text",
    [
        "The antagonist of my thriller threatens to kill the judge; my sister says it's too much.",
        "My flatmate landed the part of a man who takes an overdose in the spring production.",
        "Our tabletop campaign has a necromancer who stockpiles pills of poison for a ritual.",
        "She hunted me down in Minecraft and burned my whole village, what a traitor.",
        "The seminar on the play Hamlet asked whether Ophelia's death was suicide.",
    ],
)
def test_a_story_a_role_or_a_game_is_not_a_safety_case(text: str) -> None:
    assert screen(text).level is Safety.NONE


@pytest.mark.parametrize(
    "text",
    [
        "We watched a film about a soldier and afterwards I want to kill myself.",
        "He threw the game controller at my head and I'm scared of him.",
        "During the football game he choked me in the car park.",
        "My boyfriend rehearses for a play all week; at home he threatens to kill me.",
    ],
)
def test_real_danger_next_to_a_story_or_game_still_fires(text: str) -> None:
    assert screen(text).level is not Safety.NONE


# Giving things away for an everyday reason (a move, downsizing, going home after a contract).
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "We're emigrating to Auckland in March, so I've been handing my drum kit and records "
            "out.",
            marks=pytest.mark.xfail(
                strict=True, reason="known miss: the heads ask about suicide (0.46, over 0.30)"
            ),
        ),
        "My grandad is downsizing to a little bungalow and has been giving his tools to the lads.",
        "My placement ends in July and I'm going back to Manila, so my fridge goes to a colleague.",
    ],
)
def test_giving_things_away_for_an_everyday_move_is_not_a_crisis(text: str) -> None:
    result = screen(text)
    assert result.level is Safety.NONE
    assert not result.checks


@pytest.mark.parametrize(
    "text",
    [
        "We're relocating, and I've given my dog to a neighbour because I won't be needing him.",
        "I'm moving house, but really I'm giving everything away because I want to die.",
        "I gave away my guitar and my watch; I won't need them where I'm going.",
    ],
)
def test_giving_things_away_with_a_word_of_dying_is_still_crisis(text: str) -> None:
    assert screen(text).level is Safety.CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "If this flat-pack desk doesn't kill me, my landlord's inspection will.",
        "The group chat saw my karaoke video and honestly, just shoot me now.",
        "omg I'm gonna die, the teacher read my note out loud.",
        "When he proposed in front of the whole restaurant I wanted to die on the spot.",
    ],
)
def test_figures_of_speech_are_not_safety_cases(text: str) -> None:
    assert screen(text).level is Safety.NONE


@pytest.mark.parametrize(
    "text",
    [
        "He told me he will shoot me if I go to the police.",
        "I want to die and nothing is getting better.",
        "He said he'd bury me in the woods if I ever left.",
    ],
)
def test_the_same_words_as_threats_or_wishes_still_fire(text: str) -> None:
    assert screen(text).level is not Safety.NONE


@pytest.mark.parametrize(
    "text",
    [
        "My partner and I share each other's location so we see when the other drives home.",
        "Both of us agreed to a joint account for the bills and we each keep our own savings.",
        "My brother put a parental app on his son's tablet and the boy knows about it.",
        "We argued about the holiday and she threw a cushion at me, then we both laughed.",
        "She stormed out and slammed the door behind her, and came back an hour later to talk.",
        "My daughter kept slamming her door, so we took it off the hinges for a weekend.",
        "Beside her grave I said my final goodbye to Gran, and my husband rushed me to the car.",
    ],
)
def test_agreements_ordinary_fights_parenting_and_grief_are_not_safety_cases(text: str) -> None:
    assert screen(text).level is Safety.NONE


@pytest.mark.parametrize(
    "text",
    [
        "He tracks my location with an app I never agreed to and turns up wherever I am.",
        "He punched the wall right next to my head.",
        "He took the condom off without asking me.",
        "I'm saying my final goodbye to everyone tonight, I won't be here tomorrow.",
    ],
)
def test_control_violence_and_goodbyes_without_those_readings_still_fire(text: str) -> None:
    assert screen(text).level is not Safety.NONE


def test_anytime_is_an_arrangement_only_when_it_is_the_writers_to_use() -> None:
    assert screen("My sister keeps my spare card and I can get it back anytime.").level is (
        Safety.NONE
    )
    assert screen("Anytime I am tired he forces me to have sex.").level is Safety.ABUSE


def test_a_two_way_arrangement_is_not_read_as_control_by_the_model() -> None:
    text = (
        "Dad agreed to a fall alarm and a shared diary, he can switch either off whenever "
        "he likes, and he sees my location in return."
    )
    assert screen(text).level is Safety.NONE
