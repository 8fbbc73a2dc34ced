"""The history commands: `history`, `feedback`, `settings`, `export` and `forget`.

Each works on one person's history (`--user`, else the terminal's one local profile) in the
store the composition root opens. A store that cannot be opened is one line on stderr and exit
2 (a setting to fix), as is a bad argument; never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from app.compose import connect_history
from app.settings import CoachSettings
from coaching.history.exporting import export_document
from coaching.history.overview import history_overview
from coaching.history.records import Rating, Report, UserSettings
from coaching.ports import HistoryStore, HistoryUnavailable
from coaching.taxonomy import PATTERN_NAMES, Style
from db import NoDataKey

COMMANDS = ("history", "feedback", "settings", "export", "forget")

TERMINAL_USER = "terminal"  # the one local profile when no --user is given
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RATINGS: dict[str, Rating] = {"helped": "helped", "not-quite": "not_quite"}
_ON_OFF = {"on": True, "off": False}
_TONES = {"gentle": Style.GENTLE, "direct": Style.DIRECT, "nvc": Style.NVC, "none": None}
_SETTING_HELP = (
    'history on|off, tone gentle|direct|nvc|none, name TEXT ("" clears), keep_text on|off, '
    "check_ins on|off, locale TEXT"
)


class UsageError(ValueError):
    """A bad argument; the message says what is expected."""


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The history commands as subcommands; `common` adds the options every command takes."""
    history = sub.add_parser("history", help="your reports over time and recurring patterns")
    history.add_argument("--json", action="store_true", help="print it as JSON")
    feedback = sub.add_parser("feedback", help="say whether an answer helped")
    feedback.add_argument("report_id", metavar="REPORT_ID")
    feedback.add_argument("rating", choices=sorted(_RATINGS), metavar="helped|not-quite")
    feedback.add_argument(
        "--style", choices=[s.value for s in Style], help="the phrasing style you used"
    )
    settings = sub.add_parser("settings", help=f"show or change a setting: {_SETTING_HELP}")
    settings.add_argument("key", nargs="?", metavar="KEY")
    settings.add_argument("value", nargs="?", metavar="VALUE")
    sub.add_parser("export", help="everything stored about you, as JSON on stdout")
    forget = sub.add_parser("forget", help="delete everything stored about you")
    forget.add_argument("--yes", action="store_true", help="really delete it")
    for parser in (history, feedback, settings, forget, sub.choices["export"]):
        common(parser)


async def run(args: argparse.Namespace, settings: CoachSettings, user: str) -> int:
    """Runs one history command; the exit code."""
    command = _COMMANDS[args.command]
    try:
        store = await connect_history(settings)
    except HistoryUnavailable as error:
        return _fail(f"history unavailable: {error}")
    try:
        return await command(store, user, args)
    except UsageError as error:
        return _fail(str(error))
    except NoDataKey as error:
        return _fail(str(error))
    except HistoryUnavailable as error:
        return _fail(f"history unavailable: {error}")
    finally:
        await store.aclose()


def _user_option(user: str) -> str:
    return "" if user == TERMINAL_USER else f" --user {user}"


def _fail(message: str) -> int:
    print(f"repair-coach: {' '.join(message.split())}", file=sys.stderr)
    return 2


# --- history ------------------------------------------------------------------------------


async def _history(store: HistoryStore, user: str, args: argparse.Namespace) -> int:
    reports = await store.reports_since(user, _EPOCH)
    now = datetime.now(UTC)
    overview = _overview(reports, now)
    if args.json:
        print(json.dumps(overview, ensure_ascii=False))
        return 0
    print(_render_overview(overview))
    return 0


def _overview(reports: list[Report], now: datetime) -> dict[str, Any]:
    """Reports over time, patterns per ISO week, and the patterns recurring now (computed in
    coaching/history/overview.py, shared with the bot), as the JSON `history --json` prints."""
    overview = history_overview(reports, now)
    return {
        "reports": [_report_row(r) for r in overview.reports],
        "weeks": [
            {
                "week": week.week,
                "reports": week.reports,
                "patterns": {p.value: n for p, n in week.patterns.items()},
            }
            for week in overview.weeks
        ],
        "recurring": [p.value for p in overview.recurring],
        "window_days": overview.window_days,
    }


def _report_row(report: Report) -> dict[str, Any]:
    return {
        "report_id": report.report_id,
        "at": report.at.isoformat(),
        "safety": report.safety.value,
        "rupture": report.rupture,
        "writer_role": report.writer_role,
        "moment": None if report.moment is None else report.moment.value,
        "patterns": [seen.pattern.value for seen in report.patterns],
        "picked": None if report.picked is None else report.picked.value,
        "rating": report.rating,
    }


