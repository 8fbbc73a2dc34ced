"""A warm, readable answer for the terminal.

A recorded answer ends with its report id (what `repair-coach feedback` needs) and, the first
time something is recorded, the one-line notice saying how to see, delete or stop the history.
"""

from __future__ import annotations

import textwrap

from coaching.messages import DISCLAIMER
from coaching.models import Assessment, Reply
from coaching.taxonomy import PATTERN_NAMES, Safety, Style

_STYLE_NAMES = {Style.GENTLE: "Gentle", Style.DIRECT: "Direct", Style.NVC: "NVC"}
_WIDTH = 78


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=indent)


def render(answer: Assessment | Reply) -> str:
    """The human-readable answer. Says once, briefly, that this is an automated coach. A
    `safety_check` question and its resources come first, before any coaching. A conversation's
    reply is its text."""
    if isinstance(answer, Reply):
        return _wrap(answer.text)
    return "\n".join([_render_answer(answer), *_history_lines(answer)])


def _history_lines(answer: Assessment) -> list[str]:
    """The report id, for feedback, and the first recording's notice."""
    lines: list[str] = []
    if answer.report_id:
        lines += [
            "",
            _wrap(
                f"Report {answer.report_id}. Did it help? repair-coach feedback "
                f"{answer.report_id} helped|not-quite"
            ),
        ]
    if answer.notice:
        lines += ["", _wrap(answer.notice)]
    return lines


def _render_answer(answer: Assessment) -> str:
    if answer.safety is not Safety.NONE:
        return _render_safety(answer)
    lines: list[str] = []
    if answer.safety_check:
        lines += [_wrap(answer.safety_check), "", *_resource_lines(answer), ""]
    lines += [_wrap(answer.summary), ""]
    if not answer.language_supported:
        lines.append(_wrap(DISCLAIMER))
        return "\n".join(lines)
    if answer.rupture and answer.patterns:
        names = ", ".join(PATTERN_NAMES[p.id] for p in answer.patterns)
        lines += [_wrap(f"What I noticed: {names}."), ""]
    if answer.perspective:
        lines += [_wrap(f"Their side, maybe: {answer.perspective}"), ""]
    if answer.phrasings:
        lines.append("Things you could say:")
        # One more phrasing than styles: the first speaks to the pattern that keeps coming back
        # (coaching/service.py), the others to this moment.
        pattern_level = len(answer.phrasings) > len(Style)
        for n, phrasing in enumerate(answer.phrasings):
            label = _STYLE_NAMES[phrasing.style]
            if pattern_level and n == 0:
                label = f"About the pattern ({label})"
            lines.append(_wrap(f"{label}: “{phrasing.text}”", "  "))
        lines.append("")
    if answer.partner_prompt:
        lines += [
            "A line they could say back:",
            _wrap(f"“{answer.partner_prompt}”", "  "),
            "",
        ]
    tail = DISCLAIMER
    if answer.fallback_reason:
        tail += (
            f" (The language model was unavailable: {answer.fallback_reason}; "
            "this answer is offline.)"
        )
    lines.append(_wrap(tail))
    return "\n".join(lines)


def _render_safety(answer: Assessment) -> str:
    lines = [
        _wrap(DISCLAIMER + " Please reach a person who can help:"),
        "",
        _wrap(answer.summary),
        "",
    ]
    if answer.safety_check:
        lines += [_wrap(answer.safety_check), ""]
    return "\n".join(lines + _resource_lines(answer))


def _resource_lines(answer: Assessment) -> list[str]:
    return [
        _wrap(f"• {resource.name} ({resource.region}): {resource.contact}", "  ")
        for resource in answer.resources
    ]
