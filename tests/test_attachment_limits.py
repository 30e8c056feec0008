"""GET /attachments/limits: what a client must know to refuse a file before uploading it."""

import base64

from omnihub.config import Settings
from omnihub.domain.enums import Role
from tests.conftest import Hub


async def test_limits_follow_the_settings_for_any_signed_in_user(hub: Hub, settings: Settings) -> None:
    _, agent = await hub.as_user("agent@example.com", Role.AGENT)
    response = await hub.client.get("/api/v1/attachments/limits", headers=agent)
    assert response.status_code == 200
    assert response.json() == {
        "max_file_bytes": settings.max_attachment_bytes,
        "max_files": 20,
        "max_request_bytes": settings.max_request_bytes,
        "inline_image_types": ["image/gif", "image/jpeg", "image/png", "image/webp"],
    }
    assert (await hub.client.get("/api/v1/attachments/limits")).status_code == 401


async def test_the_announced_file_count_is_the_one_enforced(hub: Hub, admin: dict[str, str], api_inbox: int) -> None:
    limits = (await hub.client.get("/api/v1/attachments/limits", headers=admin)).json()
    file = {"filename": "a.txt", "data_base64": base64.b64encode(b"a").decode()}
    inbound = {"external_id": "m1", "contact": {"identifier": "c"}, "content": "hi"}
    created = await hub.client.post(f"/api/v1/inboxes/{api_inbox}/inbound", json=inbound, headers=admin)
    messages = f"/api/v1/conversations/{created.json()['conversation_id']}/messages"

    too_many = {"content": "x", "attachments": [file] * (limits["max_files"] + 1)}
    assert (await hub.client.post(messages, json=too_many, headers=admin)).status_code == 422
    enough = {"content": "x", "attachments": [file] * limits["max_files"]}
    assert (await hub.client.post(messages, json=enough, headers=admin)).status_code == 201
