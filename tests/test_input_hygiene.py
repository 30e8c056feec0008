"""Ids out of range, anywhere a client can put one, get 422 naming the field, and change nothing.

Ids are PostgreSQL bigints starting at 1: 0, -1, 2^63 and 2^64 must be refused at the edge, not fail in
the driver with a 500. The table below must name every id a route takes (path, query, body or cursor);
a new route with an id fails the test until it is added. The domain rules behind the other edge checks
(e-mail addresses, file names, cursors) are unit-tested here too.
"""

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from omnihub.db.models.base import Base
from omnihub.domain.errors import InvalidInput
from omnihub.domain.filenames import MAX_FILENAME_BYTES, clean_filename
from omnihub.domain.identities import normalize_email
from omnihub.services.pagination import decode_cursor, encode_cursor
from tests.conftest import Hub, InboundSender

BAD_IDS = (0, -1, 2**63, 2**64)
NOW = "2026-01-01T00:00:00+00:00"


def cursor_of(*values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


# (method, route, where, field) -> the request with the id replaced by {bad}; other ids are real (1).
ID_CASES: dict[tuple[str, str, str, str], tuple[str, dict[str, Any] | None]] = {
    ("GET", "/api/v1/inboxes/{inbox_id}", "path", "inbox_id"): ("/api/v1/inboxes/{bad}", None),
    ("GET", "/api/v1/inboxes/{inbox_id}/members", "path", "inbox_id"): ("/api/v1/inboxes/{bad}/members", None),
    ("POST", "/api/v1/inboxes/{inbox_id}/members", "path", "inbox_id"): (
        "/api/v1/inboxes/{bad}/members",
        {"user_id": 1},
    ),
    ("POST", "/api/v1/inboxes/{inbox_id}/members", "body", "user_id"): (
        "/api/v1/inboxes/1/members",
        {"user_id": "{bad}"},
    ),
    ("DELETE", "/api/v1/inboxes/{inbox_id}/members/{user_id}", "path", "inbox_id"): (
        "/api/v1/inboxes/{bad}/members/1",
        None,
    ),
    ("DELETE", "/api/v1/inboxes/{inbox_id}/members/{user_id}", "path", "user_id"): (
        "/api/v1/inboxes/1/members/{bad}",
        None,
    ),
    ("POST", "/api/v1/inboxes/{inbox_id}/inbound", "path", "inbox_id"): (
        "/api/v1/inboxes/{bad}/inbound",
        {"external_id": "x", "contact": {"identifier": "x"}, "content": "x"},
    ),
    ("POST", "/api/v1/inboxes/{inbox_id}/typing", "path", "inbox_id"): (
        "/api/v1/inboxes/{bad}/typing",
        {"contact": {"identifier": "x"}, "on": True},
    ),
    ("POST", "/api/v1/inboxes/{inbox_id}/typing", "body", "conversation_id"): (
        "/api/v1/inboxes/1/typing",
        {"contact": {"identifier": "x"}, "on": True, "conversation_id": "{bad}"},
    ),
    ("GET", "/api/v1/inboxes/{inbox_id}/sync", "path", "inbox_id"): ("/api/v1/inboxes/{bad}/sync", None),
    ("GET", "/api/v1/inboxes/{inbox_id}/quarantine", "path", "inbox_id"): ("/api/v1/inboxes/{bad}/quarantine", None),
    ("GET", "/api/v1/inboxes/{inbox_id}/quarantine", "query", "cursor"): (
        "/api/v1/inboxes/1/quarantine?cursor={cursor1}",
        None,
    ),
    ("GET", "/api/v1/inboxes/{inbox_id}/quarantine/{item_id}/raw", "path", "inbox_id"): (
        "/api/v1/inboxes/{bad}/quarantine/1/raw",
        None,
    ),
    ("GET", "/api/v1/inboxes/{inbox_id}/quarantine/{item_id}/raw", "path", "item_id"): (
        "/api/v1/inboxes/1/quarantine/{bad}/raw",
        None,
    ),
    ("POST", "/api/v1/inboxes/{inbox_id}/quarantine/{item_id}/retry", "path", "inbox_id"): (
        "/api/v1/inboxes/{bad}/quarantine/1/retry",
        None,
    ),
    ("POST", "/api/v1/inboxes/{inbox_id}/quarantine/{item_id}/retry", "path", "item_id"): (
        "/api/v1/inboxes/1/quarantine/{bad}/retry",
        None,
    ),
    ("GET", "/api/v1/conversations", "query", "inbox_id"): ("/api/v1/conversations?inbox_id={bad}", None),
    ("GET", "/api/v1/conversations", "query", "assignee_id"): ("/api/v1/conversations?assignee_id={bad}", None),
    ("GET", "/api/v1/conversations", "query", "cursor"): ("/api/v1/conversations?cursor={cursor2}", None),
    ("POST", "/api/v1/conversations", "body", "inbox_id"): (
        "/api/v1/conversations",
        {"inbox_id": "{bad}", "email": "new@example.com", "content": "x"},
    ),
    ("POST", "/api/v1/conversations", "body", "contact_id"): (
        "/api/v1/conversations",
        {"inbox_id": 1, "contact_id": "{bad}", "content": "x"},
    ),
    ("GET", "/api/v1/conversations/{conversation_id}", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}",
        None,
    ),
    ("PATCH", "/api/v1/conversations/{conversation_id}", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}",
        {"status": "resolved"},
    ),
    ("PATCH", "/api/v1/conversations/{conversation_id}", "body", "assignee_id"): (
        "/api/v1/conversations/1",
        {"assignee_id": "{bad}"},
    ),
    ("PATCH", "/api/v1/conversations/{conversation_id}", "body", "team_id"): (
        "/api/v1/conversations/1",
        {"team_id": "{bad}"},
    ),
    ("GET", "/api/v1/conversations/{conversation_id}/messages", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/messages",
        None,
    ),
    ("GET", "/api/v1/conversations/{conversation_id}/messages", "query", "cursor"): (
        "/api/v1/conversations/1/messages?cursor={cursor1}",
        None,
    ),
    ("POST", "/api/v1/conversations/{conversation_id}/messages", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/messages",
        {"content": "x", "private": True},
    ),
    ("PUT", "/api/v1/conversations/{conversation_id}/reply-address", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/reply-address",
        {"identity_id": 1},
    ),
    ("PUT", "/api/v1/conversations/{conversation_id}/reply-address", "body", "identity_id"): (
        "/api/v1/conversations/1/reply-address",
        {"identity_id": "{bad}"},
    ),
    ("GET", "/api/v1/conversations/{conversation_id}/messages/{message_id}/delivery", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/messages/1/delivery",
        None,
    ),
    ("GET", "/api/v1/conversations/{conversation_id}/messages/{message_id}/delivery", "path", "message_id"): (
        "/api/v1/conversations/1/messages/{bad}/delivery",
        None,
    ),
    ("GET", "/api/v1/conversations", "query", "team_id"): ("/api/v1/conversations?team_id={bad}", None),
    ("POST", "/api/v1/conversations/{conversation_id}/read", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/read",
        {},
    ),
    ("POST", "/api/v1/conversations/{conversation_id}/read", "body", "message_id"): (
        "/api/v1/conversations/1/read",
        {"message_id": "{bad}"},
    ),
    ("POST", "/api/v1/conversations/{conversation_id}/unread", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/unread",
        None,
    ),
    ("GET", "/api/v1/conversations/{conversation_id}/draft", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/draft",
        None,
    ),
    ("PUT", "/api/v1/conversations/{conversation_id}/draft", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/draft",
        {"content": "x"},
    ),
    ("DELETE", "/api/v1/conversations/{conversation_id}/draft", "path", "conversation_id"): (
        "/api/v1/conversations/{bad}/draft",
        None,
    ),
    ("GET", "/api/v1/contacts", "query", "cursor"): ("/api/v1/contacts?cursor={cursor1}", None),
    ("GET", "/api/v1/contacts/{contact_id}", "path", "contact_id"): ("/api/v1/contacts/{bad}", None),
    ("PATCH", "/api/v1/contacts/{contact_id}", "path", "contact_id"): ("/api/v1/contacts/{bad}", {"name": "Dana"}),
    ("POST", "/api/v1/contacts/{contact_id}/merge", "path", "contact_id"): (
        "/api/v1/contacts/{bad}/merge",
        {"other_id": 1},
    ),
    ("POST", "/api/v1/contacts/{contact_id}/merge", "body", "other_id"): (
        "/api/v1/contacts/1/merge",
        {"other_id": "{bad}"},
    ),
    ("GET", "/api/v1/attachments/{attachment_id}", "path", "attachment_id"): ("/api/v1/attachments/{bad}", None),
    ("GET", "/api/v1/tokens", "query", "user_id"): ("/api/v1/tokens?user_id={bad}", None),
    ("DELETE", "/api/v1/tokens/{token_id}", "path", "token_id"): ("/api/v1/tokens/{bad}", None),
    ("PUT", "/api/v1/users/{user_id}/password", "path", "user_id"): (
        "/api/v1/users/{bad}/password",
        {"password": "correct horse battery"},
    ),
    ("POST", "/api/v1/users/{user_id}/deactivate", "path", "user_id"): ("/api/v1/users/{bad}/deactivate", None),
    ("PUT", "/api/v1/users/{user_id}/role", "path", "user_id"): ("/api/v1/users/{bad}/role", {"role": "agent"}),
    ("PATCH", "/api/v1/inboxes/{inbox_id}", "path", "inbox_id"): ("/api/v1/inboxes/{bad}", {"name": "x"}),
    ("GET", "/api/v1/teams/{team_id}/members", "path", "team_id"): ("/api/v1/teams/{bad}/members", None),
    ("POST", "/api/v1/teams/{team_id}/members", "path", "team_id"): (
        "/api/v1/teams/{bad}/members",
        {"user_id": 1},
    ),
    ("POST", "/api/v1/teams/{team_id}/members", "body", "user_id"): ("/api/v1/teams/1/members", {"user_id": "{bad}"}),
    ("DELETE", "/api/v1/teams/{team_id}/members/{user_id}", "path", "team_id"): (
        "/api/v1/teams/{bad}/members/1",
        None,
    ),
    ("DELETE", "/api/v1/teams/{team_id}/members/{user_id}", "path", "user_id"): (
        "/api/v1/teams/1/members/{bad}",
        None,
    ),
    ("POST", "/api/v1/tokens", "body", "user_id"): ("/api/v1/tokens", {"name": "x", "user_id": "{bad}"}),
}


