"""The Discord presentation layer (bot/render.py) and the shared history overview
(coaching/history/overview.py): real answers from the offline coach, and synthetic huge ones,
checked against every Discord limit; nothing lost, the person's words shown as typed, a safety
answer with no coaching anywhere."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.render import (
    Outgoing,
    history_outgoing,
    patterns_pages,
    render_answer,
    render_why,
    resources_outgoing,
    split_text,
)
from coaching.history.overview import OUTCOME_NAMES, HistoryOverview, history_overview
from coaching.history.records import PatternSeen, Report
from coaching.messages import DISCLAIMER
from coaching.models import Assessment, PatternHit, Phrasing, Reply, Resource
from coaching.service import CoachService
from coaching.taxonomy import (
    MOMENT_NAMES,
    PATTERN_MEANINGS,
    PATTERN_NAMES,
    Moment,
    PatternId,
    Safety,
    Style,
)

HURT = (
    "I told my wife I've been feeling invisible at work since the reorg, and she said \"at "
    'least you still have a job, half my team got cut" and changed the subject to dinner.'
)
CAUSED = (
    "My husband told me his biopsy came back unclear and they want more scans. I went straight "
    "into planning mode: second opinions, a diet, a list of questions for the doctor. He went "
    "quiet and said he was tired. I think I made it about fixing instead of just being with "
    "him. How do I make this right?"
)
BOTH = (
    "We had a fight about money. I told him he was overreacting and he said I always make "
    "everything about me, then he walked out."
)
CRISIS = "I can't go on like this. I want to die and I've written the note."
CHECK = "I told my husband I can't keep going like this and he said we'd talk after the match."
MARKDOWN = (
    "I told my partner I was scared about the scan and she laughed and said **get over it** "
    "@everyone ||lol|| `rm -rf` [click](http://example.com)"
)
FRENCH = "Je lui ai dit que j'étais triste et il a ri de moi."

REPORT_ID = "0123456789abcdef0123456789abcdef"


# --- helpers ---------------------------------------------------------------------------------


def utf16(text: str | None) -> int:
    return len((text or "").encode("utf-16-le")) // 2


def assert_within_limits(messages: list[Outgoing]) -> None:
    """Every limit Discord puts on a message, in characters and in UTF-16 code units."""
    assert messages, "nothing to send"
    for message in messages:
        assert message.content or message.embeds, "an empty message"
        assert utf16(message.content) <= 2000
        assert len(message.embeds) <= 10
        total = 0
        for embed in message.embeds:
            assert utf16(embed.title) <= 256
            assert utf16(embed.description) <= 4096
            assert len(embed.fields) <= 25
            for item in embed.fields:
                assert item.name and item.value  # Discord refuses empty ones
                assert utf16(item.name) <= 256
                assert utf16(item.value) <= 1024
            assert utf16(embed.footer.text) <= 2048
            assert utf16(embed.author.name) <= 256
            size = sum(
                utf16(t)
                for t in (embed.title, embed.description, embed.footer.text, embed.author.name)
            )
            size += sum(utf16(f.name) + utf16(f.value) for f in embed.fields)
            assert len(embed) <= size  # discord.py's own count agrees (it counts code points)
            total += size
            embed.to_dict()  # serialisable as Discord expects
        assert total <= 6000


def every_text(messages: list[Outgoing]) -> str:
    parts: list[str] = []
    for message in messages:
        parts.append(message.content)
        for embed in message.embeds:
            parts += [embed.title or "", embed.description or "", embed.footer.text or ""]
            parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def body(messages: list[Outgoing]) -> str:
    """What the person reads below the titles, in order, whitespace folded (a split leaves out
    only the whitespace at the cut)."""
    parts: list[str] = []
    for message in messages:
        parts.append(message.content)
        for embed in message.embeds:
            parts.append(embed.description or "")
            parts += [f.value or "" for f in embed.fields]
    return fold(" ".join(parts))


def fold(text: str) -> str:
    return " ".join(text.split())


def shown(text: str) -> str:
    """The person's words as the embed holds them: escaped, whitespace folded."""
    return fold(discord.utils.escape_markdown(text))


