"""Reads a story into clauses and says who acts in each.

Patterns live in what the *other* person said or did, and safety lives in what the writer says
about their own state, so every later rule asks a clause "who did this?" before it asks "what
was done?". This is deliberately shallow (no parser): subject words at the head of a clause,
who is speaking a quote, and the clause before it when the subject is left out ("he hugged me
and changed the subject").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from coaching.reading.normalize import normalize
from coaching.reading.sentences import sentences as sentences  # re-exported: safety, training


class Actor(StrEnum):
    SELF = "self"
    OTHER = "other"
    BOTH = "both"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause: `raw` as the person wrote it (for evidence), `norm` for matching."""

    raw: str
    norm: str
    actor: Actor
    quoted: bool = False
    sentence: int = 0


# People the writer talks about. A clause headed by one of these is the other person acting.
PEOPLE = (
    r"husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|spouse|ex|bf|gf|mom|mother|dad|father|"
    r"parents?|mum|sister|brother|sibling|son|daughter|friend|best friend|bestie|roommate|"
    r"flatmate|housemate|boss|manager|supervisor|co-?worker|colleague|teammate|doctor|therapist|"
    r"counsel+or|nurse|teacher|professor|coach|aunt|uncle|cousin|grandma|grandpa|grandmother|"
    r"grandfather|in-?laws?|mother-in-law|father-in-law|stepmom|stepdad|stepmother|stepfather|"
    r"neighbou?r|pastor|mentor|date|man|woman|guy|lady|other half|so|family"
)
_OTHER_HEAD = re.compile(
    r"^(?:and |but |so |then |just |only |even |also |still |instead |literally |basically |"
    r"honestly |(?:and|but) then |after that |later |afterwards )*"
    r"(?:he|she|they|he's|she's|they're|he'd|she'd|they'd|he'll|she'll|they'll|his|her|their|"
    r"(?:my|our|the|his|her|their) (?:[a-z-]+ )?(?:" + PEOPLE + r")s?|"
    r"(?:all|the only thing) (?:i|we) got (?:back )?(?:was|is)|i got|i got back|"
    r"(?:the|his|her|their) (?:answer|reply|response|text|message|reaction) (?:was|is))\b"
)
_SELF_HEAD = re.compile(
    r"^(?:and |but |so |then |just |only |even |also |still |honestly |literally |"
    r"(?:and|but) then |after that |later )*(?:i|i'm|i've|i'd|i'll|me|my (?:own )?"
    r"(?:feelings?|heart|voice|point|words))\b"
)
_BOTH_HEAD = re.compile(r"^(?:and |but |so |then )*(?:we|we're|we've|we'd|both of us|us)\b")
# A named person heading a clause ("Jess sent me...", "Mark just shrugged").
_NAME_HEAD = re.compile(
    r"^(?:and |but |so |then )*([A-Z][a-z]{1,15})\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b"
)
_NOT_NAMES = frozenset(
    {
        "I",
        "And",
        "But",
        "So",
        "Then",
        "When",
        "After",
        "Before",
        "Today",
        "Yesterday",
        "Last",
        "This",
        "That",
        "It",
        "The",
        "A",
        "An",
        "My",
        "We",
        "He",
        "She",
        "They",
        "Now",
        "Later",
        "Also",
        "Just",
        "Even",
        "Every",
        "Each",
        "Still",
        "Because",
        "Since",
        "Once",
        "While",
        "Honestly",
        "Basically",
        "Literally",
        "Anyway",
        "Sometimes",
        "Tonight",
        "Everyone",
        "Nobody",
        "Somebody",
        "Someone",
        "Nothing",
        "Everything",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Mom",
        "Dad",
        "God",
        "Ok",
        "Okay",
        "Yes",
        "No",
    }
)

# Clause joints. Commas alone are too weak (lists), so only commas before a subject or a joint.
_CLAUSE_SPLIT = re.compile(
    r",?\s+(?:and then|and(?!\s+i\s+(?:are|were|have|had|both|used|argued|fought|talked)\b)|but|so|"
    r"then|because|while|until|after which|whereupon)\s+(?=(?:i|he|she|"
    r"they|we|his|her|my|our|their|all i|the only|just|instead|went|said|told|laughed|changed|"
    r"started|kept|walked|left|turned|picked|asked|made|sent|bought|gave|got|rolled|sighed|"
    r"looked|shrugged|hugged|kissed|patted|grabbed|scrolled|went)\b)"
    r"|\s*[;:]\s+|\s+-\s+|,\s+(?=(?:he|she|they|i|we)\b)",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"\"([^\"]{2,400})\"|(?<![a-z])'([^']{4,300})'(?![a-z])", re.IGNORECASE)
_SPEECH_VERB = (
    r"said|says|say|told|tells|asked|asks|goes|went|replied|replies|answered|answers|texted|"
    r"texts|wrote|writes|messaged|snapped|yelled|shouted|muttered|laughed|joked|sighed|"
    r"added|responded|responds|was like|is like|just said|just goes|cut in|interrupted"
)
_SUBJECT = r"i|he|she|they|we|(?:my|our|his|her|their|the) (?:[a-z-]+ )?(?:" + PEOPLE + r")s?"
_SPEAKER = re.compile(
    r"\b(" + _SUBJECT + r")\s+(?:(?:just|then|only|finally|even|literally|basically|"
    r"immediately|quickly|simply|quietly|already|kind of|sort of)\s+)?(?:" + _SPEECH_VERB + r")\b"
)
_SUBJECT_RE = re.compile(r"\b(" + _SUBJECT + r")\b")
_SELF_AFTER = re.compile(r"^[,\s]*(?:i|i've)\s+(?:said|told|asked|wrote|texted)\b")


