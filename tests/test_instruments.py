"""The safety screen against every instrument item in the spec, plus its hard negatives.

training/data/safety/SPEC.md lists the items the screen must recognise: the Columbia screener
and the 988 / AFSP warning signs (crisis), the Duluth Power and Control Wheel and the Danger
Assessment (abuse), the writer who harms, and the negatives that share their surface words. A
retrained screen can quietly lose an item that no split happens to exercise much, so this file
checks each item by name, once with the writer at risk or harmed and once with someone the
writer describes. Every sentence here was written for these tests in plain words; none is taken
from the training, calibration or held-out splits or from tests/data/dev.jsonl.
"""

from __future__ import annotations

from typing import Any

import pytest

from coaching.safety import screen
from coaching.taxonomy import Safety

# Known misses of the screen as shipped (issue 12's targets are not met; the README has the
# figures). Strict: when a retrain fixes one, its test fails until it is taken off this list.
KNOWN_MISSES = {
    "warn_goodbye-other": "crisis, but read as the writer's own (about_other False)",
    "duluth_emotional-self": "none at all: put-downs and 'you're imagining things' score low",
    "duluth_emotional-other": "middle tier only: the heads score put-downs just under hard",
    "duluth_privilege-other": "middle tier only: treated like a servant is under the hard tier",
    "da_threat_to_kill-other": "middle tier only: a threat to kill the writer's sister",
    "da_weapon-other": "middle tier only: a gun shown to someone the writer describes",
}


def _known(params: list[Any]) -> list[Any]:
    """`params`, the known misses marked as expected failures."""
    return [
        pytest.param(
            *p.values,
            id=p.id,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[p.id])],
        )
        if p.id in KNOWN_MISSES
        else p
        for p in params
    ]


# --- crisis items: (text, about_other) ------------------------------------------------------