def titles(messages: list[Outgoing]) -> list[str]:
    return [e.title or "" for m in messages for e in m.embeds]


def embeds(messages: list[Outgoing]) -> list[discord.Embed]:
    return [e for m in messages for e in m.embeds]


async def coached(service: CoachService, text: str) -> Assessment:
    answer = await service.coach("u", text)
    assert isinstance(answer, Assessment)
    return answer


# --- real answers ----------------------------------------------------------------------------


async def test_a_hurt_story_reads_in_the_terminals_order(service: CoachService) -> None:
    answer = await coached(service, HURT)
    assert answer.writer_role == "hurt" and answer.partner_prompt
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert len(messages) == 1
    assert titles(messages) == [
        "What happened",
        "What I noticed",
        "Their side, maybe",
        "Things you could say",
        "A line they could say back",
    ]
    text = every_text(messages)
    top = answer.patterns[0].id
    assert f"**{PATTERN_NAMES[top]}**: {PATTERN_MEANINGS[top]}." in text
    for style in ("**Gentle**", "**Direct**", "**NVC**"):
        assert style in text
    for phrasing in answer.phrasings:
        assert shown(phrasing.text) in body(messages)
    assert shown(answer.partner_prompt) in body(messages)
    assert embeds(messages)[-1].footer.text == DISCLAIMER
    assert "First, a question" not in text


async def test_a_caused_story_gets_repair_attempts_and_no_line_back(
    service: CoachService,
) -> None:
    answer = await coached(service, CAUSED)
    assert answer.writer_role == "caused"
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert "Ways to start the repair" in titles(messages)
    assert "Things you could say" not in titles(messages)
    assert "A line they could say back" not in titles(messages)
    noticed = next(e for e in embeds(messages) if e.title == "What I noticed")
    # What the writer did, in their terms: not "solutions or advice arrived" (done to them).
    assert "you reached for solutions when listening was needed" in (noticed.description or "")
    assert PATTERN_MEANINGS[PatternId.UNSOLICITED_ADVICE] not in (noticed.description or "")
    for phrasing in answer.phrasings:
        assert shown(phrasing.text) in body(messages)


async def test_a_both_story_says_whose_part_each_pattern_is(service: CoachService) -> None:
    answer = await coached(service, BOTH)
    assert answer.writer_role == "both"
    assert {p.by for p in answer.patterns} == {"writer", "other"}
    messages = render_answer(answer)
    assert_within_limits(messages)
    noticed = next(e for e in embeds(messages) if e.title == "What I noticed")
    for hit in answer.patterns:
        whose = "(your part)" if hit.by == "writer" else "(their part)"
        assert f"**{PATTERN_NAMES[hit.id]}** {whose}" in (noticed.description or "")
    assert "(your part)" not in every_text(render_answer(await coached(service, HURT)))


async def test_a_crisis_answer_is_its_message_and_lines_only(service: CoachService) -> None:
    answer = await coached(service, CRISIS)
    assert answer.safety is Safety.CRISIS and answer.resources
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert titles(messages) == ["Please reach a person who can help"]
    text = every_text(messages)
    assert shown(answer.summary) in body(messages)
    for resource in answer.resources:
        assert discord.utils.escape_markdown(resource.contact) in text


def test_a_safety_answer_shows_no_coaching_even_when_the_answer_carries_some() -> None:
    """Defence in depth: the service never fills these for a safety answer, and if a bug did,
    the bot still shows none of it."""
    answer = _synthetic(
        safety=Safety.ABUSE,
        phrasings=[Phrasing(style=s, text=f"Coaching line {s.value} zebra.") for s in Style],
        partner_prompt="A partner line zebra.",
        perspective="A perspective zebra.",
        patterns=[PatternHit(id=PatternId.MINIMIZING, confidence=0.9, evidence="at least")],
        rupture=True,
    )
    text = every_text(render_answer(answer))
    assert "zebra" not in text
    assert PATTERN_NAMES[PatternId.MINIMIZING] not in text
    assert "Things you could say" not in text


