"""Delivering agents' replies (and their typing) to the integrating system's callback URL, signed with HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any, ClassVar

import httpx
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from omnihub.channels import DeliveryError, DeliveryReceipt, OutboundMessage, TypingIndicator
from omnihub.channels.spi import ConnectorContext
from omnihub.domain.enums import DeliveryStatus

SIGNATURE_HEADER = "X-Omnihub-Signature"
DELIVERY_HEADER = "X-Omnihub-Delivery"
# Statuses worth retrying: the receiver is busy or timed out, not refusing the payload.
_RETRYABLE_CLIENT_ERRORS = frozenset({408, 409, 425, 429})


class ApiConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    callback_url: AnyHttpUrl | None = None
    secret: str | None = Field(default=None, min_length=16, max_length=256)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def callback_payload(message: OutboundMessage) -> dict[str, Any]:
    return {
        "event": "message.created",
        "delivery_id": message.delivery_id,
        "message": {
            "id": message.message_id,
            "conversation_id": message.conversation_id,
            "inbox_id": message.inbox_id,
            "content": message.text,
            "html": message.html,
            "sender_name": message.sender_name,
            "created_at": message.created_at.isoformat(),
            "in_reply_to": message.in_reply_to,
            "attachments": [
                {
                    "id": a.attachment_id,
                    "filename": a.filename,
                    "content_type": a.content_type,
                    "size": a.size,
                    "url": a.url,
                }
                for a in message.attachments
            ],
        },
        "contact": {"id": message.recipient.contact_id, "identifier": message.recipient.address},
    }


def typing_payload(typing: TypingIndicator) -> dict[str, Any]:
    return {
        "event": "typing",
        "conversation_id": typing.conversation_id,
        "inbox_id": typing.inbox_id,
        "agent": {"name": typing.agent_name},
        "on": typing.on,
        "contact": {"id": typing.recipient.contact_id, "identifier": typing.recipient.address},
    }


class ApiConnector:
    def __init__(self, config: ApiConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http

    async def send(self, message: OutboundMessage) -> DeliveryReceipt:
        if self.config.callback_url is None:
            # Without a callback the other system reads replies over REST; there is nothing to push.
            return DeliveryReceipt(status=DeliveryStatus.SENT)
        await self._post(callback_payload(message), {DELIVERY_HEADER: str(message.delivery_id)})
        return DeliveryReceipt(status=DeliveryStatus.DELIVERED)

    async def send_typing(self, typing: TypingIndicator) -> None:
        if self.config.callback_url is not None:
            await self._post(typing_payload(typing), {})

    async def _post(self, payload: dict[str, Any], extra_headers: dict[str, str]) -> None:
        assert self.config.callback_url is not None
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", **extra_headers}
        if self.config.secret:
            headers[SIGNATURE_HEADER] = sign(self.config.secret, body)
        try:
            response = await self.http.post(str(self.config.callback_url), content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"callback unreachable: {type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            reason = f"callback answered HTTP {response.status_code}: {response.text[:200]}"
            permanent = 400 <= response.status_code < 500 and response.status_code not in _RETRYABLE_CLIENT_ERRORS
            raise DeliveryError(reason, permanent=permanent)


class ApiChannel:
    kind: ClassVar[str] = "api"
    display_name: ClassVar[str] = "API"
    config_model: ClassVar[type[BaseModel]] = ApiConfig
    secret_fields: ClassVar[frozenset[str]] = frozenset({"secret"})

    def create(self, config: BaseModel, context: ConnectorContext) -> ApiConnector:
        assert isinstance(config, ApiConfig)
        return ApiConnector(config, context.http)


CHANNEL = ApiChannel()
