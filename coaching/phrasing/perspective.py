"""One short sentence on what the other person may have meant or felt (seed 001).

Empathy often fails unintentionally, under stress. Naming that keeps the coach from only taking
its user's side, which makes people less willing to repair. Each line offers a reason without
excusing the hurt ("...and it still left you alone with it") and never blames the writer.
"""

from __future__ import annotations

from coaching.models import Classification
from coaching.phrasing.voice import Person
from coaching.taxonomy import PatternId

P = PatternId

_LINES: dict[PatternId, str] = {
    P.UNSOLICITED_ADVICE: "{S} may have reached for solutions because seeing you hurt made {o} "
    "feel helpless, even though what you needed was company.",
    P.MINIMIZING: "{S} may have been trying to comfort you by making it feel smaller, without "
    "seeing that it made your feeling seem not to count.",
    P.INVALIDATION: "{S} may have felt worried or caught off guard, and denying the problem can "
    "feel safer than facing it, though it left you unheard.",
    P.DEFENSIVENESS: "{S} may have heard your hurt as an accusation and felt ashamed, which can "
    "make people protect themselves instead of listening.",
    P.COMPETING_SUFFERING: "{S} may be running on empty too, and {p} own tiredness came out "
    "before {p} care for you did.",
    P.IMPATIENCE: "{S} may have felt out of {p} depth with the feeling and wanted it settled "
    "quickly, which is not the same as not caring.",
    P.DISENGAGEMENT: "{S} may have felt overwhelmed or unsure what to say, and pulled back instead "
    "of staying, even though staying was what mattered.",
    P.MISTIMED_HUMOR: "{S} may have used humour to ease a moment that felt uncomfortable, without "
    "seeing how much it mattered to you.",
    P.HOLLOW_AFFECTION: "{S} may have wanted to show care in the way that feels easiest for {o}, "
    "by doing something rather than talking, and the talk still matters.",
    P.BURDEN_SHIFTING: "{S} may genuinely want to help but not know where to start, so {s} handed "
    "the lead back to you without seeing the weight of it.",
}
_UNCLEAR = (
    "{S} may not know anything is wrong yet; saying it gently gives {o} the chance to understand."
)
_NO_RUPTURE = (
    "{S} likely had {p} own reasons and needs in this, just as you did, and it sounds like you "
    "both got to say them."
)


def perspective(classification: Classification) -> str:
    person = Person.from_actor(classification.exchange.actor)
    if classification.rupture and classification.patterns:
        template = _LINES[classification.patterns[0].id]
    else:
        template = _NO_RUPTURE if classification.disagreement else _UNCLEAR
    return template.format(
        S=person.sentence_subject(), s=person.subject, o=person.object, p=person.possessive
    )
