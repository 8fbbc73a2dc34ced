"""A "yes" to the middle tier's question: what the person has just confirmed, said plainly.

The middle tier asks one direct question ("Are you thinking about ending your life?", "Is your
son thinking about ending his life?", "Are you ever afraid of what he might do?", see
coaching/messages.py). A short "yes" to it answers that question, and crisis lines teach that
such an answer is taken at its word. The conversation adds the question, turned into the
statement it confirms, to the story, and coaches the story again: the safety screen then reads
a plain statement ("I am thinking about ending my life") and answers with the hard tier. The
screen decides, as for every other message; nothing here sets a level.
"""

from __future__ import annotations

import re

# Short answers that say yes to the question just asked ("yes", "sometimes", "i think so").
# Closed on purpose: anything longer is coached as part of the story, which the screen reads.
_YES = re.compile(
    r"^(?:(?:yes|yeah|yea|yep|yup|ya|y|honestly|sadly|i think|i guess|maybe|sometimes|"
    r"kind of|kinda|sort of|a bit|a little|often|always|every day|lately|i am|i'm|i do|"
    r"he is|she is|they are|he does|she does|they do|so|so yes|i am yes|i think so)"
    r"[\s,.!]*)+$"
)
_SUICIDE_SELF = re.compile(r"\bare you thinking about ending your life\?")
_SUICIDE_OTHER = re.compile(
    r"\b(?:is|are) (?P<who>[\w' ]+?) thinking about ending (?P<their>his|her|their) life\?"
)
_DANGER_SELF = re.compile(r"\bare you ever afraid of what (?P<feared>[\w' ]+?) might do\?")
_DANGER_OTHER = re.compile(
    r"\b(?:is|are) (?!you\b)(?P<who>[\w' ]+?) ever afraid of what (?P<feared>[\w' ]+?) might "
    r"do\?"
)


def says_yes(message: str) -> bool:
    """Whether `message` is a short yes to the question just asked."""
    return bool(_YES.match(" ".join(message.lower().split())))


def confirmed(safety_check: str) -> str:
    """The statements a yes to `safety_check` (one question or two) confirms, "" when none."""
    asked = safety_check.lower()
    said: list[str] = []
    if _SUICIDE_SELF.search(asked):
        said.append("I am thinking about ending my life.")
    if match := _SUICIDE_OTHER.search(asked):
        said.append(f"{_mine(match['who'])} is thinking about ending {match['their']} life.")
    if match := _DANGER_OTHER.search(asked):
        who, feared = _mine(match["who"]), _mine(match["feared"])
        said.append(f"{who} is afraid {feared} will physically hurt {who}.")
    elif match := _DANGER_SELF.search(asked):
        said.append(f"I am afraid {_mine(match['feared'])} will physically hurt me.")
    return " ".join(s[0].upper() + s[1:] for s in said)


def _mine(person: str) -> str:
    """The question's "your son" as the writer says it: "my son"."""
    return re.sub(r"\byour\b", "my", person.strip())
