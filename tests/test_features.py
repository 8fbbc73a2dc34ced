"""The text -> word-feature code the shipped heads were trained with, pinned on texts of our own.

The word weights in coaching/understanding/data/understanding_heads.npz mean something only for
the features they were trained on: tokens and negation marks, crc32 buckets of words and word
pairs, the writer's `w:` namespace, L2 scaling and the bias (coaching/reading/features.py), and
how a story is cut into voices for them: `normalize`, `split_voices`. (The encoder's half is
pinned by tests/test_encoder.py against sentence-transformers' own vectors.)
test_training.py checks that the weights match their data; this file checks that the code turning
text into features still gives what it gave when the weights were trained, so a change that
would make the weights mean something else fails here instead of quietly lowering the coach.

A deliberate change to any of that code needs the models retrained and this fixture written
again, in that order:

    .venv/bin/python -m training
    .venv/bin/python tests/test_features.py --regenerate

Each row is fingerprinted by a fixed random projection (numpy's legacy `RandomState`, whose
stream is frozen), so a moved bucket or a changed token moves the numbers far beyond the
tolerance.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coaching.reading.features import DIM, Row, hashed, tokens, word_rows
from coaching.reading.normalize import normalize
from coaching.reading.story import split_voices

TEXTS: dict[str, str] = {
    "negation": "I told him the audition went badly and he didn't even look up from the game.",
    "texting": "told my bf i was stressed abt the exam and he was like dont be so extra lol",
    "quote": "When I said my dad's surgery scared me, she answered “we all have problems.”",
    "digits": "I waited 2 hours at the café after my 3pm scan; he texted at 11 asking for pizza.",
    "emoji": "I sent my sister the news about the layoff and she replied 😂 then nothing.",
    "writer": "I cried in the car and I snapped at him. I felt ashamed and I apologised.",
    "hyphen": "My co-worker rolled her eyes and told me to toughen up about my mother-in-law.",
    "ordinary": "We argued about the rent split, both explained ourselves, and settled on 60/40.",
    "crisis": "Lately I keep thinking the people I love would be lighter without me around.",
    "abuse": "When he's angry he takes my car keys and won't let me leave the flat.",
    "near_negation": "He barely listened, hardly looked at me, and neither of us slept after that.",
    "apostrophes": "I’m tired of saying it’s fine when it isn’t; she’d shrug and say ‘whatever’.",
}

_PROJECTION = np.random.RandomState(20240611).standard_normal((DIM, 4))


def _project(rows: list[Row]) -> list[float]:
    """Four numbers for the rows' hashed words, pairs and bias."""
    total = np.zeros(4)
    for row in rows:
        total += row.values.astype(np.float64) @ _PROJECTION[row.indices]
    return _rounded(total)


def _rounded(vector: np.ndarray) -> list[float]:
    return [round(float(x), 6) for x in vector]


def fingerprint(text: str) -> dict[str, Any]:
    """What the heads' word half is fed for `text`: the other person's and the writer's words."""
    return {
        "tokens": " ".join(tokens(normalize(text))),
        "words": _project(word_rows([split_voices(text)])),
    }


def buckets(phrase: str, namespace: str) -> list[list[int]]:
    return [[index, int(count)] for index, count in sorted(hashed(phrase, namespace).items())]


BUCKET_PHRASES = {"other": ("he laughed it off", ""), "writer": ("i didn't sleep", "w:")}

# fixture: begin (written by `python tests/test_features.py --regenerate`)
FIXTURE: dict[str, dict[str, Any]] = {
    "abuse": {
        "tokens": (
            "when he's angry he takes my car keys and won't not_let not_me not_leave the flat"
        ),
        "words": [-1.297949, 1.736901, -0.859791, 1.981896],
    },
    "apostrophes": {
        "tokens": (
            "i'm tired of saying it's fine when it isn't not_she'd not_shrug not_and say 'whatever'"
        ),
        "words": [0.405439, 1.079039, -2.760463, 3.111504],
    },
    "crisis": {
        "tokens": (
            "lately i keep thinking the people i love would be lighter without not_me not_around"
        ),
        "words": [0.234882, 0.829886, -4.395167, 1.654348],
    },
    "digits": {
        "tokens": "i waited hours at the caf after my pm scan he texted at asking for pizza",
        "words": [-1.490694, -2.326391, -2.423526, -0.570554],
    },
    "emoji": {
        "tokens": "i sent my sister the news about the layoff and she replied 😂 then nothing",
        "words": [-3.174827, 0.876299, -1.973133, 3.394955],
    },
    "hyphen": {
        "tokens": "my co worker rolled her eyes and told me to toughen up about my mother in law",
        "words": [-0.722367, -0.624823, -3.340967, 0.395623],
    },
    "near_negation": {
        "tokens": "he barely listened hardly looked at me and neither of us slept after that",
        "words": [0.240297, -0.758182, -3.991505, 1.830027],
    },
    "negation": {
        "tokens": (
            "i told him the audition went badly and he didn't not_even not_look not_up from "
            "the game"
        ),
        "words": [-0.080348, 0.267562, -2.47549, 1.108149],
    },
    "ordinary": {
        "tokens": "we argued about the rent split both explained ourselves and settled on",
        "words": [-1.068899, -0.372416, -2.257636, 0.238108],
    },
    "quote": {
        "tokens": "when i said my dad's surgery scared me she answered we all have problems",
        "words": [0.15094, 1.580174, -1.094467, 5.066562],
    },
    "texting": {
        "tokens": (
            "told my boyfriend i was stressed about the exam and he was like don't not_be "
            "not_so not_extra lol"
        ),
        "words": [-1.212824, 0.60678, -3.110358, -0.696602],
    },
    "writer": {
        "tokens": "i cried in the car and i snapped at him i felt ashamed and i apologised",
        "words": [-1.003303, 0.271664, -2.414384, 1.454694],
    },
}
BUCKETS: dict[str, list[list[int]]] = {
    "other": [[7491, 1], [8859, 1], [9518, 1], [9863, 1], [11752, 1], [13091, 1], [14132, 1]],
    "writer": [[1883, 1], [8258, 1], [9394, 1], [14311, 1], [15782, 1]],
}
# fixture: end

