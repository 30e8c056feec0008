"""FastAPI dependencies: the database session and the authenticated actor."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyCookie, HTTPBearer
from starlette.requests import HTTPConnection

from omnihub.api.credentials import SESSION_COOKIE, PresentedToken, origin_allowed, presented_token
from omnihub.db.engine import Session
from omnihub.runtime import Runtime
from omnihub.services.access import Actor
from omnihub.services.users import TokenCache, actor_of, authenticate_token

# Declared for the OpenAPI description; the credentials themselves are read by ``presented_token``.
_bearer = HTTPBearer(auto_error=False, description="An API token from `omnihub tokens create`.")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The console's session, set by `POST /api/v1/auth/login`."
)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain ``def`` dependency in a worker thread, a hop per request for nothing.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[Session]:
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def token_cache(connection: HTTPConnection) -> TokenCache:
    """The application's cache of recently authenticated tokens (see ``TokenCache`` for what it delays)."""
    state = connection.app.state
    cache: TokenCache | None = getattr(state, "token_cache", None)
    if cache is None:
        cache = state.token_cache = TokenCache()
    return cache


async def get_presented_token(
    request: Request,
    runtime: RuntimeDep,
    _bearer_scheme: Annotated[object, Depends(_bearer)],
    _cookie_scheme: Annotated[object, Depends(_cookie)],
) -> PresentedToken:
    """The request's bearer token, else its session cookie; 401 without either.

    A browser sends the cookie with every request to the hub, also one that a page of another site
    makes it send; SameSite=Strict stops that from other sites, and for requests that change
    something the Origin must be the hub's own (or allowed) as well, which also covers a sibling
    subdomain that counts as the same site.
    """
    presented = presented_token(request)
    if presented is None:
        raise HTTPException(401, "missing or invalid bearer token", headers={"WWW-Authenticate": "Bearer"})
    if (
        presented.from_cookie
        and request.method not in _SAFE_METHODS
        and not origin_allowed(request, runtime.settings.allowed_origins, required=True)
    ):
        raise HTTPException(403, "cross-origin request refused")
    return presented


PresentedTokenDep = Annotated[PresentedToken, Depends(get_presented_token)]


async def get_current_actor(request: Request, runtime: RuntimeDep, presented: PresentedTokenDep) -> Actor:
    """The caller, from the bearer token or session cookie; a token seen in the last few seconds needs no query.

    Authentication uses a short session of its own, so its connection is back in the pool before the
    route runs (and a route that needs none, like inbound messages, checks out none for it).
    """
    actor = await actor_for_token(request, runtime, presented.token)
    if actor is None:
        raise HTTPException(401, "missing or invalid bearer token", headers={"WWW-Authenticate": "Bearer"})
    return actor


async def actor_for_token(connection: HTTPConnection, runtime: Runtime, token: str) -> Actor | None:
    """Whose token this is (REST and ``/ws`` alike); None if it does not authenticate."""
    cache = token_cache(connection)
    actor = cache.get(token)
    if actor is not None:
        return actor
    async with runtime.sessions() as session:
        user = await authenticate_token(session, token)
    if user is None:
        return None
    actor = actor_of(user)
    cache.put(token, actor)
    return actor


ActorDep = Annotated[Actor, Depends(get_current_actor)]
