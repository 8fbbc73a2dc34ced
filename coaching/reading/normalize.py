"""Turns how people type at midnight into text the lexicons can read.

Lowercase, straight quotes and apostrophes, and the texting spellings that otherwise slip past
every rule ("ive", "dont", "bf", "u"). Only the matching copy is normalised: evidence shown to
the person is always cut from their own words.
"""

from __future__ import annotations

import re

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2014": " - ",
        "\u2013": " - ",
        "\u2026": "...",
        # Markdown emphasis ("**he** _laughed_") says nothing the words don't.
        "*": "",
        "_": " ",
        "~": "",
    }
)

# Texting spellings -> the words the lexicons are written in. Whole words only.
_SLANG: dict[str, str] = {
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "cant": "can't",
    "couldnt": "couldn't",
    "wont": "won't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "arent": "aren't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "hadnt": "hadn't",
    "thats": "that's",
    "whats": "what's",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "youre": "you're",
    "ur": "your",
    "u": "you",
    "r": "are",
    "ya": "you",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "bff": "friend",
    "hubby": "husband",
    "wifey": "wife",
    "mum": "mom",
    "tbh": "to be honest",
    "idk": "i don't know",
    "rn": "right now",
    "pls": "please",
    "plz": "please",
    "abt": "about",
    "smth": "something",
    "sth": "something",
    "w/": "with",
    "w": "with",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "tho": "though",
    "thru": "through",
    "nite": "night",
    "ppl": "people",
    "bday": "birthday",
}
_SLANG_RE = re.compile(r"(?<![\w'])(" + "|".join(re.escape(k) for k in _SLANG) + r")(?![\w'])")
_SPACES = re.compile(r"[ \t\u00a0]+")


# "ill" is a word of its own ("I was ill"), so only "ill be", "ill make"... read as "i'll".
_ILL_BE = re.compile(r"(?<![\w'])ill (?=be\b|make\b|see\b|live\b|ever\b|never\b|just\b)")


def normalize(text: str) -> str:
    """Lowercased, straight-quoted, texting-expanded copy of `text` for matching."""
    lowered = text.translate(_QUOTES).lower()
    expanded = _SLANG_RE.sub(lambda m: _SLANG[m.group(1)], _ILL_BE.sub("i'll ", lowered))
    return _SPACES.sub(" ", expanded)
