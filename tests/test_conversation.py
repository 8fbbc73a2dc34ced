"""A conversation, not single shots: one person's story across messages, with the real
CoachService and the offline classifier, and a fake clock for the 30 idle minutes."""

from __future__ import annotations

import io
import json

import pytest

from cli.main import _chat
from cli.render import render
from coaching.conversation import IDLE_AFTER, Conversation, ConversationRegistry, Turn, replies
from coaching.conversation.turns import kind
from coaching.models import Assessment, Reply
from coaching.service import MAX_CHARS, CoachService, InputError
from coaching.taxonomy import Safety

STORY = "I told my husband I was nervous about the interview and he went back to his phone."
FOLLOW_UP = "And when I tried again later he said I was being dramatic."
CRISIS = "Honestly everyone would be better off without me."
SMALL_TALK = ["thanks", "ok", "thank you so much", "lol", "👍", "Thanks!!", "ok cool 👍🏽"]


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def conversation(service: CoachService, clock: FakeClock) -> Conversation:
    return Conversation(service, "alice", clock)


async def told(conversation: Conversation, *messages: str) -> Assessment:
    """Tells the messages in turn; the last one's answer, which must be an assessment."""
    answer: Assessment | Reply | None = None
    for message in messages:
        answer = await conversation.turn(message)
    assert isinstance(answer, Assessment), answer
    return answer


# --- the story and its follow-ups ------------------------------------------------------------


async def test_a_first_story_gets_an_assessment(conversation: Conversation) -> None:
    answer = await told(conversation, STORY)
    assert answer.safety is Safety.NONE and len(answer.phrasings) == 3
    assert conversation.story == STORY


async def test_a_follow_up_is_coached_with_the_whole_story_before_it(
    conversation: Conversation, service: CoachService
) -> None:
    answer = await told(conversation, STORY, FOLLOW_UP)
    assert conversation.story == f"{STORY}\n{FOLLOW_UP}"
    assert answer == await service.coach("alice", f"{STORY}\n{FOLLOW_UP}")


async def test_a_crisis_signal_in_the_second_message_of_a_story_is_caught(
    conversation: Conversation,
) -> None:
    assert (await told(conversation, STORY)).safety is Safety.NONE
    answer = await told(conversation, CRISIS)
    assert answer.safety is Safety.CRISIS
    assert answer.phrasings == [] and answer.resources


async def test_the_screen_reads_the_whole_story_so_a_worry_stays_caught(
    conversation: Conversation,
) -> None:
    answer = await told(conversation, STORY, CRISIS, "He also forgot my birthday last week.")
    assert answer.safety is Safety.CRISIS


