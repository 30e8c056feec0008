"""Signing in to the console: a session cookie that authenticates REST and /ws like a token, from the
console's own pages only, until it is signed out or expires."""

import asyncio
import statistics
import time
from datetime import timedelta
from http.cookies import SimpleCookie

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from omnihub.config import Settings
from omnihub.db.models import User
from omnihub.domain.enums import Role
from omnihub.services.users import create_api_token, hash_password, verify_password
from tests.live import CONSOLE_ORIGIN, LiveHub, agent_socket, running_live_hub

PASSWORD = "correct horse battery"


async def sign_in(live: LiveHub, password: str = PASSWORD, email: str = "agent@example.com") -> httpx.Response:
    return await live.http.post(
        "/api/v1/auth/login",
        json={"email": email, "password": password},
        headers={"Origin": CONSOLE_ORIGIN},
    )


def session_cookie(response: httpx.Response) -> tuple[str, dict[str, str | bool]]:
    [header] = response.headers.get_list("set-cookie")
    morsel = SimpleCookie(header)["omnihub_session"]
    return morsel.value, {key: morsel[key] for key in ("httponly", "samesite", "path", "max-age")}


async def test_signing_in_sets_a_strict_http_only_cookie_that_authenticates(live: LiveHub) -> None:
    user_id, _ = await live.token("agent@example.com", Role.AGENT, password=PASSWORD)

    wrong = await sign_in(live, "wrong password")
    signed_in = await sign_in(live)

    assert wrong.status_code == 401 and "set-cookie" not in wrong.headers
    assert signed_in.status_code == 200
    assert signed_in.json() == {"user_id": user_id, "name": "agent", "email": "agent@example.com", "role": "agent"}
    token, attributes = session_cookie(signed_in)
    assert attributes == {"httponly": True, "samesite": "strict", "path": "/", "max-age": str(12 * 3600)}
    cookies = {"omnihub_session": token}
    async with httpx.AsyncClient(base_url=live.base, cookies=cookies) as browser:
        assert (await browser.get("/api/v1/inboxes")).status_code == 200
    async with httpx.AsyncClient(base_url=live.base) as stranger:
        assert (await stranger.get("/api/v1/inboxes")).status_code == 401


async def test_a_cookie_changes_nothing_from_another_sites_page(live: LiveHub) -> None:
    await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
    _, admin = await live.token("admin@example.com", Role.ADMIN, password=PASSWORD)
    token, _ = session_cookie(await sign_in(live))
    inbox = await live.inbox(admin, "shop")
    conversation = (await live.inbound(admin, inbox, "1"))["conversation_id"]
    path = f"/api/v1/conversations/{conversation}/messages"
    note = {"content": "note", "private": True}

    async with httpx.AsyncClient(base_url=live.base, cookies={"omnihub_session": token}) as browser:
        foreign = await browser.post(path, json=note, headers={"Origin": "https://evil.example"})
        unmarked = await browser.post(path, json=note)  # a browser always sends Origin with a POST
        own_page = await browser.post(path, json=note, headers={"Origin": CONSOLE_ORIGIN})
        login_elsewhere = await browser.post(
            "/api/v1/auth/login",
            json={"email": "agent@example.com", "password": PASSWORD},
            headers={"Origin": "https://evil.example"},
        )

    assert (foreign.status_code, unmarked.status_code, login_elsewhere.status_code) == (403, 403, 403)
    assert own_page.status_code == 404  # through to the route: the agent is not a member of this inbox


async def test_the_socket_accepts_the_cookie_from_the_consoles_origin_only(live: LiveHub) -> None:
    await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
    token, _ = session_cookie(await sign_in(live))
    cookie = {"Cookie": f"omnihub_session={token}"}

    async with agent_socket(live.ws, additional_headers=cookie, origin=CONSOLE_ORIGIN):
        pass
    for origin in (None, "https://evil.example"):
        with pytest.raises(InvalidStatus) as refused:
            async with agent_socket(live.ws, additional_headers=cookie, origin=origin):
                pass
        assert refused.value.response.status_code == 403


async def test_signing_out_revokes_the_session_and_clears_the_cookie(live: LiveHub) -> None:
    await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
    token, _ = session_cookie(await sign_in(live))
    cookie = {"Cookie": f"omnihub_session={token}"}

    async with httpx.AsyncClient(base_url=live.base, cookies={"omnihub_session": token}) as browser:
        signed_out = await browser.post("/api/v1/auth/logout", headers={"Origin": CONSOLE_ORIGIN})
    async with httpx.AsyncClient(base_url=live.base, cookies={"omnihub_session": token}) as replay:
        after = await replay.get("/api/v1/inboxes")

    assert signed_out.status_code == 204
    value, attributes = session_cookie(signed_out)
    assert value == "" and attributes["max-age"] == "0"
    assert after.status_code == 401
    with pytest.raises(InvalidStatus):
        async with agent_socket(live.ws, additional_headers=cookie, origin=CONSOLE_ORIGIN):
            pass


