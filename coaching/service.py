"""CoachService: the only entry point adapters use. Screen, classify, phrase, guard.

The order is the product's promise: the safety screen runs before any classifier, and a
safety hit (from the built-in screen, or from the classifier's own judgement or moderation
check) answers with resources and nothing else. Doubt (the middle tier) keeps the coaching and
asks about each worry first (`safety_check`), with the worry's resources.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import threading
import unicodedata
import uuid
from collections import OrderedDict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from coaching import messages
from coaching.history.preferences import addressed, style_order, with_lead_ins
from coaching.history.records import Offered, PatternSeen, Report, UserSettings
from coaching.history.recurring import THRESHOLD, WINDOW, Recurrence
from coaching.history.summary import history_summary
from coaching.models import (
    Assessment,
    By,
    Classification,
    ClassifierName,
    Doubt,
    Draft,
    HistorySummary,
    PatternHit,
    Phrasing,
    Resource,
    SafetyResult,
    WriterRole,
)
from coaching.phrasing import guard
from coaching.phrasing.perspective import perspective
from coaching.phrasing.recurring import pattern_variants
from coaching.phrasing.templates import partner_prompt, variants
from coaching.ports import Classifier, HistoryStore
from coaching.safety import resources
from coaching.safety.screening import combined, screen
from coaching.taxonomy import Moment, PatternId, Safety, Style

log = logging.getLogger(__name__)

MAX_CHARS = 4000  # what a Discord modal allows
# Terminal escape sequences whole ("\x1b[31m"), then any other control character but tab and
# newline (NULs, DEL, C1). Format characters (zero-width, bidi) are `canonical`'s.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class InputError(ValueError):
    """The text cannot be coached as it is; the message says why, in words for the person."""


# Unicode's format characters (category Cf, as of Unicode 14: soft hyphen, zero-width space and
# joiners, bidi controls, tag characters...). A class, not a per-character category lookup: the
# lookup cost a tenth of a millisecond per coaching. tests/test_service.py checks it against
# `unicodedata` for every code point.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]"
)


def canonical(text: str, format_as: str = "") -> str:
    """One spelling for what looks the same: NFKC folds full-width letters and ligatures into
    plain ones, and format characters (soft hyphens, zero-width joiners, bidi marks) go, so
    "sui\u00adcidal" or "ｓｕｉｃｉｄａｌ" read as what the person wrote. `format_as=" "` reads
    them as word breaks instead ("kill\u200dmyself")."""
    return FORMAT_CHARACTERS.sub(format_as, unicodedata.normalize("NFKC", text))


def _spellings(text: str) -> list[str]:
    """What the screen reads: the cleaned text and, when it held format characters, the same
    text with each one read as a space. A zero-width character may sit inside a word or between
    two, and only reading both ways catches both."""
    cleaned = clean_input(text)
    plain = _CONTROL.sub("", _ANSI.sub("", text))
    if not FORMAT_CHARACTERS.search(unicodedata.normalize("NFKC", plain)):
        return [cleaned]
    spaced = canonical(plain, " ").strip()
    return [cleaned] if " ".join(spaced.split()) == " ".join(cleaned.split()) else [cleaned, spaced]


def _screen_all(texts: list[str]) -> SafetyResult:
    """The highest level any spelling of the text reaches, with every spelling's doubts."""
    results = [screen(t) for t in texts]
    highest = max(results, key=lambda result: result.level.rank)
    return combined(highest, *(r for r in results if r is not highest))


class RecentScreens:
    """A service's last screen answers, by a digest of the text (the texts are not kept).
    A bot screens each story twice (before its rate limit, which never holds back a safety
    answer, then in `coach`), and a conversation re-reads its story as it grows; the screen is
    a pure function of the text, so the second reading is a lookup. Sized for a burst of a few
    thousand stories in flight between the two readings. Thread-safe: screens run in threads."""

    SIZE = 4096

    def __init__(self) -> None:
        self._results: OrderedDict[bytes, SafetyResult] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._results)

    def forget(self) -> None:
        """Drop the remembered answers (a benchmark measures each story as if new)."""
        with self._lock:
            self._results.clear()

    def screen(self, texts: list[str]) -> SafetyResult:
        key = hashlib.blake2b("\0".join(texts).encode(), digest_size=16).digest()
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
                return found
        result = _screen_all(texts)
        with self._lock:
            self._results[key] = result
            while len(self._results) > self.SIZE:
                self._results.popitem(last=False)
        return result


