"""The agents' WebSocket at ``/ws``: authenticate, check the Origin, resume from ``since``, stream.

The gateway writes the events; this socket's own task sets the connection up and then reads what the
client sends (typing and presence, see ``api.ws_client_frames``). When the session behind the socket
ends (sign-out, token revoked or expired, password changed, user deactivated, on any node) the socket
is closed with ``CLOSE_SESSION_ENDED`` and gets no frame after that decision.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from omnihub.api.credentials import origin_allowed, presented_token
from omnihub.api.ws_client_frames import ClientFrames
from omnihub.realtime.backlog import send_backlog
from omnihub.realtime.direct_ws import DIRECT_WRITE, DirectWriter
from omnihub.realtime.frames import control_text
from omnihub.realtime.gateway import (
    CLOSE_RESUME,
    CLOSE_RESYNC,
    CLOSE_SESSION_ENDED,
    RESUME_REASON,
    SESSION_ENDED_REASON,
    Subscriber,
)
from omnihub.runtime import Runtime
from omnihub.services.access import Actor, member_inbox_ids
from omnihub.services.users import TokenSession, actor_of, authenticate_token_session, token_is_live

router = APIRouter()
CLOSE_POLICY = 1008


async def authenticate(runtime: Runtime, websocket: WebSocket) -> TokenSession | None:
    """The agent's session, by bearer token or session cookie; a cookie only from a page of an allowed origin.

    Not from the token cache: a socket lives on, so it must not start on a token revoked a moment ago.
    """
    presented = presented_token(websocket)
    if presented is None:
        return None
    # CORS does not cover WebSocket upgrades: without this check any site an agent visits could open
    # the socket with the agent's cookie.
    if not origin_allowed(websocket, runtime.settings.allowed_origins, required=presented.from_cookie):
        return None
    async with runtime.sessions() as session:
        return await authenticate_token_session(session, presented.token)


async def member_inboxes(runtime: Runtime, actor: Actor, token_id: int) -> frozenset[int] | None:
    """The agent's inboxes; None if the token stopped working since it was checked (its end's signal may
    have gone out before this socket was registered to hear it)."""
    async with runtime.sessions() as session:
        if not await token_is_live(session, token_id):
            return None
        return await member_inbox_ids(session, actor)


def new_subscriber(runtime: Runtime, websocket: WebSocket, actor: Actor, token_id: int) -> Subscriber:
    extensions: dict[str, Any] = websocket.scope.get("extensions") or {}
    writer = cast(DirectWriter | None, extensions.get(DIRECT_WRITE))
    return Subscriber(
        actor.user_id,
        token_id=token_id,
        max_behind_bytes=runtime.settings.ws_max_behind_bytes,
        writer=writer,
        send=websocket.send,
        close=websocket.close,
    )


def end_on_expiry(subscriber: Subscriber, seconds_left: float | None) -> asyncio.TimerHandle | None:
    """A timer that ends the socket's session when its token expires (the caller cancels it at the end)."""
    if seconds_left is None:
        return None
    return asyncio.get_running_loop().call_later(max(0.0, seconds_left), subscriber.end_session)


@router.websocket("/ws")
async def agent_socket(websocket: WebSocket, since: int | None = None) -> None:
    runtime: Runtime = websocket.app.state.runtime
    if not origin_allowed(websocket, runtime.settings.allowed_origins):
        await websocket.close(CLOSE_POLICY, "origin not allowed")
        return
    found = await authenticate(runtime, websocket)
    if found is None:
        await websocket.close(CLOSE_POLICY, "missing or invalid credentials")
        return
    actor = actor_of(found.user)
    await runtime.reader.ready.wait()
    subscriber = new_subscriber(runtime, websocket, actor, found.token_id)
    # Registered before membership and backlog are read, so nothing falls between them and the live events
    # (nor the end of the session).
    runtime.gateway.add(subscriber)
    expiry = end_on_expiry(subscriber, found.seconds_left)
    try:
        member_of = await member_inboxes(runtime, actor, found.token_id)
        if member_of is None or subscriber.ended:
            await websocket.close(CLOSE_POLICY, "missing or invalid credentials")
            return
        subscriber.set_membership(member_of, is_admin=actor.is_admin)
        await websocket.accept()
        await stream(runtime, websocket, actor, subscriber, since)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass  # the client went away (it resumes from its last id), or the socket was closed under us
    finally:
        if expiry is not None:
            expiry.cancel()
        runtime.gateway.remove(subscriber)
        subscriber.stop()
        runtime.presence.disconnected(subscriber)


async def stream(
    runtime: Runtime, websocket: WebSocket, actor: Actor, subscriber: Subscriber, since: int | None
) -> None:
    """Backlog, ``ready``, then live events, and the client's frames until either side closes."""
    if since is None:
        subscriber.last_sent = runtime.reader.last_id or 0
    elif not await send_backlog(runtime.engine, subscriber, since, websocket.send_text):
        await websocket.send_text(control_text("resync_required", {"since": since}))
        await websocket.close(CLOSE_RESYNC, "the event log no longer reaches back to since")
        return
    if subscriber.ended:  # while the backlog was sent; the frames it held are dropped
        await websocket.close(CLOSE_SESSION_ENDED, SESSION_ENDED_REASON)
        return
    if subscriber.overflowed:  # fell too far behind while the backlog was sent
        await websocket.close(CLOSE_RESUME, RESUME_REASON)
        return
    await websocket.send_text(control_text("ready", {"last_id": subscriber.last_sent}))
    subscriber.go_live()
    subscriber.send_each(runtime.presence.snapshot())
    runtime.presence.connected(subscriber, actor.name)
    await ClientFrames(runtime, websocket, actor, subscriber).follow()
