"""Signing callbacks the Standard Webhooks way (https://www.standardwebhooks.com).

The signature covers the message id, the time of sending and the body, so a receiver that checks
the time (within five minutes, say) and remembers ids cannot be fooled by a replayed callback.
The receiver's key is the inbox ``secret``: used as is, or, when it is written ``whsec_<base64>``, the
bytes it encodes. Standard Webhooks libraries take it as ``whsec_`` + base64 of the secret's bytes.

``X-Omnihub-Signature`` (HMAC-SHA256 of the body alone) is still sent for receivers built before;
it is deprecated and goes away in the next release.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time

LEGACY_SIGNATURE_HEADER = "X-Omnihub-Signature"
WHSEC_PREFIX = "whsec_"


def signing_key(secret: str) -> bytes:
    """The HMAC key a secret stands for."""
    if secret.startswith(WHSEC_PREFIX):
        return base64.b64decode(secret.removeprefix(WHSEC_PREFIX), validate=True)
    return secret.encode()


def check_secret(secret: str) -> str:
    """Refuse a ``whsec_`` secret that is not base64 (a receiver could never verify with it)."""
    try:
        key = signing_key(secret)
    except (binascii.Error, ValueError):
        raise ValueError("a secret starting with whsec_ must be followed by base64") from None
    if len(key) < 16:
        raise ValueError("the secret must give at least 16 bytes of key")
    return secret


def receiver_secret(secret: str) -> str:
    """The secret written as Standard Webhooks libraries take it (``whsec_<base64>``)."""
    return WHSEC_PREFIX + base64.b64encode(signing_key(secret)).decode()


def legacy_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(secret: str, webhook_id: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    """The headers of a signed callback: Standard Webhooks' three, and the deprecated one."""
    timestamp = int(time.time() if now is None else now)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, webhook_id, timestamp, body),
        LEGACY_SIGNATURE_HEADER: legacy_signature(secret, body),
    }
