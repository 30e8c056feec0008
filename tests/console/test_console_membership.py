"""An agent never sees an inbox they are not a member of: not in the list, not live, not by its address."""

from __future__ import annotations

from playwright.async_api import expect

from tests.console.harness import Desk, Watched
from tests.console.test_console import conversation_list, sign_in


async def test_an_inbox_the_agent_is_not_a_member_of_never_reaches_their_screen(desk: Desk, console: Watched) -> None:
    page = console.page
    admin = {"Authorization": f"Bearer {desk.admin}"}
    created = await desk.hub.http.post(
        "/api/v1/inboxes", json={"name": "Legal", "channel_type": "api", "config": {}}, headers=admin
    )
    other_inbox = created.json()["id"]

    async def post_to_other_inbox(external_id: str, content: str, name: str) -> int:
        response = await desk.hub.http.post(
            f"/api/v1/inboxes/{other_inbox}/inbound",
            json={"external_id": external_id, "contact": {"identifier": external_id, "name": name}, "content": content},
            headers=admin,
        )
        assert response.status_code == 201, response.text
        return int(response.json()["conversation_id"])

    hidden_before = await post_to_other_inbox("l1", "Confidential matter", "Quinn Hidden")
    await desk.inbound("m1", "Where is my order?", identifier="dana", contact={"name": "Dana Doe"})
    await sign_in(page, desk)
    await expect(conversation_list(page).get_by_text("Dana Doe")).to_be_visible()

    # Live: a message in the other inbox arrives, then one in the agent's own inbox as a sentinel.
    await post_to_other_inbox("l2", "Another confidential matter", "Rory Hidden")
    await desk.inbound("m2", "Anyone there?", identifier="eli", contact={"name": "Eli Roe"})
    await expect(conversation_list(page).get_by_text("Eli Roe")).to_be_visible()
    await expect(conversation_list(page).get_by_role("listitem")).to_have_count(2)
    await expect(page.get_by_text("Hidden")).to_have_count(0)

    # Its address opened directly is "not found" for this agent's session too.
    answer = await page.request.get(f"{desk.hub.base}/api/v1/conversations/{hidden_before}")
    assert answer.status == 404
    assert console.unexpected_problems() == []
