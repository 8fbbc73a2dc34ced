"""Can the offline coach read this text? It reads English only, and says so instead of guessing.

The language is identified by py3langid (a naive Bayes model over byte n-grams that ships in
its wheel), restricted to English and the languages people most often write instead, with
probabilities normalised for length. Distinctly English words ("my", "the", "didn't", "lol")
go first:

- a text where a quarter of the words are such words is English without asking the model
  (nine stories in ten, at a tenth of the cost);
- below `_SHORT_WORDS` words the model has too little to go on ("ugh" comes out Gaelic, "lol
  same" Tagalog, with the full model), so one such word settles it;
- otherwise a text is called another language only when that language is clearly ahead of
  English (`_LEAD` times as likely, and at least `_FLOOR`), never because English merely came
  second. One or two words with none of those ("Socorro", "Hilfe bitte") are too short to
  tell, and count as English.

Non-native English is still English: "My wife she say I am too much emotional, is not true"
passes while "Mi esposo nunca me escucha cuando le hablo" does not.

The model takes about 0.7 s to load, once, on first use; `warm_up()` does it ahead of time.
"""

from __future__ import annotations

import re
import threading
from typing import Any

# English and the languages most often written to an English-speaking coach instead. Fewer
# candidates concentrate the model's weight where it matters; English-like creoles and small
# languages that short English slang resembles (Scots Gaelic, Nigerian Pidgin...) are left out.
CANDIDATES: tuple[str, ...] = (
    "en",
    "es",
    "fr",
    "de",
    "pt",
    "it",
    "nl",
    "sv",
    "da",
    "no",
    "fi",
    "pl",
    "cs",
    "sk",
    "hu",
    "ro",
    "hr",
    "tr",
    "ru",
    "uk",
    "bg",
    "el",
    "ar",
    "he",
    "fa",
    "hi",
    "bn",
    "ur",
    "zh",
    "ja",
    "ko",
    "vi",
    "id",
    "ms",
    "tl",
    "th",
    "sw",
)
_LEAD = 10.0
_FLOOR = 0.3
_SHORT_WORDS = 4
# A text this full of distinctly English words is English without asking the model (most
# stories: the model reads about 0.5 microseconds a byte, in Python).
_ENGLISH_SHARE = 0.25
# The opening of a long text says which language it is as well as all of it, for a quarter of
# the time (a 4,000-character story: 0.9 ms whole).
_SAMPLE = 1000

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words that are English and not also words of the candidate languages ("me", "no", "so", "a",
# "die", "hat" are), plus the chat words short messages are made of.
_ENGLISH = frozenset(
    "i i'm i've i'd i'll im my mine you your you're he he's him his she she's her they they're "
    "them their we us our it it's the and is isn't was wasn't were are aren't this that that's "
    "what what's why how when with from but not just don't didn't can't won't again said told "
    "really very because about would could should thanks thank please sorry yes yeah okay ok "
    "lol lmao omg idk tbh ugh ikr smh jk nvm brb gtg omw bf gf bff pls plz thx ty tysm haha "
    "hmm yep yup nope nah meh wtf bruh sigh oof".split()
)

_lock = threading.Lock()
_identifier: Any = None


def warm_up() -> None:
    """Load the language model now rather than on the first text."""
    _model()


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(CANDIDATES))
            _identifier = identifier
        return _identifier


def readable_english(text: str) -> bool:
    """True when the text is (probably) English, or too short to tell."""
    words = _WORD.findall(text)
    if not words:
        return True  # nothing to read in any language: not a reason to say "English only"
    english = sum(1 for w in words if w.lower() in _ENGLISH)
    if english and (len(words) < _SHORT_WORDS or english >= _ENGLISH_SHARE * len(words)):
        return True
    scores = dict(_model().rank(text[:_SAMPLE]))
    best = max(scores, key=scores.__getitem__)
    if best == "en":
        return True
    return not (scores[best] >= _FLOOR and scores[best] >= _LEAD * scores["en"])
