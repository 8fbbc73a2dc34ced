"""What helps this person: the order of styles, how to address the other person, and fresh
words where the same ones were offered lately.

- **Order.** The person's tone (settings) comes first when set; otherwise the styles they
  rated as helpful or picked move up, and the ones that did not quite help move down. Ties
  keep the taxonomy's order (gentle, direct, nvc).
- **Address.** The other person's name may open a phrasing ("Sam, when you…"), never sit
  inside one.
- **No repeats.** A phrasing offered word for word in the window is replaced by the next
  wording that was not, or by the same words after a short lead-in ("I've been thinking about
  it."). Every text returned here passed the guard for the writer's role.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coaching.history.records import Report, UserSettings
from coaching.models import WriterRole
from coaching.phrasing import guard
from coaching.taxonomy import Style

_DEFAULT_ORDER: tuple[Style, ...] = tuple(Style)

# (rating, picked?) -> weight for the style it concerns.
_PICKED_HELPED = 2.0
_PICKED = 1.0
_RATED_ONLY = 1.0  # a rating with no pick speaks of the style shown first


def style_scores(reports: Iterable[Report]) -> dict[Style, float]:
    """How much each style helped this person, from ratings and picks (0 when unknown)."""
    scores = dict.fromkeys(_DEFAULT_ORDER, 0.0)
    for report in reports:
        style = report.picked
        if style is not None:
            if report.rating == "helped":
                scores[style] += _PICKED_HELPED
            elif report.rating == "not_quite":
                scores[style] -= _PICKED_HELPED
            else:
                scores[style] += _PICKED
        elif report.rating is not None and report.offered:
            shown_first = report.offered[0].style
            scores[shown_first] += _RATED_ONLY if report.rating == "helped" else -_RATED_ONLY
    return scores


def style_order(settings: UserSettings, reports: Iterable[Report] = ()) -> list[Style]:
    """Styles in the order to show them: the tone first when set, then by feedback."""
    scores = style_scores(reports)
    ranked = sorted(_DEFAULT_ORDER, key=lambda s: (-scores[s], _DEFAULT_ORDER.index(s)))
    if settings.tone is not None:
        ranked.remove(settings.tone)
        ranked.insert(0, settings.tone)
    return ranked


def preferred_style(settings: UserSettings, reports: Iterable[Report] = ()) -> Style | None:
    """The style this person prefers, None when neither the settings nor feedback say."""
    if settings.tone is not None:
        return settings.tone
    scores = style_scores(reports)
    best = max(_DEFAULT_ORDER, key=lambda s: (scores[s], -_DEFAULT_ORDER.index(s)))
    return best if scores[best] > 0 else None


# --- address ---------------------------------------------------------------------------------

_NAME = re.compile(r"^[^\W\d_][\w'’ .-]{0,38}[\w.]?$")
_OPENS_WITH_ADDRESS = re.compile(r"^[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?, ")
# First words that are not a proper noun, so they lower-case after "Sam, ".
_OPENERS = frozenset(
    "when could can would will it there something lately earlier yesterday today this that "
    "the a after before last thank thanks few sometimes hey theres".split()
)


def usable_name(name: str) -> str:
    """The name as it can open a phrasing: trimmed, one line, short, no label; "" if not."""
    cleaned = " ".join(name.split()).strip(" ,;:!?")
    if not cleaned or not _NAME.match(cleaned) or guard.LABEL_RE.search(cleaned):
        return ""
    return cleaned


def addressed(text: str, name: str, style: Style, role: WriterRole | None) -> str:
    """`text` opened with "Name, " when that reads well and still passes the guard; `text`
    otherwise (no name, one already there, or too long)."""
    name = usable_name(name)
    if not name or text.startswith(name) or _OPENS_WITH_ADDRESS.match(text):
        return text
    first = text.split(" ", 1)[0]
    bare = re.sub(r"[^\w]", "", first).lower()
    if bare in _OPENERS or (first.lower() in _OPENERS):
        text = text[0].lower() + text[1:]
    elif not (first == "I" or first.startswith(("I'", "I’"))):
        return text  # a word that may be a name or a title: leave the phrasing as it is
    said = f"{name}, {text}"
    return said if guard.passes(said, style, role) else _restore(text)


def _restore(text: str) -> str:
    return text[0].upper() + text[1:]


# --- no repeats ------------------------------------------------------------------------------

LEAD_INS: tuple[str, ...] = (
    "I've been thinking about it.",
    "There's something I'd like to talk about.",
    "Can I tell you something that's been on my mind?",
)


def with_lead_ins(text: str, style: Style, role: WriterRole | None) -> list[str]:
    """The same words after each short lead-in, where the result still passes the guard: a
    gentle variation for a person who was offered every wording lately."""
    return [varied for lead in LEAD_INS if guard.passes(varied := f"{lead} {text}", style, role)]