def is_integer(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "integer" or any(is_integer(option) for option in schema.get("anyOf", []))


def ids_taken_by_routes(hub: Hub) -> set[tuple[str, str, str, str]]:
    """Every (method, route, where, field) of the REST API that is an id or a cursor, from its OpenAPI."""
    spec = hub.app.openapi()
    schemas = spec["components"]["schemas"]
    found = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if (is_integer(parameter["schema"]) and parameter["name"] != "limit") or parameter["name"] == "cursor":
                    found.add((method.upper(), path, parameter["in"], parameter["name"]))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            reference = body.get("schema", {}).get("$ref", "")
            for field, schema in schemas.get(reference.rpartition("/")[2], {}).get("properties", {}).items():
                if is_integer(schema):
                    found.add((method.upper(), path, "body", field))
    return found


async def row_counts(hub: Hub) -> dict[str, int]:
    """Rows per table, in one statement (one snapshot: the sequencer moves events from queue to log
    meanwhile, so those two are counted together)."""
    tables = Base.metadata.sorted_tables
    query = select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables))
    async with hub.session() as session:
        counts = dict((await session.execute(query)).one()._mapping)
    counts["events"] += counts.pop("event_queue")
    return counts


def with_bad_id(template: str | dict[str, Any] | None, bad: int) -> Any:
    if template is None:
        return None
    if isinstance(template, dict):
        return {key: (bad if value == "{bad}" else with_bad_id(value, bad)) for key, value in template.items()}
    if not isinstance(template, str):
        return template
    return template.format(bad=bad, cursor1=cursor_of(bad), cursor2=cursor_of(NOW, bad))


