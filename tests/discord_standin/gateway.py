"""The gateway half of the stand-in: HELLO, heartbeats, IDENTIFY -> READY + GUILD_CREATE, dispatch.

Frames are plain JSON text; discord.py asks for ``compress=zlib-stream`` in the query but only
inflates binary frames, so text frames need no compression.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from .payloads import JSON, guild_create_payload, ready_payload
from .state import StandinState

HEARTBEAT_INTERVAL_MS = 41250

# Opcodes.
DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
RESUME = 6
RECONNECT = 7
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11

CLOSE_AUTHENTICATION_FAILED = 4004


@dataclass
class GatewaySession:
    """An identified bot session; survives a reconnect so RESUME can pick it up."""

    session_id: str
    ws: web.WebSocketResponse
    intents: int | None
    sequence: int = 0

    async def send(self, payload: JSON) -> None:
        """Send one JSON text frame."""
        await self.ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: Any) -> None:
        """Send an op 0 event with the next sequence number."""
        self.sequence += 1
        await self.send({"op": DISPATCH, "t": event, "s": self.sequence, "d": data})


class Gateway:
    """Serves ``/gateway`` websockets and pushes events to the most recently identified bot."""

    def __init__(self, state: StandinState) -> None:
        self.state = state
        self.url = ""  # set by the server once the port is known (READY's resume URL)
        self.sessions: dict[str, GatewaySession] = {}
        self.active: GatewaySession | None = None
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def connected(self) -> bool:
        """True while an identified bot is connected."""
        return self.active is not None and not self.active.ws.closed

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """One websocket connection: HELLO, then answer frames until the client leaves."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            hello = {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}
            await ws.send_str(json.dumps(hello))
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._on_frame(ws, json.loads(message.data))
        finally:
            self._sockets.discard(ws)
            if self.active is not None and self.active.ws is ws:
                self.active = None
            self.state.changed()
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: JSON) -> None:
        op = frame.get("op")
        if op == HEARTBEAT:
            await ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
        elif op == IDENTIFY:
            await self._identify(ws, frame.get("d") or {})
        elif op == RESUME:
            await self._resume(ws, frame.get("d") or {})
        else:
            # Presence updates, member requests, voice...: remembered, not acted on.
            self.state.gateway_frames.append(frame)
            self.state.changed()

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> None:
        """READY then one GUILD_CREATE per guild, back to back.

        Sending them together keeps discord.py's ``guild_ready_timeout`` wait short and
        deterministic: every guild is queued before the timeout can fire.
        """
        expected = self.state.expected_token
        if expected is not None and data.get("token") != expected:
            await ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        session = GatewaySession(uuid.uuid4().hex, ws, data.get("intents"))
        self.sessions[session.session_id] = session
        self.active = session
        world = self.state.world
        await session.dispatch("READY", ready_payload(world, session.session_id, self.url))
        for guild in world.guilds:
            await session.dispatch("GUILD_CREATE", guild_create_payload(guild, world.bot_user))
        self.state.identifies.append(data)
        self.state.changed()

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> None:
        """Resume a known session (no replay: the stand-in keeps no backlog); else invalidate."""
        session = self.sessions.get(str(data.get("session_id")))
        if session is None:
            await ws.send_str(json.dumps({"op": INVALID_SESSION, "d": False}))
            return
        session.ws = ws
        self.active = session
        await session.dispatch("RESUMED", {})
        self.state.resumes.append(data)
        self.state.changed()

    async def dispatch(self, event: str, data: JSON) -> None:
        """Push an event to the connected bot; a test error if no bot is connected."""
        if not self.connected:
            raise RuntimeError(f"cannot dispatch {event}: no bot is connected to the stand-in")
        assert self.active is not None
        await self.active.dispatch(event, data)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: discord.py closes the socket and RESUMEs on a new one."""
        if not self.connected:
            raise RuntimeError("cannot ask for a reconnect: no bot is connected")
        assert self.active is not None
        await self.active.send({"op": RECONNECT, "d": None})

    @property
    def intents(self) -> int | None:
        """Intents the connected bot identified with (None if not connected)."""
        return self.active.intents if self.active is not None else None

    async def close_all(self) -> None:
        """Close every socket (server shutdown); 1001 = going away."""
        for ws in list(self._sockets):
            await ws.close(code=1001)
