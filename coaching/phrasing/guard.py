"""The one guard every phrasing passes, from templates or from the LLM (taxonomy: Phrasings).

A phrasing speaks in the first person about a feeling, describes what happened rather than
what the other person *is*, carries no absolutes or blame, ends in an invitation, and is short
enough to say out loud. The word rules are English; a phrasing in another language is held to
the length and invitation rules only.

Each writer role has its own first rule (taxonomy: "Who hurt whom"). A writer who was `hurt`
says what they felt. A writer who `caused` it owns it ("I'm sorry", "I rushed you") in place
of the feeling, without excuses ("but", "if you felt", "sorry you feel", "I only meant") or
self-punishment ("I'm the worst"), and guesses the other person's feeling rather than telling
them what it was. A writer in `both` owns their part and says what they felt, with the same
excuses refused. A repair attempt may close with a short reassurance after its question
("Would you tell me again? I'm listening."). Labels, blame, length and invitation hold for all.
"""

from __future__ import annotations

import re

from coaching.models import WriterRole
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


# --- repair from the writer's side (`caused`, `both`) ------------------------------------------

# Owning it: an apology, "my part", "that's on me", or the writer as the one who did something
# ("I rushed you"), not the one who needed or hoped something.
_OWN = re.compile(
    r"\bI(?:'m| am) (?:so |really |truly |very )?sorry\b|\bI apologi[sz]e\b|\bmy part\b|"
    r"\bthat(?:'s| is| was) on me\b|\bI was wrong\b|\bI regret\b|"
    r"\bI (?:\w+ly )?(?!(?:needed|wanted|hoped|wished|wondered|noticed|guessed|imagined|"
    r"realised|realized|learned|loved|liked|used|seemed|started|tried|meant|felt)\b)"
    r"(?:[a-z]+ed|went|said|told|made|got|gave|left|took|brought|did|sent|kept|put|spent|"
    r"forgot|let|cut|shut|threw|hung|ran|turned|snapped|laughed|rushed)\b",
    re.IGNORECASE,
)
_APOLOGY = re.compile(r"\bsorry\b|\bapologi[sz]e\b", re.IGNORECASE)
# "but" after owning it takes the apology back ("I'm sorry, but I was tired").
_BUT = re.compile(r"\bbut\b", re.IGNORECASE)
# A conditional or deflected apology: "sorry if", "if you felt hurt, I apologise", "sorry you
# feel that way". "I wonder if you felt..." is a tentative guess, not a condition.
_CONDITIONAL = re.compile(
    r"\b(?:sorry|apologi[sz]e)\b[^.?!]*\bif\b|(?:^|[.?!,;:]\s*|\band |\bso )if (?:you|that|it|I|"
    r"anything|what)\b|\bsorry (?:that )?you(?:'re| are| were)? (?:feel|felt|feeling|upset|hurt|"
    r"offended|took it|see it)\b|\bsorry (?:for )?how you (?:feel|felt|took it)\b",
    re.IGNORECASE,
)
# Intent as an excuse: "I only meant", "I was just trying", "I didn't mean to".
_INTENT = re.compile(
    r"\bI (?:was )?(?:only|just) (?:meant|meaning|wanted|trying|tried|joking|being)\b|"
    r"\bI didn't mean\b|\bI did not mean\b|\bI meant well\b|\bI had no idea\b",
    re.IGNORECASE,
)
_SELF_PUNISHMENT = re.compile(
    r"\bI(?:'m| am|'ve been| was) (?:such |so |just |really |truly )?(?:a |an |the )?"
    r"(?:terrible|awful|horrible|worst|useless|hopeless|failure|monster|disaster|worthless|"
    r"bad (?:person|partner|friend|husband|wife|boyfriend|girlfriend|son|daughter|mother|father|"
    r"mom|mum|dad|brother|sister|parent))\b|\bI hate myself\b|\bI don't deserve\b|"
    r"\bI (?:always|never) (?:get|do|mess|ruin|screw|say)\b|\bI ruin everything\b|"
    r"\bI can't do anything right\b|\bwhat(?:'s| is) wrong with me\b",
    re.IGNORECASE,
)
# Telling them what they felt ("You felt abandoned.", "I know you felt...") rather than
# guessing it. "as bad as you felt" or "how bad you felt" speak of their feeling, naming none.
_THEIR_FEELING = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|so|that|know|knew|sure|then|clearly|obviously|because)\s+)"
    r"you (?:felt|feel|were feeling|must have felt)\b",
    re.IGNORECASE,
)
_TENTATIVE = re.compile(
    r"\b(?:might|may|maybe|perhaps|wonder|wondering|I think|I imagine|I guess|guess|probably|"
    r"I suspect)\b",
    re.IGNORECASE,
)
# A short reassurance a repair attempt may close with, after its question.
_REASSURANCE = re.compile(
    r"^(?:I'm|I am) (?:here|listening|ready to listen|not going anywhere)(?: this time| now)?"
    r"[.!]?$|^(?:Take|Take all) (?:your|the) time(?: you need)?[.!]?$|^No rush[.!]?$",
    re.IGNORECASE,
)


def problems(text: str, style: Style | None = None, role: WriterRole | None = "hurt") -> list[str]:
    """Every rule `text` breaks (empty when it passes). `style` None means a partner prompt;
    `role` is who hurt whom (None reads as `hurt`)."""
    found: list[str] = []
    stripped = text.strip()
    if not stripped:
        return ["empty"]
    repair = style is not None and role in ("caused", "both")
    if len(stripped) > MAX_PHRASING_CHARS:
        found.append(f"longer than {MAX_PHRASING_CHARS} characters")
    pieces = sentences(stripped)
    if repair and len(pieces) > 1 and _REASSURANCE.match(pieces[-1]):
        pieces = pieces[:-1]
    last = pieces[-1]
    if not (last.endswith("?") or _REQUEST.search(last)):
        found.append("does not end in an invitation")
    if not readable_english(stripped):
        return found
    if style is not None and role != "caused" and not _FEELING.search(stripped):
        found.append("no first-person feeling")
    if repair:
        found.extend(_repair_problems(stripped))
    if LABEL_RE.search(stripped):
        found.append("labels the person")
    if _BLAME.search(stripped):
        found.append("absolute or blame")
    if style is Style.NVC and _EVALUATIONS.search(stripped):
        found.append("an evaluation where NVC names a feeling")
    return found


def _repair_problems(text: str) -> list[str]:
    """The rules for a writer who did (some of) the hurting: own it, with no excuse."""
    found: list[str] = []
    owned = _OWN.search(text)
    if not owned:
        found.append("does not own it")
    apology = _APOLOGY.search(text)
    after = min((m.start() for m in (owned, apology) if m), default=len(text))
    if _BUT.search(text, after):
        found.append("an excuse: 'but' after owning it")
    if _CONDITIONAL.search(text):
        found.append("an excuse: a conditional apology")
    if _INTENT.search(text):
        found.append("an excuse: what I meant")
    if _SELF_PUNISHMENT.search(text):
        found.append("self-punishment")
    for sentence in sentences(text):
        if (
            not sentence.endswith("?")
            and _THEIR_FEELING.search(sentence)
            and not _TENTATIVE.search(sentence)
        ):
            found.append("tells them what they felt")
            break
    return found


def passes(text: str, style: Style | None = None, role: WriterRole | None = "hurt") -> bool:
    return not problems(text, style, role)
