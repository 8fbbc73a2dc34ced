"""The words every adapter shows around an answer, kept in one place so they agree."""

from __future__ import annotations

from coaching.models import Classification
from coaching.taxonomy import PATTERN_MEANINGS, PATTERN_NAMES, Moment

DISCLAIMER = "I'm an automated coach, not a person or a therapist."

CRISIS_SELF = (
    "I'm really glad you wrote this down. What you describe sounds like you may be thinking "
    "about ending your life or hurting yourself, and that matters far more than any script. "
    "Please reach a person right now: a crisis line, someone you trust, or emergency services "
    "if you are in danger."
)
CRISIS_OTHER = (
    "What you describe sounds like someone you care about may be in danger of ending their life "
    "or hurting themselves. You don't have to handle this alone: a crisis line can talk you "
    "through how to help, and if they are in immediate danger, call emergency services. Stay "
    "with them or keep in touch if you can."
)
ABUSE = (
    "What you describe doesn't sound like an empathic rupture to talk through: it sounds like "
    "harm, threats or control, and you deserve to be safe. A script for expressing feelings "
    "isn't the right tool here, and your safety comes first. People at these lines can help you "
    "think it through, confidentially."
)
UNREADABLE = (
    "I can only read English for now, so I can't understand this or check it for safety. If you "
    "or someone else might be in danger, findahelpline.com lists free, confidential help lines "
    "in many countries and languages."
)
NO_RUPTURE = (
    "This sounds more like an ordinary disagreement than an empathic rupture: it seems you both "
    "got to say where you stand. It can still help to check in about what's left over."
)


_MOMENT_CONTEXT: dict[Moment, str] = {
    Moment.VULNERABILITY_DISMISSED: "It came right after you shared something personal.",
    Moment.EMOTIONAL_CRISIS: "It came while you were struggling and needed comfort.",
    Moment.REPEATED_MISUNDERSTANDING: "It sounds like the same kind of miss keeps happening.",
    Moment.AFFECTION_FEELS_HOLLOW: "Affection arrived, but not the support you needed.",
    Moment.UNRESOLVED_CONFLICT: "It left an argument unresolved, with you feeling unheard.",
}


UNCLEAR = (
    "I couldn't find the moment it went wrong in what you wrote. If something hurt, tell me "
    "what you shared, what they said or did next, and how it felt, and I'll help you find words "
    "for it."
)


def summary(classification: Classification) -> str:
    """What happened, in the person's terms."""
    if not classification.rupture or not classification.patterns:
        return NO_RUPTURE if classification.disagreement else UNCLEAR
    top = classification.patterns[0]
    what = f"The moment that stands out: {top.evidence}" if top.evidence else ""
    moment = (
        f" {_MOMENT_CONTEXT[classification.moment]}" if classification.moment is not None else ""
    )
    return (
        f"{what}. That looks like {PATTERN_NAMES[top.id].lower()} "
        f"({PATTERN_MEANINGS[top.id]}).{moment}"
    ).lstrip(". ")
