"""How well the offline coach does, measured where it was not tuned (a script, not a test).

    .venv/bin/python bench/offline_quality.py

Sets: the dev cases (tests/data/dev.jsonl: tuned against, never trained on) and the `holdout`
rows of every training/data/cases_*.jsonl file (never trained or tuned on). Figures per set:
crisis recall, abuse recall, false alarms on safety-none stories, top-1 pattern in `primary`
on rupture cases, agreement on no-rupture cases, and moment agreement.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.service import CoachService  # noqa: E402
from coaching.taxonomy import Safety  # noqa: E402
from coaching.understanding.offline import OfflineClassifier  # noqa: E402


@dataclass
class Tally:
    crisis: list[bool] = field(default_factory=list)
    abuse: list[bool] = field(default_factory=list)
    false_alarm: list[bool] = field(default_factory=list)
    top1: list[bool] = field(default_factory=list)
    no_rupture: list[bool] = field(default_factory=list)
    moment: list[bool] = field(default_factory=list)


def _share(values: list[bool]) -> str:
    if not values:
        return "   -   "
    return f"{sum(values):>3}/{len(values):<3} {100 * sum(values) / len(values):5.1f}%"


async def measure(service: CoachService, rows: list[dict[str, object]]) -> Tally:
    tally = Tally()
    for row in rows:
        answer = await service.coach("bench", str(row["text"]))
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
                primary = row["primary"]
                assert isinstance(primary, list)
                top = answer.patterns[0].id.value if answer.rupture and answer.patterns else None
                tally.top1.append(top in primary)
                tally.moment.append((answer.moment and answer.moment.value) == row["moment"])
            else:
                tally.no_rupture.append(not answer.rupture)
    return tally


def _rows(path: Path, split: str | None) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if split is None or r.get("split") == split]


async def main() -> None:
    service = CoachService(OfflineClassifier())
    sets = {"dev (tests/data/dev.jsonl)": _rows(ROOT / "tests/data/dev.jsonl", None)}
    for path in sorted((ROOT / "training/data").glob("cases_*.jsonl")):
        held = _rows(path, "holdout")
        if held:
            sets[f"holdout of {path.name}"] = held
    print(f"{'set':38} {'crisis recall':>16} {'abuse recall':>16} {'false alarms':>16} "
          f"{'top-1 pattern':>16} {'no-rupture kept':>16} {'moment':>16}")
    for name, rows in sets.items():
        t = await measure(service, rows)
        print(f"{name:38} {_share(t.crisis):>16} {_share(t.abuse):>16} "
              f"{_share(t.false_alarm):>16} {_share(t.top1):>16} {_share(t.no_rupture):>16} "
              f"{_share(t.moment):>16}")
    # A wider false-alarm check: every ordinary story in the data, training rows included (the
    # safety model never saw them as stories, only their sentences as negatives).
    ordinary = [
        row
        for path in sorted((ROOT / "training/data").glob("cases_*.jsonl"))
        for row in _rows(path, None)
        if row["safety"] == "none"
    ]
    t = await measure(service, ordinary)
    print(f"\nfalse alarms over all {len(ordinary)} ordinary stories in training/data: "
          f"{_share(t.false_alarm).strip()}")


if __name__ == "__main__":
    asyncio.run(main())