def _render_overview(overview: dict[str, Any]) -> str:
    rows = overview["reports"]
    if not rows:
        return "No reports in your history yet."
    lines = [f"{len(rows)} report{'s' if len(rows) != 1 else ''}:"]
    for row in rows:
        patterns = ", ".join(_name(p) for p in row["patterns"]) or "no pattern"
        rated = f", {row['rating'].replace('_', ' ')}" if row["rating"] else ""
        lines.append(f"  {row['at'][:16].replace('T', ' ')}  {row['report_id']}  {patterns}{rated}")
    lines += ["", "Patterns per week:"]
    for week in overview["weeks"]:
        counts = ", ".join(f"{_name(p)} ×{n}" for p, n in week["patterns"].items()) or "none"
        lines.append(f"  {week['week']}: {week['reports']} report(s); {counts}")
    recurring = ", ".join(_name(p) for p in overview["recurring"])
    lines += [
        "",
        f"Recurring in the last {overview['window_days']} days: {recurring or 'none'}",
    ]
    return "\n".join(lines)


def _name(pattern: str) -> str:
    return next((name for p, name in PATTERN_NAMES.items() if p.value == pattern), pattern)


# --- feedback -----------------------------------------------------------------------------


async def _feedback(store: HistoryStore, user: str, args: argparse.Namespace) -> int:
    style = None if args.style is None else Style(args.style)
    if not await store.feedback(user, args.report_id, _RATINGS[args.rating], style):
        raise UsageError(
            f"no report {args.report_id!r} in your history (see `repair-coach history`)"
        )
    print(f"Thanks: report {args.report_id} marked {args.rating}.")
    return 0


# --- settings -----------------------------------------------------------------------------


async def _settings(store: HistoryStore, user: str, args: argparse.Namespace) -> int:
    current = await store.settings(user)
    if args.key is None:
        print(_render_settings(current))
        return 0
    if args.value is None:
        raise UsageError(f"settings needs KEY VALUE: {_SETTING_HELP}")
    changed = _changed(current, args.key, args.value)
    await store.save_settings(user, changed)
    print(_render_settings(changed))
    return 0


def _changed(current: UserSettings, key: str, value: str) -> UserSettings:
    key = key.lower().replace("-", "_")
    if key == "name":
        return dataclasses.replace(current, other_name=value.strip())
    if key == "locale":
        return dataclasses.replace(current, locale=value.strip())
    if key == "tone":
        if value.lower() not in _TONES:
            raise UsageError("tone is gentle, direct, nvc or none")
        return dataclasses.replace(current, tone=_TONES[value.lower()])
    if key in ("history", "keep_text", "check_ins"):
        if value.lower() not in _ON_OFF:
            raise UsageError(f"{key} is on or off")
        on = _ON_OFF[value.lower()]
        if key == "history":
            return dataclasses.replace(current, history=on)
        if key == "keep_text":
            return dataclasses.replace(current, keep_text=on)
        return dataclasses.replace(current, check_ins=on)
    raise UsageError(f"unknown setting {key!r}: {_SETTING_HELP}")


def _render_settings(settings: UserSettings) -> str:
    def on(value: bool) -> str:
        return "on" if value else "off"

    return "\n".join(
        [
            f"history    {on(settings.history)}",
            f"tone       {'none' if settings.tone is None else settings.tone.value}",
            f"name       {settings.other_name or '(none)'}",
            f"keep_text  {on(settings.keep_text)}",
            f"check_ins  {on(settings.check_ins)}",
            f"locale     {settings.locale or '(default)'}",
        ]
    )


# --- export and forget --------------------------------------------------------------------


async def _export(store: HistoryStore, user: str, args: argparse.Namespace) -> int:
    stored = await store.export(user)
    print(json.dumps(export_document(stored), ensure_ascii=False))
    return 0


async def _forget(store: HistoryStore, user: str, args: argparse.Namespace) -> int:
    if not args.yes:
        count = len(await store.reports_since(user, _EPOCH))
        raise UsageError(
            f"forget deletes your {count} report(s), your settings and every phrasing "
            f"offered to you (user {user!r}), for good: run `repair-coach forget --yes"
            f"{_user_option(user)}`"
        )
    await store.forget(user)
    print(f"Deleted everything stored about user {user!r}.")
    return 0


_Command = Callable[[HistoryStore, str, argparse.Namespace], Coroutine[Any, Any, int]]
_COMMANDS: dict[str, _Command] = {
    "history": _history,
    "feedback": _feedback,
    "settings": _settings,
    "export": _export,
    "forget": _forget,
}
