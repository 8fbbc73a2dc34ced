"""The structured answer the model returns, and its JSON schema in each shape a provider needs.

One request shape does not fit every provider: OpenAI's strict structured outputs accept only
a subset of JSON Schema (no length bounds), while a llama.cpp grammar needs a bound on every
string or a small model loops until `max_tokens`. Both shapes start from `strict_schema`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from coaching.models import By, Worry, WriterRole
from coaching.taxonomy import Moment, PatternId, Safety, Style

SCHEMA_NAME = "repair_coach_answer"
MAX_PATTERNS = 3
# Grammar bounds for the bounded shape. They are loop guards, not style rules: a small model
# tends to fill a string up to its bound, so worst-case latency grows with their sum (about
# 1,400 characters here, ~550 tokens with JSON structure, inside max_tokens). Spoken lines stay
# well under the taxonomy's 320-character ceiling, which the phrasing guard still enforces.
MAX_EVIDENCE_CHARS = 100  # "the few words that show it"
MAX_LINE_CHARS = 240  # a phrasing: about 40 spoken words
MAX_PARTNER_PROMPT_CHARS = 200  # "one line"
MAX_PERSPECTIVE_CHARS = 160  # "one short sentence"
STYLE_ORDER: tuple[Style, ...] = (Style.GENTLE, Style.DIRECT, Style.NVC)

# Keywords outside the subset OpenAI's strict structured outputs accepts (length, size and
# numeric bounds, defaults). Strict mode refuses a schema carrying them with a 400, so they are
# stripped there and kept only for the bounded (llama.cpp grammar) shape.
_OUTSIDE_STRICT = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "default",
    }
)
# Keywords whose values are data (or names), not schemas: never walked into.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "required"})


class SchemaMode(StrEnum):
    """How the answer schema is sent: one request shape does not fit every provider."""

    STRICT = "strict"  # OpenAI strict structured outputs: no length bounds allowed
    BOUNDED = "bounded"  # llama.cpp grammar: every string and array carries a bound


# --- the structured answer -------------------------------------------------------------------
# Length and size bounds are emitted into the schema (json_schema_extra) but not enforced when
# parsing: the grammar enforces them in bounded mode, and in strict mode an over-long string is
# the phrasing guard's business downstream, not a reason to throw the whole answer away.


def _bounded(max_chars: int, description: str) -> Any:
    return Field(description=description, json_schema_extra={"maxLength": max_chars})


class LlmPattern(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: PatternId
    confidence: float = Field(json_schema_extra={"minimum": 0.0, "maximum": 1.0})
    evidence: str = _bounded(MAX_EVIDENCE_CHARS, "words from the description that show it")
    # An older answer without `by` meant the other person (it had no other role).
    by: By = Field(default="other", description="who did it: the writer or the other person")

    @field_validator("confidence")
    @classmethod
    def _clamp(cls, value: float) -> float:
        # A confidence slightly out of range is noise, not a broken answer.
        return min(1.0, max(0.0, value))


class LlmPhrasing(BaseModel):
    model_config = ConfigDict(frozen=True)

    style: Style
    text: str = _bounded(MAX_LINE_CHARS, "what the writer could say")


class LlmAnswer(BaseModel):
    """What the model must return: its safety judgement, classification and wording in one
    object. Safety comes first so the model weighs it before it writes anything else; it can
    raise the built-in screen's verdict or add a worry to ask about, never lower either. The
    defaults only let an older answer without the fields parse: the schema requires them."""

    model_config = ConfigDict(frozen=True)

    safety: Safety = Field(
        default=Safety.NONE, description="none, crisis or abuse (the taxonomy's levels)"
    )
    safety_check: Literal["", Worry] = Field(
        default="", description="a worry the description leaves open: suicide, danger or ''"
    )
    rupture: bool
    # Before the moment and patterns: the role decides whose doing they name.
    writer_role: WriterRole | None = Field(
        default=None,
        description="hurt (the other person hurt the writer), caused (the writer hurt them), "
        "both (each hurt the other); null when rupture is false",
    )
    moment: Moment | None
    patterns: list[LlmPattern] = Field(json_schema_extra={"maxItems": MAX_PATTERNS})
    phrasings: list[LlmPhrasing] = Field(
        json_schema_extra={"minItems": len(STYLE_ORDER), "maxItems": len(STYLE_ORDER)}
    )
    partner_prompt: str = _bounded(MAX_PARTNER_PROMPT_CHARS, "a line the other person could say")
    perspective: str = _bounded(MAX_PERSPECTIVE_CHARS, "what the other person may have felt")

    @field_validator("phrasings")
    @classmethod
    def _one_per_style(cls, value: list[LlmPhrasing]) -> list[LlmPhrasing]:
        styles = [p.style for p in value]
        if sorted(styles) != sorted(STYLE_ORDER):
            raise ValueError("phrasings must hold exactly one gentle, one direct and one nvc")
        return value


# --- schema shapes ---------------------------------------------------------------------------


def answer_schema(mode: SchemaMode) -> dict[str, Any]:
    """The JSON schema of `LlmAnswer` in the shape `mode` needs.

    Both shapes are strict-compatible in structure (every property required, no additional
    properties) so the grammar or the provider cannot let a field go missing; only strict loses
    the bounds, and only bounded pins the phrasings' styles by position.
    """
    schema = strict_schema(LlmAnswer.model_json_schema(), keep_bounds=mode is SchemaMode.BOUNDED)
    if mode is SchemaMode.STRICT:
        return schema
    return _one_phrasing_per_position(schema)


def strict_schema(schema: dict[str, Any], *, keep_bounds: bool = False) -> dict[str, Any]:
    """OpenAI's strict subset of a pydantic JSON schema (`Model.model_json_schema()`).

    Every object is closed (`additionalProperties: false`) and requires every property (an
    optional field stays nullable through its `anyOf`); a `$ref` never sits beside other
    keywords (it is inlined there, the `allOf: [one]` wrapper too); `$defs` stay at the root,
    where OpenAI resolves them. Bounds and defaults are dropped unless `keep_bounds`, which a
    grammar-based provider (llama.cpp) needs. The input is not changed.
    """
    defs: dict[str, Any] = schema.get("$defs", {})
    return _strict_node(schema, defs, keep_bounds)


def _strict_node(node: dict[str, Any], defs: dict[str, Any], keep_bounds: bool) -> dict[str, Any]:
    node = _inline_ref(node, defs)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if not keep_bounds and key in _OUTSIDE_STRICT:
            continue
        if key in ("properties", "$defs"):
            # Maps from names to schemas: a property called "maxLength" is not the keyword.
            out[key] = {name: _strict_node(sub, defs, keep_bounds) for name, sub in value.items()}
        elif key in _DATA_KEYWORDS:
            out[key] = value
        elif isinstance(value, dict):
            out[key] = _strict_node(value, defs, keep_bounds)
        elif isinstance(value, list):
            out[key] = [
                _strict_node(item, defs, keep_bounds) if isinstance(item, dict) else item
                for item in value
            ]
        else:
            out[key] = value
    if out.get("type") == "object" or "properties" in out:
        out["additionalProperties"] = False
        out["required"] = list(out.get("properties", {}))
    return out


def _inline_ref(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """A `$ref` (or `allOf` of one schema) beside other keywords, merged into one node."""
    all_of = node.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1:
        rest = {k: v for k, v in node.items() if k != "allOf"}
        node = {**_inline_ref(all_of[0], defs), **rest}
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) > 1:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        node = {**_inline_ref(_resolve(defs, ref), defs), **rest}
    return node


def _resolve(defs: dict[str, Any], ref: str) -> dict[str, Any]:
    prefix = "#/$defs/"
    if not ref.startswith(prefix):
        raise ValueError(f"only local $defs references are supported, not {ref!r}")
    resolved: dict[str, Any] = defs[ref.removeprefix(prefix)]
    return resolved


def _one_phrasing_per_position(schema: dict[str, Any]) -> dict[str, Any]:
    """Pin the phrasings to gentle, direct, nvc by position (`prefixItems`, a tuple).

    A grammar given `items` with a style enum lets a small model repeat one style three times;
    a tuple makes that impossible. Strict OpenAI has no tuples, so there the validator checks.
    """
    phrasings: dict[str, Any] = schema["properties"]["phrasings"]
    item = phrasings.pop("items")
    if "$ref" in item:
        item = _resolve(schema["$defs"], item["$ref"])
    phrasings["prefixItems"] = [
        {**item, "properties": {**item["properties"], "style": {"const": style.value}}}
        for style in STYLE_ORDER
    ]
    return schema