def clean_input(text: str) -> str:
    """Escapes and control characters removed, Unicode folded, then stripped; empty or over the
    limit is refused."""
    cleaned = canonical(_CONTROL.sub("", _ANSI.sub("", text))).strip()
    if not cleaned:
        raise InputError("There's nothing to read yet: describe what happened in a few words.")
    if len(cleaned) > MAX_CHARS:
        raise InputError(
            f"That's {len(cleaned):,} characters; the limit is {MAX_CHARS:,}. "
            "Try the moment that hurt most, in a few sentences."
        )
    return cleaned


def _utc_now() -> datetime:
    return datetime.now(UTC)




class CoachService:
    """The coach. With a `history` store it remembers each person's stories as labels (one
    report per story) and shapes the answer by them: recurring patterns, the styles that helped
    this person, their tone and the other person's name, and no phrasing offered twice in the
    window. A store that fails never costs the person their answer."""

    def __init__(
        self,
        classifier: Classifier,
        history: HistoryStore | None = None,
        clock: Callable[[], datetime] = _utc_now,
        *,
        window: timedelta = WINDOW,
        recurring_after: int = THRESHOLD,
        at_once: int | None = None,
    ) -> None:
        """`at_once`: how many coachings may do their own work at the same time (screening,
        the history, phrasing, recording); the rest wait their turn, in order. Waiting on the
        classifier is not work: an LLM's latency is spent outside the turn. None: no limit, as
        the terminal needs. A bot with many stories at once answers most of them sooner with
        a limit, since the stories admitted first finish first instead of all finishing
        together: bench/interactions.py, 200 at once with the LLM stand-in, answers' p50 11.4,
        10.5 and 11.6 s with 48 against 13.0, 13.4 and 12.7 s with none (the last one about
        the same)."""
        self._classifier = classifier
        self._history = history
        self._clock = clock
        self._recurrence = Recurrence(threshold=recurring_after, window=window)
        self.screens = RecentScreens()
        self._turn: AbstractAsyncContextManager[object] = (
            asyncio.Semaphore(at_once) if at_once is not None else nullcontext()
        )

    async def coach(
        self,
        user_id: str,
        text: str,
        *,
        report_id: str | None = None,
        record: bool = True,
    ) -> Assessment:
        """Coach one description. With a history store and `record`, the answer is recorded
        as report `report_id` (a story re-coached: updated in place) or a new report, and it
        carries `report_id` and `history`. `record=False` reads and writes nothing."""
        spellings = _spellings(text)
        cleaned = spellings[0]
        async with self._turn:
            # Screening and the built-in classifier are CPU work: a thread keeps a bot's event
            # loop answering others meanwhile.
            builtin = await asyncio.to_thread(self.screens.screen, spellings)
            known = await self._known(user_id, report_id) if record else _Known()
            if builtin.level is not Safety.NONE:
                log.debug("safety screen: %s (cue %r)", builtin.level, builtin.cue)
                answer = _safety_answer(builtin, "offline", None)
                recorded = await self._recorded(user_id, answer, cleaned, known, report_id, [])
                return _localised(recorded, known.settings)
        if known.summary:
            draft = await self._classifier.classify(cleaned, history=known.summary)
        else:
            draft = await self._classifier.classify(cleaned)
        if draft.fallback_reason:
            log.info("classifier fell back to offline: %s", draft.fallback_reason)
        async with self._turn:
            return await self._answered(user_id, cleaned, builtin, draft, known, report_id)

    async def _answered(
        self,
        user_id: str,
        cleaned: str,
        builtin: SafetyResult,
        draft: Draft,
        known: _Known,
        report_id: str | None,
    ) -> Assessment:
        """The classified story's answer, personalised and recorded."""
        # The classifier's own safety judgement can raise the level or add a worry, never lower.
        safety = combined(builtin, draft.safety)
        offered: list[_Option] = []
        if safety.level is not Safety.NONE:
            answer = _safety_answer(safety, draft.classifier, draft.fallback_reason)
        elif not draft.language_supported:
            answer = _unreadable_answer(draft)
        else:
            repeated = self._repeated(draft.classification, known)
            # Phrasing and its guard are regex work too.
            prepared = await asyncio.to_thread(
                _prepare, draft, safety.checks, cleaned, repeated, self._recurrence
            )
            answer, offered = await self._personalised(user_id, prepared, known)
        recorded = await self._recorded(user_id, answer, cleaned, known, report_id, offered)
        return _localised(recorded, known.settings)

    async def safety_first(self, text: str) -> Assessment | None:
        """The built-in safety screen alone: its answer (resources, no coaching) when it finds a
        crisis or abuse, else None. For an adapter about to refuse work (a rate limit): a
        safety answer is never withheld."""
        found = await asyncio.to_thread(self.screens.screen, _spellings(text))
        if found.level is Safety.NONE:
            return None
        return _safety_answer(found, "offline", None)

    async def script(
        self,
        user_id: str,
        pattern: PatternId,
        situation: str = "",
        *,
        role: WriterRole = "hurt",
    ) -> Assessment:
        """A quick repair script for one pattern, from the templates alone (no classifier, no
        LLM): the phrasings for `pattern` done to the writer (`hurt`) or by them (`caused`), in
        the person's tone and words, never repeating what they were offered lately. The
        `situation`, when given, is screened like any story first (a hit answers with
        resources only; doubt adds its question), and shapes the wording (who the other person
        is, a loss). Nothing is recorded: a script is not a story."""
        async with self._turn:
            return await self._scripted(user_id, pattern, situation, role)

    async def _scripted(
        self, user_id: str, pattern: PatternId, situation: str, role: WriterRole
    ) -> Assessment:
        spellings = _spellings(situation) if situation.strip() else [""]
        found = (
            await asyncio.to_thread(self.screens.screen, spellings)
            if spellings[0]
            else SafetyResult()
        )
        if found.level is not Safety.NONE:
            return _safety_answer(found, "offline", None)
        known = await self._known(user_id, None)
        hit = PatternHit(id=pattern, confidence=1.0, evidence="", by=None)
        draft = Draft(
            classification=Classification(rupture=True, patterns=[hit], writer_role=role),
            classifier="offline",
        )
        prepared = await asyncio.to_thread(
            _prepare, draft, found.checks, spellings[0], [], self._recurrence
        )
        answer, _ = await self._personalised(user_id, prepared, known)
        return _localised(answer, known.settings)

    # --- reading the history -------------------------------------------------------------------

    async def _known(self, user_id: str, report_id: str | None) -> _Known:
        """What the history says about the person; nothing when there is no store, it fails, or
        the person turned history off (their settings still shape the phrasings)."""
        if self._history is None:
            return _Known()
        try:
            settings = await self._history.settings(user_id)
        except Exception as error:  # any failure: coach without it
            _unavailable("reading settings", error)
            return _Known()
        if not settings.history:
            return _Known(settings=settings)
        now = self._clock()
        try:
            reports = await self._history.reports_since(user_id, now - self._recurrence.window)
        except Exception as error:
            _unavailable("reading reports", error)
            return _Known(settings=settings)
        previous = next((r for r in reports if r.report_id == report_id), None)
        others = [r for r in reports if report_id is None or r.report_id != report_id]
        return _Known(
            settings=settings,
            recording=True,
            now=now,
            others=others,
            previous=previous,
            summary=history_summary(others, now, settings, self._recurrence),
        )

    def _repeated(
        self, classification: Classification, known: _Known
    ) -> list[tuple[PatternId, int]]:
        """This story's patterns by the other person that recur (with this story counted), and
        in how many stories, most first."""
        if not known.recording or not classification.rupture:
            return []
        role = classification.writer_role or "hurt"
        mine = list(
            dict.fromkeys(
                seen.pattern for seen in _seen(classification.patterns, role) if seen.by == "other"
            )
        )
        counts = self._recurrence.counts(known.others, known.now)
        counts.update(mine)
        found = [(p, counts[p]) for p in mine if counts[p] >= self._recurrence.threshold]
        return sorted(found, key=lambda pair: -pair[1])

    # --- personal phrasings --------------------------------------------------------------------

    async def _personalised(
        self, user_id: str, prepared: _Prepared, known: _Known
    ) -> tuple[Assessment, list[_Option]]:
        """The answer's phrasings in this person's order and words: tone or feedback first, the
        other person's name as address, and no wording offered to them lately (all guarded).
        Where every wording of a style was offered lately, the same words after a short
        lead-in; those are made (and guarded) only then, since most answers never need them."""
        settings = known.settings
        role = prepared.answer.writer_role
        order = style_order(settings, known.others)
        groups: list[tuple[Style, list[_Option]]] = []
        if prepared.pattern_level:
            groups.append((order[0], prepared.pattern_level[order[0]]))
        groups.extend((style, prepared.options[style]) for style in order)
        named = [_addressed(options, style, role, settings) for style, options in groups]
        offered = await self._offered_before(user_id, [o.text for g in named for o in g], known)
        picks = [_fresh(options, offered, known) for options in named]
        stale = [i for i, pick in enumerate(picks) if pick is None]
        led = {i: _led_in(groups[i][1], groups[i][0], role, settings) for i in stale}
        if led:
            offered |= await self._offered_before(
                user_id, [o.text for options in led.values() for o in options], known
            )
        chosen = [
            pick or _fresh(led[i], offered, known) or named[i][0] for i, pick in enumerate(picks)
        ]
        phrased = [o.as_phrasing() for o in chosen]
        return prepared.answer.model_copy(update={"phrasings": phrased}), chosen

    async def _offered_before(self, user_id: str, texts: list[str], known: _Known) -> set[str]:
        if self._history is None or not known.recording or not texts:
            return set()
        try:
            since = known.now - self._recurrence.window
            return await self._history.offered_before(user_id, texts, since)
        except Exception as error:
            _unavailable("reading offered phrasings", error)
            return set()

    # --- recording -----------------------------------------------------------------------------

    async def _recorded(
        self,
        user_id: str,
        answer: Assessment,
        story: str,
        known: _Known,
        report_id: str | None,
        offered: list[_Option],
    ) -> Assessment:
        """The answer, recorded when the person keeps a history, with its report id, the
        history's counts and, the first time, a line saying so. A failed write keeps the
        answer and leaves those out."""
        if self._history is None or not known.recording:
            return answer
        previous = known.previous
        report = Report(
            report_id=report_id or uuid.uuid4().hex,
            user_id=user_id,
            at=previous.at if previous is not None else known.now,
            safety=answer.safety,
            safety_check_asked=bool(answer.safety_check),
            rupture=answer.rupture,
            writer_role=answer.writer_role,
            moment=answer.moment,
            patterns=_seen(answer.patterns, answer.writer_role),
            classifier=answer.classifier,
            offered=tuple(
                Offered(style=o.style, text=o.text, template=o.template) for o in offered
            ),
            picked=previous.picked if previous is not None else None,
            rating=previous.rating if previous is not None else None,
            story=story if known.settings.keep_text else None,
            evidence=tuple(p.evidence for p in answer.patterns) if known.settings.keep_text else (),
        )
        try:
            first = (
                previous is None
                and not known.others
                and not await self._history.has_reports(user_id)
            )
            await self._history.save_report(report)
        except Exception as error:  # the person still gets their answer
            _unavailable("saving the report", error)
            return answer
        reports = [*known.others, report]
        summary = HistorySummary(
            reports=len({r.report_id for r in reports}),
            recurring=self._recurrence.recurring(reports, known.now),
        )
        return answer.model_copy(
            update={
                "report_id": report.report_id,
                "history": summary,
                "notice": messages.RECORDING_NOTICE if first else "",
            }
        )


