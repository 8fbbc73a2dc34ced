"""`strict_schema`: a pydantic JSON schema turned into OpenAI's strict subset, built here.

What the fake server receives is tested in test_llm.py; these tests feed the function shapes
pydantic produces (a described `$ref`, an optional field with a default, bounds).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import BaseModel, Field

from llm.schema import LlmAnswer, LlmPattern, SchemaMode, answer_schema, strict_schema
from tests.test_llm import schema_nodes

OUTSIDE_STRICT = {"maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum", "default"}


class Inner(BaseModel):
    word: str = Field(max_length=5)


class Outer(BaseModel):
    inner: Inner = Field(description="a described reference")
    note: str | None = None
    items: list[Inner] = Field(default_factory=list, max_length=2)


def objects(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [node for node in schema_nodes(schema) if node.get("type") == "object"]


def test_every_object_is_closed_and_requires_every_property() -> None:
    schema = strict_schema(Outer.model_json_schema())

    assert len(objects(schema)) >= 3  # Outer, Inner in $defs, Inner inlined
    for node in objects(schema):
        assert node["additionalProperties"] is False
        assert node["required"] == list(node["properties"])


def test_optional_field_is_required_but_stays_nullable() -> None:
    schema = strict_schema(Outer.model_json_schema())

    assert "note" in schema["required"]
    assert {"type": "null"} in schema["properties"]["note"]["anyOf"]


def test_ref_beside_other_keywords_is_inlined_and_plain_refs_point_into_defs() -> None:
    schema = strict_schema(Outer.model_json_schema())

    inner = schema["properties"]["inner"]
    assert "$ref" not in inner
    assert inner["description"] == "a described reference"
    assert set(inner["properties"]) == {"word"}
    refs = [node for node in schema_nodes(schema) if "$ref" in node]
    assert refs
    for node in refs:
        assert set(node) == {"$ref"}
        assert node["$ref"].removeprefix("#/$defs/") in schema["$defs"]


def test_bounds_and_defaults_are_dropped_in_strict_mode() -> None:
    schema = strict_schema(Outer.model_json_schema())

    assert all(OUTSIDE_STRICT.isdisjoint(node) for node in schema_nodes(schema))


def test_bounds_are_kept_for_a_grammar() -> None:
    schema = strict_schema(Outer.model_json_schema(), keep_bounds=True)

    assert schema["$defs"]["Inner"]["properties"]["word"]["maxLength"] == 5
    assert schema["properties"]["items"]["maxItems"] == 2
    assert schema["properties"]["inner"]["properties"]["word"]["maxLength"] == 5


def test_the_input_schema_is_left_unchanged() -> None:
    original = Outer.model_json_schema()
    before = copy.deepcopy(original)

    strict_schema(original)

    assert original == before


# --- the answer's own schema: who hurt whom --------------------------------------------------


def pattern_object(schema: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = schema["properties"]["patterns"]["items"]
    if "$ref" in item:
        item = schema["$defs"][item["$ref"].removeprefix("#/$defs/")]
    return item


@pytest.mark.parametrize("mode", [SchemaMode.STRICT, SchemaMode.BOUNDED])
def test_answer_schema_carries_writer_role_and_by_and_stays_strict(mode: SchemaMode) -> None:
    schema = answer_schema(mode)

    assert "writer_role" in schema["required"]
    assert schema["required"].index("writer_role") < schema["required"].index("patterns")
    role = schema["properties"]["writer_role"]
    assert role["description"]
    assert {"type": "null"} in role["anyOf"]
    assert {"enum": ["hurt", "caused", "both"], "type": "string"} in [
        {k: v for k, v in option.items() if k in ("enum", "type")} for option in role["anyOf"]
    ]
    pattern = pattern_object(schema)
    assert "by" in pattern["required"]
    assert pattern["properties"]["by"]["enum"] == ["writer", "other"]
    assert pattern["properties"]["by"]["description"]
    for node in objects(schema):
        assert node["additionalProperties"] is False
        assert node["required"] == list(node["properties"])
    if mode is SchemaMode.STRICT:
        assert all(OUTSIDE_STRICT.isdisjoint(node) for node in schema_nodes(schema))


def test_an_older_answer_without_role_or_by_still_parses() -> None:
    answer = LlmAnswer.model_validate(
        {
            "rupture": True,
            "moment": None,
            "patterns": [{"id": "minimizing", "confidence": 0.8, "evidence": "at least"}],
            "phrasings": [
                {"style": style, "text": "I felt hurt. Could we talk?"}
                for style in ("gentle", "direct", "nvc")
            ],
            "partner_prompt": "",
            "perspective": "",
        }
    )

    assert answer.writer_role is None
    assert answer.patterns == [
        LlmPattern.model_validate(
            {"id": "minimizing", "confidence": 0.8, "evidence": "at least", "by": "other"}
        )
    ]