async def test_a_safety_check_comes_first_with_its_lines_then_the_coaching(
    service: CoachService,
) -> None:
    answer = await coached(service, CHECK)
    assert answer.safety is Safety.NONE and answer.safety_check and answer.resources
    messages = render_answer(answer)
    assert_within_limits(messages)
    first = messages[0].embeds[0]
    assert first.title == "First, a question"
    description = first.description or ""
    assert description.startswith(discord.utils.escape_markdown(answer.safety_check))
    for resource in answer.resources:
        assert discord.utils.escape_markdown(resource.name) in description
    assert "Things you could say" in titles(messages)
    assert titles(messages).index("First, a question") < titles(messages).index("What happened")


async def test_the_report_id_notice_and_fallback_are_shown(service: CoachService) -> None:
    answer = (await coached(service, HURT)).model_copy(
        update={
            "report_id": REPORT_ID,
            "notice": "I keep a private record. See it with /history.",
            "fallback_reason": "timeout",
        }
    )
    messages = render_answer(answer)
    assert_within_limits(messages)
    last = embeds(messages)[-1]
    assert last.footer.text is not None and REPORT_ID in last.footer.text
    assert "I keep a private record. See it with /history." in every_text(messages)
    assert "The language model was unavailable (timeout)" in every_text(messages)
    plain = await coached(service, HURT)
    assert "language model" not in every_text(render_answer(plain))
    assert "Report" not in every_text(render_answer(plain))


async def test_an_unreadable_language_gets_the_disclaimer_and_the_lines(
    service: CoachService,
) -> None:
    answer = await coached(service, FRENCH)
    assert not answer.language_supported
    messages = render_answer(answer)
    assert_within_limits(messages)
    description = embeds(messages)[0].description or ""
    assert DISCLAIMER in description
    assert "findahelpline.com" in description
    assert "Things you could say" not in titles(messages)


async def test_the_pattern_level_phrasing_is_marked(service: CoachService) -> None:
    answer = await coached(service, HURT)
    extra = Phrasing(style=Style.DIRECT, text="I've noticed a few times lately that it hurts.")
    answer = answer.model_copy(update={"phrasings": [extra, *answer.phrasings]})
    text = every_text(render_answer(answer))
    assert "**About the pattern (Direct)**\n“I've noticed" in text
    assert text.count("About the pattern") == 1


async def test_markdown_and_mentions_in_the_story_stay_text(service: CoachService) -> None:
    answer = await coached(service, MARKDOWN)
    quoted = " ".join([answer.summary, *(p.text for p in answer.phrasings)])
    assert "**get over it**" in quoted  # the answer does quote the person's markdown
    for messages in (render_answer(answer), render_why(answer)):
        assert_within_limits(messages)
        text = every_text(messages)
        assert "\\*\\*get over it\\*\\*" in text
        assert "**get over it**" not in text
        assert "||lol||" not in text and "\\|\\|lol\\|\\|" in text
        assert "[click](" not in text.replace("\\[click](", "")
        # Mentions stay words here; the sender turns them off (AllowedMentions.none()).
        assert "@everyone" in text


def test_a_reply_is_plain_escaped_content() -> None:
    messages = render_answer(Reply(text="Glad it helped. **Take** your time."))
    assert messages == [Outgoing(content="Glad it helped. \\*\\*Take\\*\\* your time.")]
    long = " ".join(f"Sentence number {n} is here." for n in range(400))
    messages = render_answer(Reply(text=long))
    assert_within_limits(messages)
    assert len(messages) > 1 and all(not m.embeds for m in messages)
    assert fold(" ".join(m.content for m in messages)) == fold(long)


# --- synthetic huge answers --------------------------------------------------------------------


def _synthetic(**update: object) -> Assessment:
    base = Assessment(
        safety=Safety.NONE,
        writer_role="hurt",
        rupture=True,
        moment=Moment.VULNERABILITY_DISMISSED,
        patterns=[],
        phrasings=[],
        partner_prompt="",
        perspective="",
        resources=[],
        classifier="offline",
        summary="",
    )
    return base.model_copy(update=update)


