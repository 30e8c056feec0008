"""The agents' WebSocket at ``/ws``: authenticate, check the Origin, resume from ``since``, stream."""

from __future__ import annotations

import contextlib
import json
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy import select

from omnihub.db.models import InboxMember
from omnihub.realtime.gateway import CLOSE_RESUME, CLOSE_RESYNC, Subscriber
from omnihub.realtime.reader import PAGE, read_after
from omnihub.runtime import Runtime
from omnihub.services.access import Actor
from omnihub.services.users import actor_of, authenticate_token

router = APIRouter()
CLOSE_POLICY = 1008


def origin_allowed(websocket: WebSocket, allowed: list[str]) -> bool:
    """Browsers send Origin; other clients do not and prove themselves by their token alone.

    CORS does not apply to WebSocket upgrades, so without this check any page a logged-in agent
    visits could open the socket with the agent's cookie.
    """
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    if origin in allowed:
        return True
    return urlsplit(origin).netloc == websocket.headers.get("host")


async def authenticate(runtime: Runtime, websocket: WebSocket) -> Actor | None:
    scheme, _, token = websocket.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    async with runtime.sessions() as session:
        user = await authenticate_token(session, token)
        return actor_of(user) if user else None


async def visible_inboxes(runtime: Runtime, actor: Actor) -> frozenset[int] | None:
    if actor.is_admin:
        return None
    async with runtime.sessions() as session:
        ids = await session.scalars(select(InboxMember.inbox_id).where(InboxMember.user_id == actor.user_id))
        return frozenset(ids)


async def send_backlog(runtime: Runtime, websocket: WebSocket, subscriber: Subscriber, since: int) -> bool:
    """Send every visible event after ``since``; False if the log no longer reaches back that far."""
    async with runtime.engine.connect() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        oldest = await raw.fetchval("SELECT min(id) FROM events")
        newest = await raw.fetchval("SELECT coalesce(max(id), 0) FROM events")
        if since > newest or (oldest is not None and since < oldest - 1):
            return False
        subscriber.last_sent = since
        while True:
            page = await read_after(raw, subscriber.last_sent)
            for event in page:
                if subscriber.may_see(event.inbox_id):
                    await websocket.send_text(event.frame)
                subscriber.last_sent = event.id
            if len(page) < PAGE:
                return True


async def drain_incoming(websocket: WebSocket) -> None:
    """Read (and for now ignore) what the client sends, so that a close is noticed at once."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()


@router.websocket("/ws")
async def agent_socket(websocket: WebSocket, since: int | None = None) -> None:
    runtime: Runtime = websocket.app.state.runtime
    if not origin_allowed(websocket, runtime.settings.allowed_origins):
        await websocket.close(CLOSE_POLICY, "origin not allowed")
        return
    actor = await authenticate(runtime, websocket)
    if actor is None:
        await websocket.close(CLOSE_POLICY, "missing or invalid bearer token")
        return
    await runtime.reader.ready.wait()
    subscriber = Subscriber(actor.user_id, await visible_inboxes(runtime, actor), runtime.settings.ws_queue_size)
    runtime.gateway.add(subscriber)  # before the backlog, so nothing falls between backlog and live
    try:
        await websocket.accept()
        if since is None:
            subscriber.last_sent = runtime.reader.last_id or 0
        elif not await send_backlog(runtime, websocket, subscriber, since):
            await websocket.send_text(json.dumps({"type": "resync_required", "data": {"since": since}}))
            await websocket.close(CLOSE_RESYNC, "the event log no longer reaches back to since")
            return
        if subscriber.overflowed:  # fell too far behind while the backlog was sent
            await websocket.close(CLOSE_RESUME, "too far behind: reconnect with since")
            return
        await websocket.send_text(json.dumps({"type": "ready", "data": {"last_id": subscriber.last_sent}}))
        # From here on the gateway writes this socket's frames; this task only reads, to notice the close.
        subscriber.go_live(websocket.send, websocket.close)
        await drain_incoming(websocket)
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client went away; it resumes from its last id
    finally:
        runtime.gateway.remove(subscriber)
        subscriber.stop()