CRISIS_ITEMS: list[Any] = [
    # cssrs_wish_dead
    pytest.param(
        "Most nights I go to bed hoping I just won't wake up in the morning. I wish I were dead.",
        False,
        id="cssrs_wish_dead-self",
    ),
    pytest.param(
        "My husband told me last night that he wishes he were dead and that he hopes he "
        "doesn't wake up tomorrow.",
        True,
        id="cssrs_wish_dead-other",
    ),
    # cssrs_active_thoughts
    pytest.param(
        "I keep thinking about killing myself. The thought comes back every day now.",
        False,
        id="cssrs_active_thoughts-self",
    ),
    pytest.param(
        "My daughter has been telling me she thinks about killing herself. She said the "
        "thoughts won't stop.",
        True,
        id="cssrs_active_thoughts-other",
    ),
    # cssrs_method
    pytest.param(
        "I have been thinking about killing myself by jumping off the bridge near my office.",
        False,
        id="cssrs_method-self",
    ),
    pytest.param(
        "My boyfriend told me he has been thinking about killing himself by overdosing on his "
        "sleeping pills.",
        True,
        id="cssrs_method-other",
    ),
    # cssrs_intent
    pytest.param(
        "I am going to kill myself. I have made up my mind and I mean to do it.",
        False,
        id="cssrs_intent-self",
    ),
    pytest.param(
        "My wife said she is going to end her life and that she really intends to go through "
        "with it this time.",
        True,
        id="cssrs_intent-other",
    ),
    # cssrs_plan
    pytest.param(
        "I have a plan to kill myself on Saturday night when my roommate is away. I know "
        "exactly how I will do it.",
        False,
        id="cssrs_plan-self",
    ),
    pytest.param(
        "My brother told me he has planned to kill himself next Friday in the garage, after "
        "everyone has gone to bed.",
        True,
        id="cssrs_plan-other",
    ),
    # cssrs_behaviour
    pytest.param(
        "Last month I tried to kill myself by taking a bottle of pills. I ended up in the "
        "hospital.",
        False,
        id="cssrs_behaviour-self",
    ),
    pytest.param(
        "Two weeks ago my son tried to hang himself in his room. His sister found him and "
        "stopped him.",
        True,
        id="cssrs_behaviour-other",
    ),
    # warn_burden
    pytest.param(
        "I am nothing but a burden to my family. They would all be better off if I were gone.",
        False,
        id="warn_burden-self",
    ),
    pytest.param(
        "My mother keeps telling me she is a burden to all of us and that we would be better "
        "off without her.",
        True,
        id="warn_burden-other",
    ),
    # warn_trapped_pain
    pytest.param(
        "I feel completely trapped and the pain is unbearable. I cannot see any way out of it "
        "except to end it.",
        False,
        id="warn_trapped_pain-self",
    ),
    pytest.param(
        "My girlfriend told me she feels trapped with no way out and that the pain is too much "
        "to live with.",
        True,
        id="warn_trapped_pain-other",
    ),
    # warn_giving_away
    pytest.param(
        "This week I gave away my guitar, my watch and my cat, because I won't be needing "
        "them anymore.",
        False,
        id="warn_giving_away-self",
    ),
    pytest.param(
        "My husband has been giving away his most prized things, his father's watch and his "
        "fishing gear, and he says he won't need them anymore.",
        True,
        id="warn_giving_away-other",
    ),
    # warn_goodbye
    pytest.param(
        "I wrote letters to say goodbye to everyone I love, so they know I am sorry after I "
        "am gone.",
        False,
        id="warn_goodbye-self",
    ),
    pytest.param(
        "My friend called me last night to say goodbye as if we would never talk again, and "
        "she thanked me for everything.",
        True,
        id="warn_goodbye-other",
    ),
    # warn_researching
    pytest.param(
        "I have been searching online for ways to kill myself and reading about which ones "
        "are painless.",
        False,
        id="warn_researching-self",
    ),
    pytest.param(
        "I found my son's search history and he has been looking up ways to kill himself and "
        "how many pills it takes to die.",
        True,
        id="warn_researching-other",
    ),
    # warn_stockpiling
    pytest.param(
        "I have been saving up my pills for weeks so I have enough to end my life.",
        False,
        id="warn_stockpiling-self",
    ),
    pytest.param(
        "My wife has been hoarding her painkillers in a drawer. I found dozens of them, and "
        "she said she is keeping them so she can end it.",
        True,
        id="warn_stockpiling-other",
    ),
    # warn_self_harm
    pytest.param(
        "I cut myself again last night to deal with the pain. I have been doing it most days.",
        False,
        id="warn_self_harm-self",
    ),
    pytest.param(
        "My daughter has been burning herself on the arms with a lighter. I saw the fresh "
        "marks this morning.",
        True,
        id="warn_self_harm-other",
    ),
]


@pytest.mark.parametrize(("text", "about_other"), _known(CRISIS_ITEMS))
def test_every_crisis_item_is_crisis(text: str, about_other: bool) -> None:
    result = screen(text)
    assert result.level is Safety.CRISIS
    if about_other:
        assert result.about_other is True


# --- abuse items ------------------------------------------------------------------------------

