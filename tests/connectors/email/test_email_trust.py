"""One inbox cannot steer another's mail: a reply goes to the address the customer wrote from, whatever
anyone claims over the API, and an agent of an unrelated inbox can neither see nor merge that customer.

Against a real ``omnihub serve`` (uvicorn on a TCP port), a real Dovecot and a real SMTP server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from email.parser import BytesParser
from email.policy import default as default_policy
from typing import Any

import pytest

from omnihub.config import Settings
from omnihub.domain.enums import Role
from tests.conftest import wait_until
from tests.connectors.email.helpers import email_config, mail
from tests.live import LiveHub, auth, running_live_hub
from tests.mailservers import DovecotServer, SmtpSink

VICTIM = "victim@customer.test"


@pytest.fixture
async def live(settings: Settings) -> AsyncIterator[LiveHub]:
    async with running_live_hub(settings) as hub:
        yield hub


async def _email_inbox(hub: LiveHub, admin: str, dovecot: DovecotServer, smtp: SmtpSink) -> tuple[int, Any]:
    user = dovecot.create_user()
    response = await hub.http.post(
        "/api/v1/inboxes",
        json={"name": "Support", "channel_type": "email", "config": email_config(dovecot, user, smtp.port)},
        headers=auth(admin),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"]), user


async def _wait_for_conversation(hub: LiveHub, token: str, inbox: int) -> dict[str, Any]:
    found: list[dict[str, Any]] = []

    async def imported() -> bool:
        response = await hub.http.get(f"/api/v1/conversations?inbox_id={inbox}", headers=auth(token))
        found[:] = response.json()["items"]
        return bool(found)

    await wait_until(imported, within_seconds=20.0)
    return found[0]


async def test_claims_over_the_api_cannot_redirect_or_expose_an_email_customer(
    live: LiveHub, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    support_id, support = await live.token("support@example.com", Role.AGENT)
    attacker_id, attacker = await live.token("mallory@example.com", Role.AGENT)
    mail_inbox, user = await _email_inbox(live, admin, dovecot, smtp_sink)
    api_inbox = await live.inbox(admin, "Partner API")
    await live.add_member(admin, mail_inbox, support_id)
    await live.add_member(admin, api_inbox, attacker_id)

    dovecot.append(user, mail(sender=f"Vera <{VICTIM}>", subject="Invoice", body="Please send my invoice"))
    conversation = await _wait_for_conversation(live, support, mail_inbox)
    victim_contact = conversation["contact_id"]

    # The attacker pushes two messages for a made-up identifier, first with the victim's address, then theirs.
    first = await live.inbound(attacker, api_inbox, "x1", identifier="made-up", email=VICTIM)
    await live.inbound(attacker, api_inbox, "x2", identifier="made-up", email="attacker@evil.test")
    assert first["contact_id"] != victim_contact

    # Nothing of the victim is visible to the attacker, and merging is "not found".
    hidden = await live.http.get(f"/api/v1/contacts/{victim_contact}", headers=auth(attacker))
    assert hidden.status_code == 404
    found = (await live.http.get("/api/v1/contacts?q=customer.test", headers=auth(attacker))).json()["items"]
    assert [c["id"] for c in found] == [first["contact_id"]]  # only their own contact, by its claimed address
    merge = await live.http.post(
        f"/api/v1/contacts/{first['contact_id']}/merge", json={"other_id": victim_contact}, headers=auth(attacker)
    )
    assert merge.status_code == 404

    # The support agent's reply goes to the address the customer wrote from, and nowhere else.
    reply = await live.http.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        json={"content": "Here it is."},
        headers=auth(support),
    )
    assert reply.status_code == 201, reply.text
    [sent] = await smtp_sink.arrivals(1)
    assert sent.recipients == [VICTIM]
    parsed = BytesParser(policy=default_policy).parsebytes(sent.raw)
    assert parsed["To"].addresses[0].addr_spec == VICTIM

    # The support agent sees the victim's proven address, not the attacker's claims.
    details = (await live.http.get(f"/api/v1/contacts/{victim_contact}", headers=auth(support))).json()
    assert [(i["kind"], i["address"], i["verified"]) for i in details["identities"]] == [("email", VICTIM, True)]


async def test_changing_where_replies_go_is_an_agents_audited_action(
    live: LiveHub, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    support_id, support = await live.token("support@example.com", Role.AGENT)
    _, outsider = await live.token("outsider@example.com", Role.AGENT)
    mail_inbox, user = await _email_inbox(live, admin, dovecot, smtp_sink)
    await live.add_member(admin, mail_inbox, support_id)

    dovecot.append(user, mail(sender=f"Vera <{VICTIM}>", subject="Invoice", body="Send it to my office please"))
    conversation = await _wait_for_conversation(live, support, mail_inbox)
    url = f"/api/v1/conversations/{conversation['id']}/reply-address"

    refused = await live.http.put(url, json={"email": "office@customer.test"}, headers=auth(outsider))
    assert refused.status_code == 404
    bad = await live.http.put(url, json={"email": "a@b,c@d"}, headers=auth(support))
    assert bad.status_code == 422
    changed = await live.http.put(url, json={"email": "office@customer.test"}, headers=auth(support))
    assert changed.status_code == 200, changed.text
    assert changed.json()["reply_identity_id"] != conversation["reply_identity_id"]

    timeline = await live.http.get(f"/api/v1/conversations/{conversation['id']}/messages", headers=auth(support))
    activity = timeline.json()["items"][-1]
    assert activity["kind"] == "activity"
    assert activity["sender_user_id"] == support_id
    assert "office@customer.test" in activity["content"] and VICTIM in activity["content"]

    await live.http.post(
        f"/api/v1/conversations/{conversation['id']}/messages", json={"content": "Sent."}, headers=auth(support)
    )
    [sent] = await smtp_sink.arrivals(1)
    assert sent.recipients == ["office@customer.test"]
    details = (await live.http.get(f"/api/v1/contacts/{conversation['contact_id']}", headers=auth(support))).json()
    assert {(i["address"], i["provenance"]) for i in details["identities"]} == {
        (VICTIM, "channel"),
        ("office@customer.test", "agent"),
    }


async def test_writing_to_a_known_address_shows_an_agent_only_their_own_inboxs_part_of_that_person(
    live: LiveHub, dovecot: DovecotServer, smtp_sink: SmtpSink
) -> None:
    _, admin = await live.token("admin@example.com", Role.ADMIN)
    support_id, support = await live.token("support@example.com", Role.AGENT)
    sales_id, sales = await live.token("sales@example.com", Role.AGENT)
    support_inbox, user = await _email_inbox(live, admin, dovecot, smtp_sink)
    sales_inbox, _ = await _email_inbox(live, admin, dovecot, smtp_sink)
    await live.add_member(admin, support_inbox, support_id)
    await live.add_member(admin, sales_inbox, sales_id)
    dovecot.append(user, mail(sender=f"Vera <{VICTIM}>", subject="Invoice", body="Private matter"))
    private = await _wait_for_conversation(live, support, support_inbox)
    await live.http.put(
        f"/api/v1/conversations/{private['id']}/reply-address",
        json={"email": "vera.home@customer.test"},
        headers=auth(support),
    )

    # A sales agent writes to the same address: the same person, but they see only their own part of them.
    started = await live.http.post(
        "/api/v1/conversations",
        json={"inbox_id": sales_inbox, "email": VICTIM, "subject": "Offer", "content": "A new offer"},
        headers=auth(sales),
    )
    assert started.status_code == 201, started.text
    contact_id = started.json()["conversation"]["contact_id"]
    assert contact_id == private["contact_id"]
    seen = (await live.http.get(f"/api/v1/contacts/{contact_id}", headers=auth(sales))).json()
    assert [c["inbox_id"] for c in seen["conversations"]] == [sales_inbox]
    assert [i["address"] for i in seen["identities"]] == [VICTIM]  # not the support inbox's other address
    assert (await live.http.get(f"/api/v1/conversations/{private['id']}", headers=auth(sales))).status_code == 404
    assert (await live.http.get("/api/v1/contacts?q=vera.home", headers=auth(sales))).json()["items"] == []

    # Merging moves conversations: with the support inbox's conversation out of sight, only an admin may.
    newcomer = await live.http.post(
        "/api/v1/conversations",
        json={"inbox_id": sales_inbox, "email": "vera.work@customer.test", "content": "Hello"},
        headers=auth(sales),
    )
    other_id = newcomer.json()["conversation"]["contact_id"]
    merge = await live.http.post(
        f"/api/v1/contacts/{other_id}/merge", json={"other_id": contact_id}, headers=auth(sales)
    )
    assert merge.status_code == 403
    sent = await smtp_sink.arrivals(2)
    assert sorted(r for m in sent for r in m.recipients) == ["vera.work@customer.test", VICTIM]
