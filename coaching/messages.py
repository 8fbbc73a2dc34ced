"""The words every adapter shows around an answer, kept in one place so they agree."""

from __future__ import annotations

from coaching.models import Classification, Doubt, Harm
from coaching.taxonomy import PATTERN_MEANINGS, PATTERN_NAMES, Moment, PatternId

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
# The writer who harms (taxonomy: "When the writer is the one who harms"): what they described,
# named plainly, then the way to help for stopping.
_HARM_DESCRIBED: dict[Harm, str] = {
    "violence": "using physical force on someone close to you",
    "threat": "threatening to hurt someone close to you",
    "control": "controlling someone close to you: checking on them, or keeping money, "
    "their phone or the people they love from them",
}


def harm_by_writer(harm: Harm) -> str:
    """The message for a writer who describes hurting, threatening or controlling someone."""
    described = _HARM_DESCRIBED.get(harm) or _HARM_DESCRIBED["violence"]
    return (
        f"You describe {described}. That is harm, not an empathic rupture, so I won't offer a "
        "script for it: the other person's safety comes first, and words alone can't repair "
        "it. Writing it down honestly matters. If you want to stop, the lines below talk with "
        "people who have hurt, threatened or controlled a partner or family member, "
        "confidentially and without judging you."
    )


# Said once, the first time something is recorded for a person (issue 14: what is kept, and how
# to see it, delete it or stop it).
RECORDING_NOTICE = (
    "I keep a private record of these answers (labels, not your words). See it with "
    "`repair-coach history`, delete it with `repair-coach forget --yes`, or turn it off with "
    "`repair-coach settings history off`."
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


# The writer caused it: what they did, and the moment as the other person lived it.
WRITER_MEANINGS: dict[PatternId, str] = {
    PatternId.UNSOLICITED_ADVICE: "you reached for solutions when listening was needed",
    PatternId.MINIMIZING: "you made the feeling or loss smaller than it is",
    PatternId.INVALIDATION: "you told them their feeling or reading of things was wrong",
    PatternId.DEFENSIVENESS: "you answered their hurt by defending yourself",
    PatternId.COMPETING_SUFFERING: "your own hardship took the place of theirs",
    PatternId.IMPATIENCE: "you hurried them through the feeling",
    PatternId.DISENGAGEMENT: "your attention went elsewhere when they needed it",
    PatternId.MISTIMED_HUMOR: "a joke or a laugh landed on a vulnerable moment",
    PatternId.HOLLOW_AFFECTION: "something kind took the place of talking about the hurt",
    PatternId.BURDEN_SHIFTING: "the work of fixing it was left to them",
}
_CAUSED_MOMENT: dict[Moment, str] = {
    Moment.VULNERABILITY_DISMISSED: "It came right after they shared something personal.",
    Moment.EMOTIONAL_CRISIS: "It came when they were struggling and needed comfort.",
    Moment.REPEATED_MISUNDERSTANDING: "It sounds like the same kind of miss has happened before.",
    Moment.AFFECTION_FEELS_HOLLOW: "Affection arrived, but not the support they needed.",
    Moment.UNRESOLVED_CONFLICT: "It left an argument unresolved, with them feeling unheard.",
}
_BOTH_MOMENT: dict[Moment, str] = {
    Moment.VULNERABILITY_DISMISSED: "It started when one of you shared something personal.",
    Moment.EMOTIONAL_CRISIS: "It came at a hard time, when comfort was needed.",
    Moment.REPEATED_MISUNDERSTANDING: "It sounds like the same kind of miss keeps happening "
    "between you.",
    Moment.AFFECTION_FEELS_HOLLOW: "Affection arrived, but not the support that was needed.",
    Moment.UNRESOLVED_CONFLICT: "It left an argument unresolved, with each of you feeling unheard.",
}


def summary(classification: Classification) -> str:
    """What happened, in the person's terms: what was done to them, what they did (`caused`),
    or each side's part (`both`)."""
    if not classification.rupture or not classification.patterns:
        return NO_RUPTURE if classification.disagreement else UNCLEAR
    top = classification.patterns[0]
    what = f"The moment that stands out: {top.evidence}" if top.evidence else ""
    role = classification.writer_role
    contexts = {"caused": _CAUSED_MOMENT, "both": _BOTH_MOMENT}.get(role or "", _MOMENT_CONTEXT)
    moment = f" {contexts[classification.moment]}" if classification.moment is not None else ""
    if role == "caused":
        looks = (
            f"What you describe doing looks like {PATTERN_NAMES[top.id].lower()} "
            f"({WRITER_MEANINGS[top.id]})."
        )
    elif role == "both":
        looks = _each_part(classification)
    else:
        looks = f"That looks like {PATTERN_NAMES[top.id].lower()} ({PATTERN_MEANINGS[top.id]})."
    return f"{what}. {looks}{moment}".lstrip(". ")


def _each_part(classification: Classification) -> str:
    """Both sides of a `both` story: the writer's part, then the other person's."""
    mine = next((h.id for h in classification.patterns if h.by == "writer"), None)
    theirs = next((h.id for h in classification.patterns if h.by != "writer"), None)
    parts = []
    if mine is not None:
        parts.append(
            f"your part looks like {PATTERN_NAMES[mine].lower()} ({WRITER_MEANINGS[mine]})"
        )
    if theirs is not None:
        parts.append(
            f"their part looks like {PATTERN_NAMES[theirs].lower()} ({PATTERN_MEANINGS[theirs]})"
        )
    return f"It sounds like each of you hurt the other: {', and '.join(parts)}."


# --- the middle tier: one short, direct, kind question per worry ------------------------------

_SHE = (
    "wife",
    "girlfriend",
    "gf",
    "fiancee",
    "mom",
    "mum",
    "mother",
    "stepmom",
    "stepmum",
    "sister",
    "aunt",
    "grandma",
    "grandmother",
    "niece",
    "daughter",
)
_HE = (
    "husband",
    "boyfriend",
    "bf",
    "fiance",
    "dad",
    "father",
    "stepdad",
    "brother",
    "uncle",
    "grandpa",
    "grandfather",
    "nephew",
    "son",
)


def _pronouns(person: str) -> tuple[str, str, str]:
    """(subject, object, possessive) for how a question names someone: "your sister" -> she."""
    last = person.split()[-1] if person else ""
    if person == "he" or last in _HE:
        return "he", "him", "his"
    if person == "she" or last in _SHE:
        return "she", "her", "her"
    return "they", "them", "their"


def _named(person: str) -> str:
    """The person as a question's subject: "your sister", "he", or "they" when unnamed."""
    return person or "they"


def _be(subject: str) -> str:
    return "Are" if subject in ("they", "you") else "Is"


def question(doubt: Doubt) -> str:
    """The question the middle tier asks about one worry (taxonomy: `safety_check`)."""
    feared = doubt.feared or "they"
    if doubt.worry == "suicide":
        if not doubt.about_other:
            return (
                "Some of what you wrote sounds really heavy. Are you thinking about ending "
                "your life?"
            )
        name = _named(doubt.person)
        _, them, their = _pronouns(doubt.person)
        return (
            f"{_be(name)} {name} thinking about ending {their} life? What you wrote about "
            f"{them} sounds really heavy, and asking {them} directly can help."
        )
    if not doubt.about_other:
        return f"Are you ever afraid of what {feared} might do?"
    name = _named(doubt.person)
    return f"{_be(name)} {name} ever afraid of what {feared} might do?"


def safety_check(doubts: tuple[Doubt, ...]) -> str:
    """Every worry's question, suicide first (the screen orders them); "" when none."""
    return " ".join(question(d) for d in doubts)