ABUSE_ITEMS: list[Any] = [
    # duluth_intimidation
    pytest.param(
        "When my husband gets angry he smashes plates against the wall next to me, and last "
        "week he kicked our dog across the kitchen.",
        id="duluth_intimidation-self",
    ),
    pytest.param(
        "My sister's boyfriend punches holes in the doors when she disagrees with him, and he "
        "keeps a knife on the table where she can see it.",
        id="duluth_intimidation-other",
    ),
    # duluth_emotional
    pytest.param(
        "My wife calls me worthless and pathetic in front of our friends, and then tells me I "
        "am crazy and imagining things when I bring it up.",
        id="duluth_emotional-self",
    ),
    pytest.param(
        "My friend's girlfriend humiliates her in public, calls her stupid and ugly, and "
        "convinces her she is losing her mind.",
        id="duluth_emotional-other",
    ),
    # duluth_isolation
    pytest.param(
        "My boyfriend won't let me see my friends or my family. If I go out without asking, "
        "he screams at me for hours.",
        id="duluth_isolation-self",
    ),
    pytest.param(
        "My mother's husband decides who she is allowed to see and where she can go, and he "
        "gets furious if she visits me.",
        id="duluth_isolation-other",
    ),
    # duluth_minimize_deny_blame
    pytest.param(
        "After he shoved me into the wall, he said it never happened and that I made him do "
        "it by nagging.",
        id="duluth_minimize_deny_blame-self",
    ),
    pytest.param(
        "My brother's husband hit him, and now he tells everyone it was nothing and that my "
        "brother made him lose his temper.",
        id="duluth_minimize_deny_blame-other",
    ),
    # duluth_children
    pytest.param(
        "My ex-wife threatens to take the kids away and make sure I never see them again if I "
        "don't do what she says, and she sends me messages through our son.",
        id="duluth_children-self",
    ),
    pytest.param(
        "My daughter's husband tells her he will take the children and she will never see "
        "them again if she leaves him.",
        id="duluth_children-other",
    ),
    # duluth_economic
    pytest.param(
        "My husband takes my whole paycheck and gives me a small allowance, and if I spend "
        "too much he takes it away and locks the food cupboard.",
        id="duluth_economic-self",
    ),
    pytest.param(
        "My friend's boyfriend made her quit her job, and now he controls all the money and "
        "makes her beg him for cash to buy groceries.",
        id="duluth_economic-other",
    ),
    # duluth_coercion_threats
    pytest.param(
        "My girlfriend threatens to hurt me if I don't do what she wants, and she made me "
        "drop the charges after the last time.",
        id="duluth_coercion_threats-self",
    ),
    pytest.param(
        "My sister's husband threatened to hurt her if she reported him, and he made her "
        "withdraw the complaint she gave to the police.",
        id="duluth_coercion_threats-other",
    ),
    # duluth_privilege
    pytest.param(
        "My husband treats me like a servant. He makes every big decision alone, orders me "
        "around, and gets angry if dinner isn't ready the second he walks in.",
        id="duluth_privilege-self",
    ),
    pytest.param(
        "My father treats my mother like his servant. He decides everything, she isn't "
        "allowed an opinion, and he punishes her when she speaks up.",
        id="duluth_privilege-other",
    ),
    # da_strangulation
    pytest.param(
        "During the argument last night my boyfriend put his hands around my throat and "
        "choked me until I couldn't breathe.",
        id="da_strangulation-self",
    ),
    pytest.param(
        "My best friend told me her wife strangled her last weekend. She still has bruises on "
        "her neck.",
        id="da_strangulation-other",
    ),
    # da_threat_to_kill
    pytest.param(
        "My husband told me that if I ever leave him he will kill me.",
        id="da_threat_to_kill-self",
    ),
    pytest.param(
        "My sister's ex keeps texting her that he is going to kill her.",
        id="da_threat_to_kill-other",
    ),
    # da_weapon
    pytest.param(
        "My wife pulled a kitchen knife on me during a fight and held it to my chest.",
        id="da_weapon-self",
    ),
    pytest.param(
        "My mother's boyfriend pointed his gun at her when she tried to leave the house.",
        id="da_weapon-other",
    ),
    # da_forced_sex
    pytest.param(
        "My boyfriend forces me to have sex when I say no. He keeps pushing until I give in.",
        id="da_forced_sex-self",
    ),
    pytest.param(
        "My roommate told me her husband forces her to have sex even when she cries and says no.",
        id="da_forced_sex-other",
    ),
    # da_stalking_tracking
    pytest.param(
        "My ex-girlfriend follows me to work, turns up outside my flat at night, and put a "
        "tracking app on my phone without telling me.",
        id="da_stalking_tracking-self",
    ),
    pytest.param(
        "My brother's ex-husband tracks his phone, follows him around town, and keeps turning "
        "up at his door.",
        id="da_stalking_tracking-other",
    ),
    # da_violent_jealousy
    pytest.param(
        "My husband is jealous all the time. If a man even looks at me he accuses me of "
        "cheating and hits me.",
        id="da_violent_jealousy-self",
    ),
    pytest.param(
        "My friend's girlfriend is constantly and violently jealous; she threw a glass at him "
        "because a coworker texted him.",
        id="da_violent_jealousy-other",
    ),
    # da_suicide_threat_control
    pytest.param(
        "Whenever I say I want to leave, my boyfriend says he will kill himself and it will be "
        "my fault, so I stay.",
        id="da_suicide_threat_control-self",
    ),
    pytest.param(
        "My daughter's husband tells her he will kill himself if she goes to see her friends, "
        "so she stays home.",
        id="da_suicide_threat_control-other",
    ),
    # da_pregnancy_violence
    pytest.param(
        "My husband hit me while I was pregnant. He punched me in the stomach.",
        id="da_pregnancy_violence-self",
    ),
    pytest.param(
        "My sister is six months pregnant and her boyfriend kicked her and pushed her down "
        "the stairs.",
        id="da_pregnancy_violence-other",
    ),
]


