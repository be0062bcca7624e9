"""Discord's server-side limits, which discord.py does not check before sending.

Each validator returns a list of :class:`Problem` (empty when Discord would accept the body),
so the REST layer can answer 400 / 50035 with a Discord-shaped ``errors`` tree and record the
violation. Limits: https://discord.com/developers/docs/resources/message and .../interactions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
ACTION_ROWS_MAX = 5
ROW_ITEMS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
SELECT_OPTIONS_MAX = 25
CHOICES_MAX = 25
CHOICE_TEXT_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_DESCRIPTION_MAX = 100
COMMAND_TOTAL_TEXT_MAX = 4000
GLOBAL_CHAT_COMMANDS_MAX = 100
THREAD_NAME_MAX = 100

COMMAND_NAME_RE = re.compile(r"^[-_'\w]{1,32}$")
SUBCOMMAND_TYPES = (1, 2)


@dataclass(frozen=True)
class Problem:
    """One rejected field: a dotted path into the request body and Discord's wording."""

    path: str
    message: str
    code: str = "BASE_TYPE_BAD"


def too_long(path: str, value: Any, limit: int) -> list[Problem]:
    """A problem if ``value`` is a string longer than ``limit``."""
    if isinstance(value, str) and len(value) > limit:
        msg = f"Must be {limit} or fewer in length (got {len(value)})."
        return [Problem(path, msg, "BASE_TYPE_MAX_LENGTH")]
    return []


def too_many(path: str, items: Any, limit: int) -> list[Problem]:
    """A problem if ``items`` is a list with more than ``limit`` entries."""
    if isinstance(items, list) and len(items) > limit:
        msg = f"Must be {limit} or fewer in length (got {len(items)} items)."
        return [Problem(path, msg, "BASE_TYPE_MAX_LENGTH")]
    return []


