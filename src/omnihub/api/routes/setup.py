"""First run: creating the first admin with the setup code that `omnihub serve` printed."""

from dataclasses import replace
from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from omnihub.api.credentials import origin_allowed
from omnihub.api.deps import RuntimeDep, SessionDep
from omnihub.api.routes.auth import client_address, set_session_cookie, sign_in_limits
from omnihub.api.schemas import EmailAddress, ShortText, SignedIn, StrictModel
from omnihub.services import setup
from omnihub.services.setup import FirstAdmin

router = APIRouter(prefix="/setup", tags=["auth"])

# All clients together get this many times a client's sign-in allowance of wrong codes per window.
_TOTAL_GUESSES_FACTOR = 10


class SetupNeeded(BaseModel):
    needed: bool = Field(description="No user exists yet: the console shows the setup form.")


class SetupIn(StrictModel):
    code: str = Field(min_length=1, max_length=64, description="The code `omnihub serve` printed.")
    email: EmailAddress
    name: ShortText
    password: str = Field(min_length=8, max_length=1000)


@router.get("", response_model=SetupNeeded)
async def setup_state(session: SessionDep) -> dict[str, bool]:
    """Whether the hub still waits for its first admin (needs no credentials: there are none yet)."""
    return {"needed": await setup.setup_needed(session)}


@router.post(
    "",
    response_model=SignedIn,
    responses={
        403: {"description": "Wrong setup code, or a request from another site."},
        409: {"description": "A user exists already: sign in instead."},
        429: {"description": "Too many wrong codes; see Retry-After."},
    },
)
async def complete_setup(
    body: SetupIn, request: Request, response: Response, session: SessionDep, runtime: RuntimeDep
) -> SignedIn:
    """Create the first admin and sign them in (the same session cookie as `POST /auth/login`)."""
    settings = runtime.settings
    if not origin_allowed(request, settings.allowed_origins):
        raise HTTPException(403, "cross-origin request refused")
    per_client = sign_in_limits(settings)
    limits = replace(
        per_client,
        max_failures=per_client.max_failures_per_client * _TOTAL_GUESSES_FACTOR,  # the key is shared by all
        max_failures_per_client=per_client.max_failures,
    )
    user, token = await setup.complete_setup(
        session,
        code=body.code,
        admin=FirstAdmin(email=body.email, name=body.name, password=body.password),
        client=client_address(request),
        limits=limits,
        session_lifetime=timedelta(hours=settings.session_hours),
    )
    set_session_cookie(response, token, settings)
    return SignedIn(user_id=user.id, name=user.name, email=user.email, role=user.role)
