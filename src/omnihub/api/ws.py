"""The agents' WebSocket at ``/ws``: authenticate, check the Origin, resume from ``since``, stream.

The gateway writes the events; this socket's own task sets the connection up and then reads what the
client sends (typing and presence, see ``api.ws_client_frames``).
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy import select

from omnihub.api.credentials import origin_allowed, presented_token
from omnihub.api.deps import actor_for_token
from omnihub.api.ws_client_frames import ClientFrames
from omnihub.db.models import InboxMember
from omnihub.realtime.backlog import send_backlog
from omnihub.realtime.direct_ws import DIRECT_WRITE, DirectWriter
from omnihub.realtime.frames import control_text
from omnihub.realtime.gateway import CLOSE_RESUME, CLOSE_RESYNC, RESUME_REASON, Subscriber
from omnihub.runtime import Runtime
from omnihub.services.access import Actor

router = APIRouter()
CLOSE_POLICY = 1008


async def authenticate(runtime: Runtime, websocket: WebSocket) -> Actor | None:
    """The agent, by bearer token or session cookie; a cookie only from a page of an allowed origin."""
    presented = presented_token(websocket)
    if presented is None:
        return None
    # CORS does not cover WebSocket upgrades: without this check any site an agent visits could open
    # the socket with the agent's cookie.
    if not origin_allowed(websocket, runtime.settings.allowed_origins, required=presented.from_cookie):
        return None
    return await actor_for_token(websocket, runtime, presented.token)


async def member_inboxes(runtime: Runtime, actor: Actor) -> frozenset[int]:
    async with runtime.sessions() as session:
        ids = await session.scalars(select(InboxMember.inbox_id).where(InboxMember.user_id == actor.user_id))
        return frozenset(ids)


def new_subscriber(runtime: Runtime, websocket: WebSocket, actor: Actor) -> Subscriber:
    extensions: dict[str, Any] = websocket.scope.get("extensions") or {}
    writer = cast(DirectWriter | None, extensions.get(DIRECT_WRITE))
    return Subscriber(
        actor.user_id,
        max_behind_bytes=runtime.settings.ws_max_behind_bytes,
        writer=writer,
        send=websocket.send,
        close=websocket.close,
    )


@router.websocket("/ws")
async def agent_socket(websocket: WebSocket, since: int | None = None) -> None:
    runtime: Runtime = websocket.app.state.runtime
    if not origin_allowed(websocket, runtime.settings.allowed_origins):
        await websocket.close(CLOSE_POLICY, "origin not allowed")
        return
    actor = await authenticate(runtime, websocket)
    if actor is None:
        await websocket.close(CLOSE_POLICY, "missing or invalid credentials")
        return
    await runtime.reader.ready.wait()
    subscriber = new_subscriber(runtime, websocket, actor)
    # Registered before membership and backlog are read, so nothing falls between them and the live events.
    runtime.gateway.add(subscriber)
    try:
        subscriber.set_membership(await member_inboxes(runtime, actor), is_admin=actor.is_admin)
        await websocket.accept()
        if since is None:
            subscriber.last_sent = runtime.reader.last_id or 0
        elif not await send_backlog(runtime.engine, subscriber, since, websocket.send_text):
            await websocket.send_text(control_text("resync_required", {"since": since}))
            await websocket.close(CLOSE_RESYNC, "the event log no longer reaches back to since")
            return
        if subscriber.overflowed:  # fell too far behind while the backlog was sent
            await websocket.close(CLOSE_RESUME, RESUME_REASON)
            return
        await websocket.send_text(control_text("ready", {"last_id": subscriber.last_sent}))
        subscriber.go_live()
        subscriber.send_each(runtime.presence.snapshot())
        runtime.presence.connected(subscriber, actor.name)
        await ClientFrames(runtime, websocket, actor, subscriber).follow()
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client went away; it resumes from its last id
    finally:
        runtime.gateway.remove(subscriber)
        subscriber.stop()
        runtime.presence.disconnected(subscriber)
