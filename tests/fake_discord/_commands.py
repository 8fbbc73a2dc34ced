"""Application commands: what the bot registered (bulk overwrite, create, delete), Discord's
documented limits the OpenAPI description does not express, and the `options` + `resolved`
of an invocation built from a test's plain values, typed by the registered definition."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from . import _payloads
from ._state import (
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    Snowflakes,
)

# Option types (https://discord.com/developers/docs/interactions/application-commands).
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN = 1, 2, 3, 4, 5
USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 6, 7, 8, 9, 10, 11
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3

# Chat-input command and option names: 1-32 of letters, digits, '-' and '_' (Discord's
# regex also allows Devanagari and Thai), all lowercase where a case exists.
_NAME = re.compile(r"^[-_\w]{1,32}$")


class CommandError(AssertionError):
    """A test asked for something a Discord client could not send (unknown command, missing
    required option, a value outside the choices…)."""


def limit_errors(commands: list[dict[str, Any]]) -> list[str]:
    """Documented rules Discord enforces (400 Invalid Form Body) that the OpenAPI schema does
    not: name pattern and lowercase, descriptions 1-100, required options first, unique names,
    at most 100 chat-input and 5 + 5 context-menu commands."""
    errors: list[str] = []
    by_type: dict[int, int] = {}
    seen: set[tuple[str, int]] = set()
    for index, command in enumerate(commands):
        kind = int(command.get("type") or CHAT_INPUT)
        name = str(command.get("name", ""))
        by_type[kind] = by_type.get(kind, 0) + 1
        if (name, kind) in seen:
            errors.append(f"{index}/name: duplicate command name {name!r}")
        seen.add((name, kind))
        if kind == CHAT_INPUT:
            errors += _named(f"{index}", command)
            errors += _options(f"{index}/options", command.get("options") or [])
        elif not 1 <= len(name) <= 32:
            errors.append(f"{index}/name: context menu names are 1-32 characters")
        elif command.get("description"):
            errors.append(f"{index}/description: context menu commands take no description")
    if by_type.get(CHAT_INPUT, 0) > 100:
        errors.append("at most 100 chat-input commands")
    for kind, label in ((USER_COMMAND, "user"), (MESSAGE_COMMAND, "message")):
        if by_type.get(kind, 0) > 5:
            errors.append(f"at most 5 {label} context-menu commands")
    return errors


def _named(where: str, item: Mapping[str, Any]) -> list[str]:
    errors = []
    name = str(item.get("name", ""))
    if not _NAME.match(name) or name != name.lower():
        errors.append(f"{where}/name: {name!r} must be 1-32 lowercase letters, digits, - or _")
    description = item.get("description") or ""
    if not 1 <= len(description) <= 100:
        errors.append(f"{where}/description: must be 1-100 characters")
    return errors


def _options(where: str, options: list[dict[str, Any]]) -> list[str]:
    errors: list[str] = []
    names: set[str] = set()
    optional_seen = False
    for index, option in enumerate(options):
        here = f"{where}/{index}"
        errors += _named(here, option)
        if option.get("name") in names:
            errors.append(f"{here}/name: duplicate option name {option.get('name')!r}")
        names.add(str(option.get("name")))
        if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            errors += _options(f"{here}/options", option.get("options") or [])
            continue
        if option.get("required"):
            if optional_seen:
                errors.append(f"{here}: required options must come before optional ones")
        else:
            optional_seen = True
        if option.get("autocomplete") and option.get("choices"):
            errors.append(f"{here}: autocomplete cannot be used with choices")
    return errors


class CommandStore:
    """Registered commands per scope (None: global, else a guild id). Ids survive a bulk
    overwrite for the same (name, type), as on Discord."""

    def __init__(self, ids: Snowflakes, application_id: int) -> None:
        self._ids = ids
        self.application_id = application_id
        self.scopes: dict[int | None, list[dict[str, Any]]] = {}

    def get(self, scope: int | None) -> list[dict[str, Any]]:
        return copy.deepcopy(self.scopes.get(scope, []))

    def overwrite(self, scope: int | None, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        old = {(c["name"], c["type"]): c for c in self.scopes.get(scope, [])}
        new = [self._stored(scope, body, old) for body in bodies]
        self.scopes[scope] = new
        return copy.deepcopy(new)

    def upsert(self, scope: int | None, body: dict[str, Any]) -> dict[str, Any]:
        current = self.scopes.setdefault(scope, [])
        old = {(c["name"], c["type"]): c for c in current}
        stored = self._stored(scope, body, old)
        current[:] = [c for c in current if c["id"] != stored["id"]] + [stored]
        return copy.deepcopy(stored)

    def delete(self, scope: int | None, command_id: str) -> bool:
        current = self.scopes.get(scope, [])
        kept = [c for c in current if c["id"] != command_id]
        self.scopes[scope] = kept
        return len(kept) != len(current)

    def _stored(
        self,
        scope: int | None,
        body: dict[str, Any],
        old: Mapping[tuple[str, int], dict[str, Any]],
    ) -> dict[str, Any]:
        kind = int(body.get("type") or CHAT_INPUT)
        previous = old.get((body["name"], kind))
        permissions = body.get("default_member_permissions")
        stored: dict[str, Any] = {
            "id": previous["id"] if previous else str(self._ids.next()),
            "application_id": str(self.application_id),
            "version": str(self._ids.next()),
            "type": kind,
            "name": body["name"],
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description") or "",
            "description_localizations": body.get("description_localizations"),
            "default_member_permissions": None if permissions is None else str(permissions),
            "nsfw": bool(body.get("nsfw", False)),
            "integration_types": body.get("integration_types") or [0],
        }
        if body.get("contexts") is not None:
            stored["contexts"] = body["contexts"]
        else:
            stored["contexts"] = None
        if scope is None:
            stored["dm_permission"] = body.get("dm_permission", True) is not False
        else:
            stored["guild_id"] = str(scope)
        if body.get("options"):
            stored["options"] = [_stored_option(o) for o in body["options"]]
        return stored

    def find(
        self, name: str, kind: int, guild: FakeGuild | None
    ) -> tuple[dict[str, Any], int | None]:
        """The command a user picks in the client: the guild's own first, then global."""
        scopes: list[int | None] = [guild.id, None] if guild else [None]
        for scope in scopes:
            for command in self.scopes.get(scope, []):
                if command["name"] == name and command["type"] == kind:
                    return copy.deepcopy(command), scope
        registered = {
            ("global" if s is None else s): [c["name"] for c in cs] for s, cs in self.scopes.items()
        }
        raise CommandError(f"no command {name!r} (type {kind}) registered; have {registered}")