def _localised(answer: Assessment, settings: UserSettings) -> Assessment:
    """The answer's lines with the person's region first (their `locale` setting)."""
    if not settings.locale or not answer.resources:
        return answer
    return answer.model_copy(
        update={"resources": resources.for_locale(answer.resources, settings.locale)}
    )


def _safety_answer(result: SafetyResult, classifier: str, reason: str | None) -> Assessment:
    if result.level is Safety.CRISIS:
        text = messages.CRISIS_OTHER if result.about_other else messages.CRISIS_SELF
    elif result.harm:
        text = messages.harm_by_writer(result.harm)
    else:
        text = messages.ABUSE
    return _without_coaching(
        summary=text,
        safety=result.level,
        safety_check=messages.safety_check(result.checks),
        writer_role="caused" if result.harm and result.level is Safety.ABUSE else None,
        resources=resources.for_answer(result.level, result.checks, result.harm),
        classifier="llm" if classifier == "llm" else "offline",
        fallback_reason=reason,
        safety_about_other=result.about_other,
    )


def _unreadable_answer(draft: Draft) -> Assessment:
    return _without_coaching(
        summary=messages.UNREADABLE,
        resources=[resources.FIND_A_HELPLINE],
        classifier=draft.classifier,
        fallback_reason=draft.fallback_reason,
        language_supported=False,
    )