async def test_every_id_out_of_range_gets_422_naming_it_and_changes_nothing(
    hub: Hub, admin: dict[str, str], api_inbox: int, send_inbound: InboundSender
) -> None:
    assert ids_taken_by_routes(hub) == set(ID_CASES), "an id a route takes is missing from ID_CASES"
    await send_inbound(api_inbox, "m1")  # conversation 1, contact 1: the ids the table uses as real ones
    before = await row_counts(hub)

    for (method, _, where, field), (url, body) in ID_CASES.items():
        for bad in BAD_IDS:
            response = await hub.client.request(
                method, with_bad_id(url, bad), json=with_bad_id(body, bad), headers=admin
            )
            case = f"{method} {with_bad_id(url, bad)} {field}={bad}: {response.status_code} {response.text}"
            assert response.status_code == 422, case
            assert [where, field] in [error["loc"] for error in response.json()["detail"]], case

    assert await row_counts(hub) == before


async def test_largest_id_is_accepted_as_an_id_and_simply_not_found(hub: Hub, admin: dict[str, str]) -> None:
    for url in (f"/api/v1/conversations/{2**63 - 1}", f"/api/v1/contacts/{2**63 - 1}"):
        assert (await hub.client.get(url, headers=admin)).status_code == 404


# --- cursors


