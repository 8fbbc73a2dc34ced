"""A pattern-level phrasing: the repeated moment named, beside the phrasings for this one.

Taxonomy (Phrasings): "a recurring-pattern phrasing may name the repeated moment: 'I've
noticed a few times lately that when I bring up something hard…'". It still speaks of a
feeling in the first person, names what happens rather than what the other person is, holds
no absolutes ("always", "every time") and ends in an invitation. With `both` it owns the
writer's part first. Every wording returned passes the guard for the role.
"""

from __future__ import annotations

from coaching.models import WriterRole
from coaching.phrasing import guard
from coaching.phrasing.templates import WORDS
from coaching.phrasing.voice import tidy_spacing
from coaching.taxonomy import PatternId, Style

# What happens, in the present: the moment as it keeps coming back.
_HAPPENS: dict[PatternId, str] = {
    PatternId.UNSOLICITED_ADVICE: "we go straight to fixing it",
    PatternId.MINIMIZING: "it ends up sounding smaller than it feels to me",
    PatternId.INVALIDATION: "it turns into whether I'm making too much of it",
    PatternId.DEFENSIVENESS: "it turns into how bad you feel",
    PatternId.COMPETING_SUFFERING: "your own hard time comes up instead",
    PatternId.IMPATIENCE: "there doesn't seem to be time for it",
    PatternId.DISENGAGEMENT: "your attention goes somewhere else",
    PatternId.MISTIMED_HUMOR: "it gets made light of",
    PatternId.HOLLOW_AFFECTION: "something kind happens instead of us talking about it",
    PatternId.BURDEN_SHIFTING: "the planning comes back to me",
}
# Ways to name the repeated moment, the taxonomy's first.
_NOTICED = (
    "I've noticed a few times lately that when I bring up something hard, {happens}",
    "A few times lately, when I've brought up something hard, {happens}",
    "It's happened a few times lately: when I share something hard, {happens}",
)
_OWN_PART = "I know I've played my part in it too. "


def pattern_variants(pattern: PatternId, style: Style, role: WriterRole | None) -> list[str]:
    """Wordings of the pattern-level phrasing in `style`, best first, each passing the guard
    for `role` (empty when none does, or for a writer who `caused` it: the pattern counted is
    what the other person did)."""
    if role == "caused":
        return []
    words = WORDS[pattern]
    own = _OWN_PART if role == "both" else ""
    found: list[str] = []
    for noticed in _NOTICED:
        said = noticed.format(happens=_HAPPENS[pattern])
        text = {
            Style.GENTLE: f"{own}{said}, and I feel {words.feeling}. Could we talk "
            "about how to make those moments go differently?",
            Style.DIRECT: f"{own}{said}. I feel unheard when that happens, and I need "
            f"{words.need}. Can we talk about it soon?",
            Style.NVC: f"{own}{said}, and I feel {words.nvc_feeling}, because I need "
            f"{words.need}. Would you be willing to talk about how we handle those moments?",
        }[style]
        text = tidy_spacing(text)
        if guard.passes(text, style, role):
            found.append(text)
    return found
