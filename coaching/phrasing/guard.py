"""The one guard every phrasing passes, from templates or from the LLM (taxonomy: Phrasings).

A phrasing speaks in the first person about a feeling, describes what happened rather than
what the other person *is*, carries no absolutes or blame, ends in an invitation, and is short
enough to say out loud. The word rules are English; a phrasing in another language is held to
the length and invitation rules only.
"""

from __future__ import annotations

import re

from coaching.reading.language import readable_english
from coaching.reading.sentences import sentences
from coaching.taxonomy import MAX_PHRASING_CHARS, Style

_FEELING = re.compile(
    r"\bI(?:'m| am| was| have been|'ve been)? (?:felt|feel|feeling|was feeling|am feeling|'m "
    r"feeling|been feeling)\b",
    re.IGNORECASE,
)
LABELS = (
    "selfish",
    "narcissist",
    "narcissistic",
    "gaslight",
    "gaslighting",
    "gaslighter",
    "toxic",
    "manipulative",
    "manipulator",
    "abusive",
    "heartless",
    "cold-hearted",
    "lazy",
    "insensitive",
    "inconsiderate",
    "immature",
    "stupid",
    "idiot",
    "idiotic",
    "jerk",
    "asshole",
    "sociopath",
    "psychopath",
    "emotionally unavailable",
    "cruel",
    "pathetic",
    "useless",
    "childish",
    "ridiculous",
    "clueless",
    "careless",
    "uncaring",
    "self-absorbed",
    "self-centered",
    "self-centred",
    "controlling",
    "crazy",
    "dramatic",
    "hysterical",
    "overreacting",
    "too sensitive",
    "oversensitive",
    "drama queen",
    "bully",
    "liar",
    "loser",
    "arrogant",
    "cold",
    "rude",
    "disrespectful",
    "dismissive",
    "unsupportive",
    "avoidant",
)
LABEL_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in LABELS) + r")\b", re.IGNORECASE)
_BLAME = re.compile(
    r"\byou(?:'re| are)? (?:always|never|constantly|keep)\b|\byour fault\b|\byou should\b|"
    r"\byou (?:need|have|ought) to\b|\byou made me\b|\bbecause of you\b|\bevery time you\b|"
    r"\byou(?:'re| are) (?:so|such|being|a|an)\b|\bwhat(?:'s| is) wrong with you\b",
    re.IGNORECASE,
)
# NVC treats these as evaluations of the other person, not feelings.
_EVALUATIONS = re.compile(
    r"\b(?:unheard|dismissed|ignored|invalidated|rejected|abandoned|attacked|unappreciated|"
    r"misunderstood|belittled|manipulated|betrayed|neglected|unseen|brushed off)\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"\b(?:could|would|can|will) (?:we|you)\b|\bwould it\b|\bI(?:'d| would) (?:love|like|really "
    r"like|appreciate)\b|\blet's\b|\bare you (?:open|up for|willing)\b|\bis there a\b|\bplease\b",
    re.IGNORECASE,
)


def problems(text: str, style: Style | None = None) -> list[str]:
    """Every rule `text` breaks (empty when it passes). `style` None means a partner prompt."""
    found: list[str] = []
    stripped = text.strip()
    if not stripped:
        return ["empty"]
    if len(stripped) > MAX_PHRASING_CHARS:
        found.append(f"longer than {MAX_PHRASING_CHARS} characters")
    last = sentences(stripped)[-1]
    if not (last.endswith("?") or _REQUEST.search(last)):
        found.append("does not end in an invitation")
    if not readable_english(stripped):
        return found
    if style is not None and not _FEELING.search(stripped):
        found.append("no first-person feeling")
    if LABEL_RE.search(stripped):
        found.append("labels the person")
    if _BLAME.search(stripped):
        found.append("absolute or blame")
    if style is Style.NVC and _EVALUATIONS.search(stripped):
        found.append("an evaluation where NVC names a feeling")
    return found


def passes(text: str, style: Style | None = None) -> bool:
    return not problems(text, style)