def _story(chars: int) -> str:
    """A long story with markdown, emoji outside the basic plane and paragraph breaks."""
    sentence = "She said **calm down** and went back to her phone 😔 while I was talking. "
    text = ""
    n = 0
    while len(text) < chars:
        n += 1
        text += sentence + ("\n\n" if n % 9 == 0 else "")
    return text[:chars].rstrip()


def test_a_4000_character_story_quoted_everywhere_is_split_and_kept_whole() -> None:
    story = _story(4000)
    assert len(story) == 4000
    patterns = [
        PatternHit(id=pattern, confidence=0.5, evidence=story[n * 100 : n * 100 + 2500])
        for n, pattern in enumerate(list(PatternId) * 3)
    ]
    phrasings = [Phrasing(style=s, text=f"{s.value} {story}") for s in (*Style, Style.GENTLE)]
    answer = _synthetic(
        summary=f"The moment that stands out: {story}",
        perspective=story,
        partner_prompt=story,
        patterns=patterns,
        phrasings=phrasings,
        safety_check=story,
        resources=[Resource(name="Samaritans", contact="116 123", region="UK")],
        report_id=REPORT_ID,
        notice="I keep a private record.",
    )
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert len(messages) > 1
    text = body(messages)
    for phrasing in phrasings:
        assert shown(phrasing.text) in text
    for part in (answer.summary, answer.perspective, answer.partner_prompt, story):
        assert shown(part) in text
    assert messages[0].embeds[0].title == "First, a question"
    assert REPORT_ID in (embeds(messages)[-1].footer.text or "")
    why = render_why(answer)
    assert_within_limits(why)
    for hit in patterns:
        assert shown(hit.evidence) in body(why)
    assert sum(len(m.embeds[0].fields) > 0 for m in why) >= 1


def test_thirty_patterns_and_very_long_phrasings_keep_every_limit() -> None:
    words = " ".join(f"word{n}" for n in range(2500))  # ~17,000 characters, one paragraph
    answer = _synthetic(
        patterns=[
            PatternHit(id=p, confidence=0.1, evidence=f"evidence {n} " * 20)
            for n, p in enumerate(list(PatternId) * 3)
        ],
        phrasings=[Phrasing(style=s, text=f"{s.value}: {words}") for s in Style],
        summary=words,
    )
    messages = render_answer(answer)
    assert_within_limits(messages)
    for phrasing in answer.phrasings:
        assert shown(phrasing.text) in body(messages)
    why = render_why(answer)
    assert_within_limits(why)
    assert sum(len(e.fields) for e in embeds(why)) == 30


def test_forty_short_patterns_take_at_most_25_fields_an_embed() -> None:
    answer = _synthetic(
        patterns=[PatternHit(id=p, confidence=0.1, evidence="he left") for p in list(PatternId) * 4]
    )
    why = render_why(answer)
    assert_within_limits(why)
    assert sum(len(e.fields) for e in embeds(why)) == 40


def test_many_small_embeds_go_ten_to_a_message() -> None:
    """No answer has more than a handful of sections, so the packer is checked directly."""
    from bot.render import _messages

    small = [discord.Embed(title=f"Part {n}", description="Short.") for n in range(23)]
    messages = _messages(small, footer="Footer")
    assert_within_limits(messages)
    assert [len(m.embeds) for m in messages] == [10, 10, 3]
    assert messages[-1].embeds[-1].footer.text == "Footer"


def test_ten_thousand_short_paragraphs_use_every_slot_without_overflow() -> None:
    """Many small embeds: at most ten to a message, 6,000 characters between them."""
    answer = _synthetic(
        phrasings=[Phrasing(style=Style.GENTLE, text="\n\n".join(["Short one."] * 3000))],
        summary="x " * 3000,
    )
    messages = render_answer(answer)
    assert_within_limits(messages)
    assert body(messages).count("Short one.") == 3000


# --- split_text ---------------------------------------------------------------------------------


def test_split_text_keeps_short_text_whole_and_empty_text_empty() -> None:
    assert split_text("Hello there.") == ["Hello there."]
    assert split_text("") == []
    assert split_text("   \n ") == []


