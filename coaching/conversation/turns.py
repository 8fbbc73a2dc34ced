"""What a chat message is: a fresh start, small talk, a question about the advice, or the story.

Rules, not a model, so every decision can be said in one sentence:

- **new**: the message is exactly "new" (any case, surrounding spaces ignored). A command, so it
  must not be guessed at: "new job, same problem" is part of a story.
- **small talk**: at most eight words, every one of them from a small closed vocabulary of
  thanks, greetings, goodbyes, laughter and "okay" (plus a few friendly emoji and bare
  punctuation). Safety first is why the vocabulary is closed: no word in it can say anything
  the safety screen looks for, so no combination can either, and a message with one word
  outside it ("thanks, I just want to die") is never small talk. "yes" and "no" are left out
  on purpose: they may be answers to the coach's safety question.
- **question**: one short sentence (at most 160 characters) that opens like a question about
  what to do ("what if…", "should I…", "how do I…", "is it okay to…") and ends with "?" (or
  opens with "what if" / "what about"). Narrow on purpose: "why does he never listen?" tells
  more of the story and is coached as such. A question can still carry a worry ("what if he
  hits me again?"), so the conversation answers it with a reply only after the coach, reading
  the whole story with the question added, finds none.
- **story**: everything else, so anything unexpected is read by the safety screen and coached.
  A story's first message of fewer than six words ("ugh", "he ignored me") is `too_short` to
  coach: the conversation asks one gentle question for the rest instead of guessing, once, and
  only after the screen found no worry in it.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from coaching.service import canonical


class Turn(StrEnum):
    NEW = "new"
    SMALL_TALK = "small_talk"
    QUESTION = "question"
    STORY = "story"


Flavour = Literal["thanks", "bye", "greeting", "laugh", "ok"]

_MAX_SMALL_TALK_WORDS = 8
_MIN_STORY_WORDS = 6
_MAX_QUESTION_CHARS = 160

# The closed vocabulary, by what a message built from it is mostly doing (checked in this
# order: "ok thanks" is thanks). Words only ever kind, neutral or filler.
_THANKS = {"thanks", "thank", "thx", "ty", "tysm", "cheers", "appreciate", "appreciated", "🙏"}
_BYE = {"bye", "goodbye", "cya", "night", "👋"}
_GREETING = {"hi", "hello", "hey", "hiya", "heya", "howdy", "yo", "morning", "evening", "afternoon"}
_FILLER = {
    "you", "so", "much", "very", "a", "lot", "lots", "really", "that", "it", "this", "there",
    "coach", "good", "helps", "helped", "helpful", "i", "see", "makes", "sense", "sounds",
    "got", "gotcha", "ok", "okay", "okey", "k", "kk", "alright", "sure", "cool", "great",
    "nice", "perfect", "awesome", "noted", "understood", "oh", "ah", "hmm", "mhm", "wow",
    "will", "do", "later", "for",
    "👍", "👌", "🙂", "😊", "😀", "😄", "❤", "♥", "💕", "🥰", "✌", "✅",
}  # fmt: skip
_LAUGH = re.compile(r"^(?:a?ha(?:ha)*h?|he(?:he)+|lol|lmao|rofl|😂|🤣|😅)$")
_VOCABULARY = _THANKS | _BYE | _GREETING | _FILLER

# Emoji presentation and skin-tone modifiers say nothing of their own: "👍🏽" is "👍".
_EMOJI_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
_REPEATS = re.compile(r"(.)\1{2,}")  # "thanksss", "okkk", "sooo": one letter
_PUNCTUATION = re.compile(r"[.,!?~…'’\"“”:;()\-*_<>^=]+")
_TOKEN = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")

_OPENER = re.compile(
    r"^(?:(?:and|but|so|ok|okay|hmm|also)\b[,\s]*)*"
    r"(?:what if|what about|what (?:do|should|would|can) (?:i|we)|"
    r"should (?:i|we)|shall (?:i|we)|do (?:i|we)|can (?:i|we)|could (?:i|we)|"
    r"would it|will it|is it|is that|"
    r"how (?:do|should|can|would) (?:i|we)|"
    r"when (?:should|do|can) (?:i|we)|where (?:should|do) (?:i|we)|which|"
    r"if (?:he|she|they)|any (?:tips|advice))\b"
)
_OPENS_AS_QUESTION = re.compile(r"^(?:(?:and|but|so)\b[,\s]*)?what (?:if|about)\b")
# A sentence end with more words after it: two sentences are not one short question.
_INNER_END = re.compile(r"[.!?]+\s+\S|\n")


def kind(text: str) -> Turn:
    """What the (cleaned) message is; see the module docstring for the rules."""
    plain = canonical(text).strip().lower()
    if plain == "new":
        return Turn.NEW
    if _small_talk_words(plain) is not None:
        return Turn.SMALL_TALK
    if _is_question(plain):
        return Turn.QUESTION
    return Turn.STORY


def too_short(text: str) -> bool:
    """Fewer words than a story needs: who did what, after what ("he ignored me" is not yet
    enough to tell a phone from a slammed door)."""
    return len(_TOKEN.findall(_PUNCTUATION.sub(" ", canonical(text).lower()))) < _MIN_STORY_WORDS


def flavour(text: str) -> Flavour:
    """What a small-talk message is mostly doing; "ok" for anything else (call after `kind`)."""
    words = set(_small_talk_words(canonical(text).strip().lower()) or ())
    if words & _THANKS:
        return "thanks"
    if words & _BYE or {"see", "you"} <= words:
        return "bye"
    if words & _GREETING:
        return "greeting"
    if any(_LAUGH.match(word) for word in words):
        return "laugh"
    return "ok"


def _small_talk_words(plain: str) -> list[str] | None:
    """The message's words when every one is in the closed vocabulary, else None. Bare
    punctuation ("...", ":)") is small talk with no words: it has nothing to screen."""
    folded = _REPEATS.sub(r"\1", _EMOJI_MODIFIERS.sub("", plain))
    words = _TOKEN.findall(_PUNCTUATION.sub(" ", folded))
    if len(words) > _MAX_SMALL_TALK_WORDS:
        return None
    if all(word in _VOCABULARY or _LAUGH.match(word) for word in words):
        return words
    return None


def _is_question(plain: str) -> bool:
    if len(plain) > _MAX_QUESTION_CHARS or _INNER_END.search(plain):
        return False
    if not _OPENER.match(plain):
        return False
    return plain.endswith("?") or bool(_OPENS_AS_QUESTION.match(plain))
