"""Checks the understanding data against training/data/understanding/SPEC.md.

    python -m training.check_understanding_data [FILE ...]   # default: every split's files

Reports rows with missing or unknown values, and any run of six words a row shares with the
dev cases (tests/data/dev.jsonl) or with a row of another split. Exit 1 when anything is
reported.
"""

from __future__ import annotations

import sys

from coaching.taxonomy import Moment, PatternId
from training.check_safety_data import ROOT, check

UNDERSTANDING = ROOT / "training" / "data" / "understanding"
PATTERNS = {p.value for p in PatternId}
MOMENTS = {m.value for m in Moment}
REGISTERS = {"plain", "texting", "sarcasm", "rambling", "formal", "non_native", "slang"}
BY = {"hurt": {"other"}, "caused": {"writer"}, "both": {"writer", "other"}}


def problems(row: dict[str, object]) -> list[str]:
    found = []
    if not isinstance(row.get("text"), str) or not 1 <= len(str(row["text"])) <= 4000:
        found.append("text")
    rupture, role = row.get("rupture"), row.get("writer_role")
    patterns, acceptable = row.get("patterns"), row.get("acceptable")
    if not isinstance(rupture, bool):
        found.append("rupture")
    if not isinstance(patterns, list) or not isinstance(acceptable, list):
        return [*found, "patterns/acceptable"]
    if rupture is False:
        if role is not None or patterns or acceptable or row.get("moment") is not None:
            found.append("no rupture: writer_role, patterns, acceptable and moment are empty")
    else:
        if role not in BY:
            found.append("writer_role")
        ids = [p.get("id") for p in patterns if isinstance(p, dict)]
        bys = {p.get("by") for p in patterns if isinstance(p, dict)}
        if not ids or any(i not in PATTERNS for i in ids):
            found.append("pattern ids")
        if role in BY and bys != BY[str(role)]:
            found.append(f"`by` {sorted(b for b in bys if b)} does not fit {role}")
        known = all(a in PATTERNS for a in acceptable)
        if not acceptable or not known or ids[:1] != acceptable[:1]:
            found.append("acceptable (starts with the first pattern)")
        if row.get("moment") is not None and row.get("moment") not in MOMENTS:
            found.append("moment")
    if row.get("register") not in REGISTERS:
        found.append("register")
    if not row.get("relationship"):
        found.append("relationship")
    return found


def main(argv: list[str]) -> int:
    return check(UNDERSTANDING, argv, problems)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