def required(path: str, value: Any) -> list[Problem]:
    """Discord rejects empty strings in required fields such as embed field name and value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return [Problem(path, "This field is required", "BASE_TYPE_REQUIRED")]
    return []


# ---------------------------------------------------------------- messages


def message_problems(body: Mapping[str, Any], prefix: str = "", *, creating: bool) -> list[Problem]:
    """Limits on a message create/edit body: content, embeds, components, emptiness."""
    problems = too_long(f"{prefix}content", body.get("content"), CONTENT_MAX)
    problems += embeds_problems(body.get("embeds"), f"{prefix}embeds")
    problems += components_problems(body.get("components"), f"{prefix}components")
    if creating and _is_empty_message(body):
        problems.append(Problem(f"{prefix}content", "Cannot send an empty message", "50006"))
    return problems


def _is_empty_message(body: Mapping[str, Any]) -> bool:
    """Discord refuses a new message with nothing to show (code 50006)."""
    keys = ("content", "embeds", "components", "attachments", "sticker_ids", "poll")
    return not any(body.get(key) for key in keys)


def embeds_problems(embeds: Any, path: str) -> list[Problem]:
    """Per-embed limits plus the 10-embed and 6000-character totals."""
    if not isinstance(embeds, list):
        return []
    problems = too_many(path, embeds, EMBEDS_MAX)
    total = 0
    for index, embed in enumerate(embeds):
        problems += embed_problems(embed, f"{path}.{index}")
        total += embed_text_length(embed)
    if total > EMBED_TOTAL_MAX:
        msg = f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX} (got {total})."
        problems.append(Problem(path, msg, "MAX_EMBED_SIZE_EXCEEDED"))
    return problems


def embed_problems(embed: Mapping[str, Any], path: str) -> list[Problem]:
    """Limits of one embed: title, description, fields, footer, author."""
    problems = too_long(f"{path}.title", embed.get("title"), EMBED_TITLE_MAX)
    problems += too_long(f"{path}.description", embed.get("description"), EMBED_DESCRIPTION_MAX)
    problems += too_long(f"{path}.footer.text", _nested(embed, "footer", "text"), EMBED_FOOTER_MAX)
    problems += too_long(f"{path}.author.name", _nested(embed, "author", "name"), EMBED_AUTHOR_MAX)
    fields = embed.get("fields") or []
    problems += too_many(f"{path}.fields", fields, EMBED_FIELDS_MAX)
    for index, item in enumerate(fields):
        field_path = f"{path}.fields.{index}"
        problems += required(f"{field_path}.name", item.get("name"))
        problems += required(f"{field_path}.value", item.get("value"))
        problems += too_long(f"{field_path}.name", item.get("name"), EMBED_FIELD_NAME_MAX)
        problems += too_long(f"{field_path}.value", item.get("value"), EMBED_FIELD_VALUE_MAX)
    return problems


def embed_text_length(embed: Mapping[str, Any]) -> int:
    """Characters that count towards Discord's 6000 total across a message's embeds."""
    parts: list[Any] = [
        embed.get("title"),
        embed.get("description"),
        _nested(embed, "footer", "text"),
        _nested(embed, "author", "name"),
    ]
    for item in embed.get("fields") or []:
        parts += [item.get("name"), item.get("value")]
    return sum(len(p) for p in parts if isinstance(p, str))


def _nested(data: Mapping[str, Any], key: str, inner: str) -> Any:
    value = data.get(key)
    return value.get(inner) if isinstance(value, Mapping) else None


def components_problems(components: Any, path: str) -> list[Problem]:
    """Classic action-row limits: 5 rows of at most 5 items, custom_id and label lengths."""
    if not isinstance(components, list):
        return []
    problems = []
    rows = [c for c in components if c.get("type") == 1]
    problems += too_many(path, rows, ACTION_ROWS_MAX)
    for index, component in enumerate(components):
        children = component.get("components") if component.get("type") == 1 else [component]
        row_path = f"{path}.{index}"
        problems += too_many(f"{row_path}.components", children, ROW_ITEMS_MAX)
        for child_index, child in enumerate(children or []):
            problems += _component_item_problems(child, f"{row_path}.components.{child_index}")
    return problems


def _component_item_problems(item: Mapping[str, Any], path: str) -> list[Problem]:
    problems = too_long(f"{path}.custom_id", item.get("custom_id"), CUSTOM_ID_MAX)
    problems += too_long(f"{path}.label", item.get("label"), BUTTON_LABEL_MAX)
    problems += too_many(f"{path}.options", item.get("options"), SELECT_OPTIONS_MAX)
    return problems


def mention_problems(
    allowed: Any, path: str, whitelisted_roles: Iterable[int] = ()
) -> list[Problem]:
    """Stand-in policy: every message must carry allowed_mentions that cannot ping anyone.

    Real Discord accepts pinging messages; the project does not want a reply that quotes
    ``@everyone`` or a user mention to notify people. Scheduled prompts may ping a role the
    moderators chose, so explicitly whitelisted role ids are allowed in ``roles``.
    """
    if not isinstance(allowed, Mapping):
        return [Problem(path, "allowed_mentions missing: the message could ping", "POLICY")]
    problems = []
    if allowed.get("parse"):
        problems.append(
            Problem(f"{path}.parse", f"parse allows pings: {allowed['parse']}", "POLICY")
        )
    if allowed.get("users"):
        problems.append(
            Problem(f"{path}.users", f"users may be pinged: {allowed['users']}", "POLICY")
        )
    roles = {int(r) for r in allowed.get("roles") or []} - set(whitelisted_roles)
    if roles:
        problems.append(Problem(f"{path}.roles", f"roles may be pinged: {sorted(roles)}", "POLICY"))
    if allowed.get("replied_user"):
        problems.append(Problem(f"{path}.replied_user", "replied_user pings the author", "POLICY"))
    return problems


# ---------------------------------------------------------------- autocomplete and threads


def autocomplete_problems(data: Mapping[str, Any], path: str = "data") -> list[Problem]:
    """At most 25 choices; names 1-100 characters; string values at most 100 characters."""
    choices = data.get("choices")
    if not isinstance(choices, list):
        return [Problem(f"{path}.choices", "This field is required", "BASE_TYPE_REQUIRED")]
    problems = too_many(f"{path}.choices", choices, CHOICES_MAX)
    for index, choice in enumerate(choices):
        problems += _choice_problems(choice, f"{path}.choices.{index}")
    return problems


def _choice_problems(choice: Mapping[str, Any], path: str) -> list[Problem]:
    problems = required(f"{path}.name", choice.get("name"))
    problems += too_long(f"{path}.name", choice.get("name"), CHOICE_TEXT_MAX)
    problems += too_long(f"{path}.value", choice.get("value"), CHOICE_TEXT_MAX)
    return problems


def thread_problems(body: Mapping[str, Any]) -> list[Problem]:
    """Thread names are 1-100 characters."""
    return required("name", body.get("name")) + too_long("name", body.get("name"), THREAD_NAME_MAX)


# ---------------------------------------------------------------- command registration


def commands_problems(commands: Any, *, is_global: bool) -> list[Problem]:
    """Validate a bulk-overwrite payload: names, descriptions, option and choice counts."""
    if not isinstance(commands, list):
        return [Problem("", "Expected a list of commands", "BASE_TYPE_BAD")]
    problems: list[Problem] = []
    chat_commands = [c for c in commands if c.get("type", 1) == 1]
    if is_global:
        problems += too_many("", chat_commands, GLOBAL_CHAT_COMMANDS_MAX)
    problems += _duplicate_names(commands, "")
    for index, command in enumerate(commands):
        problems += command_problems(command, str(index))
    return problems


def command_problems(command: Mapping[str, Any], path: str) -> list[Problem]:
    """One command: chat-input rules for slash commands, looser rules for context menus."""
    if command.get("type", 1) != 1:
        name = command.get("name") or ""
        if not 1 <= len(name) <= 32:
            return [Problem(f"{path}.name", "Context menu names are 1-32 characters", "NAME")]
        return []
    problems = _name_and_description(command, path)
    problems += _options_problems(command.get("options") or [], f"{path}.options")
    total = _command_text_length(command)
    if total > COMMAND_TOTAL_TEXT_MAX:
        msg = f"Command exceeds maximum size ({COMMAND_TOTAL_TEXT_MAX}), got {total}"
        problems.append(Problem(path, msg, "APPLICATION_COMMAND_TOO_LARGE"))
    return problems


def _name_and_description(item: Mapping[str, Any], path: str) -> list[Problem]:
    name = item.get("name") or ""
    problems = []
    if not COMMAND_NAME_RE.match(name) or name != name.lower():
        msg = f"Command name {name!r} is invalid (lowercase, 1-32 of letters, digits, - _ ')"
        problems.append(Problem(f"{path}.name", msg, "APPLICATION_COMMAND_INVALID_NAME"))
    description = item.get("description") or ""
    if not 1 <= len(description) <= COMMAND_DESCRIPTION_MAX:
        msg = f"Description must be 1-{COMMAND_DESCRIPTION_MAX} characters (got {len(description)})"
        problems.append(Problem(f"{path}.description", msg, "BASE_TYPE_BAD_LENGTH"))
    return problems


def _options_problems(options: list[Mapping[str, Any]], path: str) -> list[Problem]:
    problems = too_many(path, options, COMMAND_OPTIONS_MAX)
    problems += _duplicate_names(options, path)
    problems += _required_order(options, path)
    for index, option in enumerate(options):
        option_path = f"{path}.{index}"
        problems += _name_and_description(option, option_path)
        choices = option.get("choices") or []
        problems += too_many(f"{option_path}.choices", choices, CHOICES_MAX)
        for choice_index, choice in enumerate(choices):
            problems += _choice_problems(choice, f"{option_path}.choices.{choice_index}")
        if option.get("type") in SUBCOMMAND_TYPES:
            problems += _options_problems(option.get("options") or [], f"{option_path}.options")
    return problems


def _required_order(options: list[Mapping[str, Any]], path: str) -> list[Problem]:
    """Discord rejects a required option that follows an optional one."""
    seen_optional = False
    for option in options:
        if option.get("type") in SUBCOMMAND_TYPES:
            continue
        if option.get("required"):
            if seen_optional:
                msg = "Required options must be placed before non-required options"
                return [Problem(path, msg, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID")]
        else:
            seen_optional = True
    return []


def _duplicate_names(items: list[Mapping[str, Any]], path: str) -> list[Problem]:
    seen: set[tuple[Any, Any]] = set()
    for item in items:
        key = (item.get("type", 1), item.get("name"))
        if key in seen:
            msg = f"Duplicate name {item.get('name')!r}"
            return [Problem(path, msg, "APPLICATION_COMMANDS_DUPLICATE_NAME")]
        seen.add(key)
    return []


def _command_text_length(command: Mapping[str, Any]) -> int:
    """Name, description, option names/descriptions and choice names/values, summed."""
    total = len(command.get("name") or "") + len(command.get("description") or "")
    for option in command.get("options") or []:
        total += _command_text_length(option)
        for choice in option.get("choices") or []:
            total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    return total


# ---------------------------------------------------------------- error bodies


def errors_tree(problems: Iterable[Problem]) -> dict[str, Any]:
    """Nest problems the way Discord does (``{"embeds": {"0": {"title": {"_errors": [...]}}}}``).

    discord.py flattens this tree into the HTTPException text, so a failing test shows the
    exact field, e.g. ``In data.embeds.0.title: Must be 256 or fewer in length.``
    """
    tree: dict[str, Any] = {}
    for problem in problems:
        node = tree
        for part in [p for p in problem.path.split(".") if p]:
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return tree
