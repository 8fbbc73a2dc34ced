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
import re
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

SPLITS = ROOT / "training" / "data" / "safety"
_RANK = {"none": 0, "abuse": 1, "crisis": 2}

# --- gender swap ----------------------------------------------------------------------------

_PAIRS = [
    ("he", "she"),
    ("himself", "herself"),
    ("husband", "wife"),
    ("husbands", "wives"),
    ("boyfriend", "girlfriend"),
    ("boyfriends", "girlfriends"),
    ("bf", "gf"),
    ("man", "woman"),
    ("men", "women"),
    ("guy", "girl"),
    ("guys", "girls"),
    ("son", "daughter"),
    ("sons", "daughters"),
    ("brother", "sister"),
    ("brothers", "sisters"),
    ("father", "mother"),
    ("fathers", "mothers"),
    ("dad", "mom"),
    ("dads", "moms"),
    ("daddy", "mommy"),
    ("uncle", "aunt"),
    ("nephew", "niece"),
    ("grandpa", "grandma"),
    ("grandfather", "grandmother"),
    ("king", "queen"),
    ("mr", "ms"),
    ("he's", "she's"),
    ("he'd", "she'd"),
    ("he'll", "she'll"),
]
_SWAP = {a: b for a, b in _PAIRS} | {b: a for a, b in _PAIRS}
_SWAP |= {"mum": "dad", "mrs": "mr", "hers": "his"}
# After "her", a word that is not a noun: "her" is then the object ("told her that"), → "him".
_NOT_NOUN = set(
    """a an the and or but so to that this then when while because if as at in on of off for
    from with about by up down out back over again anymore alone too very just all now never
    always every once twice hard know i you he she we they it is was be been were are am
    not no yes there here how what why where who until after before since into onto away
    my your our their its his her him them me us some any much more less one two""".split()
)
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[^A-Za-z]+")


def swap_genders(text: str) -> str:
    """The text with genders swapped: he↔she, him/his↔her, husband↔wife, man↔woman, … "her"
    becomes "his" before a word that could be a noun or adjective, else "him"; "his" becomes
    "hers" when nothing follows it in the clause."""
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        following = _next_word(tokens, i)
        if low == "her":
            new = "his" if following and following.lower() not in _NOT_NOUN else "him"
        elif low == "him":
            new = "her"
        elif low == "his":
            new = "her" if following else "hers"
        else:
            new = _SWAP.get(low, "")
        out.append(_case_like(token, new) if new else token)
    return "".join(out)


def _next_word(tokens: Sequence[str], i: int) -> str:
    """The next word when only spaces separate it from token i, else ""."""
    if i + 2 < len(tokens) and tokens[i + 1].strip() == "" and tokens[i + 2][0].isalpha():
        return tokens[i + 2]
    return ""


def _case_like(original: str, new: str) -> str:
    if original.isupper() and len(original) > 1:
        return new.upper()
    if original[0].isupper():
        return new[0].upper() + new[1:]
    return new


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
            text = swap_genders(str(row["text"])) if swapped else str(row["text"])
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
