"""Readings that make a cue harmless: figures of speech, grief, fiction and games, agreed
arrangements, play, everyday departures, a crisis told as history, and a negation in the cue's
own clause.

The word lists for hyperbole, grief, fiction and games, consent, everyday departures and
history are data (phrases/*.txt); play stays here with the logic that reads it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coaching.reading.negation import negated_before, opens_negated
from coaching.safety.phrases import alternation
from coaching.taxonomy import Safety

HYPERBOLE = alternation("hyperbole")
GRIEF = alternation("grief", "death")
_GRIEF_UNLESS = alternation("grief", "unless")
_FICTION = alternation("fiction", "frame")
_CHARACTER = alternation("fiction", "character")
_CONSENT = alternation("consent")
_MEDIUM = alternation("fiction", "medium")
_GAME = alternation("fiction", "game")
_PAST = alternation("resolved", "past")
_RECOVERED = alternation("resolved", "recovered")
_BACK = alternation("resolved", "back")

# "Before" is the few words ahead of the cue in its clause; hedges ("I don't think he...")
# doubt what follows rather than deny it, so they do not count.
_NEGATION_WORDS = 3


def negated(clause: str, start: int) -> bool:
    """A negation right before the cue, in its clause ("he has never hit me")."""
    return negated_before(clause, start, words=_NEGATION_WORDS, hedges=False)


def carries_own_negation(cue: str) -> bool:
    """Cues such as "don't want to be alive" are negative by nature; their negation is the point."""
    return opens_negated(cue)


def grieving(sentence: str) -> bool:
    """Someone else's death, grieved, with no wish to follow them."""
    return bool(GRIEF.search(sentence)) and not _GRIEF_UNLESS.search(sentence)


def left_behind(sentence: str, text: str) -> bool:
    """A crisis or a harm the writer tells as history: the sentence places it years back ("at
    nineteen", "in my twenties") or gives recovery news ("a year free of self-harm"), and
    nowhere does the writer say it has come back ("...and I'm there again now")."""
    if not (_PAST.search(sentence) or _RECOVERED.search(sentence)):
        return False
    return not _BACK.search(text)


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b")


def fictional(text: str, end: int, cue: str = "", told: int = 0) -> bool:
    """Whether what comes before `end` in `text` is a story being told (a novel, a film, a
    video game) rather than anyone's life: a frame first, then at least `told` words of the
    story, and no return to the writer. The writer's words after the frame ("in the book I'm
    reading") end the story unless a character takes the sentence back ("...the character
    wants to die"). A cue about the writer ("hit me") is never fiction."""
    if _FIRST_PERSON.search(cue):
        return False
    frames = list(_FICTION.finditer(text, 0, end))
    if not frames:
        return False
    after = text[frames[0].end() : end]
    if len(after.split()) < told:
        return False  # "...he didn't look up from the film": the frame tells nothing
    writer = [m.end() for m in _FIRST_PERSON.finditer(after)]
    return not writer or bool(_CHARACTER.search(after, writer[-1]))


_SELF = re.compile(r"\b(?:myself|my (?:own )?life|kms)\b")
_WRITER = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|myself)\b")
_SUBJECT_WORDS = 3  # the words before a cue where its subject is looked for
# A pronoun as the cue's subject is someone real ("we watched a film and he slapped her"); a
# story's people are named by their part ("the villain threatens", "a man who overdoses").
_PRONOUN = re.compile(r"\b(?:i|i'm|i've|i'd|we|we're|he|she|they|he's|she's|they're|me)\b")
# What the writer does with a story without stepping into it: "I'm playing a woman who...",
# "my character", "I wrote a poem in the voice of...".
_TELLING = re.compile(
    r"\b(?:(?:i'm|i am|i was|i've been|we're|we are|i|we) (?:\w+ )?(?:play\w*|cast|writ\w*|wrote|"
    r"read\w*|watch\w*|listen\w*|design\w*|cried at|saw|see)|(?:my|our) (?:\w+ )?"
    r"(?:character|novel|essay|manuscript|screenplay|script|poem|story|stories|game|book club|"
    r"work in progress|editor))\b"
)


@lru_cache(maxsize=64)
def _staging(sentence: str) -> tuple[bool, bool]:
    """Whether the sentence names a story medium, and whether a game's world (read once per
    sentence: every cue in it asks)."""
    return bool(_MEDIUM.search(sentence)), bool(_GAME.search(sentence))