def _without_coaching(
    *,
    summary: str,
    classifier: ClassifierName,
    fallback_reason: str | None,
    safety: Safety = Safety.NONE,
    safety_check: str = "",
    writer_role: WriterRole | None = None,
    resources: list[Resource] | None = None,
    safety_about_other: bool = False,
    language_supported: bool = True,
) -> Assessment:
    """An answer that is a message and nothing else: no patterns, phrasings or perspective."""
    return Assessment(
        safety=safety,
        safety_check=safety_check,
        writer_role=writer_role,
        rupture=False,
        moment=None,
        patterns=[],
        phrasings=[],
        partner_prompt="",
        perspective="",
        resources=resources or [],
        classifier=classifier,
        fallback_reason=fallback_reason,
        summary=summary,
        safety_about_other=safety_about_other,
        language_supported=language_supported,
    )


@dataclass(frozen=True, slots=True)
class _Known:
    """What the history says for one coaching. `recording` is False without a store, when it
    failed to read, or with history off (then only `settings` count)."""

    settings: UserSettings = field(default_factory=UserSettings)
    recording: bool = False
    now: datetime = field(default_factory=_utc_now)
    others: list[Report] = field(default_factory=list)  # the window, this story left out
    previous: Report | None = None  # this story's report, when it is being re-coached
    summary: str = ""  # for the LLM (coaching/history/summary.py)


