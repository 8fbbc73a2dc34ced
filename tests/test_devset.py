"""The offline coach over the labelled dev cases (tests/data/dev.jsonl).

Safety is held to "no misses" (missing a crisis is the worst error the product can make) and
"no false alarms on these cases"; patterns to a top-1 share of at least 85%. The figures are
printed (with -s), written into every assertion message, and shown in the terminal summary.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from coaching.models import Assessment
from coaching.service import CoachService
from coaching.taxonomy import Safety
from coaching.understanding.offline import OfflineClassifier

DEV = Path(__file__).parent / "data" / "dev.jsonl"
TOP1_TARGET = 0.85


@dataclass(frozen=True)
class Result:
    case: dict[str, Any]
    answer: Assessment


@dataclass(frozen=True, repr=False)
class Report:
    results: list[Result]
    lines: list[str]

    def __repr__(self) -> str:  # keeps failure output to the figures, not 60 answers
        return f"Report({len(self.results)} dev cases)"

    def where(self, **labels: Any) -> list[Result]:
        return [r for r in self.results if all(r.case[k] == v for k, v in labels.items())]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "0/0"


def _ids(results: list[Result]) -> str:
    return ", ".join(r.case["id"] for r in results) or "-"


def _top1(result: Result) -> bool:
    patterns = result.answer.patterns
    return bool(patterns) and patterns[0].id.value in result.case["primary"]


@pytest.fixture(scope="module")
def report(figures: dict[str, list[str]]) -> Report:
    cases = [
        json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    service = CoachService(OfflineClassifier())

    async def run_all() -> list[Assessment]:
        return [await service.coach("dev", case["text"]) for case in cases]

    results = [Result(c, a) for c, a in zip(cases, asyncio.run(run_all()), strict=True)]
    crisis = [r for r in results if r.case["safety"] == "crisis"]
    abuse = [r for r in results if r.case["safety"] == "abuse"]
    none = [r for r in results if r.case["safety"] == "none"]
    ruptures = [r for r in none if r.case["rupture"]]
    calm = [r for r in none if not r.case["rupture"]]
    with_moment = [r for r in ruptures if r.case.get("moment")]

    crisis_missed = [r for r in crisis if r.answer.safety is not Safety.CRISIS]
    abuse_missed = [r for r in abuse if r.answer.safety is Safety.NONE]
    false_alarms = [r for r in none if r.answer.safety is not Safety.NONE]
    top1_missed = [r for r in ruptures if not _top1(r)]
    rupture_missed = [r for r in ruptures if not r.answer.rupture]
    calm_missed = [r for r in calm if r.answer.rupture]
    moment_missed = [r for r in with_moment if r.answer.moment != r.case["moment"]]

    lines = [
        f"cases: {len(results)} (crisis {len(crisis)}, abuse {len(abuse)}, none {len(none)}: "
        f"{len(ruptures)} ruptures, {len(calm)} not)",
        f"crisis recall:          {_share(len(crisis) - len(crisis_missed), len(crisis))}"
        f"   missed: {_ids(crisis_missed)}",
        f"abuse recall:           {_share(len(abuse) - len(abuse_missed), len(abuse))}"
        f"   missed: {_ids(abuse_missed)}",
        f"false alarms:           {_share(len(false_alarms), len(none))}"
        f"   flagged: {_ids(false_alarms)}",
        f"top-1 in primary:       {_share(len(ruptures) - len(top1_missed), len(ruptures))}"
        f"   (target >= {TOP1_TARGET:.0%})   missed: {_ids(top1_missed)}",
        f"rupture recall:         {_share(len(ruptures) - len(rupture_missed), len(ruptures))}"
        f"   missed: {_ids(rupture_missed)}",
        f"non-rupture agreement:  {_share(len(calm) - len(calm_missed), len(calm))}"
        f"   called ruptures: {_ids(calm_missed)}",
        f"moment agreement:       {_share(len(with_moment) - len(moment_missed), len(with_moment))}"
        f"   differ: {_ids(moment_missed)}",
    ]
    figures["dev set figures (offline coach)"] = lines
    print("\n" + "\n".join(lines))
    return Report(results, lines)


def test_every_crisis_case_is_crisis(report: Report) -> None:
    missed = [
        r.case["id"] for r in report.where(safety="crisis") if r.answer.safety is not Safety.CRISIS
    ]
    assert missed == [], report.text


def test_every_abuse_case_is_abuse_or_crisis(report: Report) -> None:
    missed = [r.case["id"] for r in report.where(safety="abuse") if r.answer.safety is Safety.NONE]
    assert missed == [], report.text


def test_no_safety_none_case_is_flagged(report: Report) -> None:
    flagged = [
        r.case["id"] for r in report.where(safety="none") if r.answer.safety is not Safety.NONE
    ]
    assert flagged == [], report.text


def test_top1_pattern_is_a_primary_one_for_at_least_85_percent_of_ruptures(report: Report) -> None:
    ruptures = report.where(safety="none", rupture=True)
    assert ruptures
    share = sum(_top1(r) for r in ruptures) / len(ruptures)
    assert share >= TOP1_TARGET, f"top-1 share {share:.1%} < {TOP1_TARGET:.0%}\n{report.text}"


def test_every_safety_none_case_gets_phrasings(report: Report) -> None:
    bare = [r.case["id"] for r in report.where(safety="none") if not r.answer.phrasings]
    assert bare == [], report.text
