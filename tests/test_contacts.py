"""Contacts: search, details and merging two records of one person."""

from tests.conftest import Hub, InboundSender, recorded_events


async def test_merge_moves_identities_and_conversations(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    kept = (await send_inbound(api_inbox, "1", identifier="crm-1", name="Dana", email="dana@example.com")).json()
    other = (await send_inbound(api_inbox, "2", identifier="shop-1", phone="+972501234567")).json()

    merged = await hub.client.post(
        f"/api/v1/contacts/{kept['contact_id']}/merge", json={"other_id": other["contact_id"]}, headers=admin
    )

    assert merged.status_code == 200, merged.text
    body = merged.json()
    assert body["name"] == "Dana" and body["phone"] == "+972501234567"
    assert {i["address"] for i in body["identities"]} == {"crm-1", "shop-1", "dana@example.com", "+972501234567"}
    assert {c["id"] for c in body["conversations"]} == {kept["conversation_id"], other["conversation_id"]}
    gone = await hub.client.get(f"/api/v1/contacts/{other['contact_id']}", headers=admin)
    assert gone.status_code == 404
    # The merged person's identities now lead to the kept contact.
    later = (await send_inbound(api_inbox, "3", identifier="shop-1")).json()
    assert later["contact_id"] == kept["contact_id"]


async def test_merge_into_itself_or_unknown_is_refused(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    contact_id = (await send_inbound(api_inbox, "1")).json()["contact_id"]

    itself = await hub.client.post(f"/api/v1/contacts/{contact_id}/merge", json={"other_id": contact_id}, headers=admin)
    unknown = await hub.client.post(f"/api/v1/contacts/{contact_id}/merge", json={"other_id": 999999}, headers=admin)

    assert itself.status_code == 409
    assert unknown.status_code == 404


async def test_search_finds_names_addresses_and_identifiers(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    await send_inbound(api_inbox, "1", identifier="crm-100", name="محمد الأحمد", email="m.ahmad@example.com")
    await send_inbound(api_inbox, "2", identifier="crm-200", name="יעל כהן")
    await send_inbound(api_inbox, "3", identifier="crm-300", name="50% off_sale")

    async def names(q: str) -> list[str]:
        response = await hub.client.get("/api/v1/contacts", params={"q": q}, headers=admin)
        assert response.status_code == 200
        return sorted(c["name"] for c in response.json()["items"])

    assert await names("الأحمد") == ["محمد الأحمد"]
    assert await names("כהן") == ["יעל כהן"]
    assert await names("M.AHMAD@") == ["محمد الأحمد"]
    assert await names("crm-200") == ["יעל כהן"]
    assert await names("%") == ["50% off_sale"]
    assert len(await names("")) == 3


async def test_search_finds_phone_numbers_by_part_as_people_write_them(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    await send_inbound(api_inbox, "1", identifier="crm-1", name="Dana", phone="+14155550123")
    await send_inbound(api_inbox, "2", identifier="crm-2", name="Noa", phone="+972501234567")
    await send_inbound(api_inbox, "3", identifier="crm-3", name="Born 1984")
    agent_id, agent = await hub.as_user("agent@example.com")
    added = await hub.client.post(f"/api/v1/inboxes/{api_inbox}/members", json={"user_id": agent_id}, headers=admin)
    assert added.status_code in (200, 201, 204), added.text

    async def names(q: str, headers: dict[str, str]) -> list[str]:
        response = await hub.client.get("/api/v1/contacts", params={"q": q}, headers=headers)
        assert response.status_code == 200
        return sorted(c["name"] for c in response.json()["items"])

    for headers in (admin, agent):
        assert await names("(415) 555-01", headers) == ["Dana"]
        assert await names("555 0123", headers) == ["Dana"]
        assert await names("050-123-4567", headers) == ["Noa"]  # national form: trunk zero, no country code
        assert await names("٥٠١٢٣٤٥", headers) == ["Noa"]  # Arabic-Indic digits
        assert await names("1984", headers) == ["Born 1984"]  # no phone has these digits; the name does
    assert await names("1 2", admin) == []  # too few digits to search phones by their digits


async def test_an_agent_never_finds_a_contact_of_an_inbox_they_are_not_in(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    other = await hub.client.post(
        "/api/v1/inboxes", json={"name": "Legal", "channel_type": "api", "config": {}}, headers=admin
    )
    await send_inbound(other.json()["id"], "1", identifier="crm-9", name="Quinn", phone="+14155550199")
    await send_inbound(api_inbox, "2", identifier="crm-1", name="Dana", phone="+14155550123")
    agent_id, agent = await hub.as_user("agent@example.com")
    await hub.client.post(f"/api/v1/inboxes/{api_inbox}/members", json={"user_id": agent_id}, headers=admin)

    async def names(q: str, headers: dict[str, str]) -> list[str]:
        response = await hub.client.get("/api/v1/contacts", params={"q": q}, headers=headers)
        return sorted(c["name"] for c in response.json()["items"])

    assert await names("415 555", admin) == ["Dana", "Quinn"]
    assert await names("415 555", agent) == ["Dana"]
    assert await names("0199", agent) == []
    assert await names("Quinn", agent) == []


async def test_renaming_a_contact_tells_every_inbox_of_their_conversations(
    hub: Hub, api_inbox: int, send_inbound: InboundSender, admin: dict[str, str]
) -> None:
    created = (await send_inbound(api_inbox, "1", identifier="crm-1", name="dana")).json()

    contact = f"/api/v1/contacts/{created['contact_id']}"
    renamed = await hub.client.patch(contact, json={"name": "Dana Doe"}, headers=admin)

    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Dana Doe"
    assert [c["id"] for c in renamed.json()["conversations"]] == [created["conversation_id"]]
    [(_, event)] = await recorded_events(hub, "contact.updated")
    assert (event["id"], event["name"], event["_audience"]) == (created["contact_id"], "Dana Doe", [api_inbox])
    for bad in ({"name": "   "}, {"name": "Dana\nBcc: x"}, {"email": "x@example.com"}):
        response = await hub.client.patch(contact, json=bad, headers=admin)
        assert response.status_code == 422, bad
