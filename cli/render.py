"""A warm, readable answer for the terminal."""

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
        for phrasing in answer.phrasings:
            lines.append(_wrap(f"{_STYLE_NAMES[phrasing.style]}: “{phrasing.text}”", "  "))
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
