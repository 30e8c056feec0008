"""A fetched e-mail as the hub stores it: contact, text, attachments, and the conversation it answers."""

from __future__ import annotations

import hashlib
from typing import Any

from omnihub.channels.spi import InboundAttachment, InboundContact, InboundMessage, PulledItem, Threading
from omnihub.domain.enums import IdentityKind
from omnihub_connectors.email.config import EmailConfig
from omnihub_connectors.email.parsing import MailAddress, ParsedEmail, UnparseableEmail, parse_email
from omnihub_connectors.email.tokens import token_in_address, token_in_message_id, verify_token


def pulled_item(config: EmailConfig, inbox_id: int, raw: bytes, source_key: str) -> PulledItem:
    try:
        parsed = parse_email(raw)
    except UnparseableEmail as exc:
        return PulledItem(source_key=source_key, raw=raw, problem=exc.reason)
    # Mail without a Message-ID is still recognised when fetched again under another UID.
    dedupe_key = parsed.message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    sender = parsed.sender
    if sender is None and parsed.automated:
        # A bounce from a mail system that signs with no address still tells agents a reply failed.
        sender = MailAddress(f"mailer-daemon@{config.from_address.rpartition('@')[2]}", "Mail Delivery System")
    if sender is None:
        return PulledItem(source_key, dedupe_key, raw=raw, problem="no sender address (From, Sender, Return-Path)")
    message = InboundMessage(
        external_id=dedupe_key,
        contact=InboundContact(
            identity_kind=IdentityKind.EMAIL,
            identifier=sender.address,
            name=sender.name,
            email=sender.address,
        ),
        text=parsed.reply_text.strip() or parsed.text,
        html=parsed.html,
        subject=parsed.subject,
        attachments=tuple(
            InboundAttachment(a.filename, a.content_type, a.content, a.content_id) for a in parsed.attachments
        ),
        sent_at=parsed.date,
        metadata={"email": _email_metadata(parsed, source_key)},
        threading=Threading(
            conversation_id=_conversation_of_token(config, inbox_id, parsed),
            # Oldest first, the direct parent (In-Reply-To) last: the newest match wins. A bounce goes to
            # the conversation of the message that bounced.
            references=(*parsed.references, *parsed.in_reply_to, *_bounced_message(parsed)),
        ),
        automated=parsed.automated,
    )
    return PulledItem(source_key, dedupe_key, message=message)


def _conversation_of_token(config: EmailConfig, inbox_id: int, parsed: ParsedEmail) -> int | None:
    """The conversation named by a verified token in a recipient address or one of our Message-IDs."""
    tokens = [token_in_address(config.from_address, a.address) for a in (*parsed.to, *parsed.cc)]
    tokens += [token_in_address(config.from_address, address) for address in parsed.envelope_recipients]
    referenced = (*parsed.references, *parsed.in_reply_to, *_bounced_message(parsed))
    tokens += [token_in_message_id(mid) for mid in reversed(referenced)]
    for token in tokens:
        if token and (conversation_id := verify_token(config.reply_secret, inbox_id, token)) is not None:
            return conversation_id
    return None


def _bounced_message(parsed: ParsedEmail) -> tuple[str, ...]:
    return (parsed.bounce.message_id,) if parsed.bounce and parsed.bounce.message_id else ()


def _address(address: MailAddress) -> dict[str, str | None]:
    return {"address": address.address, "name": address.name}


def _email_metadata(parsed: ParsedEmail, source_key: str) -> dict[str, Any]:
    """What agents may want beyond the visible text: the whole mail's parts, headers that matter."""
    return {
        "message_id": parsed.message_id,
        "subject": parsed.subject,
        "in_reply_to": list(parsed.in_reply_to),
        "references": list(parsed.references),
        "from": _address(parsed.sender) if parsed.sender else None,
        "to": [_address(a) for a in parsed.to],
        "cc": [_address(a) for a in parsed.cc],
        "reply_to": [_address(a) for a in parsed.reply_to],
        "date": parsed.date.isoformat() if parsed.date else None,
        "full_text": parsed.text,
        "quoted_text": parsed.quoted_text,
        "signature": parsed.signature,
        "defects": list(parsed.defects),
        "source": source_key,
        "bounce": {
            "recipients": list(parsed.bounce.recipients),
            "message_id": parsed.bounce.message_id,
            "diagnostic": parsed.bounce.diagnostic,
        }
        if parsed.bounce
        else None,
    }
