"""The offline coach where it was not tuned: figures gated at their measured level.

- The safety screen on the held-out safety split (training/data/safety/heldout: never trained,
  tuned or calibrated on), as written and with genders swapped: issue 12's table.
- The coach on the held-out understanding split (training/data/understanding/heldout: never
  trained or tuned on): issue 13's table (top-1, patterns found, moment, no-rupture kept,
  writer_role), overall and the writer_role by labelled role.
- The coach on the `holdout` rows of training/data/cases_*.jsonl (never trained on): patterns,
  moments, and stories with no rupture.

The dev set (test_devset.py) was tuned against, so it is not here. The scoring is
bench/offline_quality.py's (`training.evaluate`). The floors and ceilings are the counts
measured when the shipped models were made, not shares picked to pass: a change that loses one
crisis fails here. When a change improves a figure, move its gate with it (the terminal summary
prints the figures on every run).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from coaching.safety import screen
from coaching.service import CoachService
from coaching.understanding.offline import OfflineClassifier
from training.evaluate import (
    SafetyFigure,
    Tally,
    UnderstandingTally,
    case_files,
    measure,
    measure_understanding,
    read_rows,
    safety_figures,
    safety_rows,
    understanding_rows,
)
from training.swap import swap_people

# (hits, rows) on the held-out safety split, measured by bench/offline_quality.py; the issue's
# targets are in training/evaluate.py (`safety_figures`) and the README.
SAFETY_FLOORS = {
    "as written": {
        "crisis recall, hard tier": (93, 170),
        "crisis given resources": (164, 170),
        "abuse recall, hard tier": (102, 170),
        "abuse given resources": (160, 170),
    },
    "genders swapped": {
        "crisis recall, hard tier": (101, 170),
        "crisis given resources": (164, 170),
        "abuse recall, hard tier": (101, 170),
        "abuse given resources": (158, 170),
    },
}
SAFETY_CEILINGS = {
    "as written": {
        "`clear` crisis/abuse only in the middle tier": (88, 265),
        "false alarms, hard tier": (13, 320),
        "middle tier on ordinary hurts": (4, 49),
    },
    "genders swapped": {
        "`clear` crisis/abuse only in the middle tier": (84, 265),
        "false alarms, hard tier": (16, 320),
        "middle tier on ordinary hurts": (5, 49),
    },
}
# (hits, rows) on the held-out understanding split, measured by bench/offline_quality.py; the
# issue's targets: top-1 80%, present 70%, moment 70%, no-rupture 85%, writer_role 90%.
UNDERSTANDING_FLOORS = {
    ("all", "top1"): (111, 191),
    ("all", "present"): (157, 297),
    ("all", "moment"): (120, 176),
    ("all", "no_rupture"): (27, 29),
    ("all", "writer_role"): (178, 220),
    ("hurt", "writer_role"): (78, 98),
    ("caused", "writer_role"): (45, 48),
    ("both", "writer_role"): (28, 45),
    ("caused", "top1"): (22, 48),
    ("both", "top1"): (23, 45),
}
# (hits, rows) measured on the cases' holdout rows.
TOP1 = (57, 71)
NO_RUPTURE_KEPT = (13, 18)
MOMENT = (48, 71)
# Every ordinary story in the cases (training rows included: the heads fit on them): rows may
# be added, so only the count of flagged stories is held.
ORDINARY_FLAGGED_AT_MOST = 1


@pytest.fixture(scope="module")
def safety_held(figures: dict[str, list[str]]) -> dict[str, dict[str, SafetyFigure]]:
    rows = safety_rows("heldout")
    out: dict[str, dict[str, SafetyFigure]] = {}
    for variant, change in (("as written", str), ("genders swapped", swap_people)):
        reads = [(row, screen(change(str(row["text"])))) for row in rows]
        out[variant] = {f.name: f for f in safety_figures(reads)}
        figures[f"safety screen, held-out split, {variant}"] = [
            f"{f.name:46}{f!s:18}(target {f.target})" for f in out[variant].values()
        ]
    return out


def _gates() -> list[tuple[str, str, tuple[int, int], bool]]:
    return [
        (variant, name, gate, floor)
        for table, floor in ((SAFETY_FLOORS, True), (SAFETY_CEILINGS, False))
        for variant, gates in table.items()
        for name, gate in gates.items()
    ]


@pytest.mark.parametrize(
    ("variant", "name", "gate", "floor"), _gates(), ids=[f"{g[0]}: {g[1]}" for g in _gates()]
)
def test_the_safety_screen_holds_its_held_out_figures(
    safety_held: dict[str, dict[str, SafetyFigure]],
    variant: str,
    name: str,
    gate: tuple[int, int],
    floor: bool,
) -> None:
    figure = safety_held[variant][name]
    assert figure.of == gate[1], f"the held-out split now has {figure.of} such rows: re-measure"
    if floor:
        assert figure.hits >= gate[0], f"{variant}, {name}: {figure} (floor {gate[0]})"
    else:
        assert figure.hits <= gate[0], f"{variant}, {name}: {figure} (ceiling {gate[0]})"


@pytest.fixture(scope="module")
def understanding_held(figures: dict[str, list[str]]) -> dict[str, UnderstandingTally]:
    service = CoachService(OfflineClassifier())
    tallies = asyncio.run(measure_understanding(service, understanding_rows("heldout")))
    figures["understanding, held-out split"] = [
        f"{role:11}{name:12}{sum(getattr(t, name))}/{len(getattr(t, name))}"
        for role, t in tallies.items()
        for name in ("top1", "present", "moment", "no_rupture", "writer_role")
        if getattr(t, name)
    ]
    return tallies


@pytest.mark.parametrize(
    ("role", "name"), list(UNDERSTANDING_FLOORS), ids=[f"{r}: {n}" for r, n in UNDERSTANDING_FLOORS]
)
def test_understanding_holds_its_held_out_figures(
    understanding_held: dict[str, UnderstandingTally], role: str, name: str
) -> None:
    values: list[bool] = getattr(understanding_held[role], name)
    hits, total = UNDERSTANDING_FLOORS[(role, name)]
    assert len(values) == total, f"the held-out split now has {len(values)} such rows: re-measure"
    assert sum(values) >= hits, f"{role}, {name}: {sum(values)}/{total} (floor {hits})"


def rows(split: str | None) -> list[dict[str, Any]]:
    """Rows of every training/data/cases_*.jsonl file, of one split or (None) all."""
    return [row for path in case_files() for row in read_rows(path, split)]


@dataclass(frozen=True)
class Figures:
    held: Tally
    ordinary_flagged: int
    ordinary: int
    lines: list[str]

    def __repr__(self) -> str:  # failure output shows the figures, not 158 rows
        return "Figures(...)"

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _line(name: str, values: list[bool], floor: tuple[int, int], word: str = "floor") -> str:
    share = f"{sum(values)}/{len(values)}"
    if values:
        share += f" = {sum(values) / len(values):.1%}"
    return f"{name:24}{share:18}({word} {floor[0]}/{floor[1]})"


@pytest.fixture(scope="module")
def figures_held(figures: dict[str, list[str]]) -> Figures:
    service = CoachService(OfflineClassifier())
    held = asyncio.run(measure(service, rows("holdout")))
    ordinary = [r for r in rows(None) if r["safety"] == "none"]
    wide = asyncio.run(measure(service, ordinary))
    lines = [
        _line("top-1 in primary:", held.top1, TOP1),
        _line("no-rupture kept:", held.no_rupture, NO_RUPTURE_KEPT),
        _line("moment agreement:", held.moment, MOMENT),
        f"false alarms over all {len(ordinary)} ordinary stories (training rows included): "
        f"{sum(wide.false_alarm)} (ceiling {ORDINARY_FLAGGED_AT_MOST})",
    ]
    figures["held-out figures (offline coach, training/data holdout rows)"] = lines
    return Figures(held, sum(wide.false_alarm), len(ordinary), lines)


def _assert_floor(values: list[bool], floor: tuple[int, int], report: Figures) -> None:
    hits, total = floor
    assert len(values) == total, (
        f"the holdout now has {len(values)} such rows, not {total}: re-measure "
        f"(bench/offline_quality.py) and set this floor again\n{report.text}"
    )
    assert sum(values) >= hits, report.text


def test_false_alarms_over_every_ordinary_story_stay_at_their_ceiling(
    figures_held: Figures,
) -> None:
    assert figures_held.ordinary_flagged <= ORDINARY_FLAGGED_AT_MOST, figures_held.text


def test_top1_pattern_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.top1, TOP1, figures_held)


def test_no_rupture_agreement_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.no_rupture, NO_RUPTURE_KEPT, figures_held)


def test_moment_agreement_on_holdout_stays_at_its_floor(figures_held: Figures) -> None:
    _assert_floor(figures_held.held.moment, MOMENT, figures_held)
