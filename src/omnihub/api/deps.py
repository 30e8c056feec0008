"""FastAPI dependencies: the database session and the authenticated actor."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.runtime import Runtime
from omnihub.services.access import Actor
from omnihub.services.users import TokenCache, actor_of, authenticate_token

_bearer = HTTPBearer(auto_error=False, description="An API token from `omnihub tokens create`.")


async def get_runtime(request: Request) -> Runtime:
    # async: FastAPI runs a plain ``def`` dependency in a worker thread, a hop per request for nothing.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def token_cache(request: Request) -> TokenCache:
    """The application's cache of recently authenticated tokens (see ``TokenCache`` for what it delays)."""
    state = request.app.state
    cache: TokenCache | None = getattr(state, "token_cache", None)
    if cache is None:
        cache = state.token_cache = TokenCache()
    return cache


async def get_current_actor(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    """The caller, from the bearer token; a token seen in the last few seconds needs no query.

    Authentication uses a short session of its own, so its connection is back in the pool before the
    route runs (and a route that needs none, like inbound messages, checks out none for it).
    """
    unauthorized = HTTPException(401, "missing or invalid bearer token", headers={"WWW-Authenticate": "Bearer"})
    if credentials is None:
        raise unauthorized
    cache = token_cache(request)
    actor = cache.get(credentials.credentials)
    if actor is not None:
        return actor
    async with runtime.sessions() as session:
        user = await authenticate_token(session, credentials.credentials)
    if user is None:
        raise unauthorized
    actor = actor_of(user)
    cache.put(credentials.credentials, actor)
    return actor


ActorDep = Annotated[Actor, Depends(get_current_actor)]