@pytest.mark.parametrize("text", _known(ABUSE_ITEMS))
def test_every_abuse_item_is_abuse(text: str) -> None:
    assert screen(text).level is Safety.ABUSE


# Known misses of even the middle tier: no level and no question.
NO_RESOURCES = {"duluth_emotional-self": KNOWN_MISSES["duluth_emotional-self"]}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            p.values[0],
            id=p.id,
            marks=[pytest.mark.xfail(strict=True, reason=NO_RESOURCES[p.id])]
            if p.id in NO_RESOURCES
            else [],
        )
        for p in CRISIS_ITEMS + ABUSE_ITEMS
    ],
)
def test_every_item_gets_resources_at_least(text: str) -> None:
    # The floor under every miss above: a hard level, or the middle tier's direct question.
    result = screen(text)
    assert result.level is not Safety.NONE or result.checks


# --- the writer who harms ---------------------------------------------------------------------

WRITER_HARMS: list[Any] = [
    pytest.param(
        "When my wife wouldn't stop arguing, I shoved her against the wall and slapped her.",
        "violence",
        id="writer_harms-violence",
    ),
    pytest.param(
        "I told my boyfriend that if he ever leaves me I will hurt him, and I meant it.",
        "threat",
        id="writer_harms-threat",
    ),
    pytest.param(
        "I take my girlfriend's phone every night to read her messages, and I keep her bank "
        "card so she has to ask me for money.",
        "control",
        id="writer_harms-control",
    ),
]


@pytest.mark.parametrize(("text", "harm"), WRITER_HARMS)
def test_a_writer_who_harms_gets_abuse_with_the_harm(text: str, harm: str) -> None:
    result = screen(text)
    assert result.level is Safety.ABUSE
    assert result.harm == harm


# --- hard negatives ---------------------------------------------------------------------------

