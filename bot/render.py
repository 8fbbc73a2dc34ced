"""What the bot shows, as Discord messages: pure functions from the domain's results to
`Outgoing` values (content and embeds). Nothing here sends, logs or touches the network.

The order follows the terminal's (cli/render.py): a safety answer is its message and its lines,
nothing else; a `safety_check` question and its lines come first; then what happened, what I
noticed, their side, the phrasings, the line they could say back. Every message keeps within
Discord's limits (below); a long answer is split across several messages at a paragraph,
sentence or word boundary, and nothing is dropped. Words that come from the person's story
(summaries and phrasings quote it) are markdown-escaped so they show as typed. Mentions are
not escaped here: the sender disables them (`bot/sending.py`, `AllowedMentions.none()`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import discord
from discord.utils import escape_markdown

from coaching.history.overview import HistoryOverview
from coaching.messages import DISCLAIMER, WRITER_MEANINGS
from coaching.models import Assessment, Classification, PatternHit, Reply, Resource
from coaching.phrasing.templates import WORDS, partner_prompt
from coaching.taxonomy import (
    MOMENT_NAMES,
    PATTERN_MEANINGS,
    PATTERN_NAMES,
    Moment,
    PatternId,
    Safety,
    Style,
)

# Discord's limits (https://discord.com/developers/docs/resources/message, "Embed Limits").
CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBEDS_TOTAL_MAX = 6000  # title, description, field names and values, footer, author: summed
EMBEDS_PER_MESSAGE = 10

_STYLE_NAMES = {Style.GENTLE: "Gentle", Style.DIRECT: "Direct", Style.NVC: "NVC"}
_OUTCOME_NAMES = {"went_well": "went well", "still_hard": "still hard", "not_yet": "not yet"}
_CONTINUED = " (continued)"
_PAGE_SIZE = 5  # entries per /patterns page: three pages, patterns on two, moments on one
_HISTORY_WEEKS = 12  # the latest weeks /history lists (the chart shows them all)
_HISTORY_RECENT = 5  # the latest reports /history lists
# /history's description, so that it and three full fields stay within the 6,000 of a message.
_HISTORY_DESCRIPTION = 2400

_SAFETY_COLOUR = discord.Colour(0xC0392B)
_CHECK_COLOUR = discord.Colour(0xE67E22)
_COACH_COLOUR = discord.Colour(0x5B8DB8)
_QUIET_COLOUR = discord.Colour(0x95A5A6)


@dataclass(frozen=True)
class Outgoing:
    """One Discord message: its text and embeds, each within Discord's limits."""

    content: str = ""
    embeds: tuple[discord.Embed, ...] = ()


@dataclass(frozen=True, slots=True)
class _Section:
    """A titled part of an answer: paragraphs (markdown, already escaped where they hold the
    person's words) that become one embed, or several when they do not fit in one."""

    title: str
    paragraphs: tuple[str, ...]
    colour: discord.Colour = _COACH_COLOUR
    fields: tuple[tuple[str, str], ...] = field(default=())


# --- sizes and splitting ------------------------------------------------------------------


def _size(text: str) -> int:
    """Characters as Discord may count them: UTF-16 code units, so an emoji outside the basic
    plane counts twice. Never less than `len`, so a text that fits here fits there."""
    # Encoded in C: counting per character in Python was 1.5% of the bot's loop under load.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _fit(text: str, limit: int) -> int:
    """The longest prefix of `text`, in characters, whose size is within `limit`."""
    if _size(text) <= limit:
        return len(text)
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*\s+")
_SPACE = re.compile(r"\s+")


def _cut(window: str) -> int:
    """Where to end a piece that must stop within `window`: after its last paragraph break,
    else its last line break, sentence end or space (each only when it keeps at least a third
    of the window, so pieces stay full); a word longer than the whole window is cut at the end,
    never between a markdown escape's backslash and the character it escapes."""
    floor = len(window) // 3
    for pattern in ("\n\n", "\n"):
        at = window.rfind(pattern)
        if at >= floor:
            return at
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() >= floor]
    if ends:
        return ends[-1]
    spaces = [m.start() for m in _SPACE.finditer(window) if m.start() > 0]
    if spaces:
        return spaces[-1]
    cut = len(window)
    while cut > 1 and window[cut - 1] == "\\":
        cut -= 1
    return cut


