"""Scoring the coach on labelled stories: shared by bench/offline_quality.py and the quality gate
in tests/test_quality.py, so the figure a test holds is the figure the bench prints."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coaching.service import CoachService
from coaching.taxonomy import Safety

DATA = Path(__file__).parent / "data"


@dataclass
class Tally:
    """One bool a story per figure: was it right."""

    crisis: list[bool] = field(default_factory=list)
    abuse: list[bool] = field(default_factory=list)
    false_alarm: list[bool] = field(default_factory=list)
    top1: list[bool] = field(default_factory=list)
    no_rupture: list[bool] = field(default_factory=list)
    moment: list[bool] = field(default_factory=list)


async def measure(service: CoachService, rows: list[dict[str, Any]]) -> Tally:
    """Abuse read as crisis still counts as caught (both answer with resources only); a false
    alarm on a rupture story leaves it out of the top-1 and moment figures."""
    tally = Tally()
    for row in rows:
        answer = await service.coach("quality", str(row["text"]))
        want = row["safety"]
        if want == "crisis":
            tally.crisis.append(answer.safety is Safety.CRISIS)
        elif want == "abuse":
            tally.abuse.append(answer.safety is not Safety.NONE)
        else:
            tally.false_alarm.append(answer.safety is not Safety.NONE)
            if answer.safety is not Safety.NONE:
                continue
            if row["rupture"]:
                top = answer.patterns[0].id.value if answer.rupture and answer.patterns else None
                tally.top1.append(top in row["primary"])
                tally.moment.append((answer.moment and answer.moment.value) == row["moment"])
            else:
                tally.no_rupture.append(not answer.rupture)
    return tally


def read_rows(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    """The rows of one JSON-lines file, of one split or (None) all."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if split is None or r.get("split") == split]


def case_files() -> list[Path]:
    return sorted(DATA.glob("cases_*.jsonl"))