def _actor_of(subject: str) -> Actor:
    if subject == "i":
        return Actor.SELF
    if subject == "we":
        return Actor.BOTH
    return Actor.OTHER


# Leading time or place phrases ("In January", "last night,", "when we got home") hide the subject.
_LEAD_IN = re.compile(
    r"^(?:(?:in|on|at|after|before|during|over|last|this|that|yesterday|today|tonight|earlier|"
    r"later|then|so|and|but|one|a|the|few|couple|of|few|weeks?|days?|months?|years?|night|"
    r"morning|evening|afternoon|weekend|ago|[a-z]+day|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|\d+)\s*,?\s+){1,5}(?=(?:i|he|she|they|we|my)\b)"
)


def _head_actor(raw: str, norm: str) -> Actor:
    head = norm.lstrip(" \"'(-*")
    head = _LEAD_IN.sub("", head, count=1)
    if _OTHER_HEAD.match(head):
        return Actor.OTHER
    if _SELF_HEAD.match(head):
        return Actor.SELF
    if _BOTH_HEAD.match(head):
        return Actor.BOTH
    m = _NAME_HEAD.match(raw.lstrip(" \"'(-*"))
    if m and m.group(1) not in _NOT_NAMES:
        return Actor.OTHER
    return Actor.UNKNOWN


def _quote_speaker(before: str, after: str) -> Actor:
    """The subject of the last speech verb right before the quote ("I told mom and she said")."""
    before_n = normalize(before)[-80:]
    speakers = list(_SPEAKER.finditer(before_n))
    if speakers and len(before_n) - speakers[-1].end() <= 30:
        return _actor_of(speakers[-1].group(1))
    if _SELF_AFTER.match(normalize(after)):
        return Actor.SELF
    # An unattributed quote in a story about someone else's reply is, far more often, theirs.
    return Actor.OTHER


def actor_at(clause: Clause, pos: int) -> Actor:
    """Who does what stands at `pos` of `clause.norm`.

    Inside a quote it is the speaker. In narration it is the subject of a speech verb when the
    words are reported ("he told me I was overreacting": his words, not mine), otherwise the
    nearest subject before it ("I started telling her and she pulled out a worksheet").
    """
    if clause.quoted:
        return clause.actor
    before = clause.norm[:pos]
    speech = _SPEAKER.search(before)
    if speech:
        return _actor_of(speech.group(1))
    subjects = _SUBJECT_RE.findall(before)
    if subjects:
        return _actor_of(subjects[-1])
    return clause.actor


def read_story(text: str) -> list[Clause]:
    """Clauses in order. Quotes become their own clauses, attributed to their speaker."""
    clauses: list[Clause] = []
    for index, sentence in enumerate(sentences(text)):
        clauses.extend(_read_sentence(sentence, index))
    return clauses


def _read_sentence(sentence: str, index: int) -> list[Clause]:
    out: list[Clause] = []
    last_actor = Actor.UNKNOWN
    cursor = 0
    for match in _QUOTE.finditer(sentence):
        before = sentence[cursor : match.start()]
        for clause in _plain_clauses(before, index, last_actor):
            out.append(clause)
            last_actor = clause.actor
        quote = match.group(1) or match.group(2) or ""
        speaker = _quote_speaker(sentence[: match.start()], sentence[match.end() :])
        out.append(Clause(quote.strip(), normalize(quote), speaker, quoted=True, sentence=index))
        cursor = match.end()
    for clause in _plain_clauses(sentence[cursor:], index, last_actor):
        out.append(clause)
    return out


def _pieces(part: str) -> list[str]:
    """Clause pieces as written. A head of three words or fewer is a subject ("My sister and I
    were arguing"), not a clause, so it stays joined to what follows, in its own words."""
    spans: list[tuple[int, int]] = []
    start = 0
    for joint in _CLAUSE_SPLIT.finditer(part):
        spans.append((start, joint.start()))
        start = joint.end()
    spans.append((start, len(part)))
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and len(part[merged[-1][0] : merged[-1][1]].split()) <= 3:
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return [part[x:y] for x, y in merged]


def _plain_clauses(part: str, index: int, inherited: Actor) -> list[Clause]:
    out: list[Clause] = []
    actor = inherited
    for piece in _pieces(part):
        piece = piece.strip(" ,.!?\"'")
        if len(piece) < 2:
            continue
        norm = normalize(piece)
        head = _head_actor(piece, norm)
        if head is not Actor.UNKNOWN:
            actor = head
        out.append(Clause(piece, norm, actor, sentence=index))
    return out


def split_voices(
    text: str, *, unknown_is_other: bool = False, clauses: list[Clause] | None = None
) -> tuple[str, str]:
    """(what the other person said and did, what the writer said and did), normalised."""
    other: list[str] = []
    writer: list[str] = []
    for clause in clauses if clauses is not None else read_story(text):
        is_other = clause.actor is Actor.OTHER or (
            unknown_is_other and clause.actor is Actor.UNKNOWN
        )
        (other if is_other else writer).append(clause.norm)
    return " . ".join(other), " . ".join(writer)
