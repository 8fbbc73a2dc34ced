"""CoachService: the only entry point adapters use. Screen, classify, phrase, guard.

The order is the product's promise: the safety screen runs before any classifier, and a
safety hit (from the built-in screen, or from the classifier's own judgement or moderation
check) answers with resources and nothing else. Doubt (the middle tier) keeps the coaching and
asks about each worry first (`safety_check`), with the worry's resources.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata

from coaching import messages
from coaching.models import (
    Assessment,
    ClassifierName,
    Doubt,
    Draft,
    Phrasing,
    Resource,
    SafetyResult,
    WriterRole,
)
from coaching.phrasing import guard
from coaching.phrasing.perspective import perspective
from coaching.phrasing.templates import partner_prompt, phrasings
from coaching.ports import Classifier
from coaching.safety import resources
from coaching.safety.screening import combined, screen
from coaching.taxonomy import Safety, Style

log = logging.getLogger(__name__)

MAX_CHARS = 4000  # what a Discord modal allows
# Terminal escape sequences whole ("\x1b[31m"), then any other control character but tab and
# newline (NULs, DEL, C1). Format characters (zero-width, bidi) are `canonical`'s.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class InputError(ValueError):
    """The text cannot be coached as it is; the message says why, in words for the person."""


# Unicode's format characters (category Cf, as of Unicode 14: soft hyphen, zero-width space and
# joiners, bidi controls, tag characters...). A class, not a per-character category lookup: the
# lookup cost a tenth of a millisecond per coaching. tests/test_service.py checks it against
# `unicodedata` for every code point.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


def canonical(text: str, format_as: str = "") -> str:
    """One spelling for what looks the same: NFKC folds full-width letters and ligatures into
    plain ones, and format characters (soft hyphens, zero-width joiners, bidi marks) go, so
    "sui\u00adcidal" or "ｓｕｉｃｉｄａｌ" read as what the person wrote. `format_as=" "` reads
    them as word breaks instead ("kill\u200dmyself")."""
    return FORMAT_CHARACTERS.sub(format_as, unicodedata.normalize("NFKC", text))


def _spellings(text: str) -> list[str]:
    """What the screen reads: the cleaned text and, when it held format characters, the same
    text with each one read as a space. A zero-width character may sit inside a word or between
    two, and only reading both ways catches both."""
    cleaned = clean_input(text)
    plain = _CONTROL.sub("", _ANSI.sub("", text))
    if not FORMAT_CHARACTERS.search(unicodedata.normalize("NFKC", plain)):
        return [cleaned]
    spaced = canonical(plain, " ").strip()
    return [cleaned] if " ".join(spaced.split()) == " ".join(cleaned.split()) else [cleaned, spaced]


def _screen_all(texts: list[str]) -> SafetyResult:
    """The highest level any spelling of the text reaches, with every spelling's doubts."""
    results = [screen(t) for t in texts]
    highest = max(results, key=lambda result: result.level.rank)
    return combined(highest, *(r for r in results if r is not highest))


def clean_input(text: str) -> str:
    """Escapes and control characters removed, Unicode folded, then stripped; empty or over the
    limit is refused."""
    cleaned = canonical(_CONTROL.sub("", _ANSI.sub("", text))).strip()
    if not cleaned:
        raise InputError("There's nothing to read yet: describe what happened in a few words.")
    if len(cleaned) > MAX_CHARS:
        raise InputError(
            f"That's {len(cleaned):,} characters; the limit is {MAX_CHARS:,}. "
            "Try the moment that hurt most, in a few sentences."
        )
    return cleaned


class CoachService:
    def __init__(self, classifier: Classifier) -> None:
        self._classifier = classifier

    async def coach(self, user_id: str, text: str) -> Assessment:
        """Coach one description. `user_id` is accepted for history and stored nowhere yet."""
        spellings = _spellings(text)
        cleaned = spellings[0]
        # Screening and the built-in classifier are CPU work: a thread keeps a bot's event loop
        # answering others meanwhile.
        builtin = await asyncio.to_thread(_screen_all, spellings)
        if builtin.level is not Safety.NONE:
            log.debug("safety screen: %s (cue %r)", builtin.level, builtin.cue)
            return _safety_answer(builtin, "offline", None)
        draft = await self._classifier.classify(cleaned)
        if draft.fallback_reason:
            log.info("classifier fell back to offline: %s", draft.fallback_reason)
        # The classifier's own safety judgement can raise the level or add a worry, never lower.
        safety = combined(builtin, draft.safety)
        if safety.level is not Safety.NONE:
            return _safety_answer(safety, draft.classifier, draft.fallback_reason)
        if not draft.language_supported:
            return _unreadable_answer(draft)
        # Phrasing and its guard are regex work too.
        return await asyncio.to_thread(_coaching_answer, draft, safety.checks, cleaned)


