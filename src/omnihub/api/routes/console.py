"""Serving the agent console: its static files under `/console/`, with a strict Content-Security-Policy.

The console is a static page that talks to the REST API and `/ws` of the same origin; nothing here
knows what it contains. Every answer under `/console/` (files, redirects, 404s) carries the headers
below, which docs/security.md ("The console") explains.
"""

import re
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

CONSOLE_DIR = Path(__file__).resolve().parents[2] / "web" / "console"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self' ws: wss:",
        "frame-src 'self' blob:",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
    )
)
CONSOLE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# A file whose name carries its content's hash (`app.3f9a1c2e.js`, `index-D3kX9q_a.css`) never changes
# under that name, so browsers may keep it for a year; anything else is revalidated on every use.
_CONTENT_HASHED = re.compile(r"[.-](?=[A-Za-z0-9_-]*[0-9])(?:[0-9a-f]{8,64}|[A-Za-z0-9_-]{8})\.[A-Za-z0-9]+$")
LONG_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def to_console() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=307, headers=CONSOLE_HEADERS)


def cache_control(path: str) -> str:
    """How long a browser may keep the console file at ``path`` without asking again."""
    return LONG_CACHE if _CONTENT_HASHED.search(path.rsplit("/", 1)[-1]) else NO_CACHE


class ConsoleFiles(StaticFiles):
    """Starlette's static files (no path escapes the folder, symlinks out of it are refused, HEAD and
    conditional requests work), plus the console's headers, and no hidden files."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            if any(part.startswith(".") for part in Path(path).parts):
                raise HTTPException(404)
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            response = PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
        response.headers.update(CONSOLE_HEADERS)
        is_file = response.status_code in (200, 304) and not path.endswith("/") and path not in ("", ".")
        response.headers["Cache-Control"] = cache_control(path) if is_file else NO_CACHE
        return response


def mount_console(app: FastAPI, directory: Path = CONSOLE_DIR) -> None:
    """`GET /` redirects to `/console/`, which serves ``directory`` (its index.html for the folder)."""
    app.include_router(router)
    app.mount("/console", ConsoleFiles(directory=directory, html=True, check_dir=False), name="console")