def _stored_option(option: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in option.items() if v is not None}
    if not out.get("required"):
        out.pop("required", None)
    if "options" in out:
        out["options"] = [_stored_option(o) for o in out["options"]]
    return out


class OptionBuilder:
    """Turns {"story": "…", "count": 2, "who": some_user} into Discord's typed `options` and
    `resolved`, checking what a Discord client would refuse to send."""

    def __init__(
        self,
        ids: Snowflakes,
        guild: FakeGuild | None,
        attachment: Callable[[str, bytes], FakeAttachment],
    ) -> None:
        self._ids = ids
        self._guild = guild
        self._attachment = attachment
        self.resolved: dict[str, dict[str, Any]] = {}

    def build(
        self,
        definitions: list[dict[str, Any]],
        path: list[str],
        values: Mapping[str, Any],
        *,
        focused: str | None = None,
    ) -> list[dict[str, Any]]:
        if path:
            head, rest = path[0], path[1:]
            for definition in definitions:
                if definition["name"] == head and definition["type"] in (
                    SUB_COMMAND,
                    SUB_COMMAND_GROUP,
                ):
                    inner = self.build(
                        definition.get("options") or [], rest, values, focused=focused
                    )
                    return [{"name": head, "type": definition["type"], "options": inner}]
            subs = [d["name"] for d in definitions if d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
            raise CommandError(f"no subcommand {head!r}; have {subs}")
        if any(d["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for d in definitions):
            subs = [d["name"] for d in definitions]
            raise CommandError(f"this command needs a subcommand: one of {subs}")
        known = {d["name"]: d for d in definitions}
        unknown = set(values) - set(known)
        if unknown:
            raise CommandError(
                f"unknown options {sorted(unknown)}; the command has {sorted(known)}"
            )
        if focused is not None and focused not in known:
            raise CommandError(f"focused option {focused!r} is not an option of the command")
        options: list[dict[str, Any]] = []
        for definition in definitions:
            name = definition["name"]
            if name not in values:
                if definition.get("required") and focused is None:
                    raise CommandError(f"required option {name!r} missing")
                continue
            if name == focused:
                if not definition.get("autocomplete"):
                    raise CommandError(f"option {name!r} has no autocomplete")
                # What the user has typed so far, as text, whatever the option's type.
                options.append(
                    {
                        "name": name,
                        "type": definition["type"],
                        "value": str(values[name]),
                        "focused": True,
                    }
                )
                continue
            options.append(
                {
                    "name": name,
                    "type": definition["type"],
                    "value": self._value(definition, values[name]),
                }
            )
        return options

    def _value(self, definition: dict[str, Any], value: Any) -> Any:
        kind = definition["type"]
        name = definition["name"]
        if kind == STRING:
            if not isinstance(value, str):
                raise CommandError(f"option {name!r} takes a string, got {value!r}")
            if (
                not definition.get("min_length", 0)
                <= len(value)
                <= definition.get("max_length", 6000)
            ):
                raise CommandError(f"option {name!r}: length outside the declared min/max")
        elif kind in (INTEGER, NUMBER):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise CommandError(f"option {name!r} takes a number, got {value!r}")
            if kind == INTEGER and not isinstance(value, int):
                raise CommandError(f"option {name!r} takes an integer, got {value!r}")
            low, high = definition.get("min_value"), definition.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise CommandError(f"option {name!r}: {value} outside [{low}, {high}]")
        elif kind == BOOLEAN:
            if not isinstance(value, bool):
                raise CommandError(f"option {name!r} takes a boolean, got {value!r}")
        elif kind in (USER, MENTIONABLE) and isinstance(value, FakeUser | FakeMember):
            return self._user(value)
        elif kind in (ROLE, MENTIONABLE) and isinstance(value, FakeRole):
            self.resolved.setdefault("roles", {})[str(value.id)] = _payloads.role(value)
            return str(value.id)
        elif kind == CHANNEL and isinstance(value, FakeChannel):
            payload = _payloads.channel(value)
            payload["permissions"] = str((1 << 51) - 1)
            self.resolved.setdefault("channels", {})[str(value.id)] = payload
            return str(value.id)
        elif kind == ATTACHMENT and isinstance(value, tuple) and len(value) == 2:
            attachment = self._attachment(str(value[0]), bytes(value[1]))
            self.resolved.setdefault("attachments", {})[str(attachment.id)] = _payloads.attachment(
                attachment
            )
            return str(attachment.id)
        else:
            raise CommandError(
                f"option {name!r} (type {kind}) cannot take {value!r}: users/members for user "
                "options, a FakeChannel, a FakeRole, (filename, bytes) for attachments"
            )
        choices = definition.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise CommandError(f"option {name!r}: {value!r} is not one of the choices {choices}")
        return value

    def _user(self, value: FakeUser | FakeMember) -> str:
        user = value.user if isinstance(value, FakeMember) else value
        self.resolved.setdefault("users", {})[str(user.id)] = _payloads.user(user)
        if self._guild is not None and user.id in self._guild.members:
            member = _payloads.member(
                self._guild.members[user.id], with_user=False, permissions=True
            )
            self.resolved.setdefault("members", {})[str(user.id)] = member
        return str(user.id)
