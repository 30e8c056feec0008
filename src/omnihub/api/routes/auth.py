"""Signing in to the console: a session cookie holding a token of its own, and signing out."""

from datetime import timedelta

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import Field

from omnihub.api.credentials import SESSION_COOKIE, origin_allowed
from omnihub.api.deps import ActorDep, PresentedTokenDep, RuntimeDep, SessionDep, token_cache
from omnihub.api.schemas import SignedIn, SignIn, StrictModel
from omnihub.config import Settings
from omnihub.services import sessions
from omnihub.services.sign_in import SignInLimits, sign_in

router = APIRouter(prefix="/auth", tags=["auth"])


def sign_in_limits(settings: Settings) -> SignInLimits:
    return SignInLimits(
        max_failures=settings.sign_in_max_failures,
        max_failures_per_client=settings.sign_in_max_failures_per_client,
        window=timedelta(minutes=settings.sign_in_window_minutes),
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """The console's session cookie (signing in, and the first admin at setup)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.session_hours * 3600),
        path="/",
        httponly=True,  # page scripts cannot read it, so an injected script cannot carry it off
        samesite="strict",  # browsers do not send it with requests that other sites start
        secure=settings.public_url.startswith("https://"),
    )


@router.post(
    "/login",
    response_model=SignedIn,
    responses={
        401: {"description": "Wrong e-mail or password."},
        429: {"description": "Too many failed sign-ins for this address or from this client; see Retry-After."},
    },
)
async def log_in(
    body: SignIn, request: Request, response: Response, session: SessionDep, runtime: RuntimeDep
) -> SignedIn:
    """Check e-mail and password and set the session cookie (HttpOnly, SameSite=Strict).

    The cookie authenticates REST requests and `/ws` like a bearer token, for `OMNIHUB_SESSION_HOURS`.
    Repeated failures lock the address or the client for a while (`OMNIHUB_SIGN_IN_*` settings).
    """
    if not origin_allowed(request, runtime.settings.allowed_origins):
        raise HTTPException(403, "cross-origin request refused")
    settings = runtime.settings
    limits = sign_in_limits(settings)
    hours = settings.session_hours
    user, token = await sign_in(
        session,
        email=body.email,
        password=body.password,
        client=client_address(request),
        limits=limits,
        session_lifetime=timedelta(hours=hours),
    )
    set_session_cookie(response, token, runtime.settings)
    return SignedIn(user_id=user.id, name=user.name, email=user.email, role=user.role)


class PasswordChange(StrictModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(min_length=8, max_length=1000)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def log_out(
    request: Request, response: Response, presented: PresentedTokenDep, _signed_in: ActorDep, session: SessionDep
) -> None:
    """Revoke the token this request is authenticated with (the session cookie's, or a bearer token) and
    clear the cookie. On every node it stops working at once and its open `/ws` sockets close with 4003."""
    await sessions.sign_out(session, presented.token)
    token_cache(request).forget(presented.token)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")


@router.post(
    "/password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={422: {"description": "The current password is wrong, or the new one too short."}},
)
async def change_password(
    body: PasswordChange, request: Request, presented: PresentedTokenDep, actor: ActorDep, session: SessionDep
) -> None:
    """Change your own password. Every other console session of yours ends (their sockets close with 4003);
    the one making the change stays signed in. API tokens are not affected."""
    await sessions.change_own_password(
        session,
        actor,
        current_password=body.current_password,
        new_password=body.new_password,
        keep_token=presented.token,
    )
    token_cache(request).clear()  # this node forgets the ended sessions at once
