"""The application commands the bot registers, checked against Discord's limits before Discord
sees them: a payload Discord refuses fails the whole bulk overwrite (no command is registered).

The payload comes the way a person reviews it (`repair-coach commands --json`, a subprocess
with no token) and from `app.bot.command_payload()`; both must agree. Each command is checked
against the documented limits (names, descriptions, options, choices, lengths, the 4,000
characters a command may total) by the small validators below, which have their own negative
tests, and the whole list against Discord's OpenAPI description (tests/data/discord-api-spec)
for `PUT /applications/{application_id}/commands`. Also: the /coach modal (its fields fit the
coach's limit, its body fits the modal callback schema), and that every extension loads with
its cog, no clashing command and the persistent buttons registered.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import jsonschema
import pytest

from app.bot import command_payload
from bot.client import EXTENSIONS, BotConfig, CoachBot
from bot.exts.coach import _cog as coach_cog
from bot.exts.coach._cog import StoryModal
from bot.views import AnswerButton, CheckInButton, answer_view, check_in_view
from coaching.service import MAX_CHARS, InputError, clean_input
from tests.fake_discord._spec import Spec, load_spec

try:  # the third-party `regex` module knows \p{...}; the standard library's `re` does not
    import regex as _regex
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

# --- Discord's limits (https://discord.com/developers/docs/interactions/application-commands) --

CHAT_INPUT, USER, MESSAGE = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP, STRING = 1, 2, 3
NAME_MAX = 32
DESCRIPTION_MAX = 100
OPTIONS_MAX = 25
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
STRING_LENGTH_MAX = 6000
COMMAND_CHARS_MAX = 4000
# Global commands per type: 100 chat input, 15 user, 15 message (the spec's maxItems of 130 for
# the bulk overwrite is their sum).
PER_TYPE_MAX = {CHAT_INPUT: 100, USER: 15, MESSAGE: 15}
TEXT_INPUT_MAX = 4000  # a modal text input's max_length

# Discord's own pattern for chat-input command and option names (Devanagari and Thai are
# allowed on top of letters and numbers: their vowel signs are marks, not letters).
_NAME_PATTERN = r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$"


def is_chat_input_name(name: str) -> bool:
    """Whether `name` matches Discord's chat-input name pattern."""
    if _regex is not None:
        return _regex.fullmatch(_NAME_PATTERN, name) is not None
    return 1 <= len(name) <= NAME_MAX and all(_name_character(c) for c in name)


def _name_character(char: str) -> bool:
    # The same as the pattern without `regex`: \p{L} and \p{N} are the L* and N* categories.
    if char in "-_" or unicodedata.category(char)[0] in "LN":
        return True
    return unicodedata.name(char, "").startswith(("DEVANAGARI ", "THAI "))


def _localized(item: dict[str, Any], key: str) -> list[str]:
    """The field and each of its translations."""
    values = [item.get(key) or ""]
    values += list((item.get(f"{key}_localizations") or {}).values())
    return values


def _longest(item: dict[str, Any], key: str) -> int:
    # Discord counts the longest variant of a field toward the command's total.
    return max(len(value) for value in _localized(item, key))


def command_chars(command: dict[str, Any]) -> int:
    """What Discord counts toward a command's 4,000 characters: names, descriptions, and the
    choices' names and values, all the way down the options."""

    def options(items: list[dict[str, Any]]) -> int:
        total = 0
        for option in items:
            total += _longest(option, "name") + _longest(option, "description")
            for choice in option.get("choices") or []:
                total += _longest(choice, "name") + len(str(choice["value"]))
            total += options(option.get("options") or [])
        return total

    return (
        _longest(command, "name")
        + _longest(command, "description")
        + options(command.get("options") or [])
    )


def command_problems(command: dict[str, Any]) -> list[str]:
    """Every way one command breaks Discord's documented limits (empty: none)."""
    name = command.get("name", "")
    kind = command.get("type", CHAT_INPUT)
    where = f"{name!r} (type {kind})"
    problems: list[str] = []
    if kind == CHAT_INPUT:
        problems += _name_problems(command, where)
        problems += _description_problems(command, where)
        problems += _options_problems(command.get("options") or [], where, depth=0)
    elif kind in (USER, MESSAGE):
        for variant in _localized(command, "name"):
            if not 1 <= len(variant) <= NAME_MAX:
                problems.append(f"{where}: context-menu name {variant!r} not 1-{NAME_MAX} chars")
        if command.get("description") or command.get("description_localizations"):
            problems.append(f"{where}: a context menu's description must be empty")
        if command.get("options"):
            problems.append(f"{where}: a context menu takes no options")
    else:
        problems.append(f"{where}: unknown command type")
    total = command_chars(command)
    if total > COMMAND_CHARS_MAX:
        problems.append(f"{where}: {total} characters in all, over {COMMAND_CHARS_MAX}")
    return problems


