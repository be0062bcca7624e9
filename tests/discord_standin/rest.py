"""The REST half of the stand-in: ``/api/v10/...`` routes discord.py calls, with Discord's rules.

Handlers raise :class:`Rejected` for anything Discord would refuse; one middleware turns that
into a Discord-shaped error body, records the violation and records every call.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiohttp import web

from . import limits
from .limits import Problem
from .models import GUILD_TEXT, PRIVATE_THREAD, PUBLIC_THREAD, ChannelSpec, GuildSpec
from .payloads import (
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    JSON,
    application_payload,
    apply_message_edit,
    command_registration_response,
    current_user_payload,
    message_payload,
    thread_payload,
    user_payload,
)
from .records import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    UPDATE_MESSAGE,
    CallbackAttempt,
    InteractionRecord,
    RecordedCall,
    Violation,
)
from .state import ChannelRef, CommandSync, StandinState

API = "/api/v10"
GATEWAY_PATH = "/gateway"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Callback types Discord accepts for each interaction type.
ALLOWED_CALLBACKS: dict[int, tuple[int, ...]] = {
    APPLICATION_COMMAND: (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL),
    MESSAGE_COMPONENT: (
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
        MODAL,
    ),
    AUTOCOMPLETE: (AUTOCOMPLETE_RESULT,),
    MODAL_SUBMIT: (
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
    ),
}


class Rejected(Exception):
    """A Discord error answer. ``violation=False`` marks errors a test provoked on purpose."""

    def __init__(
        self,
        kind: str,
        status: int,
        code: int,
        message: str,
        problems: Sequence[Problem] = (),
        *,
        violation: bool = True,
    ) -> None:
        details = "; ".join(f"{p.path or '<root>'}: {p.message}" for p in problems)
        super().__init__(f"{message} ({details})" if details else message)
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
        self.problems = list(problems)
        self.violation = violation

    def body(self) -> JSON:
        """The JSON error body Discord sends (``errors`` only for form-body errors)."""
        data: JSON = {"message": self.message, "code": self.code}
        if self.problems:
            data["errors"] = limits.errors_tree(self.problems)
        return data


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON answer with ``Content-Type: application/json`` exactly.

    discord.py parses the body only when the header equals that string; aiohttp's
    ``json_response`` appends ``; charset=utf-8`` and breaks login with a TypeError.
    """
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json"},
    )


def no_content() -> web.Response:
    """204, as Discord answers deletes and followups without ``?wait=true``."""
    return web.Response(status=204)


def form_body_rejection(problems: Sequence[Problem]) -> Rejected:
    """400 / 50035 'Invalid Form Body'; kind says whether only the no-ping policy was broken."""
    policy_only = all(p.code == "POLICY" for p in problems)
    kind = "allowed_mentions" if policy_only else "invalid_form_body"
    if any(p.code == "50006" for p in problems):
        return Rejected("empty_message", 400, 50006, "Cannot send an empty message", problems)
    return Rejected(kind, 400, 50035, "Invalid Form Body", problems)


def check(problems: Sequence[Problem]) -> None:
    """Raise the 400 Discord would send if there are any problems."""
    if problems:
        raise form_body_rejection(problems)


async def read_body(request: web.Request) -> Any:
    """JSON bodies as-is; multipart uploads as their ``payload_json`` part (aiohttp caches both,
    so the recording middleware and the handler can each read the body)."""
    if not request.body_exists:
        return None
    if request.content_type == "application/json":
        return await request.json()
    if request.content_type.startswith("multipart/"):
        form = await request.post()
        raw = form.get("payload_json")
        return json.loads(str(raw)) if raw is not None else {}
    return (await request.read()).decode(errors="replace")


async def json_body(request: web.Request) -> JSON:
    """The body as a JSON object ({} when absent or not an object)."""
    body = await read_body(request)
    return body if isinstance(body, dict) else {}


