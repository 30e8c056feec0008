"""A real HTTP server on 127.0.0.1 that plays the integrating system receiving replies."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route


@dataclass
class ReceivedCallback:
    headers: dict[str, str]
    body: bytes


@dataclass
class CallbackServer:
    url: str
    received: list[ReceivedCallback] = field(default_factory=list)
    # Status codes to answer in turn; the last one repeats.
    answers: list[int] = field(default_factory=lambda: [200])
    # What to say with an error status (what an integrating system's error page might give away).
    error_body: str | None = None
    # Answer every request with a redirect to this URL.
    redirect_to: str | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def callback_server() -> AsyncIterator[CallbackServer]:
    port = free_port()
    server_state = CallbackServer(url=f"http://127.0.0.1:{port}/omnihub")

    async def receive(request: Request) -> Response:
        server_state.received.append(ReceivedCallback(dict(request.headers), await request.body()))
        if server_state.redirect_to:
            return RedirectResponse(server_state.redirect_to, status_code=307)
        index = min(len(server_state.received), len(server_state.answers)) - 1
        status = server_state.answers[index]
        if status >= 400 and server_state.error_body is not None:
            return Response(server_state.error_body, status_code=status, media_type="text/plain")
        return JSONResponse({"ok": status < 400}, status_code=status)

    app = Starlette(routes=[Route("/omnihub", receive, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    try:
        yield server_state
    finally:
        server.should_exit = True
        await task