def _name_problems(item: dict[str, Any], where: str) -> list[str]:
    problems = []
    for variant in _localized(item, "name"):
        if not is_chat_input_name(variant):
            problems.append(f"{where}: name {variant!r} does not match {_NAME_PATTERN}")
        if variant != variant.lower():
            problems.append(f"{where}: name {variant!r} is not lowercase")
    return problems


def _description_problems(item: dict[str, Any], where: str) -> list[str]:
    return [
        f"{where}: description of {len(variant)} chars, not 1-{DESCRIPTION_MAX}"
        for variant in _localized(item, "description")
        if not 1 <= len(variant) <= DESCRIPTION_MAX
    ]


def _options_problems(options: list[dict[str, Any]], where: str, depth: int) -> list[str]:
    problems: list[str] = []
    if len(options) > OPTIONS_MAX:
        problems.append(f"{where}: {len(options)} options, over {OPTIONS_MAX}")
    seen_optional = False
    names: set[str] = set()
    for option in options:
        at = f"{where} option {option.get('name', '')!r}"
        kind = option.get("type")
        problems += _name_problems(option, at)
        problems += _description_problems(option, at)
        if option.get("name") in names:
            problems.append(f"{at}: a second option of that name")
        names.add(option.get("name", ""))
        if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if depth >= (1 if kind == SUB_COMMAND_GROUP else 2):
                problems.append(f"{at}: nested too deep")
            problems += _options_problems(option.get("options") or [], at, depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                problems.append(f"{at}: a required option after an optional one")
        else:
            seen_optional = True
        choices = option.get("choices") or []
        if len(choices) > CHOICES_MAX:
            problems.append(f"{at}: {len(choices)} choices, over {CHOICES_MAX}")
        if choices and option.get("autocomplete"):
            problems.append(f"{at}: choices and autocomplete together")
        for choice in choices:
            for variant in _localized(choice, "name"):
                if not 1 <= len(variant) <= CHOICE_NAME_MAX:
                    problems.append(f"{at}: choice name {variant!r} not 1-{CHOICE_NAME_MAX} chars")
            value = choice.get("value")
            if isinstance(value, str) and not 1 <= len(value) <= CHOICE_STRING_VALUE_MAX:
                problems.append(f"{at}: choice value of {len(value)} chars")
        if kind == STRING:
            low, high = option.get("min_length"), option.get("max_length")
            if high is not None and not 1 <= high <= STRING_LENGTH_MAX:
                problems.append(f"{at}: max_length {high} not 1-{STRING_LENGTH_MAX}")
            if low is not None and not 0 <= low <= STRING_LENGTH_MAX:
                problems.append(f"{at}: min_length {low} not 0-{STRING_LENGTH_MAX}")
            if low is not None and high is not None and low > high:
                problems.append(f"{at}: min_length {low} over max_length {high}")
    return problems


def payload_problems(commands: list[dict[str, Any]]) -> list[str]:
    """Every command's problems, plus clashes and counts across the list."""
    problems = [problem for command in commands for problem in command_problems(command)]
    seen: set[tuple[str, int]] = set()
    for command in commands:
        key = (command.get("name", ""), command.get("type", CHAT_INPUT))
        if key in seen:
            problems.append(f"{key[0]!r} (type {key[1]}): registered twice")
        seen.add(key)
    for kind, most in PER_TYPE_MAX.items():
        count = sum(1 for command in commands if command.get("type", CHAT_INPUT) == kind)
        if count > most:
            problems.append(f"{count} commands of type {kind}, over {most}")
    return problems


def bulk_overwrite_errors(spec: Spec, commands: Any) -> list[str]:
    """The spec's errors for the body of `PUT /applications/{application_id}/commands`."""
    found = spec.find("PUT", "/applications/1234567890/commands")
    assert found is not None, "the spec has no bulk overwrite of global commands"
    operation, _ = found
    assert operation.template == "/applications/{application_id}/commands"
    return spec.validate_request(operation, commands)


def modal_callback_schema(spec: Spec) -> dict[str, Any] | None:
    """The schema of an interaction callback of type 9 (MODAL): the branch of the callback
    endpoint's request body whose `type` is 9. None when the spec has none."""
    found = spec.find("POST", "/interactions/1/token/callback")
    if found is None:
        return None
    operation, _ = found
    body = spec.document["paths"][operation.template]["post"].get("requestBody", {})
    union = body.get("content", {}).get("application/json", {}).get("schema", {})
    for branch in union.get("anyOf", []) + union.get("oneOf", []):
        reference = branch.get("$ref", "")
        schema = spec.schema(reference.rsplit("/", 1)[-1]) if reference else branch
        if schema.get("properties", {}).get("type", {}).get("enum") == [9]:
            return schema
    return None


def modal_errors(spec: Spec, schema: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """The schema's errors for the body discord.py sends for `send_modal` (type 9 + the data)."""
    validator = jsonschema.Draft202012Validator(schema, registry=spec.registry)
    return [
        f"{'/'.join(map(str, leaf.absolute_path)) or '(body)'}: {leaf.message[:200]}"
        for error in validator.iter_errors({"type": 9, "data": data})
        for leaf in _leaves(error)
    ]


def _leaves(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    # A oneOf/anyOf error says only "not valid under any"; what is wrong is in its branches.
    if not error.context:
        return [error]
    return [leaf for sub in error.context for leaf in _leaves(sub)]


# --- the payload --------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
_OWN_VARIABLES = ("OPENAI_", "REPAIR_COACH_", "DISCORD_")


def _console_script() -> Path:
    script = Path(sys.executable).parent / "repair-coach"
    if not script.exists():
        script = ROOT / ".venv" / "bin" / "repair-coach"
    assert script.exists(), "the repair-coach console script is not installed in this venv"
    return script


@pytest.fixture(scope="module")
def cli_payload(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """`repair-coach commands --json`, run in an empty folder (no .env) without a token."""
    where = tmp_path_factory.mktemp("commands")
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_VARIABLES)}
    env.pop("DATABASE_URL", None)
    env["REPAIR_COACH_DATA_DIR"] = str(where / "data")
    env["XDG_DATA_HOME"] = str(where / "xdg")
    done = subprocess.run(
        [str(_console_script()), "commands", "--json"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    commands = json.loads(done.stdout)
    assert isinstance(commands, list)
    assert all(isinstance(command, dict) for command in commands)
    return commands


async def test_the_console_script_prints_what_command_payload_returns(
    cli_payload: list[dict[str, Any]],
) -> None:
    direct = await command_payload()
    # Through JSON, as the CLI prints it (tuples become lists, keys stay).
    assert json.loads(json.dumps(direct)) == cli_payload
    names = {(command["name"], command.get("type", CHAT_INPUT)) for command in cli_payload}
    # The features the bot is built around are all there.
    assert {("coach", 1), ("repair", 1), ("forget", 1), ("Get repair help", 3)} <= names


def test_every_command_keeps_discords_limits(cli_payload: list[dict[str, Any]]) -> None:
    assert cli_payload, "no commands at all"
    assert payload_problems(cli_payload) == []


def test_the_payload_fits_the_bulk_overwrite_schema(cli_payload: list[dict[str, Any]]) -> None:
    assert bulk_overwrite_errors(load_spec(), cli_payload) == []


# --- the validators themselves ------------------------------------------------------------


def _good_command() -> dict[str, Any]:
    return {
        "name": "repair",
        "type": 1,
        "description": "An instant repair script.",
        "options": [
            {"type": 3, "name": "pattern", "description": "which one", "required": True},
            {
                "type": 3,
                "name": "side",
                "description": "who did it",
                "required": False,
                "choices": [{"name": "me", "value": "me"}, {"name": "them", "value": "them"}],
            },
            {
                "type": 3,
                "name": "situation",
                "description": "a few words",
                "required": False,
                "max_length": 1000,
            },
        ],
    }


def _menu() -> dict[str, Any]:
    return {"name": "Get repair help", "type": 3}


def test_the_validators_pass_good_commands() -> None:
    unicode_names = _good_command()
    unicode_names["name"] = "réparer-2_ça"
    unicode_names["options"][0]["name"] = "सहायता"  # Devanagari: letters and vowel signs
    commands = [_good_command(), _menu(), {**_menu(), "type": 2}, unicode_names]
    assert payload_problems(commands) == []
    assert bulk_overwrite_errors(load_spec(), commands) == []


def _set(path: str, value: Any) -> Any:
    def change(command: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = command
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return change


_OPTIONAL = {"type": 5, "description": "a flag", "required": False}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set("description", "x" * 101), "description of 101 chars"),
        (_set("description", ""), "description of 0 chars"),
        (_set("options.0.description", "x" * 101), "description of 101 chars"),
        (_set("name", "Repair"), "not lowercase"),
        (_set("name", "repair now"), "does not match"),
        (_set("name", "r" * 33), "does not match"),
        (_set("name", "repair!"), "does not match"),
        (_set("options.1.name", "Side"), "not lowercase"),
        (_set("options.0.required", False), None),  # all optional: fine
        (_set("options.2.required", True), "a required option after an optional one"),
        (_set("options.2.max_length", 6001), "max_length 6001"),
        (_set("options.2.min_length", 1001), "min_length 1001 over max_length 1000"),
        (_set("options.1.choices.0.name", "x" * 101), "choice name"),
        (_set("options.1.choices.0.name", ""), "choice name"),
        (_set("options.1.autocomplete", True), "choices and autocomplete"),
        (
            _set("options.1.choices", [{"name": f"c{i}", "value": f"c{i}"} for i in range(26)]),
            "26 choices",
        ),
        (
            _set("options", [{**_OPTIONAL, "name": f"o{i}"} for i in range(26)]),
            "26 options",
        ),
        (_set("options.2.name", "pattern"), "a second option of that name"),
        (
            _set("description_localizations", {"fr": "x" * 101}),
            "description of 101 chars",
        ),
        (
            # 25 choices of 100-character names and values, each within its own limit: 5,000
            _set(
                "options.1.choices",
                [
                    {"name": f"{i:02d}" + "n" * 98, "value": f"{i:02d}" + "v" * 98}
                    for i in range(25)
                ],
            ),
            "characters in all, over 4000",
        ),
    ],
)
def test_the_validators_catch_a_broken_chat_input_command(
    change: Any, expected: str | None
) -> None:
    command = _good_command()
    change(command)
    problems = payload_problems([command])
    if expected is None:
        assert problems == []
    else:
        assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("menu", "expected"),
    [
        ({"name": "G" * 33, "type": 3}, "context-menu name"),
        ({"name": "", "type": 2}, "context-menu name"),
        ({"name": "Get repair help", "type": 3, "description": "hi"}, "description must be empty"),
        ({"name": "Help", "type": 3, "options": [{"type": 3}]}, "takes no options"),
    ],
)
def test_the_validators_catch_a_broken_context_menu(menu: dict[str, Any], expected: str) -> None:
    problems = payload_problems([menu])
    assert any(expected in problem for problem in problems), problems


def test_the_validators_catch_clashes_but_not_the_same_name_across_types() -> None:
    menu = _menu()
    assert payload_problems([menu, {**menu, "type": 2}]) == []
    assert "registered twice" in " ".join(payload_problems([menu, copy.deepcopy(menu)]))
    twice = payload_problems([_good_command(), _good_command()])
    assert any("'repair' (type 1): registered twice" in problem for problem in twice)
    many = [{"name": f"Menu {i}", "type": 3} for i in range(16)]
    assert "16 commands of type 3, over 15" in payload_problems(many)


def test_the_name_check_without_regex_agrees_with_discords_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "_regex", None)
    for good in ("coach", "check_ins", "re-pair", "réparer", "修复", "सहायता", "ซ่อม", "x2"):
        assert is_chat_input_name(good), good
    for bad in ("", "a b", "a!", "a.b", "😀", "x" * 33, "a\u200db"):
        assert not is_chat_input_name(bad), bad


