"""The text -> feature code the shipped models were trained with, pinned on texts of our own.

The weights in coaching/understanding/data/*.npz mean something only for the features they were
trained on: tokens and negation marks, crc32 buckets of words and word pairs, the writer's `w:`
namespace, L2 scaling, the wordllama embedding and where it sits in the row
(coaching/reading/features.py), and how a story is cut up for them: `normalize`, `split_voices`.
test_training.py checks that the weights match their data; this file checks that the code turning
text into features still gives what it gave when the weights were trained, so a change that
would make the weights mean something else fails here instead of quietly lowering the coach.
(When the fixture was written, retraining reproduced the shipped weights to within 0.01.)

A deliberate change to any of that code needs the models retrained and this fixture written
again, in that order:

    .venv/bin/python -m training
    .venv/bin/python tests/test_features.py --regenerate

Each row is fingerprinted by a fixed random projection (numpy's legacy `RandomState`, whose
stream is frozen) of its word part and of its embedding part, so a moved bucket, a changed
token or a different embedding all move the numbers far beyond the tolerance.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coaching.reading.features import (
    DIM,
    EMBED_DIM,
    HASH_DIM,
    Featurizer,
    Row,
    hashed,
    tokens,
)
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
_EMBEDDED = np.arange(HASH_DIM, HASH_DIM + EMBED_DIM)


def _project(rows: list[Row]) -> dict[str, list[float]]:
    """Word part (hashed words and pairs, and the bias) and embedding part, four numbers each."""
    words = np.zeros(4)
    embedding = np.zeros(4)
    for row in rows:
        values = row.values.astype(np.float64)
        in_embedding = np.isin(row.indices, _EMBEDDED)
        words += values[~in_embedding] @ _PROJECTION[row.indices[~in_embedding]]
        embedding += values[in_embedding] @ _PROJECTION[row.indices[in_embedding]]
    return {"words": _rounded(words), "embedding": _rounded(embedding)}


def _rounded(vector: np.ndarray) -> list[float]:
    return [round(float(x), 6) for x in vector]


def fingerprint(text: str) -> dict[str, Any]:
    """What each shipped model is fed for `text`: the pattern model the other person's and the
    writer's words, the moment model the whole story."""
    default = Featurizer.default()
    pattern = _project(default.rows([split_voices(text)]))
    moment = _project(default.rows([(normalize(text), "")]))
    return {
        "tokens": " ".join(tokens(normalize(text))),
        "pattern_words": pattern["words"],
        "pattern_embedding": pattern["embedding"],
        "moment_words": moment["words"],
        "moment_embedding": moment["embedding"],
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
        "pattern_words": [-1.145462, 1.122948, 1.608842, 2.687371],
        "pattern_embedding": [0.0, 0.0, 0.0, 0.0],
        "moment_words": [1.200549, 0.101378, -0.95489, 1.484416],
        "moment_embedding": [-0.071849, -0.728902, -1.175111, 0.847049],
    },
    "apostrophes": {
        "tokens": (
            "i'm tired of saying it's fine when it isn't not_she'd not_shrug not_and say 'whatever'"
        ),
        "pattern_words": [0.557926, 0.465086, -0.29183, 3.81698],
        "pattern_embedding": [1.907593, 0.460436, 0.110892, 0.238424],
        "moment_words": [0.014121, -0.393957, 0.749082, 1.241481],
        "moment_embedding": [0.643366, 0.662381, 0.515227, 1.17677],
    },
    "crisis": {
        "tokens": (
            "lately i keep thinking the people i love would be lighter without not_me not_around"
        ),
        "pattern_words": [0.387369, 0.215933, -1.926534, 2.359824],
        "pattern_embedding": [0.0, 0.0, 0.0, 0.0],
        "moment_words": [-0.102334, -0.22146, 0.359884, 0.500628],
        "moment_embedding": [0.587306, -0.09174, 0.132024, 2.106472],
    },
    "digits": {
        "tokens": "i waited hours at the caf after my pm scan he texted at asking for pizza",
        "pattern_words": [-1.338207, -2.940343, 0.045107, 0.134921],
        "pattern_embedding": [-0.397478, 0.748502, -0.944819, 0.723127],
        "moment_words": [-0.550524, 0.317876, -0.034938, 1.117564],
        "moment_embedding": [0.283589, 1.042461, 0.57352, 1.257269],
    },
    "emoji": {
        "tokens": "i sent my sister the news about the layoff and she replied 😂 then nothing",
        "pattern_words": [-3.02234, 0.262347, 0.4955, 4.10043],
        "pattern_embedding": [2.069705, 0.572746, 0.031732, -0.779982],
        "moment_words": [-1.65406, 0.083637, -0.247993, 4.445946],
        "moment_embedding": [-0.292929, 0.695023, 1.206866, -0.354744],
    },
    "hyphen": {
        "tokens": "my co worker rolled her eyes and told me to toughen up about my mother in law",
        "pattern_words": [-0.56988, -1.238775, -0.872334, 1.101098],
        "pattern_embedding": [-0.518016, 1.086803, 0.94685, 0.739346],
        "moment_words": [-0.958337, -1.764931, -1.166596, 1.43417],
        "moment_embedding": [-0.442257, 0.953075, 0.944233, 0.520001],
    },
    "near_negation": {
        "tokens": "he barely listened hardly looked at me and neither of us slept after that",
        "pattern_words": [0.392785, -1.372135, -1.522872, 2.535502],
        "pattern_embedding": [0.671577, 0.703213, -0.164942, 2.445429],
        "moment_words": [0.392785, -1.372135, -1.522872, 2.535502],
        "moment_embedding": [0.724029, 0.647088, -0.147483, 2.319141],
    },
    "negation": {
        "tokens": (
            "i told him the audition went badly and he didn't not_even not_look not_up from "
            "the game"
        ),
        "pattern_words": [0.072139, -0.346391, -0.006857, 1.813624],
        "pattern_embedding": [0.304804, 0.855125, 0.445426, -0.301216],
        "moment_words": [0.418993, -0.582437, -1.695122, 2.590558],
        "moment_embedding": [0.463943, 0.337095, -1.456233, -1.393579],
    },
    "ordinary": {
        "tokens": "we argued about the rent split both explained ourselves and settled on",
        "pattern_words": [-0.916412, -0.986368, 0.210997, 0.943584],
        "pattern_embedding": [0.0, 0.0, 0.0, 0.0],
        "moment_words": [-0.54538, 0.176097, -0.688285, 2.281355],
        "moment_embedding": [-0.267556, 1.483774, 0.27001, 1.280448],
    },
    "quote": {
        "tokens": "when i said my dad's surgery scared me she answered we all have problems",
        "pattern_words": [0.303427, 0.966221, 1.374166, 5.772037],
        "pattern_embedding": [1.186802, 0.589223, 0.395092, -0.124449],
        "moment_words": [-0.254548, 0.225152, 1.915696, 3.248582],
        "moment_embedding": [-0.095388, -0.299898, 0.372058, 0.613524],
    },
    "texting": {
        "tokens": (
            "told my boyfriend i was stressed about the exam and he was like don't not_be "
            "not_so not_extra lol"
        ),
        "pattern_words": [-1.060337, -0.007173, -0.641725, 0.008873],
        "pattern_embedding": [0.812636, 0.834785, -0.833282, 0.148782],
        "moment_words": [0.255633, 0.235855, -0.242924, 0.742012],
        "moment_embedding": [-0.329693, -0.082729, -0.509922, -0.079052],
    },
    "writer": {
        "tokens": "i cried in the car and i snapped at him i felt ashamed and i apologised",
        "pattern_words": [-0.850816, -0.342288, 0.054249, 2.160169],
        "pattern_embedding": [0.0, 0.0, 0.0, 0.0],
        "moment_words": [-0.677297, -0.426429, -0.922656, 2.799107],
        "moment_embedding": [0.225788, 2.307395, -1.269644, 0.542561],
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


@pytest.mark.parametrize(
    "part",
    [
        "pattern_words",
        "pattern_embedding",
        "moment_words",
        "moment_embedding",
    ],
)
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_model_inputs_are_as_trained(name: str, part: str) -> None:
    now = fingerprint(TEXTS[name])[part]
    assert now == pytest.approx(FIXTURE[name][part], abs=TOLERANCE), (
        f"{part} of {name!r} changed: retrain (python -m training), then regenerate the fixture "
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
