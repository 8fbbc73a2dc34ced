"""The words of a conversation's replies: short, kind and concrete, never a script.

Answers to a question about the advice are a few templates keyed on simple cues in the
question (the first topic whose cue matches), with a general answer when none does. Modest on
purpose: they give one concrete next step, and say so when they can only be general.
"""

from __future__ import annotations

import re

from coaching.conversation.turns import Flavour

_TELL_ME = (
    "tell me what happened: a moment when someone close to you stopped feeling with you, in a "
    "few sentences, and what they said or did."
)
ASK_FOR_STORY = _TELL_ME[0].upper() + _TELL_ME[1:]
STORY_FIRST = (
    "Tell me what happened first, in a few sentences, and then I can help with that: what you "
    "shared, and what they said or did."
)
NEW_STORY = "Okay, let's start fresh. Tell me what happened."
TELL_ME_MORE = (
    "I'm listening. Tell me a little more so I don't guess: what were you sharing or asking, "
    "and what did they say or do next?"
)
_MORE = "You can add more to the story, ask me about what to say, or type “new” to start over."

_WITH_STORY: dict[Flavour, str] = {
    "thanks": "You're welcome. I hope the conversation goes well. " + _MORE,
    "bye": "Take care. I hope the conversation goes well.",
    "greeting": "Hi again. " + _MORE,
    "laugh": "A lighter moment helps. " + _MORE,
    "ok": "Okay. Take your time. " + _MORE,
}
_WITHOUT_STORY: dict[Flavour, str] = {
    "thanks": "You're welcome. Whenever you're ready, " + _TELL_ME,
    "bye": "Take care.",
    "greeting": "Hi. " + ASK_FOR_STORY,
    "laugh": "Glad you're here. " + ASK_FOR_STORY,
    "ok": ASK_FOR_STORY,
}


def small_talk(flavour: Flavour, *, has_story: bool) -> str:
    """A short reply to small talk: back to the story, or an invitation to tell one."""
    return (_WITH_STORY if has_story else _WITHOUT_STORY)[flavour]


# (topic cue, answer). `{them}` is "him", "her" or "them", from the question's own pronoun.
_ANSWERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"defensive|angry|\bmad\b|upset|annoyed|irritated|yell|shout|argue|argument|"
            r"\bfight|blame|turns? it (?:around|on me)|snaps?\b|gets? cross"
        ),
        "If it turns into defending, that usually means the words landed as blame. Slow down "
        "and say what you want rather than what went wrong: “I'm not saying you meant to hurt "
        "me. I just want us to feel close again.” Then let {them} talk without correcting. If "
        "it heats up, it's fine to pause: “Can we come back to this later?”",
    ),
    (
        re.compile(
            r"(?:doesn'?t|does not|won'?t|will not|didn'?t|did not|isn'?t|can'?t) "
            r"(?:answer|reply|respond|say anything|talk|listen|text back)|ignores?\b|"
            r"silen|no (?:answer|reply|response)|says? nothing|walks? away|shrugs?"
        ),
        "If there's no answer, give {them} some room: a hard conversation can take a while to "
        "land. You could say “No rush. I'd just like to talk about it when you're ready,” and "
        "come back to it in a day or so. If it keeps meeting silence, that is worth naming "
        "gently too.",
    ),
    (
        re.compile(
            r"laugh|jok(?:e|es|ing)\b|brush|dismiss|dramatic|overreact|rolls? (?:his|her|their) "
            r"eyes|changes? the subject|(?:back to|on) (?:his|her|their) phone|at least"
        ),
        "If it gets brushed off again, stay with the one moment instead of debating it: “I know "
        "it might seem small, but it mattered to me. Could you hear me out for a minute?” You "
        "don't have to win the point; you're asking to be heard.",
    ),
    (
        re.compile(r"\btext|message|write|email|letter|in person|face to face|\bcall\b"),
        "Face to face, or a call, usually goes better: your tone comes through, and you can see "
        "how it lands. A short text works well to set it up: “Could we talk tonight about "
        "something that's been on my mind?”",
    ),
    (
        re.compile(
            r"tonight|today|tomorrow|\bnow\b|right away|\bwait|\bwhen\b|\btime\b|weekend|"
            r"\blater\b|morning|evening"
        ),
        "Pick a calm moment when you both have time, not when one of you is tired, rushed or in "
        "the middle of something. If tonight can be like that, tonight is fine. If not: "
        "“There's something I'd like to talk about. Could we find some time tomorrow?”",
    ),
    (
        re.compile(r"sorry|apologi[sz]"),
        "If an apology comes, you can simply take it in: “Thank you. That means a lot.” If "
        "you'd like more, say what would help next time.",
    ),
    (
        re.compile(
            r"which (?:one|phrasing|script|version|style)|gentle|direct|\bnvc\b|"
            r"what (?:do|should) i say|how (?:do|should) i (?:say|start|begin|bring|open)"
        ),
        "Pick the one that sounds most like you when you're calm: gentle to open softly, direct "
        "to be clear, NVC to name the feeling and the need. Your own words are better than "
        "mine; keep it to one moment, how it felt, and a request.",
    ),
)
_GENERAL = (
    "I can only give a general pointer there: keep it to one moment, say how it felt, and end "
    "with a request or a question. If you tell me more about what happened, I'll look at the "
    "whole story again."
)
# The question's own word for the other person, as the object of a sentence.
_OBJECT = {"he": "him", "him": "him", "she": "her", "her": "her", "they": "them", "them": "them"}
_PRONOUN = re.compile(r"\b(he|him|she|her|they|them)\b")


def answer(question: str) -> str:
    """A short, focused answer to a question about the advice."""
    plain = question.lower()
    found = _PRONOUN.search(plain)
    them = _OBJECT[found.group(1)] if found else "them"
    for cue, text in _ANSWERS:
        if cue.search(plain):
            return text.format(them=them)
    return _GENERAL