def test_the_spec_check_catches_what_discord_would_refuse() -> None:
    spec = load_spec()
    too_long = _good_command()
    too_long["name"] = "r" * 33
    assert any(e.startswith("0/name") for e in bulk_overwrite_errors(spec, [too_long]))
    no_description = _good_command()
    del no_description["options"][0]["description"]
    assert bulk_overwrite_errors(spec, [no_description]) != []
    over = _good_command()
    over["options"][2]["max_length"] = 6001
    assert bulk_overwrite_errors(spec, [over]) != []


# --- /coach's modal -----------------------------------------------------------------------


def _text_inputs(modal: discord.ui.Modal) -> list[discord.ui.TextInput[Any]]:
    return [item for item in modal.walk_children() if isinstance(item, discord.ui.TextInput)]


async def test_the_story_modal_fits_the_coachs_limit() -> None:
    modal = StoryModal()
    fields = _text_inputs(modal)
    assert len(fields) == 3
    for field in fields:
        assert field.max_length is not None, f"{field.label!r} has no max_length"
        assert 1 <= field.max_length <= TEXT_INPUT_MAX, field.label
    assert sum(field.max_length or 0 for field in fields) <= MAX_CHARS


async def test_the_story_modal_fits_the_modal_callback_schema() -> None:
    spec = load_spec()
    schema = modal_callback_schema(spec)
    if schema is None:
        # The spec copy has no type-9 callback body: the schema check cannot run.
        pytest.skip("no interaction callback of type 9 (MODAL) in the spec")
    data = StoryModal().to_dict()
    assert modal_errors(spec, schema, data) == []
    # ... and the check catches a modal Discord would refuse.
    broken = copy.deepcopy(data)
    broken["components"][0]["components"][0]["max_length"] = TEXT_INPUT_MAX + 1
    broken["title"] = "t" * 46
    errors = modal_errors(spec, schema, broken)
    assert any("title" in error for error in errors), errors
    assert any("max_length" in error for error in errors), errors


