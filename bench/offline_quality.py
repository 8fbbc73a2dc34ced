"""How well the offline coach does, measured where it was not tuned (a script, not a test).

    .venv/bin/python bench/offline_quality.py

Sets: the dev cases (tests/data/dev.jsonl: tuned against, never trained on) and the `holdout`
rows of every training/data/cases_*.jsonl file (never trained or tuned on). Figures per set:
crisis recall, abuse recall, false alarms on safety-none stories, top-1 pattern in `primary`
on rupture cases, agreement on no-rupture cases, and moment agreement.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.service import CoachService  # noqa: E402
from coaching.understanding.offline import OfflineClassifier  # noqa: E402
from training.evaluate import case_files, measure, read_rows  # noqa: E402


def _share(values: list[bool]) -> str:
    if not values:
        return "   -   "
    return f"{sum(values):>3}/{len(values):<3} {100 * sum(values) / len(values):5.1f}%"


async def main() -> None:
    service = CoachService(OfflineClassifier())
    sets = {"dev (tests/data/dev.jsonl)": read_rows(ROOT / "tests/data/dev.jsonl")}
    for path in case_files():
        held = read_rows(path, "holdout")
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
        for path in case_files()
        for row in read_rows(path)
        if row["safety"] == "none"
    ]
    t = await measure(service, ordinary)
    print(f"\nfalse alarms over all {len(ordinary)} ordinary stories in training/data: "
          f"{_share(t.false_alarm).strip()}")


if __name__ == "__main__":
    asyncio.run(main())