def split_text(text: str, limit: int = CONTENT_MAX) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at paragraph, then line, sentence
    and word boundaries; only the whitespace at a cut is left out. A single word longer than
    `limit` is the one thing cut inside a word. "" gives []."""
    if limit < 2:
        raise ValueError("limit must be at least 2")
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        if _size(rest) <= limit:
            pieces.append(rest)
            break
        window = rest[: _fit(rest, limit)]
        # A cut right before whitespace loses only that whitespace; the window may end there.
        if rest[len(window)].isspace():
            cut = len(window)
        else:
            cut = _cut(window)
        piece = rest[:cut].rstrip()
        if not piece:  # only whitespace before the cut: take the hard cut instead
            cut = len(window)
            piece = rest[:cut]
        pieces.append(piece)
        rest = rest[cut:].lstrip()
    return pieces


def _clip(text: str, limit: int) -> str:
    """Our own short texts (titles, footers) against a limit they never reach in practice; a
    guard, not a way to shorten what the person should read."""
    if _size(text) <= limit:
        return text
    return text[: _fit(text, limit - 1)].rstrip() + "…"


def _embed_size(embed: discord.Embed) -> int:
    total = _size(embed.title or "") + _size(embed.description or "")
    total += _size(embed.footer.text or "") + _size(embed.author.name or "")
    for item in embed.fields:
        total += _size(item.name or "") + _size(item.value or "")
    return total


# --- packing sections into embeds and embeds into messages --------------------------------


def _embeds(section: _Section) -> list[discord.Embed]:
    """One section as embeds: its paragraphs joined while they fit in a description (a longer
    paragraph split), its fields 25 to an embed, the title marked as continued after the first."""
    pieces: list[str] = []
    for paragraph in section.paragraphs:
        pieces += split_text(paragraph, DESCRIPTION_MAX)
    descriptions: list[str] = []
    for piece in pieces:
        if descriptions and _size(descriptions[-1]) + 2 + _size(piece) <= DESCRIPTION_MAX:
            descriptions[-1] += "\n\n" + piece
        else:
            descriptions.append(piece)
    fields = list(section.fields)
    embeds: list[discord.Embed] = []
    while descriptions or fields or not embeds:
        title = section.title + (_CONTINUED if embeds else "")
        embed = discord.Embed(
            title=_clip(title, TITLE_MAX),
            description=descriptions.pop(0) if descriptions else None,
            colour=section.colour,
        )
        # Fields only once the text is out, so the section reads in order.
        if not descriptions:
            budget = EMBEDS_TOTAL_MAX - 600 - _embed_size(embed)  # room for a footer
            while fields and len(embed.fields) < FIELDS_MAX:
                name, value = fields[0]
                cost = _size(name) + _size(value)
                # Over budget: next embed, unless this one is empty (a field always fits there).
                if cost > budget and (embed.fields or embed.description):
                    break
                embed.add_field(name=name, value=value, inline=False)
                budget -= cost
                fields.pop(0)
        embeds.append(embed)
    return embeds


def _field_pairs(name: str, value: str) -> list[tuple[str, str]]:
    """A field, or several when its value is longer than a field holds (name continued)."""
    values = split_text(value, FIELD_VALUE_MAX) or ["—"]
    name = _clip(name, FIELD_NAME_MAX - len(_CONTINUED))
    return [(name + (_CONTINUED if n else ""), part) for n, part in enumerate(values)]


def _messages(embeds: Sequence[discord.Embed], footer: str = "") -> list[Outgoing]:
    """Embeds in order, as few messages as Discord allows: at most ten to a message and 6,000
    characters between them. `footer` goes on the last embed."""
    if footer and embeds:
        embeds[-1].set_footer(text=_clip(footer, FOOTER_MAX))
    messages: list[list[discord.Embed]] = []
    used = 0
    for embed in embeds:
        size = _embed_size(embed)
        if (
            not messages
            or len(messages[-1]) >= EMBEDS_PER_MESSAGE
            or used + size > EMBEDS_TOTAL_MAX
        ):
            messages.append([])
            used = 0
        messages[-1].append(embed)
        used += size
    return [Outgoing(embeds=tuple(group)) for group in messages]


def _outgoing(sections: Iterable[_Section], footer: str = "") -> list[Outgoing]:
    embeds = [embed for section in sections for embed in _embeds(section)]
    return _messages(embeds, footer)


# --- words ---------------------------------------------------------------------------------


def _said(text: str) -> str:
    """The person's words (or words quoting them), shown as typed."""
    return escape_markdown(text)