def staged(sentence: str, clause: str = "", start: int = 0, cue: str = "") -> bool:
    """Whether a cue is part of a story, a role or a game the sentence is about (anywhere in
    it: "the villain in my fan fiction threatens to kill...", "a play where a man overdoses").
    The cue must be about someone in the story: one with the writer in it, or whose subject
    just before it is the writer, is the writer's own life, except inside a game's world
    ("he ran me over in GTA"). With no cue (the model reading a whole sentence), the writer
    must appear only as the one telling the story."""
    medium, game = _staging(sentence)
    if not (medium or game):
        return False
    if game:
        return not _SELF.search(cue)
    if not cue:
        return not _WRITER.search(_TELLING.sub(" ", sentence))
    subject = " ".join(clause[:start].split()[-_SUBJECT_WORDS:])
    return not _FIRST_PERSON.search(cue) and not _PRONOUN.search(subject)


# Ordinary reasons for leaving, giving things away or settling affairs.
def agreed(sentence: str) -> bool:
    """An arrangement both people chose is named in the sentence (phrases/consent.txt)."""
    return bool(_CONSENT.search(sentence))


_MUNDANE = alternation("departures", "reason")
_DYING = alternation("departures", "death")
# "not like a holiday", "not in the travel way": the writer ruling the everyday reading out.
_RULED_OUT = re.compile(r"\bnot (?:like |in |for |on )?(?:a |an |the |some )?$")
# A reason given right after the cue ("...because we're moving", "...before his deployment")
# explains it to the end of its clause.
_REASON = re.compile(r"(?:because|cause|since|before)")
_WINDOW = 8  # words either side of the cue


def innocent_reading(clause: str, match: re.Match[str]) -> bool:
    """An everyday reason (a move, a trip, a party) within a few words of a departure cue."""
    before = clause[: match.start()].split()[-_WINDOW:]
    after = clause[match.end() :].split()
    if not any(_REASON.fullmatch(word) for word in after[:_WINDOW]):
        after = after[:_WINDOW]
    window = " ".join([*before, match.group(0), *after])
    return any(not _RULED_OUT.search(window[: m.start()]) for m in _MUNDANE.finditer(window))


def everyday_departure(sentence: str) -> bool:
    """A sentence that names an everyday reason for leaving or giving things away ("we're
    relocating, so I'm giving the piano to the neighbours") and nothing about dying."""
    if _DYING.search(sentence):
        return False
    return any(
        not _RULED_OUT.search(sentence[max(0, m.start() - _RULED_OUT_REACH) : m.start()])
        for m in _MUNDANE.finditer(sentence)
    )


_RULED_OUT_REACH = 30  # characters before a reason where "not like a" is looked for


_PLAYFUL = re.compile(
    r"\b(?:prank|april fool\w*|as a joke|joking|kidding|pool|snow|pillow|tickl\w*|game|"
    r"cushion\w*|running joke|inside joke|our joke|practice|training|curb|toddler|nephew|niece|"
    r"baby|puppy|kitten|giggl\w*|both (?:ended up )?"
    r"laugh\w*|spoil\w* the ending|hike|play[- ]?fight\w*)\b"
)
_HARM = re.compile(r"\b(?:flinch\w*|scared|afraid|bruis\w*|terrified|hurt me|bleed\w*|hospital)\b")
_OWN_THINGS = re.compile(r"\bi (?:just |then |also |finally )?$")


def abuse_explained(clause: str, match: re.Match[str]) -> bool:
    """An innocent reading of abuse words: play, something agreed, the writer's own things."""
    if _PLAYFUL.search(clause) and not _HARM.search(clause.replace("tiny bruise", "")):
        return True
    if _CONSENT.search(clause):
        return True
    # The writer doing something to their own things ("I took my meds", "I sold my car").
    own = _OWN_THINGS.search(clause[: match.start()])
    return bool(own) and bool(re.search(r"\bmy\b", match.group(0)))


def explained(level: Safety, innocent: bool, clause: str, match: re.Match[str]) -> bool:
    """Whether the cue `match` has a harmless reading in its clause. Crisis cues have one only
    as a story being told, or, for departure cues (`innocent`), an everyday reason close by."""
    if fictional(clause, match.start(), match.group(0)):
        return True
    if level is Safety.CRISIS:
        # A departure at a death ("my final goodbye at her graveside") is grief.
        return innocent and (innocent_reading(clause, match) or grieving(clause))
    return abuse_explained(clause, match)
