"""Turning the story's words into something the writer can say *to* the other person.

The story says "he went back to his phone"; the phrasing needs "you went back to your phone".
The story says "I've been insecure about my teeth"; that stays first person. This module only
moves words between persons; it never invents what happened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GENDERED: dict[str, str] = {
    "husband": "he",
    "boyfriend": "he",
    "dad": "he",
    "father": "he",
    "brother": "he",
    "son": "he",
    "uncle": "he",
    "grandpa": "he",
    "grandfather": "he",
    "fiance": "he",
    "wife": "she",
    "girlfriend": "she",
    "mom": "she",
    "mum": "she",
    "mother": "she",
    "sister": "she",
    "daughter": "she",
    "aunt": "she",
    "grandma": "she",
    "grandmother": "she",
    "fiancee": "she",
    "fiancée": "she",
}
_OBJ = {"he": "him", "she": "her", "they": "them"}
_POSS = {"he": "his", "she": "her", "they": "their"}

# Third-person verb forms that follow "you" once the pronoun is swapped.
_IRREGULAR = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "goes": "go",
    "says": "say",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
    "'s": "'re",
}
_NOT_VERBS = frozenset(
    {
        "always",
        "just",
        "also",
        "perhaps",
        "sometimes",
        "this",
        "us",
        "as",
        "was",
        "is",
        "has",
        "does",
        "goes",
        "says",
        "less",
        "unless",
        "yes",
    }
)


@dataclass(frozen=True, slots=True)
class Person:
    """How to speak about the other person: subject, object and possessive pronouns."""

    name: str  # "he", "your sister", "they"
    subject: str
    object: str
    possessive: str

    @classmethod
    def from_actor(cls, actor: str) -> Person:
        actor = actor.strip().lower()
        if actor in _OBJ:
            return cls(actor, actor, _OBJ[actor], _POSS[actor])
        noun = actor.removeprefix("my ").split()[-1] if actor else "they"
        pronoun = _GENDERED.get(noun, "they")
        name = "your " + actor.removeprefix("my ") if actor.startswith("my ") else pronoun
        return cls(name, pronoun, _OBJ[pronoun], _POSS[pronoun])

    def sentence_subject(self) -> str:
        return self.name[:1].upper() + self.name[1:]


def to_second_person(text: str, person: Person) -> str:
    """ "he laughed and went back to his phone" -> "you laughed and went back to your phone"."""
    p = person.subject
    swaps = {p: "you", _OBJ[p]: "you", _POSS[p]: "your", f"{_OBJ[p]}self": "yourself"}
    if p == "they":
        swaps["themselves"] = "yourself"
        swaps["they're"] = "you're"
    else:
        swaps[f"{p}'s"] = "you're"

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if p == "she" and low == "her":
            nxt = text[m.end() :].lstrip()
            return "your" if nxt[:1].isalpha() and not _is_function_word(nxt) else "you"
        return swaps.get(low, word)

    words = "|".join(re.escape(w) for w in sorted(swaps, key=len, reverse=True))
    pattern = re.compile(r"\b(?:" + words + r")\b", re.IGNORECASE)
    # Only the narration moves to "you": quoted words stay exactly as they were said.
    parts = re.split(r"(“[^”]*”|\"[^\"]*\")", text)
    return "".join(part if part[:1] in '“"' else _agree(pattern.sub(swap, part)) for part in parts)


def _is_function_word(rest: str) -> bool:
    word = re.match(r"[a-z']+", rest.lower())
    return word is not None and word.group(0) in {
        "and",
        "but",
        "or",
        "to",
        "a",
        "an",
        "the",
        "that",
        "if",
        "when",
        "about",
        "for",
        "with",
        "so",
        "because",
        "again",
        "too",
        "on",
        "in",
        "at",
        "up",
        "out",
        "off",
    }


def _agree(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        verb = m.group(2)
        low = verb.lower()
        if low in _IRREGULAR:
            return m.group(1) + _IRREGULAR[low]
        if low in _NOT_VERBS or low.endswith(("ss", "us", "is", "ous", "n't")):
            return m.group(0)
        if low.endswith("ies"):
            return m.group(1) + verb[:-3] + "y"
        if low.endswith(("ches", "shes", "xes", "oes")):
            return m.group(1) + verb[:-2]
        return m.group(1) + verb[:-1]

    return re.sub(r"\b(you )([a-z']+(?:s|n't))\b", fix, text)


# Words a clause cannot end on: a speech participle waiting for its quote ("going"), a
# preposition, an article or a conjunction.
_DANGLING = re.compile(
    r"(?:[\s,]+(?:going|saying|telling|muttering|like|with|to|about|at|of|for|from|into|on|"
    r"the|a|an|your|my|his|her|their|and|but|or|then|so|goes|says|said|while|when|because|"
    r"just))\s*$",
    re.IGNORECASE,
)
# A particle that belongs to its verb ("told me to move on"): the phrase is whole, not cut.
_PHRASAL_END = re.compile(
    r"\b(?:move[sd]?|moving|carr(?:y|ies|ied)|go|goes|went|get|gets|got|hang|hung|hold|held|"
    r"come|came|keep|kept|log|logged|turn|turned|switch|switched|catch|caught|pass|passed|"
    r"take|took|focus|focused|rel(?:y|ied)|count|counted|cheer|cheered)\s+on$",
    re.IGNORECASE,
)
# A speech participle introducing unquoted words: "looking at his phone going uh huh".
_SPEECH_TAIL = re.compile(r"\s+(?:going|saying|muttering)\b(?![^“]*”).*$", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"(?:,|;|\s+(?:and|but|while|when|then|so|because))\s+", re.I)


def tidy_ending(text: str) -> str:
    """Cut `text` at a clause boundary so it never ends mid-phrase: a trimmed "…" goes back to
    the last whole clause, and a dangling "going", "to" or "and" goes."""
    text = text.strip()
    if text.endswith(("…", "...")):
        text = text.rstrip(".… ")
        breaks = list(_CLAUSE_BREAK.finditer(text))
        text = text[: breaks[-1].start()] if breaks else ""
    text = _SPEECH_TAIL.sub("", text)
    previous = None
    while previous != text and not _PHRASAL_END.search(text):
        previous = text
        text = _DANGLING.sub("", text).rstrip(" ,;:")
    return text


def tidy_spacing(text: str) -> str:
    """One space between words, and no full stop after a quote that ends in its own "?" or "!"
    ("you said “can we do this after the match?”." reads as a typo)."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"([?!])([”\"])\.", r"\1\2", text)


# What comes before the words the writer shared, when the story's "told my friend Maya that…"
# or "told my selfish husband I…" left a name or a noun in front of them.
_LEAD_IN = re.compile(
    r"^(?:(?:[A-Z][a-z]+|husband|wife|partner|boyfriend|girlfriend|friend|mom|mum|mother|dad|"
    r"father|sister|brother|son|daughter|boss|manager|roommate|flatmate|coworker|co-worker|"
    r"colleague),?\s+)+(?=(?:that|I|I'm|I've|I'd|I'll|about|how|my|me)\b)"
)


def first_person_fragment(shared: str) -> str:
    """What the writer shared, trimmed to say back: "I've been insecure about my teeth"."""
    shared = shared.strip().rstrip(".!?,;")
    shared = _LEAD_IN.sub("", shared)
    shared = re.sub(r"^that\s+", "", shared, flags=re.IGNORECASE)
    shared = re.split(r",? (?:and|but) (?:he|she|they|my)\b", shared, maxsplit=1)[0]
    # "I was heartbroken he said it was just a dog": the reply, run on with no "and".
    shared = re.split(
        r",? (?:he|she|they) (?:just )?(?:said|replied|answered|laughed|shrugged|sighed)\b",
        shared,
        maxsplit=1,
    )[0]
    shared = re.sub(r"\bi\b", "I", shared)  # texting style: "told him i was scared"
    if len(shared) > 110:
        shared = shared[:110].rsplit(" ", 1)[0] + "…"
    return tidy_ending(shared)