def test_split_text_prefers_paragraphs_then_sentences_and_never_cuts_a_word() -> None:
    first = "First paragraph. " * 40
    second = "Second paragraph here. " * 40
    text = f"{first.strip()}\n\n{second.strip()}"
    pieces = split_text(text, 1000)
    assert pieces[0] == first.strip()
    assert all(len(p) <= 1000 for p in pieces)
    assert fold(" ".join(pieces)) == fold(text)
    words = set(text.split())
    for piece in pieces:
        assert set(piece.split()) <= words  # no word was cut in two
    sentences = split_text("One two three. " * 200, 500)
    assert all(p.endswith(".") for p in sentences)


def test_split_text_without_sentences_cuts_at_spaces() -> None:
    text = " ".join(f"w{n}" for n in range(3000))
    pieces = split_text(text, 2000)
    assert all(len(p) <= 2000 for p in pieces)
    assert " ".join(pieces) == text


def test_split_text_cuts_a_giant_word_only_where_it_must_and_keeps_every_character() -> None:
    word = "a" * 4500
    pieces = split_text(word, 2000)
    assert [len(p) for p in pieces] == [2000, 2000, 500]
    assert "".join(pieces) == word


def test_split_text_never_separates_an_escape_from_its_character() -> None:
    escaped = discord.utils.escape_markdown("*" * 3000)  # "\*" pairs, no spaces
    pieces = split_text(escaped, 1999)
    assert "".join(pieces) == escaped
    for piece in pieces:
        assert re.fullmatch(r"(\\\*)+", piece), piece[:10]


def test_split_text_counts_emoji_as_discord_does() -> None:
    text = "😔" * 1500  # 3,000 UTF-16 code units
    pieces = split_text(text, 2000)
    assert all(utf16(p) <= 2000 for p in pieces)
    assert "".join(pieces) == text


# --- "Why this?" ----------------------------------------------------------------------------------


async def test_why_shows_the_evidence_moment_role_and_classifier(service: CoachService) -> None:
    answer = await coached(service, BOTH)
    messages = render_why(answer)
    assert_within_limits(messages)
    text = every_text(messages)
    for hit in answer.patterns:
        assert f"“{discord.utils.escape_markdown(hit.evidence)}”" in text
        assert PATTERN_NAMES[hit.id] in text
    assert answer.moment is not None and MOMENT_NAMES[answer.moment] in text
    assert "each of you hurt the other" in text
    assert "built-in coach" in text
    caused = every_text(render_why(await coached(service, CAUSED)))
    assert "You described hurting them" in caused


async def test_why_for_a_safety_answer_names_no_pattern(service: CoachService) -> None:
    answer = await coached(service, CRISIS)
    messages = render_why(answer)
    assert_within_limits(messages)
    text = every_text(messages)
    assert "Safety comes first" in text
    assert not any(name in text for name in PATTERN_NAMES.values())


# --- /patterns and /resources ----------------------------------------------------------------


def test_patterns_pages_explain_every_pattern_and_moment_within_limits() -> None:
    pages = patterns_pages()
    assert 3 <= len(pages) <= 4
    for number, page in enumerate(pages, start=1):
        assert_within_limits([Outgoing(embeds=(page,))])
        assert 4 <= len(page.fields) <= 5
        assert page.footer.text is not None
        assert page.footer.text.startswith(f"Page {number}/{len(pages)}")
    text = every_text([Outgoing(embeds=tuple(pages))])
    for pattern in PatternId:
        assert PATTERN_NAMES[pattern] in text
        assert PATTERN_MEANINGS[pattern][1:] in text  # its first letter is capitalised
    for moment in Moment:
        assert MOMENT_NAMES[moment][1:] in text
    assert "Could you just listen for a few minutes before we look for solutions?" in text


def test_resources_are_one_message_with_the_intro_and_every_line() -> None:
    resources = [
        Resource(name="988 Suicide & Crisis Lifeline", contact="988", region="US"),
        Resource(name="Samaritans", contact="116 123", region="UK and Ireland"),
        Resource(name="Find_A_Helpline", contact="https://findahelpline.com/a_b", region="*"),
    ]
    message = resources_outgoing(resources, "If you're not safe right now, reach a person.")
    assert_within_limits([message])
    text = every_text([message])
    assert text.index("If you're not safe right now") < text.index("988")
    assert "Find\\_A\\_Helpline" in text  # markdown escaped
    assert "https://findahelpline.com/a_b" in text  # links left intact
    many = [Resource(name=f"Line {n} " * 20, contact="123", region="X") for n in range(200)]
    assert_within_limits([resources_outgoing(many, "Intro.")])


