"""Who a cue is about: the person slots every rule is written with, and whose crisis it is.

Rules name situations with the people left open (<ME>, <MY>, <SELF>...), so the same story with
genders or relationships swapped gets the same level. A crisis of someone the writer describes
is still a crisis, marked `about_other` so the resources are framed for helping them.
"""

from __future__ import annotations

import re

SLOTS: dict[str, str] = {
    "ME": r"(?:me|him|her|them|us)",
    "MY": r"(?:my|his|her|their|our)",
    "SELF": r"(?:myself|himself|herself|themselves|themself|ourselves)",
    "BODY": r"(?:arm|arms|wrist|wrists|neck|throat|hair|face|jaw|shoulders?|head|hand|hands)",
    "VIOLENT": (
        r"(?:hit|hits|hitting|slapped|slaps|slapping|punched|punches|punching|kicked|kicks|kicking|"
        r"shoved|shoves|shoving|choked|chokes|choking|strangled|strangles|strangling|beat|beats|"
        r"beating|smacked|smacks|smacking|headbutted|elbowed|spat on|spits on|slammed|yanked|"
        r"dragged|drags|pinned|pins|restrained|tackled|whacked|strangle|choke|punch|slap|kick|"
        r"shove|beat up|roughed up|physically hurt|smothered|slammed)"
    ),
}
_SLOT = re.compile(r"<([A-Z]+)>")


def fill(pattern: str) -> str:
    """`pattern` with its person slots written out. An unknown slot is an error, not a literal."""
    return _SLOT.sub(lambda m: SLOTS[m.group(1)], pattern)


# Subject positions only: "I told my dad I wish I was dead" is the writer's crisis, not the dad's.
SUBJECTS = re.compile(
    r"\b(i|he|she|they|my (?:[a-z-]+ )?[a-z]+(?= (?:says|said|told|texted|keeps|kept|is|was|has|"
    r"had|wants|mentioned|posted|wrote|messaged|admitted|confided|sat|sent|asked|called|started|"
    r"stopped|bought|gave|tried|took|has been|is been|keeps saying)\b))\b"
)
WRITER = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|im|ive)\b")


def about_other(clause: str, match: re.Match[str]) -> bool:
    """A crisis cue in a clause about someone else ("my sister says she wants it all to stop")."""
    cue = match.group(0)
    if re.search(r"\b(?:myself|my|me|i)\b", cue):
        return False
    if re.search(r"\b(?:himself|herself|themselves|his|their)\b", cue):
        return True
    subjects = SUBJECTS.findall(clause[: match.start()])
    if not subjects:
        return False
    # "my sister says she..." / "he told me he wants to die": the last subject before the cue.
    return str(subjects[-1]) != "i"


def sentence_about_other(sentence: str) -> bool:
    """Whether a sentence the learned screen flagged is about someone other than the writer."""
    subjects = SUBJECTS.findall(sentence)
    return not WRITER.search(sentence) or bool(subjects and "i" not in subjects)
