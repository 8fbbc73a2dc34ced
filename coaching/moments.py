"""Which of seed 001's five critical moments a story fell in.

Judged from the writer's side of the story (what they were going through, whether it keeps
happening, whether it was an argument) plus the top pattern: gifts in place of support is its
own moment whatever else is going on.
"""

from __future__ import annotations

import re

from coaching.taxonomy import Moment
from coaching.taxonomy import PatternId as P

_REPEATED = re.compile(
    r"\b(?:every (?:single )?time|each time|whenever|always|again and again|over and over|"
    r"time after time|keeps? (?:doing|saying|telling|making|turning|changing|joking|laughing|"
    r"brushing|cutting|asking|giving|sending|going|rushing|comparing|bringing|acting|treating|"
    r"reacting|responding)|every (?:week|day|month|conversation|fight|argument)|constantly|"
    r"all the time|same (?:thing|story|way|reaction|response|pattern|answer)|yet again|"
    r"for (?:years|months|as long as i can remember)|the (?:\w+ )?(?:hundredth|millionth|nth|"
    r"tenth|third|fourth|fifth) time|once again|pattern|every other|this happens a lot|"
    r"happens? (?:a lot|every)|never (?:once )?(?:asks|listens|gets it|understands)|"
    r"again\b(?! (?:tomorrow|later|tonight|soon)))"
)
_DISTRESS = re.compile(
    r"\b(?:died|dying|death|passed away|passed|funeral|grief|grieving|mourning|miscarr\w*|"
    r"pregnancy loss|lost (?:the|our|my) (?:baby|pregnancy|mom|dad|mother|father|brother|sister|"
    r"friend|grandma|grandpa|dog|cat|pet)|stillbirth|depress\w*|anxiety|anxious|panic|"
    r"breakdown|burn(?:t|ed) out|burnout|icu|hospital|hospice|diagnos\w*|cancer|chemo|tumou?r|"
    r"biopsy|surgery|sick|illness|chronic|pain|postpartum|ptsd|trauma\w*|therapy|numb|"
    r"can barely|couldn't breathe|can't breathe|falling apart|crying (?:every|all|for)|sobbing|"
    r"overwhelmed|struggling|not doing (?:great|well|ok)|dark place|rough (?:patch|time)|"
    r"bereave\w*|terminal|dementia|alzheimer\w*|stroke|heart attack|accident|laid off|"
    r"fired|lost my job|rejected|rejection)\b"
)
_CONFLICT = re.compile(
    r"\b(?:argu\w*|fight|fighting|fought|disagree\w*|row|rowed|bicker\w*|spat|yelling|yelled|"
    r"shouting|shouted|screaming|blow-?up|blew up|conflict|tension|heated|mid-?argument|"
    r"had it out|called (?:him|her|them) (?:on|out)|confront\w*|brought (?:it|this|that) up|"
    r"raised (?:it|this|that|the issue)|complain\w*|said it'?s been (?:wearing|bothering)|"
    r"it'?s been (?:wearing|bothering)|back and forth|slammed the door|stormed)\b"
)
_DISCLOSURE = re.compile(
    r"\b(?:opened up|confided|admitted|came out|told (?:him|her|them|my \w+) (?:that )?(?:i|i've|"
    r"i'm|about my)|shared (?:that|something|how|my)|finally (?:told|said)|worked up the nerve|"
    r"insecure|embarrass\w*|ashamed|secret|never told anyone|vulnerable|personal|dream|"
    r"proud|excited)\b"
)


def choose_moment(norm_text: str, top: P | None) -> Moment | None:
    """The moment for a story (normalised text) whose strongest pattern is `top`."""
    if top is None:
        return None
    if top is P.HOLLOW_AFFECTION:
        return Moment.AFFECTION_FEELS_HOLLOW
    repeated = len(_REPEATED.findall(norm_text))
    distress = len(_DISTRESS.findall(norm_text))
    conflict = len(_CONFLICT.findall(norm_text))
    disclosure = len(_DISCLOSURE.findall(norm_text))
    if repeated >= 2 or (repeated and not distress and not conflict):
        return Moment.REPEATED_MISUNDERSTANDING
    if distress and distress >= conflict:
        return Moment.EMOTIONAL_CRISIS
    if conflict and conflict >= disclosure:
        return Moment.UNRESOLVED_CONFLICT
    if top in (P.DEFENSIVENESS, P.BURDEN_SHIFTING) and not disclosure:
        return Moment.UNRESOLVED_CONFLICT
    return Moment.VULNERABILITY_DISMISSED
