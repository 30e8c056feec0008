"""The signed conversation token that threads replies: in the reply address and in our Message-IDs.

A reply that keeps our ``support+<token>@example.com`` address, or quotes one of our Message-IDs in
In-Reply-To/References, lands in the conversation the token names, even when a mail client dropped
every other header. The token is ``<conversation id>-<MAC>``: forging one to slip a message into
someone else's conversation needs the inbox's secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

_MAC_BYTES = 10
_TOKEN = re.compile(r"^c(\d{1,18})-([a-z2-7]{16})$")
_OUR_MESSAGE_ID = re.compile(r"^omnihub\.(c\d{1,18}-[a-z2-7]{16})\.", re.IGNORECASE)


def _mac(secret: str, inbox_id: int, conversation_id: int) -> str:
    digest = hmac.new(secret.encode(), f"{inbox_id}:{conversation_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:_MAC_BYTES]).decode().lower()


def conversation_token(secret: str, inbox_id: int, conversation_id: int) -> str:
    return f"c{conversation_id}-{_mac(secret, inbox_id, conversation_id)}"


def verify_token(secret: str, inbox_id: int, token: str) -> int | None:
    """The conversation a token names, if its MAC is right for this inbox."""
    match = _TOKEN.match(token.lower())
    if match is None:
        return None
    conversation_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2), _mac(secret, inbox_id, conversation_id)):
        return None
    return conversation_id


def reply_address(from_address: str, token: str) -> str:
    local, _, domain = from_address.partition("@")
    return f"{local}+{token}@{domain}"


def token_in_address(from_address: str, address: str) -> str | None:
    """The token of ``local+token@domain`` when it is our address plus a tag."""
    our_local, _, our_domain = from_address.lower().partition("@")
    local, _, domain = address.lower().rpartition("@")
    base, plus, tag = local.partition("+")
    if plus and base == our_local and domain == our_domain:
        return tag
    return None


def our_message_id(token: str, message_id: int, domain: str) -> str:
    """The Message-ID of a message the hub sends (without angle brackets); the same on every retry."""
    return f"omnihub.{token}.m{message_id}@{domain}"


def token_in_message_id(message_id: str) -> str | None:
    match = _OUR_MESSAGE_ID.match(message_id)
    return match.group(1).lower() if match else None
