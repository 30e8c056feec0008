"""What clients see at the edges: oversized bodies, bad cursors, unstorable text, header injection, malformed
addresses, attachment names and downloads, health, docs."""

import base64
from urllib.parse import quote

import httpx
import pytest

from omnihub.config import Settings
from tests.conftest import Hub, InboundSender
from tests.test_input_hygiene import row_counts

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, with small limits that are cheap to exceed."""
    return settings.model_copy(update={"max_request_bytes": 64 * 1024, "max_attachment_bytes": 1024})


async def inbound_with_file(
    hub: Hub, admin: dict[str, str], inbox: int, name: str, content_type: str, data: bytes
) -> dict:
    response = await hub.client.post(
        f"/api/v1/inboxes/{inbox}/inbound",
        headers=admin,
        json={
            "external_id": name,
            "contact": {"identifier": "u"},
            "content": "file",
            "attachments": [
                {"filename": name, "content_type": content_type, "data_base64": base64.b64encode(data).decode()}
            ],
        },
    )
    return {"status": response.status_code, "body": response.json()}


async def test_oversized_request_body_gets_413(hub: Hub, api_inbox: int, admin: dict[str, str]) -> None:
    huge = {"external_id": "big", "contact": {"identifier": "u"}, "content": "x" * 100_000}
    response = await hub.client.post(f"/api/v1/inboxes/{api_inbox}/inbound", json=huge, headers=admin)

    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


async def test_oversized_attachment_gets_413_and_nothing_is_stored(
    hub: Hub, api_inbox: int, admin: dict[str, str]
) -> None:
    result = await inbound_with_file(hub, admin, api_inbox, "big.bin", "application/octet-stream", b"x" * 2048)

    assert result["status"] == 413
    assert "big.bin" in result["body"]["detail"]
    listed = (await hub.client.get("/api/v1/conversations", headers=admin)).json()
    assert listed["items"] == []


async def test_files_download_safely(hub: Hub, api_inbox: int, admin: dict[str, str]) -> None:
    await inbound_with_file(hub, admin, api_inbox, "pixel.png", "image/png", PNG)
    await inbound_with_file(hub, admin, api_inbox, "page.html", "text/html", b"<script>alert(1)</script>")
    await inbound_with_file(hub, admin, api_inbox, "logo.svg", "image/svg+xml", b"<svg onload='x()'/>")
    conversation = (await hub.client.get("/api/v1/conversations", headers=admin)).json()["items"][0]["id"]
    messages = (await hub.client.get(f"/api/v1/conversations/{conversation}/messages", headers=admin)).json()
    urls = {m["attachments"][0]["filename"]: m["attachments"][0]["url"] for m in messages["items"]}

    image = await hub.client.get(urls["pixel.png"], headers=admin)
    page = await hub.client.get(urls["page.html"], headers=admin)
    svg = await hub.client.get(urls["logo.svg"], headers=admin)

    assert image.content == PNG and image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"].startswith("inline")
    for risky in (page, svg):
        assert risky.headers["content-disposition"].startswith("attachment")
        assert risky.headers["content-type"] == "application/octet-stream"
        assert risky.headers["x-content-type-options"] == "nosniff"


async def test_identical_files_are_stored_once(
    hub: Hub, api_inbox: int, admin: dict[str, str], settings: Settings
) -> None:
    await inbound_with_file(hub, admin, api_inbox, "a.png", "image/png", PNG)
    await inbound_with_file(hub, admin, api_inbox, "b.png", "image/png", PNG)

    stored = [p for p in settings.attachments_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1


async def test_pagination_walks_every_conversation_once(
    hub: Hub, api_inbox: int, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    for n in range(7):
        await send_inbound(api_inbox, f"m{n}", identifier=f"person-{n}")
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await hub.client.get("/api/v1/conversations", params=params, headers=admin)).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == 7 and len(set(seen)) == 7
    assert seen == sorted(seen, reverse=True)


async def test_bad_query_values_get_422_not_500(hub: Hub, admin: dict[str, str]) -> None:
    for query in ("cursor=garbage", "cursor=WzFd", "limit=0", "limit=1000", "status=closed", "inbox_id=abc"):
        response = await hub.client.get(f"/api/v1/conversations?{query}", headers=admin)
        assert response.status_code == 422, query


async def test_patch_validates_fields(
    hub: Hub, api_inbox: int, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    conversation = (await send_inbound(api_inbox, "m")).json()["conversation_id"]
    url = f"/api/v1/conversations/{conversation}"
    for body in (
        {"status": None},
        {"priority": "whenever"},
        {"team_id": 424242},
        {"colour": "red"},
        {"labels": ["x" * 65]},
    ):
        response = await hub.client.patch(url, json=body, headers=admin)
        assert response.status_code == 422, body

    ok = await hub.client.patch(url, json={"labels": ["Billing", "billing ", "VIP"], "priority": "high"}, headers=admin)
    assert ok.json()["labels"] == ["billing", "vip"] and ok.json()["priority"] == "high"


async def test_unknown_channel_type_and_bad_config_get_422(hub: Hub, admin: dict[str, str]) -> None:
    unknown = await hub.client.post("/api/v1/inboxes", json={"name": "x", "channel_type": "pigeon"}, headers=admin)
    bad = await hub.client.post(
        "/api/v1/inboxes",
        headers=admin,
        json={"name": "x", "channel_type": "api", "config": {"callback_url": "not a url"}},
    )

    assert unknown.status_code == 422 and "pigeon" in unknown.text
    assert bad.status_code == 422 and "callback_url" in bad.text


async def test_health_and_openapi(hub: Hub) -> None:
    assert (await hub.client.get("/healthz")).json() == {"status": "ok"}
    spec = (await hub.client.get("/openapi.json")).json()
    assert "/api/v1/inboxes/{inbox_id}/inbound" in spec["paths"]
    assert (await hub.client.get("/docs")).status_code == 200


async def test_empty_inbound_and_bad_cursor_say_what_is_wrong(hub: Hub, api_inbox: int, admin: dict[str, str]) -> None:
    empty = await hub.client.post(
        f"/api/v1/inboxes/{api_inbox}/inbound",
        json={"external_id": "e", "contact": {"identifier": "u"}, "content": "  "},
        headers=admin,
    )
    cursor = await hub.client.get("/api/v1/conversations?cursor=garbage", headers=admin)

    assert empty.status_code == 422 and "needs content" in empty.text
    assert cursor.json()["detail"][0]["loc"] == ["query", "cursor"]


# --- text the database cannot store, header fields, addresses, file names

INBOUND = '{"external_id": %s, "contact": {"identifier": %s, "name": %s}, "content": %s}'


def unstorable_bodies(inbox: int) -> list[tuple[str, str, str, list[str | int]]]:
    """(method, url, raw JSON with \\u0000 or a lone \\ud800 escape, the loc the 422 must name)."""
    inbound = f"/api/v1/inboxes/{inbox}/inbound"
    return [
        ("POST", inbound, INBOUND % ('"a"', '"u"', "null", '"hi\\u0000"'), ["body", "content"]),
        ("POST", inbound, INBOUND % ('"a"', '"u"', "null", '"hi\\ud800"'), ["body", "content"]),
        ("POST", inbound, INBOUND % ('"a\\u0000"', '"u"', "null", '"hi"'), ["body", "external_id"]),
        ("POST", inbound, INBOUND % ('"a"', '"u\\ud800"', "null", '"hi"'), ["body", "contact", "identifier"]),
        ("POST", inbound, INBOUND % ('"a"', '"u"', '"Ada\\u0000"', '"hi"'), ["body", "contact", "name"]),
        (
            "POST",
            inbound,
            '{"external_id": "a", "contact": {"identifier": "u"}, "content": "hi", "subject": "\\udc00"}',
            ["body", "subject"],
        ),
        (
            "POST",
            "/api/v1/inboxes",
            '{"name": "x", "channel_type": "api", "config": {"k": "\\ud800"}}',
            ["body", "config"],
        ),
        (
            "POST",
            "/api/v1/inboxes",
            '{"name": "x", "channel_type": "api", "config": {"\\u0000": 1}}',
            ["body", "config"],
        ),
        ("POST", "/api/v1/teams", '{"name": "Bill\\u0000ing"}', ["body", "name"]),
        ("POST", "/api/v1/teams", '{"name": "Bill\\ud800ing"}', ["body", "name"]),
        (
            "POST",
            "/api/v1/conversations",
            '{"inbox_id": INBOX, "email": "n@example.com", "content": "\\u0000"}'.replace("INBOX", str(inbox)),
            ["body", "content"],
        ),
    ]


def names(response: httpx.Response, loc: list[str | int]) -> bool:
    """Whether a 422 names the field at ``loc`` (or something inside it, such as a list item)."""
    return any(error["loc"][: len(loc)] == loc for error in response.json()["detail"])


async def test_nul_and_lone_surrogates_get_422_naming_the_field_and_nothing_is_stored(
    hub: Hub, api_inbox: int, admin: dict[str, str], send_inbound: InboundSender
) -> None:
    conversation = (await send_inbound(api_inbox, "first")).json()["conversation_id"]
    cases = [
        *unstorable_bodies(api_inbox),
        ("POST", f"/api/v1/conversations/{conversation}/messages", '{"content": "x\\u0000"}', ["body", "content"]),
        ("PATCH", f"/api/v1/conversations/{conversation}", '{"labels": ["vip\\ud800"]}', ["body", "labels"]),
        (
            "POST",
            f"/api/v1/inboxes/{api_inbox}/typing",
            '{"contact": {"identifier": "\\u0000"}, "on": true}',
            ["body", "contact", "identifier"],
        ),
    ]
    before = await row_counts(hub)

    for method, url, raw, loc in cases:
        headers = admin | {"Content-Type": "application/json"}
        response = await hub.client.request(method, url, content=raw.encode(), headers=headers)
        assert response.status_code == 422, (raw, response.text)
        assert names(response, loc), (raw, response.text)

    assert await row_counts(hub) == before


async def test_nul_in_a_search_query_gets_422(hub: Hub, admin: dict[str, str]) -> None:
    response = await hub.client.get("/api/v1/contacts?q=a%00b", headers=admin)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "q"]


async def test_surrogate_in_an_unknown_field_name_still_gets_a_readable_422(hub: Hub, admin: dict[str, str]) -> None:
    response = await hub.client.post(
        "/api/v1/teams", content=b'{"name": "x", "\\ud800": 1}', headers=admin | {"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


@pytest.mark.parametrize(
    "address", ["a@b,c@d", "a@example.com, b@example.com", "Ada <a@example.com>", "a b@example.com", "a@-x.com", "a@"]
)
async def test_malformed_addresses_get_422_and_nothing_is_stored(
    hub: Hub, api_inbox: int, admin: dict[str, str], send_inbound: InboundSender, address: str
) -> None:
    before = await row_counts(hub)

    inbound = await send_inbound(api_inbox, "m", email=address)
    started = await hub.client.post(
        "/api/v1/conversations", json={"inbox_id": api_inbox, "email": address, "content": "hi"}, headers=admin
    )

    assert inbound.status_code == 422 and inbound.json()["detail"][0]["loc"] == ["body", "contact", "email"]
    assert started.status_code == 422 and started.json()["detail"][0]["loc"] == ["body", "email"]
    assert "not an e-mail address" in started.text
    assert await row_counts(hub) == before


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\x0b", "\x85", "\u2028"])
async def test_line_breaks_in_header_fields_get_422_and_nothing_is_stored(
    hub: Hub, api_inbox: int, admin: dict[str, str], line_break: str
) -> None:
    injected = f"Hello{line_break}Bcc: victim@example.com"
    start = {"inbox_id": api_inbox, "email": "new@example.com", "content": "hi"}
    file = {"data_base64": base64.b64encode(b"x").decode()}
    before = await row_counts(hub)

    for body, loc in (
        (start | {"subject": injected}, ["body", "subject"]),
        (start | {"name": injected}, ["body", "name"]),
        (start | {"attachments": [file | {"filename": injected}]}, ["body", "attachments", 0, "filename"]),
        (
            start | {"attachments": [file | {"filename": "a.txt", "content_type": injected}]},
            ["body", "attachments", 0, "content_type"],
        ),
    ):
        response = await hub.client.post("/api/v1/conversations", json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert names(response, loc), response.text

    assert await row_counts(hub) == before


SANITIZED_NAMES = {
    "../../etc/passwd": "passwd",
    "..\\..\\boot.ini": "boot.ini",
    "/etc/shadow": "shadow",
    "evil\u202etxt.exe": "evil_txt.exe",
    "CON.txt": "_CON.txt",
    "report.pdf. . .": "report.pdf",
    "\u2066hidden\u2069.js": "_hidden_.js",
}


async def test_attachment_names_are_stored_and_served_cleaned(hub: Hub, api_inbox: int, admin: dict[str, str]) -> None:
    for given, cleaned in SANITIZED_NAMES.items():
        result = await inbound_with_file(hub, admin, api_inbox, given, "application/octet-stream", b"data")
        assert result["status"] == 201, result
        conversation = result["body"]["conversation_id"]
        reply = await hub.client.post(
            f"/api/v1/conversations/{conversation}/messages",
            json={"private": True, "attachments": [{"filename": given, "data_base64": "ZGF0YQ=="}]},
            headers=admin,
        )
        assert reply.json()["attachments"][0]["filename"] == cleaned  # an agent's upload: the same rule
        page = (await hub.client.get(f"/api/v1/conversations/{conversation}/messages", headers=admin)).json()
        received = next(m for m in page["items"] if m["id"] == result["body"]["message_id"])["attachments"][0]
        assert received["filename"] == cleaned

        download = await hub.client.get(received["url"], headers=admin)
        disposition = download.headers["content-disposition"]
        assert disposition.startswith("attachment; ") and f"UTF-8''{quote(cleaned, safe='')}" in disposition
        assert not set(disposition) & set("\r\n\u202e\u2066/\\")
