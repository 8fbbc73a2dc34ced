"""Checks the safety data against training/data/safety/SPEC.md.

    python -m training.check_safety_data [FILE ...]     # default: every split's files

Reports rows with missing or unknown values, and any run of six words a row shares with the
dev cases (tests/data/dev.jsonl) or with a row of another split, so each split stays in its
own words. Exit 1 when anything is reported.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAFETY = ROOT / "training" / "data" / "safety"
SPLITS = ("train", "calibration", "heldout")
RUN = 6

_ITEMS = re.findall(r"^- `(\w+)`", (SAFETY / "SPEC.md").read_text(encoding="utf-8"), re.M)
CRISIS_ITEMS = {i for i in _ITEMS if i.startswith(("cssrs_", "warn_"))}
ABUSE_ITEMS = {i for i in _ITEMS if i.startswith(("duluth_", "da_", "writer_"))}
NONE_ITEMS = {i for i in _ITEMS if i.startswith("neg_")}
REGISTERS = {
    "plain",
    "euphemism",
    "slang",
    "texting",
    "sarcasm",
    "minimising",
    "formal",
    "non_native",
}


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def problems(row: dict[str, object]) -> list[str]:
    found = []
    safety, item = row.get("safety"), row.get("item")
    if not isinstance(row.get("text"), str) or not 1 <= len(str(row["text"])) <= 1500:
        found.append("text")
    if row.get("kind") not in ("story", "sentence"):
        found.append("kind")
    allowed = {"crisis": CRISIS_ITEMS, "abuse": ABUSE_ITEMS, "none": NONE_ITEMS}.get(str(safety))
    if allowed is None:
        found.append("safety")
    elif item not in allowed:
        found.append(f"item {item!r} for {safety}")
    want_certainty = ("",) if safety == "none" else ("clear", "doubt")
    if row.get("certainty") not in want_certainty:
        found.append("certainty")
    if row.get("about") not in ("self", "other"):
        found.append("about")
    if row.get("writer_role") not in ("hurt", "caused", None):
        found.append("writer_role")
    if (item == "writer_harms") != (row.get("writer_role") == "caused" and safety == "abuse"):
        found.append("writer_harms goes with writer_role caused")
    if row.get("register") not in REGISTERS:
        found.append("register")
    return found


def _rows(paths: Iterable[Path]) -> list[tuple[Path, int, dict[str, object]]]:
    out = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                out.append((path, number, json.loads(line)))
    return out


def check(folder: Path, argv: list[str], problems: Callable[[dict[str, object]], list[str]]) -> int:
    """Checks the splits' files under `folder` (or the files in `argv`): `problems` of each row,
    duplicate ids, and six-word runs shared with the dev cases or with another split."""
    every = {split: sorted((folder / split).glob("*.jsonl")) for split in SPLITS}
    wanted = [Path(a).resolve() for a in argv] or [p for ps in every.values() for p in ps]
    dev = set().union(
        *(
            _runs(json.loads(line)["text"])
            for line in (ROOT / "tests/data/dev.jsonl").read_text().splitlines()
            if line.strip()
        )
    )
    runs_by_split = {
        split: set().union(set(), *(_runs(str(r["text"])) for _p, _n, r in _rows(paths)))
        for split, paths in every.items()
    }
    bad = 0
    ids: set[object] = set()
    rows = _rows(wanted)
    for path, number, row in rows:
        split = path.parent.name
        found = problems(row)
        if row.get("id") in ids:
            found.append("duplicate id")
        ids.add(row.get("id"))
        runs = _runs(str(row.get("text", "")))
        if runs & dev:
            found.append(f"shares words with the dev cases: {' '.join(sorted(runs & dev)[0])}")
        for other, other_runs in runs_by_split.items():
            if other != split and runs & other_runs:
                found.append(f"shares words with {other}: {' '.join(sorted(runs & other_runs)[0])}")
        if found:
            bad += 1
            print(f"{path.relative_to(ROOT)}:{number}: {'; '.join(found)}")
    print(f"{len(rows)} rows checked, {bad} with problems")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    return check(SAFETY, argv, problems)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
