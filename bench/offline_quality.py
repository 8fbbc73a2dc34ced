"""How well the offline coach does, measured where it was not tuned (a script, not a test).

    .venv/bin/python bench/offline_quality.py [--safety-only | --understanding-only]

1. The safety screen on the held-out safety split (training/data/safety/heldout: never trained,
   tuned or calibrated on), as written and with genders and relationships swapped
   (training/swap.py): issue 12's table, then the same by instrument item.
2. The coach on the held-out understanding split (training/data/understanding/heldout): issue
   13's table (top-1 acceptable, every labelled pattern found, moment, no-rupture kept,
   writer_role), overall and by labelled writer role.
3. The coach on the dev cases (tests/data/dev.jsonl: tuned against, never trained on) and the
   `holdout` rows of every training/data/cases_*.jsonl file (never trained or tuned on): crisis
   recall, abuse recall, false alarms on safety-none stories, top-1 pattern in `primary` on
   rupture cases, agreement on no-rupture cases, and moment agreement.

The figures tests/test_quality.py holds are computed by the same functions (training.evaluate).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.safety import screen  # noqa: E402
from coaching.service import CoachService  # noqa: E402
from coaching.understanding.offline import OfflineClassifier  # noqa: E402
from training.evaluate import (  # noqa: E402
    case_files,
    measure,
    measure_understanding,
    read_rows,
    safety_by_item,
    safety_figures,
    safety_rows,
    understanding_rows,
)
from training.swap import swap_people  # noqa: E402


def _share(values: list[bool]) -> str:
    if not values:
        return "   -   "
    return f"{sum(values):>3}/{len(values):<3} {100 * sum(values) / len(values):5.1f}%"


def _pct(values: list[bool]) -> str:
    if not values:
        return "-"
    return f"{sum(values)}/{len(values)} ({100 * sum(values) / len(values):.1f}%)"


async def understanding_table(service: CoachService) -> None:
    rows = understanding_rows("heldout")
    if not rows:
        return
    tallies = await measure_understanding(service, rows)
    print(f"understanding, held-out split ({len(rows)} stories), by labelled writer role")
    columns = (
        "top-1 (>=80%)",
        "present (>=70%)",
        "moment (>=70%)",
        "no-rupture (>=85%)",
        "writer_role (>=90%)",
    )
    print(f"{'role':12}" + "".join(f"{c:>22}" for c in columns))
    for role, t in sorted(tallies.items(), key=lambda kv: kv[0] != "all"):
        cells = (t.top1, t.present, t.moment, t.no_rupture, t.writer_role)
        print(f"{role:12}" + "".join(f"{_pct(c):>22}" for c in cells))
    print()


def safety_table() -> None:
    rows = safety_rows("heldout")
    reads = [(row, screen(str(row["text"]))) for row in rows]
    swapped = [(row, screen(swap_people(str(row["text"])))) for row in rows]
    print(f"safety screen, held-out split ({len(rows)} rows)")
    print(f"{'figure':46}{'target':>9}{'as written':>18}{'swapped':>18}")
    for a, b in zip(safety_figures(reads), safety_figures(swapped), strict=True):
        print(f"{a.name:46}{a.target:>9}{a!s:>18}{b!s:>18}")
    print("\nby item (hard: at its own level, for a negative kind any level; resources: a level")
    print("or a question)")
    print(f"{'item':30}{'rows':>6}{'hard':>7}{'resources':>11}{'swapped hard':>14}{'res':>6}")
    by_swap = safety_by_item(swapped)
    for item, (n, hard, res) in safety_by_item(reads).items():
        _n, s_hard, s_res = by_swap[item]
        print(f"{item:30}{n:>6}{hard:>7}{res:>11}{s_hard:>14}{s_res:>6}")
    print()


async def main() -> None:
    if "--understanding-only" not in sys.argv:
        safety_table()
    if "--safety-only" in sys.argv:
        return
    service = CoachService(OfflineClassifier())
    await understanding_table(service)
    if "--understanding-only" in sys.argv:
        return
    sets = {"dev (tests/data/dev.jsonl)": read_rows(ROOT / "tests/data/dev.jsonl")}
    for path in case_files():
        held = read_rows(path, "holdout")
        if held:
            sets[f"holdout of {path.name}"] = held
    print(
        f"{'set':38} {'crisis recall':>16} {'abuse recall':>16} {'false alarms':>16} "
        f"{'top-1 pattern':>16} {'no-rupture kept':>16} {'moment':>16}"
    )
    for name, rows in sets.items():
        t = await measure(service, rows)
        print(
            f"{name:38} {_share(t.crisis):>16} {_share(t.abuse):>16} "
            f"{_share(t.false_alarm):>16} {_share(t.top1):>16} {_share(t.no_rupture):>16} "
            f"{_share(t.moment):>16}"
        )
    # A wider false-alarm check: every ordinary story in the data, training rows included (the
    # safety model never saw them as stories, only their sentences as negatives).
    ordinary = [row for path in case_files() for row in read_rows(path) if row["safety"] == "none"]
    t = await measure(service, ordinary)
    print(
        f"\nfalse alarms over all {len(ordinary)} ordinary stories in training/data: "
        f"{_share(t.false_alarm).strip()}"
    )


if __name__ == "__main__":
    asyncio.run(main())