def _safety_answer(result: SafetyResult, classifier: str, reason: str | None) -> Assessment:
    if result.level is Safety.CRISIS:
        text = messages.CRISIS_OTHER if result.about_other else messages.CRISIS_SELF
    elif result.harm:
        text = messages.harm_by_writer(result.harm)
    else:
        text = messages.ABUSE
    return _without_coaching(
        summary=text,
        safety=result.level,
        safety_check=messages.safety_check(result.checks),
        writer_role="caused" if result.harm and result.level is Safety.ABUSE else None,
        resources=resources.for_answer(result.level, result.checks, result.harm),
        classifier="llm" if classifier == "llm" else "offline",
        fallback_reason=reason,
        safety_about_other=result.about_other,
    )


def _unreadable_answer(draft: Draft) -> Assessment:
    return _without_coaching(
        summary=messages.UNREADABLE,
        resources=[resources.FIND_A_HELPLINE],
        classifier=draft.classifier,
        fallback_reason=draft.fallback_reason,
        language_supported=False,
    )


def _without_coaching(
    *,
    summary: str,
    classifier: ClassifierName,
    fallback_reason: str | None,
    safety: Safety = Safety.NONE,
    safety_check: str = "",
    writer_role: WriterRole | None = None,
    resources: list[Resource] | None = None,
    safety_about_other: bool = False,
    language_supported: bool = True,
) -> Assessment:
    """An answer that is a message and nothing else: no patterns, phrasings or perspective."""
    return Assessment(
        safety=safety,
        safety_check=safety_check,
        writer_role=writer_role,
        rupture=False,
        moment=None,
        patterns=[],
        phrasings=[],
        partner_prompt="",
        perspective="",
        resources=resources or [],
        classifier=classifier,
        fallback_reason=fallback_reason,
        summary=summary,
        safety_about_other=safety_about_other,
        language_supported=language_supported,
    )


def _coaching_answer(draft: Draft, checks: tuple[Doubt, ...] = (), story: str = "") -> Assessment:
    classification = draft.classification
    # A rupture always says who hurt whom; a classifier that did not say meant the writer.
    role: WriterRole | None = (
        (classification.writer_role or "hurt") if classification.rupture else None
    )
    templates = {p.style: p for p in phrasings(classification, story)}
    proposed = {p.style: p for p in draft.phrasings}
    chosen = [_guarded(proposed.get(style), templates[style], role) for style in Style]
    prompt = draft.partner_prompt.strip()
    if role == "caused":
        prompt = ""  # the writer is the one repairing: there is no line for the other to say
    elif not prompt or not guard.passes(prompt):
        prompt = partner_prompt(classification)
    view = draft.perspective.strip() or perspective(classification)
    if len(view) > 320 or guard.LABEL_RE.search(view):
        view = perspective(classification)
    return Assessment(
        safety=Safety.NONE,
        safety_check=messages.safety_check(checks),
        writer_role=role,
        rupture=classification.rupture,
        moment=classification.moment if classification.rupture else None,
        patterns=classification.patterns if classification.rupture else [],
        phrasings=chosen,
        partner_prompt=prompt,
        perspective=view,
        resources=resources.for_answer(Safety.NONE, checks),
        classifier=draft.classifier,
        fallback_reason=draft.fallback_reason,
        summary=messages.summary(classification),
    )


def _guarded(proposed: Phrasing | None, template: Phrasing, role: WriterRole | None) -> Phrasing:
    """The LLM's phrasing when it passes the guard for the writer's role, else the template
    (which always does)."""
    if proposed is not None and guard.passes(proposed.text, proposed.style, role):
        return Phrasing(style=proposed.style, text=proposed.text.strip())
    return template