@dataclass(frozen=True, slots=True)
class _Option:
    """A wording the person could be offered, and where it came from (recorded with it)."""

    style: Style
    text: str
    template: str

    def as_phrasing(self) -> Phrasing:
        return Phrasing(style=self.style, text=self.text)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An answer before it is made personal: every guarded wording per style, best first, and
    the pattern-level ones when a pattern recurs in this story."""

    answer: Assessment
    options: dict[Style, list[_Option]]
    pattern_level: dict[Style, list[_Option]]


def _unavailable(action: str, error: Exception) -> None:
    """The store failed: say so without content (an exception's text may quote the story)."""
    log.warning("history unavailable while %s: %s", action, type(error).__name__)
    log.debug("history error", exc_info=error)


def _addressed(
    options: list[_Option], style: Style, role: WriterRole | None, settings: UserSettings
) -> list[_Option]:
    """Each wording with the other person's name as address."""
    return [
        _Option(style, addressed(o.text, settings.other_name, style, role), o.template)
        for o in options
    ]


def _led_in(
    options: list[_Option], style: Style, role: WriterRole | None, settings: UserSettings
) -> list[_Option]:
    """Each wording after each lead-in that keeps it within the guard, with the name."""
    varied = [
        _Option(style, text, f"{option.template}+lead-in.{n}")
        for option in options
        for n, text in enumerate(with_lead_ins(option.text, style, role))
    ]
    return _addressed(varied, style, role, settings)


def _fresh(options: list[_Option], offered: set[str], known: _Known) -> _Option | None:
    """The first wording not offered to the person lately, if any."""
    return next((o for o in options if not _repeat(o, offered, known)), None)


def _repeat(option: _Option, offered: set[str], known: _Known) -> bool:
    """Whether the person was offered these exact words in the window, in another story: a
    story re-coached may say again what it said before. A store that hands back no offered
    texts (only their hashes) is matched by template: this story's own earlier offer from the
    same template is what the store found (a new story chose it because no other had)."""
    if option.text not in offered:
        return False
    own = known.previous.offered if known.previous is not None else ()
    if any(o.text == option.text for o in own):
        return False
    return not any(
        (o.style, o.template) == (option.style, option.template) and not o.text for o in own
    )


def _seen(patterns: list[PatternHit], role: WriterRole | None) -> tuple[PatternSeen, ...]:
    """The answer's patterns as recorded: who did each (with `hurt` the other person, with
    `caused` the writer, with `both` as marked)."""

    def by(hit: PatternHit) -> By:
        if role == "caused":
            return "writer"
        if role == "both":
            return hit.by or "other"
        return "other"

    return tuple(PatternSeen(pattern=h.id, confidence=h.confidence, by=by(h)) for h in patterns)


def _prepare(
    draft: Draft,
    checks: tuple[Doubt, ...],
    story: str,
    repeated: list[tuple[PatternId, int]],
    recurrence: Recurrence,
) -> _Prepared:
    """The coaching answer with every guarded wording per style, best first (the LLM's own when
    it passes the guard for the writer's role, then the templates', which always do). A
    pattern that recurs in this story sets the moment to `repeated_misunderstanding`, says so
    in the summary, and brings the pattern-level wordings."""
    classification = draft.classification
    if repeated:
        classification = classification.model_copy(
            update={"moment": Moment.REPEATED_MISUNDERSTANDING}
        )
    # A rupture always says who hurt whom; a classifier that did not say meant the writer.
    role: WriterRole | None = (
        (classification.writer_role or "hurt") if classification.rupture else None
    )
    wordings = variants(classification, story)
    proposed = {p.style: p.text.strip() for p in draft.phrasings}
    options: dict[Style, list[_Option]] = {}
    for style in Style:
        found = [_Option(style, text, f"template.{n}") for n, text in enumerate(wordings[style])]
        llm = proposed.get(style)
        if llm is not None and guard.passes(llm, style, role):
            found.insert(0, _Option(style, llm, "llm"))
        options[style] = found
    pattern_level: dict[Style, list[_Option]] = {}
    if repeated:
        pattern = repeated[0][0]
        for style in Style:
            texts = pattern_variants(pattern, style, role)
            if texts:
                pattern_level[style] = [
                    _Option(style, text, f"pattern.{pattern.value}.{n}")
                    for n, text in enumerate(texts)
                ]
        if len(pattern_level) < len(Style):
            pattern_level = {}
    prompt = draft.partner_prompt.strip()
    if role == "caused":
        prompt = ""  # the writer is the one repairing: there is no line for the other to say
    elif not prompt or not guard.passes(prompt):
        prompt = partner_prompt(classification)
    view = draft.perspective.strip() or perspective(classification)
    if len(view) > 320 or guard.LABEL_RE.search(view):
        view = perspective(classification)
    summary = messages.summary(classification)
    if repeated:
        summary = f"{summary} {recurrence.sentence(*repeated[0])}"
    answer = Assessment(
        safety=Safety.NONE,
        safety_check=messages.safety_check(checks),
        writer_role=role,
        rupture=classification.rupture,
        moment=classification.moment if classification.rupture else None,
        patterns=classification.patterns if classification.rupture else [],
        phrasings=[options[style][0].as_phrasing() for style in Style],
        partner_prompt=prompt,
        perspective=view,
        resources=resources.for_answer(Safety.NONE, checks),
        classifier=draft.classifier,
        fallback_reason=draft.fallback_reason,
        summary=summary,
    )
    return _Prepared(answer=answer, options=options, pattern_level=pattern_level)