def test_cursors_round_trip() -> None:
    moment = datetime(2026, 1, 1, 12, 30, tzinfo=UTC)
    assert decode_cursor(encode_cursor(moment, 7), (datetime, int)) == (moment, 7)
    assert decode_cursor(encode_cursor(2**63 - 1), (int,)) == (2**63 - 1,)


@pytest.mark.parametrize(
    "values",
    [[0], [-1], [2**63], [2**64], [True], [1.5], ["12"], [None], [[1]]],
)
def test_cursor_ids_out_of_range_or_of_another_type_are_refused(values: list[Any]) -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(cursor_of(*values), (int,))
    assert (refused.value.location, refused.value.field) == ("query", "cursor")


@pytest.mark.parametrize(
    "timestamp", ["2026-01-01T00:00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", 5, "x"]
)
def test_cursor_timestamps_without_zone_or_beyond_the_calendar_are_refused(timestamp: Any) -> None:
    with pytest.raises(InvalidInput):
        decode_cursor(cursor_of(timestamp, 1), (datetime, int))


def test_cursors_that_are_not_base64_json_are_refused() -> None:
    for cursor in ("garbage!", "\ud800", "\x00", base64.urlsafe_b64encode(b"\xff\xfe").decode(), "W1tbW1td"):
        with pytest.raises(InvalidInput):
            decode_cursor(cursor, (int,))


# --- e-mail addresses


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("Alice@Example.COM", "alice@example.com"),
        (" bob+tag@mail.example.org ", "bob+tag@mail.example.org"),
        ("o'brien@example.ie", "o'brien@example.ie"),
        ("jürgen@bücher.example", "jürgen@bücher.example"),
        ("x@xn--bcher-kva.example", "x@xn--bcher-kva.example"),
        ("a" * 64 + "@example.com", "a" * 64 + "@example.com"),
        ("ops@localhost", "ops@localhost"),
    ],
)
def test_good_addresses_are_normalized(given: str, normalized: str) -> None:
    assert normalize_email(given) == normalized


@pytest.mark.parametrize(
    "bad",
    [
        "a@b,c@d",
        "a@b.c, c@d.e",
        "a@b.c;c@d.e",
        "Alice <a@b.c>",
        "<a@b.c>",
        '"a b"@c.d',
        "a b@c.d",
        "a@b@c.d",
        "a@b.c\r\nBcc: victim@example.com",
        "a\x00@b.c",
        "a\ud800@b.c",
        "a\u202e@b.c",
        "@b.c",
        "a@",
        "a@-b.c",
        "a@b-.c",
        "a@b..c",
        "a@b.c.",
        "a@[127.0.0.1]",
        "a@b_c.d",
        "a" * 65 + "@example.com",
        "a@" + "b" * 64 + ".com",
        "a@" + ".".join(["b" * 60] * 5),
        "x" * 300 + "@" + "b" * 20 + ".com",
    ],
)
def test_bad_addresses_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalize_email(bad)
    assert refused.value.field == "email"


# --- file names


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/var/tmp/report.pdf", "report.pdf"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("evil\u202etxt.exe", "evil_txt.exe"),
        ("a\u2066b\u2069\u200e\u200f.txt", "a_b___.txt"),
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("a\x00b\r\nc.txt", "a_b__c.txt"),
        ("CON.txt", "_CON.txt"),
        ("nul", "_nul"),
        ("com1.log", "_com1.log"),
        ("report.pdf. . ", "report.pdf"),
        (".htaccess", "htaccess"),
        ("..", "attachment"),
        ("\u202e", "attachment"),
        ("", "attachment"),
        (None, "attachment"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
        ("Cafe\u0301.txt", "Café.txt"),
    ],
)
def test_file_names_are_cleaned(given: str | None, cleaned: str) -> None:
    assert clean_filename(given) == cleaned


def test_a_fallback_replaces_a_name_with_nothing_usable() -> None:
    assert clean_filename("///", fallback="attachment.pdf") == "attachment.pdf"


@given(st.text(max_size=400))
def test_any_cleaned_name_is_safe_and_stays_as_it_is(name: str) -> None:
    cleaned = clean_filename(name)
    assert cleaned and cleaned.isprintable()
    assert not set(cleaned) & set('/\\<>:"|?*\u202e\u2066\u200e')
    assert not cleaned.endswith((".", " ")) and not cleaned.startswith((".", " "))
    assert len(cleaned.encode("utf-8")) <= MAX_FILENAME_BYTES
    assert clean_filename(cleaned) == cleaned