def _quoted(text: str) -> str:
    return f"“{_said(text)}”"


def _resource_line(resource: Resource) -> str:
    return f"• **{_said(resource.name)}** ({_said(resource.region)}): {_said(resource.contact)}"


def _resources(resources: Sequence[Resource]) -> str:
    return "\n".join(_resource_line(resource) for resource in resources)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pattern_line(hit: PatternHit, role: str | None) -> str:
    """A pattern named kindly, with its plain meaning as the person lived it: what was done to
    them, what they did (`caused`, or their part in `both`), and whose part in a `both` story."""
    name = f"**{PATTERN_NAMES[hit.id]}**"
    mine = hit.by == "writer" if role == "both" else role == "caused"
    meaning = WRITER_MEANINGS[hit.id] if mine else PATTERN_MEANINGS[hit.id]
    whose = ""
    if role == "both":
        whose = " (your part)" if mine else " (their part)"
    return f"{name}{whose}: {meaning}."


def _footer(answer: Assessment) -> str:
    if answer.report_id:
        return f"{DISCLAIMER} · Report {answer.report_id}"
    return DISCLAIMER


def _fallback(answer: Assessment) -> str:
    if not answer.fallback_reason:
        return ""
    return (
        f"*The language model was unavailable ({_said(answer.fallback_reason)}), so this "
        "answer comes from the built-in coach.*"
    )


# --- the answer ----------------------------------------------------------------------------


def render_answer(answer: Assessment | Reply) -> list[Outgoing]:
    """The answer as messages to send in order (one in the usual case). A conversation's reply
    is plain text."""
    if isinstance(answer, Reply):
        return [Outgoing(content=piece) for piece in split_text(_said(answer.text))] or [
            Outgoing(content="…")
        ]
    if answer.safety is not Safety.NONE:
        sections = _safety_sections(answer)
    else:
        sections = _coaching_sections(answer)
    if answer.notice:
        # The bot's own words (its commands may be formatted), so not escaped.
        sections.append(_Section("Your record", (answer.notice,), _QUIET_COLOUR))
    return _outgoing(sections, _footer(answer))


def _safety_sections(answer: Assessment) -> list[_Section]:
    """Crisis or abuse: the message and the lines, and the other worry's question when there is
    one. No coaching at all."""
    paragraphs = [_said(answer.summary)]
    if answer.safety_check:
        paragraphs.append(_said(answer.safety_check))
    if answer.resources:
        paragraphs.append(_resources(answer.resources))
    fallback = _fallback(answer)
    if fallback:
        paragraphs.append(fallback)
    return [_Section("Please reach a person who can help", tuple(paragraphs), _SAFETY_COLOUR)]


def _coaching_sections(answer: Assessment) -> list[_Section]:
    sections: list[_Section] = []
    if answer.safety_check:
        question = [_said(answer.safety_check)]
        if answer.resources:
            question.append(_resources(answer.resources))
        sections.append(_Section("First, a question", tuple(question), _CHECK_COLOUR))
    if not answer.language_supported:
        paragraphs = [_said(answer.summary), DISCLAIMER]
        if answer.resources and not answer.safety_check:
            paragraphs.append(_resources(answer.resources))
        return [*sections, _Section("What happened", tuple(paragraphs), _QUIET_COLOUR)]
    sections.append(_Section("What happened", (_said(answer.summary),)))
    if answer.rupture and answer.patterns:
        lines = "\n".join(_pattern_line(hit, answer.writer_role) for hit in answer.patterns)
        sections.append(_Section("What I noticed", (lines,)))
    if answer.perspective:
        sections.append(_Section("Their side, maybe", (_said(answer.perspective),)))
    if answer.phrasings:
        sections.append(_phrasings(answer))
    if answer.partner_prompt:
        sections.append(_Section("A line they could say back", (_quoted(answer.partner_prompt),)))
    fallback = _fallback(answer)
    if fallback:
        sections.append(_Section("About this answer", (fallback,), _QUIET_COLOUR))
    return sections


