"""FastAPI dependencies: the database session and the authenticated actor."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.runtime import Runtime
from omnihub.services.access import Actor
from omnihub.services.users import actor_of, authenticate_token

_bearer = HTTPBearer(auto_error=False, description="An API token from `omnihub tokens create`.")


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_session(runtime: RuntimeDep) -> AsyncIterator[AsyncSession]:
    async with runtime.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def get_current_actor(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    unauthorized = HTTPException(401, "missing or invalid bearer token", headers={"WWW-Authenticate": "Bearer"})
    if credentials is None:
        raise unauthorized
    user = await authenticate_token(session, credentials.credentials)
    if user is None:
        raise unauthorized
    return actor_of(user)


ActorDep = Annotated[Actor, Depends(get_current_actor)]