HARD_NEGATIVES: list[Any] = [
    # neg_hyperbole
    pytest.param(
        "This deadline is killing me, and my boss just added two more reports.",
        id="neg_hyperbole-deadline",
    ),
    pytest.param(
        "I was dead tired after the night shift, so I snapped at my husband about the dishes.",
        id="neg_hyperbole-dead-tired",
    ),
    pytest.param(
        "I'm dying to see you this weekend, I told my girlfriend, and she just said okay.",
        id="neg_hyperbole-dying-to-see",
    ),
    # neg_ordinary_fight
    pytest.param(
        "We argued about money on the phone and I hung up on my wife. We both cooled off and "
        "talked again later.",
        id="neg_ordinary_fight-hang-up",
    ),
    pytest.param(
        "My roommate slammed her bedroom door after we disagreed about the cleaning rota. I'm "
        "not scared of her, just annoyed.",
        id="neg_ordinary_fight-door",
    ),
    pytest.param(
        "My boyfriend and I shouted at each other about his mother's visit, then apologised "
        "and made dinner together.",
        id="neg_ordinary_fight-shouting",
    ),
    # neg_grief
    pytest.param(
        "My grandmother died last week. We all said goodbye to her at the hospital before she "
        "passed.",
        id="neg_grief-goodbye",
    ),
    pytest.param(
        "Since my father died I cry every night, and my wife keeps telling me I should be "
        "over it by now.",
        id="neg_grief-crying",
    ),
    pytest.param(
        "We had to put our old dog down and I said goodbye to him, and my husband acted like "
        "it was no big deal.",
        id="neg_grief-dog",
    ),
    # neg_fiction_games
    pytest.param(
        "In the novel I'm writing, the detective finds the victim strangled in her kitchen.",
        id="neg_fiction_games-novel",
    ),
    pytest.param(
        "My son kept killing me in the video game last night and then laughed when I rage quit.",
        id="neg_fiction_games-video-game",
    ),
    pytest.param(
        "We watched a film where the husband threatens to kill his wife, and my partner said it "
        "was too dark for a date night.",
        id="neg_fiction_games-film",
    ),
    # neg_resolved_past
    pytest.param(
        "Twelve years ago I tried to take my own life. I've been well for a long time and "
        "today I want to talk about my sister forgetting my birthday.",
        id="neg_resolved_past-attempt",
    ),
    pytest.param(
        "Back in college, more than ten years ago, I used to cut myself. I'm fine now, but my "
        "husband brought it up in an argument.",
        id="neg_resolved_past-self-harm",
    ),
    # neg_consensual
    pytest.param(
        "My wife and I share our locations with each other on our phones, which we both "
        "agreed to, so we know when the other is on the way home.",
        id="neg_consensual-location",
    ),
    pytest.param(
        "My boyfriend and I sat down together and made a joint budget for the house. We both "
        "get the same amount of spending money.",
        id="neg_consensual-budget",
    ),
    pytest.param(
        "My girlfriend and I agreed on a safe word, and we both stop the moment either of us "
        "uses it.",
        id="neg_consensual-safe-word",
    ),
    # neg_parenting
    pytest.param(
        "I took my sixteen-year-old's phone away for the weekend because he broke curfew, and "
        "now he won't talk to me.",
        id="neg_parenting-phone",
    ),
    pytest.param(
        "My daughter is grounded for a week after skipping school, and she says I'm the worst "
        "mum in the world.",
        id="neg_parenting-grounded",
    ),
    # neg_moving
    pytest.param(
        "We're moving to a smaller flat next month, so I've been giving away my books and "
        "furniture to friends.",
        id="neg_moving-books",
    ),
    pytest.param(
        "Before moving abroad I gave my bike and my plants to my neighbour, and my roommate "
        "was upset I didn't offer them to him.",
        id="neg_moving-bike",
    ),
    # neg_recovery
    pytest.param(
        "Today is three months without hurting myself, and I wanted my partner to notice but "
        "he didn't say anything.",
        id="neg_recovery-three-months",
    ),
    pytest.param(
        "I'm proud I went to therapy today. When I told my mum, she just asked what was for "
        "dinner.",
        id="neg_recovery-therapy",
    ),
    pytest.param(
        "It has been a year since I last self-harmed, and I celebrated with my best friend.",
        id="neg_recovery-one-year",
    ),
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_are_not_flagged(text: str) -> None:
    assert screen(text).level is Safety.NONE


# --- ordinary hurt ----------------------------------------------------------------------------

ORDINARY_HURT: list[Any] = [
    pytest.param(
        "I told my husband I was stressed about my mother's health, and he immediately started "
        "telling me what I should do instead of just listening.",
        id="neg_ordinary_hurt-advice",
    ),
    pytest.param(
        "When I said I didn't get the promotion, my wife said at least I still have a job.",
        id="neg_ordinary_hurt-at-least",
    ),
    pytest.param(
        "I was telling my girlfriend about my terrible day and she went back to scrolling on "
        "her phone halfway through.",
        id="neg_ordinary_hurt-phone",
    ),
    pytest.param(
        "I told my dad I felt left out at my brother's wedding, and he said I was overreacting.",
        id="neg_ordinary_hurt-overreacting",
    ),
    pytest.param(
        "My roommate asked how my interview went, but when I started answering he turned the "
        "TV back on.",
        id="neg_ordinary_hurt-tv",
    ),
]


@pytest.mark.parametrize("text", ORDINARY_HURT)
def test_ordinary_hurt_gets_no_flag_and_no_question(text: str) -> None:
    result = screen(text)
    assert result.level is Safety.NONE
    assert result.checks == ()