def _phrasings(answer: Assessment) -> _Section:
    """Labelled by style. One more phrasing than styles: the first speaks to the pattern that
    keeps coming back (coaching/service.py), the others to this moment. A writer who caused the
    hurt gets repair attempts (README: "What an answer looks like")."""
    pattern_level = len(answer.phrasings) > len(Style)
    paragraphs: list[str] = []
    for n, phrasing in enumerate(answer.phrasings):
        label = _STYLE_NAMES[phrasing.style]
        if pattern_level and n == 0:
            label = f"About the pattern ({label})"
        paragraphs.append(f"**{label}**\n{_quoted(phrasing.text)}")
    if answer.writer_role == "caused":
        title = "Ways to start the repair"
        paragraphs.insert(
            0, "Name the moment and what you did, own it without a “but”, and invite them in:"
        )
    else:
        title = "Things you could say"
    return _Section(title, tuple(paragraphs))


# --- "Why this?" ---------------------------------------------------------------------------

_ROLES: dict[str | None, str] = {
    "hurt": "You were the one hurt: I looked at what they said or did.",
    "caused": "You described hurting them and wanting to make it right: I looked at what you did.",
    "both": "It sounds like each of you hurt the other: I looked at both parts.",
    None: "I didn't find a moment where one of you hurt the other.",
}
_CLASSIFIERS = {
    "offline": "the built-in coach (it runs here; nothing was sent anywhere)",
    "llm": "the language model",
}


def render_why(answer: Assessment) -> list[Outgoing]:
    """What the answer rests on: each pattern with the words from the story that show it, the
    moment, who hurt whom, and which classifier answered."""
    paragraphs: list[str] = []
    if answer.safety is not Safety.NONE:
        paragraphs.append(
            "Safety comes first: the story was screened before anything else, and what it "
            "describes called for people who can help rather than a script."
        )
    fields: list[tuple[str, str]] = []
    for hit in answer.patterns:
        name = PATTERN_NAMES[hit.id]
        if answer.writer_role == "both":
            name += " (your part)" if hit.by == "writer" else " (their part)"
        words = _quoted(hit.evidence) if hit.evidence else "(no single phrase)"
        fields += _field_pairs(name, f"The words: {words}")
    if answer.safety is Safety.NONE:
        moment = answer.moment
        paragraphs.append(
            f"**When:** {MOMENT_NAMES[moment]}."
            if moment is not None
            else "**When:** not clear from the story."
        )
        paragraphs.append(f"**Who:** {_ROLES.get(answer.writer_role, _ROLES[None])}")
    answered = f"**Answered by:** {_CLASSIFIERS.get(answer.classifier, answer.classifier)}."
    fallback = _fallback(answer)
    paragraphs.append(f"{answered} {fallback}".strip())
    section = _Section("Why this?", tuple(paragraphs), _QUIET_COLOUR, tuple(fields))
    return _outgoing([section], _footer(answer))


# --- /patterns, /resources, /history --------------------------------------------------------


def _pattern_entry(pattern: PatternId) -> tuple[str, str]:
    words = WORDS[pattern]
    value = (
        f"{_sentence(PATTERN_MEANINGS[pattern])}.\n"
        f"Something you could say: “I need {words.need}. Could you {words.request}?”"
    )
    return PATTERN_NAMES[pattern], value


def _moment_entry(moment: Moment) -> tuple[str, str]:
    line = partner_prompt(Classification(rupture=True, moment=moment, writer_role="hurt"))
    return _sentence(MOMENT_NAMES[moment]), f"What the other person could say: “{line}”"


def patterns_pages() -> list[discord.Embed]:
    """The ten patterns and the five moments, five to a page, in the product's own words
    (coaching/taxonomy.py and the phrasing templates): what each means, what may be needed, and
    something to ask for or say."""
    entries = [("pattern", *_pattern_entry(p)) for p in PatternId]
    entries += [("moment", *_moment_entry(m)) for m in Moment]
    chunks = [entries[n : n + _PAGE_SIZE] for n in range(0, len(entries), _PAGE_SIZE)]
    pages: list[discord.Embed] = []
    for number, chunk in enumerate(chunks, start=1):
        kind = chunk[0][0]
        embed = discord.Embed(
            title="What can go wrong" if kind == "pattern" else "When it tends to happen",
            description=(
                "The patterns I look for: what the other person's response did."
                if kind == "pattern"
                else "The moments these misses tend to fall in."
            ),
            colour=_COACH_COLOUR,
        )
        for _, name, value in chunk:
            for pair in _field_pairs(name, value):
                embed.add_field(name=pair[0], value=pair[1], inline=False)
        embed.set_footer(text=f"Page {number}/{len(chunks)} · {DISCLAIMER}")
        pages.append(embed)
    return pages