async def test_the_story_keeps_its_latest_parts_within_the_coachs_limit(
    conversation: Conversation,
) -> None:
    filler = "We talked about the week and the shopping and then the weather for a while. "
    long_part = (filler * (MAX_CHARS // len(filler) // 2))[: MAX_CHARS // 2 - 10].strip()
    oldest = "OLDEST " + long_part
    await told(conversation, oldest, long_part, STORY)  # three parts: over 4,000 together
    assert not conversation.story.startswith("OLDEST")
    assert conversation.story.endswith(STORY)
    assert len(conversation.story) <= MAX_CHARS


async def test_empty_text_is_refused_and_the_story_is_unchanged(
    conversation: Conversation,
) -> None:
    await told(conversation, STORY)
    with pytest.raises(InputError):
        await conversation.turn("   ")
    assert conversation.story == STORY


# --- small talk ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", SMALL_TALK)
async def test_small_talk_after_an_answer_gets_a_short_reply(
    conversation: Conversation, text: str
) -> None:
    await told(conversation, STORY)
    answer = await conversation.turn(text)
    assert isinstance(answer, Reply), answer
    assert len(answer.text) < 200
    assert conversation.story == STORY  # small talk is not part of the story


async def test_thanks_after_an_answer_is_a_reply_not_three_scripts(
    conversation: Conversation,
) -> None:
    await told(conversation, STORY)
    answer = await conversation.turn("thanks")
    assert answer == Reply(text=replies.small_talk("thanks", has_story=True))
    assert "welcome" in answer.text


async def test_a_worry_inside_small_talk_is_coached_as_the_story(
    conversation: Conversation,
) -> None:
    await told(conversation, STORY)
    answer = await told(
        conversation, "thanks, but honestly everyone would be better off without me"
    )
    assert answer.safety is Safety.CRISIS


async def test_after_a_safety_answer_even_ok_is_read_with_the_story_again(
    conversation: Conversation,
) -> None:
    await told(conversation, CRISIS)
    answer = await told(conversation, "ok")  # resources again, never "Okay. Take your time."
    assert answer.safety is Safety.CRISIS and answer.resources


# --- questions about the advice --------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "cue"),
    [
        ("what if he gets defensive?", "defending"),
        ("What if she doesn't answer?", "no answer"),
        ("should I say it tonight?", "calm moment"),
    ],
)
async def test_a_question_about_the_advice_gets_a_short_focused_reply(
    conversation: Conversation, question: str, cue: str
) -> None:
    await told(conversation, STORY)
    answer = await conversation.turn(question)
    assert isinstance(answer, Reply), answer
    assert cue in answer.text and len(answer.text) <= 400
    assert conversation.story == STORY


async def test_a_question_that_carries_a_worry_is_coached_as_part_of_the_story(
    conversation: Conversation,
) -> None:
    await told(conversation, STORY)
    answer = await told(conversation, "what if he hits me again?")
    assert answer.safety is Safety.ABUSE
    assert conversation.story.endswith("what if he hits me again?")


async def test_a_question_with_no_story_yet_asks_for_the_story(
    conversation: Conversation,
) -> None:
    assert await conversation.turn("should I say it tonight?") == Reply(text=replies.STORY_FIRST)
    assert conversation.story == ""


# --- no story yet ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["hi", "Hello", "hey there"])
async def test_a_greeting_with_no_story_asks_for_one(conversation: Conversation, text: str) -> None:
    answer = await conversation.turn(text)
    assert isinstance(answer, Reply)
    assert "tell me what happened" in answer.text.lower()
    assert conversation.story == ""


# --- starting over ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["new", " NEW ", "New"])
async def test_new_starts_over_with_a_reply_saying_so(
    conversation: Conversation, text: str
) -> None:
    await told(conversation, STORY)
    assert await conversation.turn(text) == Reply(text=replies.NEW_STORY)
    assert conversation.story == ""
    assert await conversation.turn("thanks") == Reply(
        text=replies.small_talk("thanks", has_story=False)
    )


def test_new_inside_a_sentence_is_part_of_a_story() -> None:
    assert kind("new job, same problem: he never asks how my day was") is Turn.STORY


async def test_thirty_idle_minutes_start_over(conversation: Conversation, clock: FakeClock) -> None:
    await told(conversation, STORY, CRISIS)
    clock.advance(IDLE_AFTER)
    assert await conversation.turn("thanks") == Reply(
        text=replies.small_talk("thanks", has_story=False)
    )
    assert conversation.story == ""


async def test_less_than_thirty_idle_minutes_keep_the_story(
    conversation: Conversation, clock: FakeClock
) -> None:
    await told(conversation, STORY)
    clock.advance(IDLE_AFTER - 1)
    assert await conversation.turn("thanks") == Reply(
        text=replies.small_talk("thanks", has_story=True)
    )
    assert conversation.story == STORY


# --- one conversation per person -------------------------------------------------------------


async def test_two_people_never_share_a_story(service: CoachService, clock: FakeClock) -> None:
    registry = ConversationRegistry(service, clock)
    await registry.turn("alice", STORY)
    bob = await registry.turn("bob", CRISIS)
    assert isinstance(bob, Assessment) and bob.safety is Safety.CRISIS
    # Alice's story has none of Bob's words, and his crisis does not make her "ok" a story.
    assert await registry.turn("alice", "ok") == Reply(
        text=replies.small_talk("ok", has_story=True)
    )
    assert registry.conversation("alice").story == STORY
    assert registry.conversation("bob").story == CRISIS
    # Bob's thanks is read with his own story (crisis) only.
    again = await registry.turn("bob", "thanks")
    assert isinstance(again, Assessment) and again.safety is Safety.CRISIS
    assert STORY not in registry.conversation("bob").story


async def test_the_registry_drops_idle_conversations(
    service: CoachService, clock: FakeClock
) -> None:
    registry = ConversationRegistry(service, clock)
    await registry.turn("alice", STORY)
    clock.advance(IDLE_AFTER)
    assert await registry.turn("bob", "hi") == Reply(
        text=replies.small_talk("greeting", has_story=False)
    )
    assert "alice" not in registry and "bob" in registry and len(registry) == 1


# --- the reply's shape and the terminal ------------------------------------------------------


def test_a_reply_is_exactly_kind_and_text_in_json() -> None:
    reply = Reply(text="Take care.")
    assert json.loads(reply.model_dump_json()) == {"kind": "reply", "text": "Take care."}
    with pytest.raises(ValueError):
        Reply.model_validate({"kind": "assessment", "text": "x"})


def test_the_terminal_shows_a_reply_as_its_text() -> None:
    assert render(Reply(text=replies.NEW_STORY)) == replies.NEW_STORY


def test_the_terminal_chat_is_one_conversation(service: CoachService) -> None:
    source = io.StringIO(f"hi\n{STORY}\nthanks\nwhat if he gets defensive?\nnew\n")
    out = io.StringIO()
    assert _chat(service, source, out) == 0
    text = " ".join(out.getvalue().split())
    assert " ".join(replies.small_talk("greeting", has_story=False).split()) in text
    assert text.count("Things you could say:") == 1  # one story, one set of scripts
    assert "You're welcome." in text and "defending" in text
    assert replies.NEW_STORY in text


# --- a "yes" to the middle tier's question ---------------------------------------------------


@pytest.mark.parametrize(
    ("story", "level", "about_other"),
    [
        (
            "I told my husband I can't keep going like this and he said we'd talk after the match.",
            Safety.CRISIS,
            False,
        ),
        (
            "My brother keeps saying what's the point of trying, and when I told my dad he said "
            "the boy needs to toughen up.",
            Safety.CRISIS,
            True,
        ),
        (
            "I'm nervous about what he turns into when he's been drinking, and tonight he mocked "
            "me for crying at a film.",
            Safety.ABUSE,
            False,
        ),
    ],
)
@pytest.mark.parametrize("yes", ["yes", "Yeah, sometimes.", "i think so"])
async def test_a_yes_to_the_safety_question_is_taken_at_its_word(
    service: CoachService, story: str, level: Safety, about_other: bool, yes: str
) -> None:
    conversation = Conversation(service, "u", FakeClock())
    first = await conversation.turn(story)
    assert isinstance(first, Assessment)
    assert (first.safety, bool(first.safety_check)) == (Safety.NONE, True)

    answer = await conversation.turn(yes)

    assert isinstance(answer, Assessment)
    assert answer.safety is level
    assert answer.safety_about_other is about_other
    assert answer.resources and not answer.phrasings


async def test_a_no_to_the_safety_question_is_not_escalated(service: CoachService) -> None:
    conversation = Conversation(service, "u", FakeClock())
    await conversation.turn(
        "I told my husband I can't keep going like this and he said we'd talk after the match."
    )
    answer = await conversation.turn("no")
    assert isinstance(answer, Assessment)
    assert answer.safety is Safety.NONE


# --- a first message too short to coach -----------------------------------------------------


@pytest.mark.parametrize("first", ["ugh", "he ignored me", "we had a fight", "my mom again"])
async def test_a_first_message_too_short_gets_one_question_instead_of_a_guess(
    conversation: Conversation, first: str
) -> None:
    asked = await conversation.turn(first)
    assert isinstance(asked, Reply) and asked.text == replies.TELL_ME_MORE
    answer = await conversation.turn(
        "I told him I got the promotion and he just kept watching TV and said cool."
    )
    assert isinstance(answer, Assessment) and answer.rupture
    assert conversation.story.startswith(first)  # what was said first is part of the story


async def test_the_question_for_more_is_asked_only_once(conversation: Conversation) -> None:
    assert isinstance(await conversation.turn("ugh"), Reply)
    assert isinstance(await conversation.turn("he just left"), Assessment)


@pytest.mark.parametrize("first", ["i want to die", "he hit me again"])
async def test_a_short_message_with_a_worry_is_answered_at_once(
    conversation: Conversation, first: str
) -> None:
    answer = await conversation.turn(first)
    assert isinstance(answer, Assessment) and answer.safety is not Safety.NONE
    assert answer.resources and not answer.phrasings