async def test_three_full_fields_are_not_refused_by_the_coach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stories: list[str] = []

    async def capture(bot: Any, user: Any, story: str, send: Any, *, private: bool) -> None:
        stories.append(story)

    async def defer(**kwargs: Any) -> None:
        return None

    monkeypatch.setattr(coach_cog, "coach_story", capture)
    interaction: Any = SimpleNamespace(
        guild_id=None,  # not in a server: no guild settings to read
        channel=None,
        client=None,
        user=SimpleNamespace(id=1),
        response=SimpleNamespace(defer=defer),
        followup=None,
    )
    modal = StoryModal()
    for field in _text_inputs(modal):
        # How discord.py fills a field from a modal submission.
        field._refresh_state(
            interaction,
            {"type": 4, "custom_id": field.custom_id, "value": "x" * (field.max_length or 0)},
        )
    await modal.on_submit(interaction)
    [story] = stories
    try:
        clean_input(story)
    except InputError as error:
        pytest.fail(f"a story typed into the modal within its limits is refused: {error}")


# --- the extensions -----------------------------------------------------------------------

_COGS = {
    "bot.exts.dm": "DirectMessages",
    "bot.exts.coach": "Coaching",
    "bot.exts.repair": "QuickHelp",
    "bot.exts.mine": "MyData",
    "bot.exts.setup": "ServerSetup",
    "bot.exts.checkins": "CheckInSender",
}