def snowflake(request: web.Request, key: str) -> int:
    """A snowflake path segment; a non-number is Discord's 404 for that kind of object."""
    try:
        return int(request.match_info[key])
    except ValueError:
        raise Rejected("bad_snowflake", 404, 0, f"404: Not Found ({key})") from None


class RestApi:
    """Route handlers over a shared :class:`StandinState`."""

    def __init__(self, state: StandinState) -> None:
        self.state = state
        self._catch_all: web.AbstractResource | None = None

    # ------------------------------------------------------------ wiring

    def add_routes(self, app: web.Application) -> None:
        """Register the known endpoints, then a catch-all that records unexpected calls."""
        for method, path, handler in self._routes():
            app.router.add_route(method, API + path, handler)
        self._catch_all = app.router.add_route("*", "/{tail:.*}", self.unknown_route).resource

    def _routes(self) -> list[tuple[str, str, Handler]]:
        app_cmds = "/applications/{app_id}/commands"
        guild_cmds = "/applications/{app_id}/guilds/{guild_id}/commands"
        webhook_msg = "/webhooks/{app_id}/{token}/messages/{message_id}"
        channel_msg = "/channels/{channel_id}/messages/{message_id}"
        return [
            ("GET", "/users/@me", self.get_me),
            ("GET", "/oauth2/applications/@me", self.get_application),
            ("GET", app_cmds, self.get_commands),
            ("PUT", app_cmds, self.put_commands),
            ("GET", guild_cmds, self.get_commands),
            ("PUT", guild_cmds, self.put_commands),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self.interaction_callback),
            ("POST", "/webhooks/{app_id}/{token}", self.create_followup),
            ("GET", webhook_msg, self.get_webhook_message),
            ("PATCH", webhook_msg, self.edit_webhook_message),
            ("DELETE", webhook_msg, self.delete_webhook_message),
            ("GET", "/channels/{channel_id}", self.get_channel),
            ("GET", "/channels/{channel_id}/messages", self.get_channel_messages),
            ("POST", "/channels/{channel_id}/messages", self.create_channel_message),
            ("GET", channel_msg, self.get_channel_message),
            ("PATCH", channel_msg, self.edit_channel_message),
            ("DELETE", channel_msg, self.delete_channel_message),
            ("POST", channel_msg + "/threads", self.create_thread_from_message),
            ("POST", "/channels/{channel_id}/threads", self.create_thread),
        ]

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Record the call, check the bot token, and turn :class:`Rejected` into Discord errors."""
        if request.path == GATEWAY_PATH:
            return await handler(request)  # the websocket is not a REST call
        call = await self._record_call(request)
        if request.match_info.route.resource is self._catch_all:
            self.state.unexpected_calls.append(call)
        try:
            self._check_token(request)
            response = await handler(request)
        except Rejected as rejection:
            response = self._reject(request, rejection)
        call.status = response.status
        self.state.changed()
        return response

    async def _record_call(self, request: web.Request) -> RecordedCall:
        call = RecordedCall(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            json=await read_body(request),
            time=_loop_time(),
        )
        self.state.calls.append(call)
        return call

    def _check_token(self, request: web.Request) -> None:
        """Bot-authenticated routes need ``Bot <token>``; webhook and callback routes do not."""
        expected = self.state.expected_token
        if expected is None or request.path.startswith((f"{API}/webhooks", f"{API}/interactions")):
            return
        if request.headers.get("Authorization") != f"Bot {expected}":
            raise Rejected("unauthorized", 401, 0, "401: Unauthorized", violation=False)

    def _reject(self, request: web.Request, rejection: Rejected) -> web.Response:
        if rejection.violation:
            self.state.record_violation(
                Violation(
                    kind=rejection.kind,
                    message=str(rejection),
                    method=request.method,
                    path=request.path,
                    status=rejection.status,
                    code=rejection.code,
                )
            )
        return json_response(rejection.body(), rejection.status)

    async def unknown_route(self, request: web.Request) -> web.Response:
        """Anything not modelled: 404 like Discord, and listed so a test can assert none."""
        return json_response({"message": "404: Not Found", "code": 0}, 404)

    # ------------------------------------------------------------ identity

    async def get_me(self, request: web.Request) -> web.Response:
        """The bot's own user; this is discord.py's login call."""
        return json_response(current_user_payload(self.state.world.bot_user))

    async def get_application(self, request: web.Request) -> web.Response:
        """Application info, read right after login."""
        return json_response(application_payload(self.state.world))

    # ------------------------------------------------------------ commands

    def _command_scope(self, request: web.Request) -> int | None:
        """Validate app (and guild) ids in a commands URL; return the guild id or None."""
        if snowflake(request, "app_id") != self.state.world.application_id:
            raise Rejected("unknown_application", 404, 10002, "Unknown Application")
        if "guild_id" not in request.match_info:
            return None
        guild_id = snowflake(request, "guild_id")
        if self.state.world.guild_by_id(guild_id) is None:
            raise Rejected("unknown_guild", 404, 10004, "Unknown Guild")
        return guild_id

    async def get_commands(self, request: web.Request) -> web.Response:
        """The commands registered in a scope."""
        guild_id = self._command_scope(request)
        state = self.state
        commands = (
            state.global_commands if guild_id is None else state.guild_commands.get(guild_id, [])
        )
        return json_response(commands)

    async def put_commands(self, request: web.Request) -> web.Response:
        """Bulk overwrite (``tree.sync()``): validate like Discord, keep ids stable per name."""
        guild_id = self._command_scope(request)
        body = await read_body(request)
        problems = limits.commands_problems(body, is_global=guild_id is None)
        if problems:
            raise Rejected("command_registration", 400, 50035, "Invalid Form Body", problems)
        registered = [self._register(command, guild_id) for command in body]
        if guild_id is None:
            self.state.global_commands = registered
        else:
            self.state.guild_commands[guild_id] = registered
        self.state.command_syncs.append(CommandSync(guild_id, registered))
        return json_response(registered)

    def _register(self, command: JSON, guild_id: int | None) -> JSON:
        state = self.state
        previous = state.registered_command(command["name"], guild_id, command.get("type", 1))
        same_scope = previous is not None and previous[1] == guild_id
        command_id = int(previous[0]["id"]) if previous and same_scope else state.ids.next()
        return command_registration_response(
            command,
            command_id=command_id,
            application_id=state.world.application_id,
            guild_id=guild_id,
        )

    # ------------------------------------------------------------ interaction callback

    async def interaction_callback(self, request: web.Request) -> web.Response:
        """The initial response: at most one, within the response window, valid for the type."""
        record = self.state.interactions.get(snowflake(request, "interaction_id"))
        if record is None:
            raise Rejected("unknown_interaction", 404, 10062, "Unknown interaction")
        if request.match_info["token"] != record.token:
            raise Rejected("invalid_token", 401, 50027, "Invalid Webhook Token")
        body = await json_body(request)
        try:
            self._check_callback(record, body)
        except Rejected as rejection:
            self._add_attempt(record, body, rejection.status, rejection.code)
            raise
        answer = self._accept_callback(record, body)
        self._add_attempt(record, body, 200, None)
        return json_response(answer)

    def _add_attempt(
        self, record: InteractionRecord, body: JSON, status: int, code: int | None
    ) -> None:
        record.attempts.append(CallbackAttempt(body, status, code, _loop_time()))
        self.state.changed()

    def _check_callback(self, record: InteractionRecord, body: JSON) -> None:
        if record.acknowledged:
            msg = "Interaction has already been acknowledged."
            raise Rejected("already_acknowledged", 400, 40060, msg)
        elapsed = _loop_time() - record.dispatched_at
        if elapsed > self.state.response_window:
            msg = f"Unknown interaction (initial response after {elapsed:.2f}s)"
            raise Rejected("late_response", 404, 10062, msg)
        callback_type = body.get("type")
        if callback_type not in ALLOWED_CALLBACKS.get(record.type, ()):
            problem = Problem(
                "type",
                f"Callback type {callback_type} is not valid for interaction type {record.type}",
                "INTERACTION_RESPONSE_TYPE_INVALID",
            )
            raise Rejected("invalid_callback_type", 400, 50035, "Invalid Form Body", [problem])
        check(self._callback_data_problems(record, callback_type, body.get("data") or {}))

    def _callback_data_problems(
        self, record: InteractionRecord, callback_type: int, data: JSON
    ) -> list[Problem]:
        if callback_type == AUTOCOMPLETE_RESULT:
            return limits.autocomplete_problems(data)
        if callback_type not in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
            return []
        creating = callback_type == CHANNEL_MESSAGE
        problems = limits.message_problems(data, "data.", creating=creating)
        return problems + self._mention_problems(data, record.channel_id, "data.allowed_mentions")

    def _mention_problems(self, body: JSON, channel_id: int, path: str) -> list[Problem]:
        whitelist = self.state.role_ping_whitelist.get(channel_id, set())
        return limits.mention_problems(body.get("allowed_mentions"), path, whitelist)

    def _accept_callback(self, record: InteractionRecord, body: JSON) -> JSON:
        callback_type = int(body["type"])
        data = body.get("data") or {}
        record.response = body
        message = self._callback_message(record, callback_type, data)
        if message is not None:
            record.message = message
        return self._callback_answer(record, callback_type, message)

    def _callback_message(
        self, record: InteractionRecord, callback_type: int, data: JSON
    ) -> JSON | None:
        """The message a callback creates or targets (None for autocomplete and modals)."""
        if callback_type == CHANNEL_MESSAGE:
            return self._new_webhook_message(record, data)
        if callback_type == DEFERRED_CHANNEL_MESSAGE:
            flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
            return self._new_webhook_message(record, {"flags": flags})
        if callback_type in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
            message = self._component_message(record)
            if callback_type == UPDATE_MESSAGE:
                apply_message_edit(message, data)
            return message
        return None

    def _component_message(self, record: InteractionRecord) -> JSON:
        """The stored message a component interaction came from (kept in sync on updates)."""
        sent = record.payload.get("message") or {}
        stored = self.state.messages.get(int(sent.get("id", 0)))
        return stored if stored is not None else self.state.store_message(dict(sent))

    def _new_webhook_message(self, record: InteractionRecord, body: JSON) -> JSON:
        message_type = 20 if record.type == APPLICATION_COMMAND else 0
        message = message_payload(
            message_id=self.state.ids.next(),
            channel_id=record.channel_id,
            author=user_payload(self.state.world.bot_user),
            body=body,
            guild_id=record.guild_id,
            message_type=message_type,
            application_id=self.state.world.application_id,
        )
        return self.state.store_message(message)

    @staticmethod
    def _callback_answer(
        record: InteractionRecord, callback_type: int, message: JSON | None
    ) -> JSON:
        """The ``?with_response=1`` body: interaction summary plus the resource message."""
        flags = int((message or {}).get("flags") or 0)
        answer: JSON = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": callback_type == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(flags & FLAG_EPHEMERAL),
            }
        }
        if message is not None:
            answer["resource"] = {"type": callback_type, "message": message}
        return answer

    # ------------------------------------------------------------ followups and webhook edits

    def _webhook_interaction(self, request: web.Request) -> InteractionRecord:
        """The interaction behind ``/webhooks/{app}/{token}``; unknown or unanswered -> 10015."""
        record = self.state.interaction_by_token(request.match_info["token"])
        if record is None or snowflake(request, "app_id") != self.state.world.application_id:
            raise Rejected("unknown_webhook", 404, 10015, "Unknown Webhook")
        if not record.acknowledged:
            msg = "Unknown Webhook (followup or edit before the initial response)"
            raise Rejected("unknown_webhook", 404, 10015, msg)
        return record

    async def create_followup(self, request: web.Request) -> web.Response:
        """A followup; the first one after a thinking defer replaces the loading message."""
        record = self._webhook_interaction(request)
        body = await json_body(request)
        problems = limits.message_problems(body, creating=True)
        check(problems + self._mention_problems(body, record.channel_id, "allowed_mentions"))
        original = record.message
        if original is not None and int(original.get("flags") or 0) & FLAG_LOADING:
            apply_message_edit(original, body)
            original["flags"] = int(original["flags"]) & ~FLAG_LOADING
            message = original
        else:
            message = self._new_webhook_message(record, body)
        record.followups.append(message)
        if request.query.get("wait", "").lower() in ("1", "true"):
            return json_response(message)
        return no_content()

    def _webhook_target(self, record: InteractionRecord, message_id: str) -> JSON:
        """@original or a followup id belonging to this interaction; else 10008."""
        if message_id == "@original":
            target = None if record.deleted_original else record.message
        else:
            target = next((m for m in record.followups if m["id"] == message_id), None)
        if target is None:
            raise Rejected("unknown_message", 404, 10008, "Unknown Message")
        return target

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        """Fetch the original response or a followup."""
        record = self._webhook_interaction(request)
        return json_response(self._webhook_target(record, request.match_info["message_id"]))

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        """Edit the original response (also ends a thinking defer) or a followup."""
        record = self._webhook_interaction(request)
        target = self._webhook_target(record, request.match_info["message_id"])
        body = await json_body(request)
        problems = limits.message_problems(body, creating=False)
        check(problems + self._mention_problems(body, record.channel_id, "allowed_mentions"))
        apply_message_edit(target, body)
        target["flags"] = int(target.get("flags") or 0) & ~FLAG_LOADING
        record.edits.append(body)
        return json_response(target)

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        """Delete the original response or a followup."""
        record = self._webhook_interaction(request)
        message_id = request.match_info["message_id"]
        target = self._webhook_target(record, message_id)
        self.state.messages.pop(int(target["id"]), None)
        if message_id == "@original":
            record.deleted_original = True
        else:
            record.followups.remove(target)
        return no_content()

    # ------------------------------------------------------------ channels and messages

    def _channel(self, request: web.Request, *, posting: bool) -> ChannelRef:
        """A channel the bot can use; deleted/forbidden ones fail like on Discord."""
        channel_id = snowflake(request, "channel_id")
        if channel_id in self.state.deleted_channels:
            raise Rejected("unknown_channel", 404, 10003, "Unknown Channel", violation=False)
        ref = self.state.channel_ref(channel_id)
        if ref is None:
            raise Rejected("unknown_channel", 404, 10003, "Unknown Channel")
        if posting and channel_id in self.state.forbidden_channels:
            raise Rejected(
                "missing_permissions", 403, 50013, "Missing Permissions", violation=False
            )
        return ref

    async def get_channel(self, request: web.Request) -> web.Response:
        """A channel object (``fetch_channel``)."""
        return json_response(self._channel(request, posting=False).payload())

    async def create_channel_message(self, request: web.Request) -> web.Response:
        """A bot post (scheduled prompt, reply to a mention or DM)."""
        ref = self._channel(request, posting=True)
        body = await json_body(request)
        problems = limits.message_problems(body, creating=True)
        check(problems + self._mention_problems(body, ref.id, "allowed_mentions"))
        message = message_payload(
            message_id=self.state.ids.next(),
            channel_id=ref.id,
            author=user_payload(self.state.world.bot_user),
            body=body,
            guild_id=ref.guild.id if ref.guild else None,
            message_type=19 if body.get("message_reference") else 0,
        )
        stored = self.state.store_message(message, channel_post=True)
        if self.state.lost_post_answers > 0:
            # Discord made the message, but its answer never reached the bot (503 is not one
            # of the statuses discord.py retries by itself).
            self.state.lost_post_answers -= 1
            raise Rejected("answer_lost", 503, 0, "Service Unavailable", violation=False)
        return json_response(stored)

    async def get_channel_messages(self, request: web.Request) -> web.Response:
        """A channel's history as Discord pages it: at most ``limit`` (1-100) messages, newest
        first; with ``after``, the ones right after that id, else the latest before ``before``."""
        ref = self._channel(request, posting=False)
        if ref.id in self.state.no_history_channels:
            raise Rejected("missing_access", 403, 50001, "Missing Access", violation=False)
        limit = min(100, max(1, int(request.query.get("limit", 50))))
        after = int(request.query.get("after", 0))
        before = int(request.query.get("before", 0)) or None
        found = sorted((m for m in self.state.messages.values()
                        if int(m["channel_id"]) == ref.id and int(m["id"]) > after
                        and (before is None or int(m["id"]) < before)),
                       key=lambda m: int(m["id"]))
        page = found[:limit] if "after" in request.query else found[-limit:]
        return json_response(list(reversed(page)))

    def _channel_message(self, request: web.Request, ref: ChannelRef) -> JSON:
        message = self.state.messages.get(snowflake(request, "message_id"))
        if message is None or int(message["channel_id"]) != ref.id:
            raise Rejected("unknown_message", 404, 10008, "Unknown Message")
        return message

    async def get_channel_message(self, request: web.Request) -> web.Response:
        """Fetch one message."""
        ref = self._channel(request, posting=False)
        return json_response(self._channel_message(request, ref))

    async def edit_channel_message(self, request: web.Request) -> web.Response:
        """Edit one of the bot's own messages (e.g. disabling buttons)."""
        ref = self._channel(request, posting=False)
        message = self._channel_message(request, ref)
        if int(message["author"]["id"]) != self.state.world.bot_user.id:
            msg = "Cannot edit a message authored by another user"
            raise Rejected("not_author", 403, 50005, msg)
        body = await json_body(request)
        problems = limits.message_problems(body, creating=False)
        check(problems + self._mention_problems(body, ref.id, "allowed_mentions"))
        apply_message_edit(message, body)
        self.state.changed()
        return json_response(message)

    async def delete_channel_message(self, request: web.Request) -> web.Response:
        """Delete a message."""
        ref = self._channel(request, posting=False)
        message = self._channel_message(request, ref)
        self.state.messages.pop(int(message["id"]), None)
        return no_content()

    # ------------------------------------------------------------ threads

    async def create_thread_from_message(self, request: web.Request) -> web.Response:
        """A public thread on a message; Discord gives it the message's id."""
        ref = self._channel(request, posting=True)
        message = self._channel_message(request, ref)
        if ref.guild is not None and ref.guild.channel_by_id(int(message["id"])) is not None:
            msg = "A thread has already been created for this message"
            raise Rejected("thread_exists", 400, 160004, msg)
        body = await json_body(request)
        return self._open_thread(body, ref, int(message["id"]), PUBLIC_THREAD)

    async def create_thread(self, request: web.Request) -> web.Response:
        """A thread without a starter message (type from the body, private by default)."""
        ref = self._channel(request, posting=True)
        body = await json_body(request)
        thread_type = int(body.get("type") or PRIVATE_THREAD)
        return self._open_thread(body, ref, self.state.ids.next(), thread_type)

    def _open_thread(
        self, body: JSON, ref: ChannelRef, thread_id: int, thread_type: int
    ) -> web.Response:
        if ref.guild is None or ref.spec is None or ref.spec.type != GUILD_TEXT:
            raise Rejected(
                "invalid_thread_parent", 400, 50024, "Cannot execute action on this channel type"
            )
        check(limits.thread_problems(body))
        spec = ChannelSpec(
            id=thread_id,
            name=str(body["name"]),
            type=thread_type,
            parent_id=ref.id,
            owner_id=self.state.world.bot_user.id,
        )
        return json_response(self._add_thread(ref.guild, spec))

    def _add_thread(self, guild: GuildSpec, spec: ChannelSpec) -> JSON:
        guild.channels.append(spec)
        payload = thread_payload(guild, spec)
        self.state.threads.append(payload)
        self.state.changed()
        return payload


def _loop_time() -> float:
    """Event-loop clock, the same clock interactions are timestamped with."""
    return asyncio.get_running_loop().time()
