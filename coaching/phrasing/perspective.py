"""One short sentence on what the other person may have meant or felt (seed 001).

Empathy often fails unintentionally, under stress. Naming that keeps the coach from only taking
its user's side, which makes people less willing to repair. Each line offers a reason without
excusing the hurt ("...and it still left you alone with it") and never blames the writer.

When the writer caused the hurt, the line is about what the other person may have felt or
needed in that moment, so the writer can meet it (never blaming the writer, never excusing
what they did). When each hurt the other, it is about the other person's part, as for a writer
who was hurt.
"""

from __future__ import annotations

from coaching.models import Classification
from coaching.phrasing.repair import other_pattern, writer_pattern
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
# The writer caused it: what the other person may have felt or needed.
_NEEDED: dict[PatternId, str] = {
    P.UNSOLICITED_ADVICE: "{S} may have needed company in the worry more than a plan, and may "
    "be waiting to see if it's safe to bring it up again.",
    P.MINIMIZING: "{S} may have needed it to count as big as it felt, and hearing it made "
    "smaller can make someone stop sharing.",
    P.INVALIDATION: "{S} may have needed to be believed about {p} own feelings first, and may "
    "now be unsure it's safe to say how it really is.",
    P.DEFENSIVENESS: "{S} may have needed room for {p} hurt before anything else, and may be "
    "wondering whether it can be raised again.",
    P.COMPETING_SUFFERING: "{S} may have needed a turn to be looked after, and may have felt "
    "there was no room for what {s} carried.",
    P.IMPATIENCE: "{S} may have needed time to say the whole thing, and may have felt hurried "
    "at the moment of opening up.",
    P.DISENGAGEMENT: "{S} may have needed to feel you were there, and may be waiting to see "
    "if it's safe to bring it up again.",
    P.MISTIMED_HUMOR: "{S} may have felt exposed, and needed what {s} shared to be taken "
    "seriously before anything about it was funny.",
    P.HOLLOW_AFFECTION: "{S} may have needed to talk it through more than to be cheered up, "
    "and may still be carrying it alone.",
    P.BURDEN_SHIFTING: "{S} may have needed someone to take part of the load without being "
    "asked, and may be tired of carrying it alone.",
}
_NEEDED_UNNAMED = (
    "{S} may be waiting to see whether it's safe to bring it up again, and a plain apology can "
    "make that easier."
)
_UNCLEAR = (
    "{S} may not know anything is wrong yet; saying it gently gives {o} the chance to understand."
)
_NO_RUPTURE = (
    "{S} likely had {p} own reasons and needs in this, just as you did, and it sounds like you "
    "both got to say them."
)


def perspective(classification: Classification) -> str:
    person = Person.from_actor(classification.exchange.actor)
    role = classification.writer_role
    if classification.rupture and role in ("caused", "both"):
        other = other_pattern(classification) if role == "both" else None
        if other is not None:
            template = _LINES[other]
        else:
            mine = writer_pattern(classification)
            template = _NEEDED[mine] if mine is not None else _NEEDED_UNNAMED
    elif classification.rupture and classification.patterns:
        template = _LINES[classification.patterns[0].id]
    else:
        template = _NO_RUPTURE if classification.disagreement else _UNCLEAR
    return template.format(
        S=person.sentence_subject(), s=person.subject, o=person.object, p=person.possessive
    )
