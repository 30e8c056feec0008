"""Signing in to the console: a session cookie holding a token of its own, and signing out."""

from fastapi import APIRouter, HTTPException, Request, Response, status

from omnihub.api.credentials import SESSION_COOKIE, origin_allowed
from omnihub.api.deps import ActorDep, PresentedTokenDep, RuntimeDep, SessionDep, token_cache
from omnihub.api.schemas import SignedIn, SignIn
from omnihub.services import users

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=SignedIn, responses={401: {"description": "Wrong e-mail or password."}})
async def log_in(
    body: SignIn, request: Request, response: Response, session: SessionDep, runtime: RuntimeDep
) -> SignedIn:
    """Check e-mail and password and set the session cookie (HttpOnly, SameSite=Strict).

    The cookie authenticates REST requests and `/ws` like a bearer token, for `OMNIHUB_SESSION_HOURS`.
    """
    if not origin_allowed(request, runtime.settings.allowed_origins):
        raise HTTPException(403, "cross-origin request refused")
    user, token = await users.sign_in(session, email=body.email, password=body.password)
    hours = runtime.settings.session_hours
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(hours * 3600),
        path="/",
        httponly=True,  # page scripts cannot read it, so an injected script cannot carry it off
        samesite="strict",  # browsers do not send it with requests that other sites start
        secure=runtime.settings.public_url.startswith("https://"),
    )
    return SignedIn(user_id=user.id, name=user.name, email=user.email, role=user.role)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def log_out(
    request: Request, response: Response, presented: PresentedTokenDep, _signed_in: ActorDep, session: SessionDep
) -> None:
    """Revoke the token this request is authenticated with (the session cookie's, or a bearer token) and
    clear the cookie. Other nodes may still accept the token for up to 5 seconds (their token cache)."""
    await users.revoke_token(session, presented.token)
    token_cache(request).forget(presented.token)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