async def test_every_extension_loads_with_its_cog_and_no_command_clashes() -> None:
    bot = CoachBot(None, BotConfig())  # nothing opened before login: nothing to close
    await bot.load_features()
    assert set(bot.extensions) == set(EXTENSIONS)
    assert set(_COGS) <= set(EXTENSIONS)
    for extension, cog_name in _COGS.items():
        cog = bot.get_cog(cog_name)
        assert cog is not None, f"{extension} did not add {cog_name}"
        assert type(cog).__module__.startswith(extension), (cog_name, type(cog).__module__)
        for command in cog.get_app_commands():
            assert bot.tree.get_command(command.name) is command, command.name
    # bot.exts.errors adds no cog: it is the tree's one error handler.
    from bot.exts.errors import on_app_command_error

    assert bot.tree.on_error == on_app_command_error

    registered: list[tuple[str, int]] = []
    for kind in discord.AppCommandType:
        registered += [(c.name, kind.value) for c in bot.tree.get_commands(type=kind)]
    assert len(registered) == len(set(registered)), registered
    assert sorted(registered) == sorted(
        (c["name"], c.get("type", CHAT_INPUT)) for c in await command_payload()
    )

    # The persistent buttons: discord.py keeps their patterns in the view store (no public
    # getter; `Client.add_dynamic_items` puts them there).
    dynamic = bot._connection._view_store._dynamic_items
    assert set(dynamic.values()) == {AnswerButton, CheckInButton}
    token = "0123456789abcdef" * 2
    for view, kind in ((answer_view(token), AnswerButton), (check_in_view(token), CheckInButton)):
        assert view.timeout is None and view.is_persistent()
        for item in view.children:
            assert isinstance(item, kind)
            custom_id = item.custom_id
            assert custom_id is not None and len(custom_id) <= 100, custom_id
            # Exactly one registered class answers each button after a restart.
            owners = [cls for pattern, cls in dynamic.items() if pattern.fullmatch(custom_id)]
            assert owners == [kind], custom_id
