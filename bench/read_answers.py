"""Answers to read, not figures: random stories from an understanding split with the coach's answer.

    .venv/bin/python bench/read_answers.py [--seed N] [--count N] [--split heldout|calibration]

For each story (trimmed to about 400 characters): its labelled writer_role and patterns, then
the coach's writer_role, patterns, moment, the three phrasings, partner_prompt and
perspective. The seed is fixed by default, so two people who run it read the same answers and
can compare notes. Read each phrasing as the person who would send it (tests/test_golden.py
lists what to look for); the held-out split was never trained or tuned on.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.models import Assessment  # noqa: E402
from coaching.service import CoachService  # noqa: E402
from coaching.understanding.offline import OfflineClassifier  # noqa: E402
from training.evaluate import understanding_rows  # noqa: E402

STORY_CHARS = 400
WIDTH = 96


def _trimmed(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= STORY_CHARS:
        return text
    return text[:STORY_CHARS].rsplit(" ", 1)[0] + " …"


def _wrapped(label: str, text: str) -> str:
    lead = f"  {label:<15}"
    return textwrap.fill(
        text or "-", width=WIDTH, initial_indent=lead, subsequent_indent=" " * len(lead)
    )


def _labelled_patterns(row: dict[str, Any]) -> str:
    found = [p["id"] + (f" ({p['by']})" if p.get("by") else "") for p in row.get("patterns") or []]
    return ", ".join(found) or "none"


def show(number: int, row: dict[str, Any], answer: Assessment) -> None:
    print(f"--- {number}. {row.get('id', '')}".rstrip())
    print(
        textwrap.fill(
            _trimmed(str(row["text"])), width=WIDTH, initial_indent="  ", subsequent_indent="  "
        )
    )
    print()
    labelled_role = row["writer_role"] if row.get("rupture", True) else "none (no rupture)"
    print(_wrapped("labelled", f"writer_role {labelled_role}; patterns {_labelled_patterns(row)}"))
    if answer.safety.value != "none":
        print(_wrapped("coach", f"safety {answer.safety.value}: {answer.summary}"))
        print()
        return
    patterns = ", ".join(p.id.value + (f" ({p.by})" if p.by else "") for p in answer.patterns)
    moment = answer.moment.value if answer.moment else "none"
    print(
        _wrapped(
            "coach",
            f"writer_role {answer.writer_role}; patterns {patterns or 'none'}; moment {moment}",
        )
    )
    for phrasing in answer.phrasings:
        print(_wrapped(phrasing.style.value, phrasing.text))
    print(_wrapped("partner_prompt", answer.partner_prompt))
    print(_wrapped("perspective", answer.perspective))
    print()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--split", choices=("heldout", "calibration"), default="heldout")
    args = parser.parse_args()
    rows = understanding_rows(args.split)
    chosen = random.Random(args.seed).sample(rows, min(args.count, len(rows)))
    print(f"{len(chosen)} of {len(rows)} stories from the {args.split} split, seed {args.seed}\n")
    service = CoachService(OfflineClassifier())
    for number, row in enumerate(chosen, 1):
        show(number, row, await service.coach("reader", str(row["text"])))


if __name__ == "__main__":
    asyncio.run(main())