async def test_a_session_ends_after_its_hours_but_api_tokens_do_not(live: LiveHub) -> None:
    _, api_token = await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
    token, _ = session_cookie(await sign_in(live))
    async with live.app.state.runtime.engine.begin() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        # 13 hours later, for both tokens:
        await raw.execute(
            "UPDATE api_tokens SET created_at = created_at - interval '13 hours',"
            " expires_at = expires_at - interval '13 hours'"
        )

    async with httpx.AsyncClient(base_url=live.base, cookies={"omnihub_session": token}) as browser:
        expired = await browser.get("/api/v1/inboxes")
    still_valid = await live.http.get("/api/v1/inboxes", headers={"Authorization": f"Bearer {api_token}"})

    assert expired.status_code == 401
    assert still_valid.status_code == 200


async def test_guessing_passwords_locks_the_address_then_the_client_for_a_while(live_settings: Settings) -> None:
    window_seconds = 5.0  # long enough for a few sign-ins (argon2 each) on a loaded machine
    limits = {
        "sign_in_max_failures": 3,
        "sign_in_max_failures_per_client": 5,
        "sign_in_window_minutes": window_seconds / 60,
    }
    async with running_live_hub(live_settings.model_copy(update=limits)) as live:
        await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
        await live.token("other@example.com", Role.AGENT, password=PASSWORD)

        guesses = [await sign_in(live, f"guess {n}") for n in range(3)]
        address_locked = await sign_in(live)  # the right password, too late
        other_address = await sign_in(live, email="other@example.com")
        more_guesses = [await sign_in(live, "guess", email=f"nobody{n}@example.com") for n in range(2)]
        client_locked = await sign_in(live, email="other@example.com")
        await asyncio.sleep(window_seconds + 0.5)
        unlocked = await sign_in(live)
        # A success clears the address's failures: two new ones do not lock it.
        later = [await sign_in(live, "guess") for _ in range(2)] + [await sign_in(live)]

    assert [r.status_code for r in guesses] == [401, 401, 401]
    assert address_locked.status_code == 429 and "set-cookie" not in address_locked.headers
    assert address_locked.json()["detail"].startswith("too many failed sign-ins")
    assert 1 <= int(address_locked.headers["Retry-After"]) <= window_seconds + 1
    assert other_address.status_code == 200
    assert [r.status_code for r in more_guesses] == [401, 401]  # unknown addresses count like known ones
    assert client_locked.status_code == 429
    assert unlocked.status_code == 200
    assert [r.status_code for r in later] == [401, 401, 200]


async def test_a_token_made_to_expire_stops_working_then(live: LiveHub) -> None:
    user_id, _ = await live.token("agent@example.com", Role.AGENT)
    async with live.app.state.runtime.sessions() as session:
        user = await session.get_one(User, user_id)
        token = await create_api_token(session, user=user, name="nightly export", valid_for=timedelta(days=30))
    bearer = {"Authorization": f"Bearer {token}"}
    before = await live.http.get("/api/v1/inboxes", headers=bearer)
    async with live.app.state.runtime.engine.begin() as connection:
        raw = (await connection.get_raw_connection()).driver_connection
        await raw.execute(
            "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'nightly export'"
        )
    live.app.state.token_cache.forget(token)  # as after the cache's few seconds
    after = await live.http.get("/api/v1/inboxes", headers=bearer)

    assert before.status_code == 200
    assert after.status_code == 401


async def test_parallel_guesses_get_no_more_checks_than_the_limit(live: LiveHub) -> None:
    await live.token("agent@example.com", Role.AGENT, password=PASSWORD)

    answers = await asyncio.gather(*(sign_in(live, f"guess {n}") for n in range(30)))
    right_password = await sign_in(live)

    statuses = [answer.status_code for answer in answers]
    assert set(statuses) <= {401, 429}
    assert 1 <= statuses.count(401) <= 5  # OMNIHUB_SIGN_IN_MAX_FAILURES: only these were checked
    assert right_password.status_code == 429


async def test_unknown_addresses_take_as_long_as_known_ones(live_settings: Settings) -> None:
    """No telling which addresses have an account by how long the answer takes."""
    limits = {"sign_in_max_failures": 100, "sign_in_max_failures_per_client": 100}
    async with running_live_hub(live_settings.model_copy(update=limits)) as live:
        await live.token("agent@example.com", Role.AGENT, password=PASSWORD)
        known: list[float] = []
        unknown: list[float] = []
        for n in range(7):  # interleaved, so a burst of load elsewhere hits both alike
            for email, times in (("agent@example.com", known), (f"nobody{n}@example.com", unknown)):
                started = time.perf_counter()
                assert (await sign_in(live, "wrong guess", email=email)).status_code == 401
                times.append(time.perf_counter() - started)

    # Without the dummy check an unknown address answered ~30 times faster; a factor of 3 either way
    # leaves room for a loaded machine.
    known_median, unknown_median = statistics.median(known), statistics.median(unknown)
    assert known_median / 3 < unknown_median < known_median * 3, (known, unknown)


async def test_password_checks_leave_the_event_loop_free() -> None:
    """argon2 runs in a thread: the hub answers other requests and writes to sockets meanwhile."""
    password_hash = await hash_password(PASSWORD)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        await asyncio.sleep(0)  # the ticker starts
        before = ticks
        for password, expected in ((PASSWORD, True), ("wrong guess", False)):
            assert await verify_password(password_hash, password) is expected
        assert await verify_password(None, PASSWORD) is False
        during = ticks - before
    finally:
        ticker.cancel()
    # Run on the loop, the checks would let the ticker run not once while they work.
    assert during >= 10
