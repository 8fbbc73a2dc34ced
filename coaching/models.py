"""Typed results that flow through the coach: what classifiers return and what adapters show."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from coaching.taxonomy import Moment, PatternId, Safety, Style

ClassifierName = Literal["offline", "llm"]
# The worries the middle tier can ask about: suicide (someone may end their life) and danger
# (someone may be hurt by a person they live or are close with).
Worry = Literal["suicide", "danger"]
WORRIES: tuple[Worry, ...] = ("suicide", "danger")  # the order questions are asked in
# Who hurt whom (taxonomy: "Who hurt whom"): the other person hurt the writer, the writer hurt
# the other person, or each hurt the other.
WriterRole = Literal["hurt", "caused", "both"]
WRITER_ROLES: tuple[WriterRole, ...] = ("hurt", "caused", "both")
# Who did a pattern: the writer or the other person.
By = Literal["writer", "other"]
# What a writer who harms describes doing: violence, a threat, or control.
Harm = Literal["", "violence", "threat", "control"]


class PatternHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: PatternId
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: str = Field(description="the words from the description that show the pattern")
    by: By | None = Field(
        default=None, description="who did it; set with writer_role 'both', optional otherwise"
    )


class Phrasing(BaseModel):
    model_config = ConfigDict(frozen=True)

    style: Style
    text: str


class Resource(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    contact: str
    region: str


class Doubt(BaseModel):
    """A worry the screen cannot rule out (the middle tier): the answer asks about it.

    `about_other` marks someone the writer describes as the one at risk, `person` how the writer
    named them, turned to the second person ("your sister"; "" when unknown). For danger,
    `feared` is the one who may hurt them ("he", "your dad"; "" when unknown).
    """

    model_config = ConfigDict(frozen=True)

    worry: Worry
    about_other: bool = False
    person: str = ""
    feared: str = ""


class SafetyResult(BaseModel):
    """What the screen decided.

    `about_other` marks a crisis the writer describes in someone else. `checks` are the worries
    it could not rule out, suicide first, one per worry; they never lower `level`, and the
    service asks only about worries the level does not already answer. `harm` is set when the
    writer is the one who harms (abuse by the writer): what they described doing.
    """

    model_config = ConfigDict(frozen=True)

    level: Safety = Safety.NONE
    about_other: bool = False
    cue: str = Field(
        default="", description="the span that raised the level (never logged above DEBUG)"
    )
    checks: tuple[Doubt, ...] = ()
    harm: Harm = ""


class Exchange(BaseModel):
    """What the offline reader found in the story, so phrasings can quote the real exchange.

    `actor` is how the writer refers to the other person ("he", "she", "they", "Jess"), `shared`
    is what the writer had shared just before it went wrong (first person, as written), and
    `response` is the other person's reply or action (as written, third person).
    """

    model_config = ConfigDict(frozen=True)

    actor: str = "they"
    shared: str = ""
    response: str = ""


class Classification(BaseModel):
    model_config = ConfigDict(frozen=True)

    rupture: bool
    moment: Moment | None = None
    patterns: list[PatternHit] = Field(default_factory=list)
    # Who hurt whom; None exactly when there is no rupture.
    writer_role: WriterRole | None = None
    exchange: Exchange = Field(default_factory=Exchange)
    # With no rupture: True when the story shows an exchange of views (an ordinary
    # disagreement), False when it shows no hurtful moment at all (or no story).
    disagreement: bool = True


class Draft(BaseModel):
    """What one classifier returns: a classification and, from the LLM, its own wording.

    `safety` lets an adapter with its own screen (the moderation endpoint) raise the level.
    """

    model_config = ConfigDict(frozen=True)

    classification: Classification
    classifier: ClassifierName
    fallback_reason: str | None = None
    safety: SafetyResult = Field(default_factory=SafetyResult)
    phrasings: list[Phrasing] = Field(default_factory=list)
    partner_prompt: str = ""
    perspective: str = ""
    language_supported: bool = True


class HistorySummary(BaseModel):
    """The person's history as the answer shows it: reports in the window (this one included)
    and the patterns that recur in them (by the other person, once per story)."""

    model_config = ConfigDict(frozen=True)

    reports: int = Field(ge=0)
    recurring: list[PatternId] = Field(default_factory=list)


class Assessment(BaseModel):
    """The answer: the taxonomy's JSON object plus keys of our own (its keys are a minimum)."""

    kind: Literal["assessment"] = "assessment"
    safety: Safety
    safety_check: str = Field(
        default="", description="the middle tier's question(s), suicide first; '' when none"
    )
    writer_role: WriterRole | None = None
    rupture: bool
    moment: Moment | None
    patterns: list[PatternHit]
    phrasings: list[Phrasing]
    partner_prompt: str
    perspective: str
    resources: list[Resource]
    classifier: ClassifierName
    fallback_reason: str | None = None
    summary: str = Field(description="what happened, in the person's terms, or the safety message")
    safety_about_other: bool = False
    language_supported: bool = True
    report_id: str | None = Field(
        default=None, description="the recorded report (for feedback); None when not recorded"
    )
    history: HistorySummary | None = Field(
        default=None,
        description="counts within the window, this report included; None when nothing is recorded",
    )
    notice: str = Field(
        default="", description="one line said the first time something is recorded; '' else"
    )


class Reply(BaseModel):
    """A conversation's turn that is not an assessment: small talk, a question about the advice,
    or a request for the story. Its JSON is exactly `{"kind": "reply", "text": ...}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["reply"] = "reply"
    text: str
