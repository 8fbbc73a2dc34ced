"""Discord's own OpenAPI description (tests/data/discord-api-spec/openapi.json, MIT): finds the
operation a request hits (method + path template) and validates JSON bodies against it.

The fake validates what the bot sends (request bodies) and, in its own tests, what it answers
(response bodies), so neither side can drift from the real wire format unnoticed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import referencing
import referencing.jsonschema
from jsonschema.exceptions import ValidationError

SPEC_PATH = Path(__file__).resolve().parent.parent / "data" / "discord-api-spec" / "openapi.json"

# The whole document lives in one registry resource under this URI; every local reference
# ("#/components/schemas/X") is rewritten to point into it, so a schema lifted out of
# paths/... still resolves its references (they would otherwise resolve against the fragment).
_SPEC_URI = "urn:discord-api-spec"

_METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One operation of the description: `PUT /applications/{application_id}/commands`."""

    method: str
    template: str
    operation_id: str
    regex: re.Pattern[str]
    literal_segments: int

    def match(self, path: str) -> dict[str, str] | None:
        found = self.regex.fullmatch(path)
        return None if found is None else found.groupdict()


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                _SPEC_URI + value
                if key == "$ref" and isinstance(value, str) and value.startswith("#")
                else _rewrite_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def _snowflake_type(
    validator: jsonschema.protocols.Validator, types: Any, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    # Narrow exception: SnowflakeType is {"type": "string", "format": "snowflake"}, but
    # discord.py sends some ids as JSON integers (e.g. `recipient_id` of POST /users/@me/channels,
    # `attachments[].id` as the file's index) and Discord accepts integer snowflakes everywhere.
    # Only a non-negative integer where the schema says "snowflake" is let through.
    if (
        schema.get("format") == "snowflake"
        and isinstance(instance, int)
        and not isinstance(instance, bool)
        and 0 <= instance < 2**64
    ):
        return
    yield from jsonschema.Draft202012Validator.VALIDATORS["type"](
        validator, types, instance, schema
    )


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"type": _snowflake_type}
)


class Spec:
    """The loaded description: operations by method, schemas for request and response bodies."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = _rewrite_refs(document)
        resource = referencing.Resource.from_contents(
            self.document, default_specification=referencing.jsonschema.DRAFT202012
        )
        self.registry: referencing.Registry[Any] = referencing.Registry().with_resource(
            _SPEC_URI, resource
        )
        self.operations: list[Operation] = []
        for template, item in self.document["paths"].items():
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            literal = sum(1 for part in template.split("/") if part and "{" not in part)
            for method in _METHODS:
                if method in item:
                    self.operations.append(
                        Operation(
                            method=method.upper(),
                            template=template,
                            operation_id=item[method].get("operationId", ""),
                            regex=re.compile(pattern),
                            literal_segments=literal,
                        )
                    )
        self._validators: dict[tuple[str, str, str], jsonschema.protocols.Validator | None] = {}

    def find(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for a request path (without the /api/v10 prefix). A literal segment
        beats a parameter (`/messages/@original` over `/messages/{message_id}`)."""
        best: tuple[Operation, dict[str, str]] | None = None
        for operation in self.operations:
            if operation.method != method.upper():
                continue
            params = operation.match(path)
            if params is not None and (
                best is None or operation.literal_segments > best[0].literal_segments
            ):
                best = (operation, params)
        return best

    def _validator(
        self, operation: Operation, where: str, key: str
    ) -> jsonschema.protocols.Validator | None:
        cache_key = (operation.method + " " + operation.template, where, key)
        if cache_key not in self._validators:
            op = self.document["paths"][operation.template][operation.method.lower()]
            schema: Any = None
            if where == "request":
                schema = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            else:
                schema = op.get("responses", {}).get(key, {}).get("content", {})
                schema = schema.get("application/json", {})
            schema = schema.get("schema")
            self._validators[cache_key] = (
                None if schema is None else _Validator(schema, registry=self.registry)
            )
        return self._validators[cache_key]

    def validate_request(self, operation: Operation, body: Any) -> list[str]:
        """Errors of a JSON request body (empty when valid or when the operation takes none)."""
        validator = self._validator(operation, "request", "")
        if validator is None:
            return [] if body is None else ["the operation takes no JSON body"]
        return _errors(validator, body)

    def validate_response(self, operation: Operation, status: int, body: Any) -> list[str]:
        """Errors of a JSON response body against the documented response for that status."""
        validator = self._validator(operation, "response", str(status))
        if validator is None:
            return []
        return _errors(validator, body)

    def schema(self, name: str) -> dict[str, Any]:
        """A component schema by name (references rewritten)."""
        found: dict[str, Any] = self.document["components"]["schemas"][name]
        return found


def _errors(validator: jsonschema.protocols.Validator, body: Any) -> list[str]:
    out: list[str] = []
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        for leaf in _leaves(error):
            where = "/".join(str(p) for p in leaf.absolute_path) or "(body)"
            out.append(f"{where}: {leaf.message[:300]}")
    return out


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors that say what is wrong. An anyOf/oneOf error only says "not valid under any
    of the given schemas"; Discord's unions are discriminated by a `type` key, so the branches
    whose `type` (or JSON kind) does not match are dropped and the remaining ones' errors given."""
    if not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    matching = [
        subs
        for subs in branches.values()
        if not any(
            (list(sub.relative_path) == ["type"] and sub.validator in ("enum", "const"))
            # a branch for another kind of value altogether (null, string) is no candidate
            or (not sub.relative_path and sub.validator == "type")
            for sub in subs
        )
    ]
    if not matching:
        # No branch claims this `type`: the union's own message is the clearest.
        return [error]
    if len(matching) > 1:
        # Not discriminated by `type`: jsonschema's relevance heuristic picks the likeliest.
        best = jsonschema.exceptions.best_match(sub for subs in matching for sub in subs)
        return [error] if best is None else _leaves(best)
    return [leaf for sub in matching[0] for leaf in _leaves(sub)]


def message_limit_errors(body: Any) -> list[str]:
    """Documented message limits the description does not express: a bot's content is at most
    2000 characters (the schema allows 4000, the limit for Nitro users), and all embeds of a
    message together at most 6000 characters of text."""
    if not isinstance(body, dict):
        return []
    errors = []
    content = body.get("content")
    if isinstance(content, str) and len(content) > 2000:
        errors.append(f"content: {len(content)} characters, a bot may send 2000")
    total = 0
    for embed in body.get("embeds") or []:
        if not isinstance(embed, dict):
            continue
        parts = [embed.get("title"), embed.get("description")]
        parts += [(embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
        for item in embed.get("fields") or []:
            parts += [item.get("name"), item.get("value")] if isinstance(item, dict) else []
        # Wrong types are the schema's to report; only text counts here.
        total += sum(len(part) for part in parts if isinstance(part, str))
    if total > 6000:
        errors.append(f"embeds: {total} characters in all, at most 6000")
    return errors


@cache
def load_spec() -> Spec:
    """The description, loaded once per test session (1.2 MB of JSON)."""
    with SPEC_PATH.open(encoding="utf-8") as handle:
        return Spec(json.load(handle))