def resources_outgoing(resources: list[Resource], intro: str) -> Outgoing:
    """/resources: the intro, then one line per resource, in one message."""
    section = _Section("People you can reach", (intro, _resources(resources)), _SAFETY_COLOUR)
    messages = _outgoing([section], DISCLAIMER)
    embeds = tuple(embed for message in messages for embed in message.embeds)
    if len(messages) > 1:
        # Far beyond any list of lines we ship; keep within one message rather than fail.
        embeds = embeds[:EMBEDS_PER_MESSAGE]
        while sum(_embed_size(e) for e in embeds) > EMBEDS_TOTAL_MAX:
            embeds = embeds[:-1]
    return Outgoing(embeds=embeds)


def _names(patterns: Iterable[PatternId]) -> str:
    return ", ".join(PATTERN_NAMES[p] for p in patterns)


def history_outgoing(overview: HistoryOverview) -> Outgoing:
    """/history: reports over time, patterns per ISO week (the latest weeks; the chart has them
    all), the recurring patterns, and how the check-ins after each pattern went."""
    if not overview.reports:
        return Outgoing(
            content="Nothing here yet. When you tell me about a moment that hurt, I'll keep a "
            "private record of it, and this is where you'll see patterns over time."
        )
    first, last = overview.reports[0].at, overview.reports[-1].at
    count = overview.total
    description = [
        f"{count} report{'s' if count != 1 else ''} between <t:{int(first.timestamp())}:D> "
        f"and <t:{int(last.timestamp())}:D>."
    ]
    # Latest first, as many weeks as fit beside the fields (the chart has them all).
    lines: list[str] = []
    used = _size(description[0])
    for week in reversed(overview.weeks[-_HISTORY_WEEKS:]):
        counts = ", ".join(f"{PATTERN_NAMES[p]} ×{n}" for p, n in week.patterns.items())
        plural = "s" if week.reports != 1 else ""
        line = f"`{week.week}` {week.reports} report{plural}: {counts or 'no pattern'}"
        if used + _size(line) + 1 > _HISTORY_DESCRIPTION:
            break
        lines.append(line)
        used += _size(line) + 1
    earlier = len(overview.weeks) - len(lines)
    if earlier:
        lines.append(f"…and {earlier} earlier week{'s' if earlier != 1 else ''}.")
    description.append("**Patterns per week**, latest first:\n" + "\n".join(lines))
    embed = discord.Embed(
        title="Your history",
        description=_clip("\n\n".join(description), DESCRIPTION_MAX),
        colour=_COACH_COLOUR,
    )
    recurring = _names(overview.recurring) or "none"
    embed.add_field(
        name=f"Recurring in the last {overview.window_days} days",
        value=_clip(recurring, FIELD_VALUE_MAX),
        inline=False,
    )
    recent = []
    for report in overview.reports[-_HISTORY_RECENT:][::-1]:
        seen = _names(dict.fromkeys(s.pattern for s in report.patterns)) or "no pattern"
        if report.safety is not Safety.NONE:
            seen = "a safety answer"
        rated = f" · {report.rating.replace('_', ' ')}" if report.rating else ""
        recent.append(f"<t:{int(report.at.timestamp())}:d> {seen}{rated}")
    embed.add_field(
        name="Latest reports", value=_clip("\n".join(recent), FIELD_VALUE_MAX), inline=False
    )
    if overview.outcomes:
        outcomes = []
        for pattern, outcome_counts in overview.outcomes.items():
            said = ", ".join(f"{_OUTCOME_NAMES.get(k, k)} ×{n}" for k, n in outcome_counts.items())
            outcomes.append(f"{PATTERN_NAMES[pattern]}: {said}")
        embed.add_field(
            name="After the check-ins",
            value=_clip("\n".join(outcomes), FIELD_VALUE_MAX),
            inline=False,
        )
    embed.set_footer(text="See everything stored with /export; delete it with /forget.")
    return Outgoing(embeds=(embed,))