TOLERANCE = 1e-4


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_tokens_are_as_trained(name: str) -> None:
    assert " ".join(tokens(normalize(TEXTS[name]))) == FIXTURE[name]["tokens"]


@pytest.mark.parametrize("name", list(BUCKET_PHRASES))
def test_words_and_pairs_land_in_the_buckets_they_were_trained_in(name: str) -> None:
    assert buckets(*BUCKET_PHRASES[name]) == BUCKETS[name]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_model_inputs_are_as_trained(name: str) -> None:
    now = fingerprint(TEXTS[name])["words"]
    assert now == pytest.approx(FIXTURE[name]["words"], abs=TOLERANCE), (
        f"the words of {name!r} changed: retrain (python -m training), then regenerate the fixture "
        "(python tests/test_features.py --regenerate)"
    )


def test_the_fixture_covers_every_text() -> None:
    assert set(FIXTURE) == set(TEXTS)
    assert set(BUCKETS) == set(BUCKET_PHRASES)


def _literal(name: str, entries: dict[str, Any]) -> list[str]:
    def item(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)

    lines = [f"{name} = {{"]
    for key, value in entries.items():
        if isinstance(value, dict):
            lines.append(f"    {item(key)}: {{")
            for field, values in value.items():
                head = f"        {item(field)}: "
                if isinstance(values, str):
                    lines.extend(_string(head, values))
                else:
                    lines.extend(_list(head, [item(v) for v in values]))
            lines.append("    },")
        else:
            lines.extend(_list(f"    {item(key)}: ", [item(v) for v in value]))
    lines.append("}")
    return lines


def _string(head: str, text: str) -> list[str]:
    """A string literal as ruff formats it: on the key's line, alone in parentheses, or cut."""
    quoted = json.dumps(text, ensure_ascii=False)
    if len(f"{head}{quoted},") <= 100:
        return [f"{head}{quoted},"]
    chunks = [""]
    for word in text.split(" "):
        if len(chunks[-1]) + len(word) > 80:
            chunks.append("")
        chunks[-1] += word + " "
    chunks[-1] = chunks[-1][:-1]
    pieces = [quoted] if len(quoted) <= 88 else [json.dumps(c, ensure_ascii=False) for c in chunks]
    return [f"{head}(", *(f"            {q}" for q in pieces), "        ),"]


def _list(head: str, items: list[str]) -> list[str]:
    one = f"{head}[{', '.join(items)}],"
    if len(one) <= 100:
        return [one]
    indent = " " * (len(head) - len(head.lstrip()) + 4)
    return [f"{head}[", *(f"{indent}{i}," for i in items), f"{indent[:-4]}],"]


def regenerate() -> None:
    """Rewrite the fixture block of this file from the current code."""
    path = Path(__file__)
    source = path.read_text(encoding="utf-8")
    begin = source.index("# fixture: begin")
    begin = source.index("\n", begin) + 1
    end = source.index("# fixture: end")
    fixture = {name: fingerprint(text) for name, text in sorted(TEXTS.items())}
    bucket = {name: buckets(*args) for name, args in BUCKET_PHRASES.items()}
    block = _literal("FIXTURE: dict[str, dict[str, Any]]", fixture)
    block += _literal("BUCKETS: dict[str, list[list[int]]]", bucket)
    path.write_text(source[:begin] + "\n".join(block) + "\n" + source[end:], encoding="utf-8")
    print(f"wrote the fixture for {len(fixture)} texts into {path}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python tests/test_features.py --regenerate (after python -m training)")
    regenerate()
