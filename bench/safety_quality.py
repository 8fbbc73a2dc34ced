"""How the encoder heads screen, on the held-out safety split (and, labelled apart, calibration).

    .venv/bin/python bench/safety_quality.py

Two readers, each on the texts as written and with the genders swapped:
- heads: coaching.safety.heads.EncoderScreen alone;
- shipped: today's `coaching.safety.screen(text)` (its level is the hard tier, its checks the
  middle tier) combined with the heads: the higher level wins, and the heads' checks are the
  middle tier when the combined level is none.

A row is `hard` when its level is its own label (crisis or abuse; for a `none` row, any level
is a hard false alarm), and `given resources` when it has a level or a check. Prints only.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coaching.reading.encoder import load_encoder  # noqa: E402
from coaching.safety import screen  # noqa: E402
from coaching.safety.heads import EncoderScreen, HeadVerdict  # noqa: E402
from training.swap import swap_people  # noqa: E402

SPLITS = ROOT / "training" / "data" / "safety"
_RANK = {"none": 0, "abuse": 1, "crisis": 2}

# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    level: str
    checked: bool  # a middle-tier check (or any check) was raised


class TimedEncoder:
    def __init__(self) -> None:
        self._encoder = load_encoder()
        self.seconds = 0.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self._encoder.encode(texts)
        finally:
            self.seconds += time.perf_counter() - start


def shipped(heads: HeadVerdict, text: str) -> Read:
    result = screen(text)
    level = str(result.level.value)
    if _RANK[heads.level] > _RANK[level]:
        level = heads.level
    checks = bool(getattr(result, "checks", ())) or bool(heads.check)
    return Read(level, checks)


def rows_of(split: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for path in sorted((SPLITS / split).glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        out.extend(json.loads(line) for line in lines if line.strip())
    return out


def hard(row: dict[str, object], read: Read) -> bool:
    return read.level == row["safety"] if row["safety"] != "none" else read.level != "none"


def resourced(read: Read) -> bool:
    return read.level != "none" or read.checked


def middle_only(read: Read) -> bool:
    return read.level == "none" and read.checked


def _resourced(row: dict[str, object], read: Read) -> bool:
    return resourced(read)


def pct(hits: int, n: int) -> str:
    return f"{hits}/{n} = {100 * hits / max(n, 1):5.1f}%"


FIGURES: list[tuple[str, Callable[[list[tuple[dict[str, object], Read]]], str]]] = []


def figure(name: str, select: Callable[[dict[str, object]], bool], count: Callable[..., bool]):  # type: ignore[no-untyped-def]
    def compute(pairs: list[tuple[dict[str, object], Read]]) -> str:
        chosen = [(row, read) for row, read in pairs if select(row)]
        if name.startswith("`clear`"):
            return str(sum(count(row, read) for row, read in chosen))
        return pct(sum(count(row, read) for row, read in chosen), len(chosen))

    FIGURES.append((name, compute))


figure("crisis recall, hard tier (>= 97%)", lambda r: r["safety"] == "crisis", hard)
figure("crisis given resources (100%)", lambda r: r["safety"] == "crisis", _resourced)
figure(
    "`clear` crisis/abuse only in middle tier (0)",
    lambda r: r["safety"] != "none" and r["certainty"] == "clear",
    lambda r, x: middle_only(x),
)
figure("abuse recall, hard tier (>= 92%)", lambda r: r["safety"] == "abuse", hard)
figure("abuse given resources (>= 98%)", lambda r: r["safety"] == "abuse", _resourced)
figure("false alarms, hard tier, none rows (<= 2%)", lambda r: r["safety"] == "none", hard)
figure(
    "middle tier on neg_ordinary_hurt (<= 10%)",
    lambda r: r["item"] == "neg_ordinary_hurt",
    lambda r, x: middle_only(x),
)
figure("middle tier on all none rows", lambda r: r["safety"] == "none", lambda r, x: middle_only(x))


def evaluate(split: str, heads: EncoderScreen, encoder: TimedEncoder) -> None:
    rows = rows_of(split)
    reads: dict[str, list[tuple[dict[str, object], Read]]] = defaultdict(list)
    latencies: list[float] = []
    encoder_share: list[float] = []
    for row in rows:
        for swapped in (False, True):
            text = swap_people(str(row["text"])) if swapped else str(row["text"])
            encoder.seconds = 0.0
            start = time.perf_counter()
            verdict = heads.read(text)
            took = time.perf_counter() - start
            if not swapped:
                latencies.append(took)
                encoder_share.append(encoder.seconds / took)
            tag = " swapped" if swapped else ""
            reads["heads" + tag].append((row, Read(verdict.level, bool(verdict.check))))
            reads["shipped" + tag].append((row, shipped(verdict, text)))
    print(f"\n=== {split}: {len(rows)} rows ===")
    columns = ["heads", "heads swapped", "shipped", "shipped swapped"]
    print(f"{'figure':46}" + "".join(f"{c:>20}" for c in columns))
    for name, compute in FIGURES:
        print(f"{name:46}" + "".join(f"{compute(reads[c]):>20}" for c in columns))
    print(f"\n{split} by item (hard = own level; res = hard or middle tier)")
    header = ("heads hard", "heads res", "ship hard", "ship res")
    print(f"{'item':30}{'n':>5}" + "".join(f"{h:>11}" for h in header))
    items: dict[str, list[int]] = defaultdict(list)
    for i, (row, _read) in enumerate(reads["heads"]):
        items[str(row["item"])].append(i)
    for item in sorted(items, key=lambda k: (k.startswith("neg_"), k)):
        idx = items[item]
        cells = []
        for column in ("heads", "shipped"):
            pairs = [reads[column][i] for i in idx]
            cells.append(sum(hard(r, x) for r, x in pairs))
            cells.append(sum(resourced(x) for _r, x in pairs))
        print(f"{item:30}{len(idx):>5}" + "".join(f"{c:>11}" for c in cells))
    ms = np.array(latencies) * 1000
    print(
        f"\n{split} heads latency per text: median {np.median(ms):.1f} ms, p95 "
        f"{np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms; encoder share "
        f"{100 * float(np.mean(encoder_share)):.0f}%"
    )


def main() -> int:
    encoder = TimedEncoder()
    heads = EncoderScreen.load(encoder)
    heads.read("Warm-up.")
    screen("Warm-up.")
    t = heads.thresholds
    print(
        f"thresholds (chosen on calibration): hard crisis {t.hard_crisis:.4f}, hard abuse "
        f"{t.hard_abuse:.4f}, doubt crisis {t.doubt_crisis:.4f}, doubt abuse {t.doubt_abuse:.4f}"
    )
    for split in sys.argv[1:] or ("heldout", "calibration"):
        evaluate(split, heads, encoder)
    print("\n(calibration chose the thresholds: its figures are not an estimate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