# --- /history and the overview -------------------------------------------------------------------

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def report(n: int, at: datetime, *patterns: PatternId, safety: Safety = Safety.NONE) -> Report:
    return Report(
        report_id=f"r{n}",
        user_id="u",
        at=at,
        safety=safety,
        safety_check_asked=False,
        rupture=bool(patterns),
        writer_role="hurt" if patterns else None,
        moment=None,
        patterns=tuple(PatternSeen(p, 0.5) for p in patterns),
        classifier="offline",
    )


def test_the_overview_counts_weeks_recurring_and_outcomes() -> None:
    d, m = PatternId.DISENGAGEMENT, PatternId.MINIMIZING
    reports = [
        report(1, NOW - timedelta(days=20), d, m),
        report(2, NOW - timedelta(days=10), d),
        report(3, NOW - timedelta(days=9), d, d),
        report(4, NOW - timedelta(days=1), safety=Safety.CRISIS),
    ]
    overview = history_overview(
        reports,
        NOW,
        outcomes={d: {"went_well": 2, "not_yet": 0}, m: {"still_hard": 0}},
    )
    assert overview.total == 4
    assert [w.week for w in overview.weeks] == sorted(w.week for w in overview.weeks)
    assert sum(w.reports for w in overview.weeks) == 4
    assert sum(w.patterns.get(d, 0) for w in overview.weeks) == 3  # once per report
    assert overview.recurring == (d,)
    assert overview.window_days == 30
    assert overview.outcomes == {d: {"went_well": 2}}  # zero counts left out
    assert set(OUTCOME_NAMES) == {"went_well", "still_hard", "not_yet"}
    tie = history_overview([report(5, NOW, m, d)], NOW)
    assert list(tie.weeks[0].patterns) == [m, d]  # a tie keeps the report's order


def test_history_for_nobody_is_a_kind_line() -> None:
    message = history_outgoing(history_overview([], NOW))
    assert message.content and not message.embeds
    assert "Nothing here yet" in message.content
    assert_within_limits([message])


def test_history_shows_weeks_recurring_recent_and_outcomes() -> None:
    d = PatternId.DISENGAGEMENT
    reports = [report(n, NOW - timedelta(days=3 * n), d) for n in range(4)]
    overview = history_overview(reports, NOW, outcomes={d: {"went_well": 2, "still_hard": 1}})
    message = history_outgoing(overview)
    assert_within_limits([message])
    text = every_text([message])
    assert "4 reports" in text
    for week in overview.weeks:
        assert week.week in text
    embed = message.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Recurring in the last 30 days"] == PATTERN_NAMES[d]
    assert fields["After the check-ins"] == f"{PATTERN_NAMES[d]}: went well ×2, still hard ×1"
    assert "After the check-ins" not in every_text(
        [history_outgoing(history_overview(reports, NOW))]
    )


def test_a_year_of_busy_weeks_stays_within_one_message() -> None:
    start = NOW - timedelta(weeks=52)
    every = list(PatternId)
    reports = [
        report(w * 10 + k, start + timedelta(weeks=w, hours=k), *every)
        for w in range(52)
        for k in range(3)
    ]
    outcomes = {p: dict.fromkeys(OUTCOME_NAMES, 99) for p in PatternId}
    overview = history_overview(reports, NOW, outcomes=outcomes)
    assert len(overview.weeks) >= 52
    message = history_outgoing(overview)
    assert_within_limits([message])
    assert "earlier week" in every_text([message])


def test_the_overview_is_frozen() -> None:
    overview = HistoryOverview(reports=(), weeks=(), recurring=(), window_days=30)
    with pytest.raises(AttributeError):
        overview.window_days = 1  # type: ignore[misc]
    assert overview.outcomes == {}
