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
    """Whether a span the encoder heads flagged is about someone other than the writer."""
    subjects = SUBJECTS.findall(sentence)
    return not WRITER.search(sentence) or bool(subjects and "i" not in subjects)


# --- the writer who harms, and whose worry a doubt is ----------------------------------------

# The writer as the one harmed: a cue naming them ("hit me", "tracks my phone") is never the
# writer's act, unless what is theirs is what they used ("threw my phone at her").
_WRITER_HARMED = re.compile(r"\b(?:me|my|myself|us|our|we)\b(?<!\bthrew my)(?<!\bthrow my)")
# An act of force, threat or control, as a cue opens with it ("shoved her", "threatened to").
_ACT = re.compile(
    r"(?:i (?:\w+ )?)?(?:" + SLOTS["VIOLENT"] + r"|pushed|grabbed|pinned|held|threatened|threw|"
    r"(?:go|went) through|check(?:ed|ing)?|read|track(?:ed|ing)?|take|took|keep|kept|hide|hid|"
    r"put|installed|locked|made)\b"
)
# Between the writer and the act, a word that makes the writer a witness or a teller, not the
# actor ("I heard her hitting him", "I told him she slapped her").
_WITNESS = re.compile(
    r"\b(?:saw|see|watched|watch|heard|hear|noticed|found|caught|told|tell|said|say|says|think|"
    r"thought|know|knew|felt|feel|remember|wish|wished|worry|worried|scared|afraid|asked|begged)\b"
)

# Someone else saying the writer did it, right before the writer: "she says I...", "told the
# police I...", "accused me of...".
_SAYS_I = re.compile(
    r"\b(?:said|say|says|tell|tells|told|claims?|claimed|accus\w+|pretend\w*|lies|lied|lying)"
    r"(?: \w+){0,3} i$"
)


def acts_on_someone(cue: str) -> bool:
    """Whether an abuse cue is an act done to someone other than the writer ("slapped him"),
    whoever did it; cues that harm the writer or describe a situation are not."""
    return bool(_ACT.match(cue)) and not _WRITER_HARMED.search(cue)


def writer_acts(before: str, cue: str) -> bool:
    """Whether an abuse cue is the writer's own act ("I shoved her", "I punched him, then
    slapped him"): an act on someone else whose last subject before it (in `before`, the text
    of the sentence up to the cue) is the writer, with no other person or witnessing word in
    between."""
    if not acts_on_someone(cue):
        return False
    if cue.startswith("i "):
        return True
    subjects = list(SUBJECTS.finditer(before))
    if not subjects or subjects[-1].group(1) != "i":
        return False
    if _SAYS_I.search(before[: subjects[-1].end()]):
        return False  # someone claiming it: "she'd tell the police I hit her"
    between = before[subjects[-1].end() :]
    return not _WITNESS.search(between) and not _NAMED.search(between)


# People the writer names with "my": how a question can name them back ("your sister").
RELATIONS = (
    r"(?:wife|husband|partner|girlfriend|boyfriend|gf|bf|fiance|fiancee|son|daughter|kid|child|"
    r"mom|mum|mother|dad|father|stepdad|stepmom|stepmum|sister|brother|aunt|uncle|grandma|"
    r"grandmother|grandpa|grandfather|niece|nephew|cousin|friend|best friend|roommate|flatmate|"
    r"housemate|ex|boss)"
)
_NAMED = re.compile(
    r"\bmy (?:(?:older|younger|little|big|best|oldest|youngest) )?" + RELATIONS + r"\b"
)
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them)\b")
_AS_SUBJECT = {"him": "he", "her": "she", "them": "they"}


def second_person(named: str) -> str:
    """How a question names someone the writer named: "my sister" -> "your sister"; "he", "she"
    and "they" stay; anything else is "" (the question then says "they")."""
    if named in ("he", "she", "they"):
        return named
    found = _NAMED.fullmatch(named)
    return "your" + named[2:] if found else ""


def whose_worry(clause: str, start: int) -> str:
    """Who is at risk when a doubt cue starts at `start` in `clause`: "" for the writer, else how
    to name them ("your sister", "he", or "they" when nobody is named). The writer is at risk
    when they are the last subject before the cue, or when no one is."""
    before = clause[:start]
    subjects = [str(s) for s in SUBJECTS.findall(before)]
    if not subjects or subjects[-1] == "i":
        return ""
    person = second_person(subjects[-1])
    named = _NAMED.search(before)
    if person in ("he", "she", "they") and named:
        # "my sister says she...": the name the writer gave, not the pronoun.
        person = second_person(named.group(0))
    return person or "they"


def feared_in(cue: str) -> str:
    """Who may be feared, as a danger cue names them ("he", "your dad"); "" when it names no one."""
    named = _NAMED.search(cue)
    pronoun = _PRONOUN.search(cue)
    if named and (pronoun is None or named.start() < pronoun.start()):
        return second_person(named.group(0))
    if pronoun is None:
        return ""
    return _AS_SUBJECT.get(pronoun.group(0), pronoun.group(0))
