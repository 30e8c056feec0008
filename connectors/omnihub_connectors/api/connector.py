"""Delivering agents' replies (and their typing) to the integrating system's callback URL, signed the Standard
Webhooks way (see ``signing``), through the hub's guarded HTTP client (no private addresses, no redirects)."""

from __future__ import annotations

import json
import uuid
from typing import Any, ClassVar

import httpx
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, field_validator

from omnihub.channels import DeliveryReceipt, OutboundMessage, TypingIndicator
from omnihub.channels.failures import http_failure, status_failure
from omnihub.channels.spi import ConnectorContext
from omnihub.domain.enums import DeliveryStatus
from omnihub_connectors.api.signing import check_secret, signature_headers

DELIVERY_HEADER = "X-Omnihub-Delivery"


# How much of a failed callback's answer is read, for the admins' failure detail.
MAX_ANSWER_READ = 4096


class ApiConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    callback_url: AnyHttpUrl | None = None
    secret: str | None = Field(default=None, min_length=16, max_length=256)

    @field_validator("callback_url")
    @classmethod
    def _no_credentials_in_url(cls, url: AnyHttpUrl | None) -> AnyHttpUrl | None:
        # Credentials in the URL would be shown wherever the URL is (events, logs); use the secret instead.
        if url is not None and (url.username or url.password):
            raise ValueError("the callback URL must not contain a user name or password; sign with secret instead")
        return url

    @field_validator("secret")
    @classmethod
    def _usable_secret(cls, secret: str | None) -> str | None:
        return None if secret is None else check_secret(secret)


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
        headers = {DELIVERY_HEADER: str(message.delivery_id)}
        # The same id on every retry of a delivery: receivers drop the repeats (Standard Webhooks).
        await self._post(callback_payload(message), f"msg_{message.delivery_id}", headers)
        return DeliveryReceipt(status=DeliveryStatus.DELIVERED)

    async def send_typing(self, typing: TypingIndicator) -> None:
        if self.config.callback_url is not None:
            await self._post(typing_payload(typing), f"typing_{uuid.uuid4().hex}", {})

    async def _post(self, payload: dict[str, Any], webhook_id: str, extra_headers: dict[str, str]) -> None:
        """Post, signed; raise ``DeliveryError`` with a fixed phrase for agents and the particulars for admins."""
        assert self.config.callback_url is not None
        url = str(self.config.callback_url)
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", **extra_headers}
        if self.config.secret:
            headers |= signature_headers(self.config.secret, webhook_id, body)
        try:
            # Streamed, and at most the start of an answer read: a callback server cannot make the hub
            # hold an endless body in memory (it is kept only for the admins' failure detail).
            async with self.http.stream("POST", url, content=body, headers=headers) as response:
                if response.is_success:
                    return
                start = b""
                async for chunk in response.aiter_raw():
                    start += chunk
                    if len(start) >= MAX_ANSWER_READ:
                        break
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise http_failure(exc, url) from exc
        raise status_failure(response, body=start[:MAX_ANSWER_READ])


class ApiChannel:
    kind: ClassVar[str] = "api"
    display_name: ClassVar[str] = "API"
    config_model: ClassVar[type[BaseModel]] = ApiConfig
    secret_fields: ClassVar[frozenset[str]] = frozenset({"secret"})

    def create(self, config: BaseModel, context: ConnectorContext) -> ApiConnector:
        assert isinstance(config, ApiConfig)
        return ApiConnector(config, context.http)


CHANNEL = ApiChannel()
