"""Agents' replies as e-mail: composed with the threading headers mail clients need, sent over SMTP.

Every message carries a Message-ID of our own that embeds the conversation token (the same on every
retry, so a retried delivery is recognisably the same mail), In-Reply-To and References pointing at
the conversation's earlier mail, and a Reply-To with the signed token, so that replies come back to
the right conversation whatever the customer's mail client keeps.
"""

from __future__ import annotations

import html
import re
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

import aiosmtplib

from omnihub.channels.failures import connection_failure_reason
from omnihub.channels.spi import DeliveryError, OutboundMessage
from omnihub.domain.enums import IdentityKind
from omnihub_connectors.email.config import EmailConfig, Security
from omnihub_connectors.email.tokens import conversation_token, our_message_id, reply_address

_REPLY_PREFIX = re.compile(r"^\s*(re|aw|sv|antw|r|رد|תגובה)\s*:", re.IGNORECASE)
MAX_REFERENCES = 20
SMTP_TIMEOUT_SECONDS = 60.0


def _is_message_id(value: str) -> bool:
    """External ids that are Message-IDs (mail without one is known by a content hash instead)."""
    return "@" in value and not any(char in value for char in " <>\r\n")


def reply_subject(subject: str | None, *, is_reply: bool) -> str:
    subject = (subject or "").strip()
    if not is_reply:
        return subject or "(no subject)"
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}".rstrip()


def text_to_html(text: str) -> str:
    # dir="auto": a reply in Arabic or Hebrew reads right to left in the customer's mail client.
    paragraphs = html.escape(text).replace("\r\n", "\n").split("\n")
    return '<div dir="auto">' + "<br>\n".join(paragraphs) + "</div>"


def _sender_display_name(config: EmailConfig, agent_name: str | None) -> str:
    if agent_name and config.from_name:
        return f"{agent_name} ({config.from_name})"
    return config.from_name or agent_name or ""


async def compose(config: EmailConfig, message: OutboundMessage) -> EmailMessage:
    if message.recipient.identity_kind != IdentityKind.EMAIL or not message.recipient.address:
        raise DeliveryError("the conversation has no e-mail address to reply to", permanent=True)
    token = conversation_token(config.reply_secret, message.inbox_id, message.conversation_id)
    domain = config.from_address.rpartition("@")[2]
    mail = EmailMessage(policy=SMTP)
    try:
        mail["From"] = Address(_sender_display_name(config, message.sender_name), addr_spec=config.from_address)
        mail["Reply-To"] = Address(config.from_name or "", addr_spec=reply_address(config.from_address, token))
        mail["To"] = Address(message.recipient.name or "", addr_spec=message.recipient.address)
        if message.cc:
            # aiosmtplib takes the envelope's recipients from To and Cc: the copies are delivered too.
            mail["Cc"] = [Address(addr_spec=address) for address in message.cc]
    except (ValueError, IndexError) as exc:
        raise DeliveryError(f"unusable address: {exc}", permanent=True) from exc
    in_reply_to = message.in_reply_to if message.in_reply_to and _is_message_id(message.in_reply_to) else None
    mail["Subject"] = reply_subject(message.subject, is_reply=in_reply_to is not None)
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = f"<{our_message_id(token, message.message_id, domain)}>"
    if in_reply_to:
        mail["In-Reply-To"] = f"<{in_reply_to}>"
    references = [r for r in message.references if _is_message_id(r)][-MAX_REFERENCES:]
    if references:
        mail["References"] = " ".join(f"<{r}>" for r in references)
    mail.set_content(message.text or "")
    mail.add_alternative(message.html or text_to_html(message.text or ""), subtype="html")
    for file in message.attachments:
        maintype, _, subtype = (file.content_type or "application/octet-stream").partition("/")
        mail.add_attachment(
            await file.read(), maintype=maintype, subtype=subtype or "octet-stream", filename=file.filename
        )
    return mail


def message_id_of(mail: EmailMessage) -> str:
    return str(mail["Message-ID"]).strip().strip("<>")


async def send_mail(config: EmailConfig, mail: EmailMessage) -> None:
    smtp = config.smtp
    context = ssl.create_default_context(cafile=config.ca_file)
    try:
        await aiosmtplib.send(
            mail,
            hostname=smtp.host,
            port=smtp.port,
            username=smtp.username or None,
            password=smtp.password or None,
            use_tls=smtp.security is Security.TLS,
            start_tls=smtp.security is Security.STARTTLS,
            tls_context=context if smtp.security is not Security.NONE else None,
            timeout=SMTP_TIMEOUT_SECONDS,
        )
    except aiosmtplib.SMTPException as exc:
        raise smtp_failure(exc) from exc
    except (OSError, TimeoutError) as exc:
        raise DeliveryError(connection_failure_reason(exc), detail=f"{type(exc).__name__}: {exc}") from exc


def smtp_failure(exc: aiosmtplib.SMTPException) -> DeliveryError:
    """Agents get a fixed phrase with the reply code; the server's own words (banners, host names,
    policy texts) are the admins' detail."""
    detail = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [error.code for error in exc.recipients]
        shown = ", ".join(str(code) for code in sorted(set(codes)))
        detail = "; ".join(f"{error.recipient}: {error.code} {error.message}" for error in exc.recipients)
        return DeliveryError(f"recipient rejected ({shown})", permanent=all(c >= 500 for c in codes), detail=detail)
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        # Retried: the fix (a new password in the inbox settings) is on our side, not the recipient's.
        return DeliveryError(f"SMTP login refused ({exc.code})", detail=detail)
    if isinstance(exc, aiosmtplib.SMTPSenderRefused):
        return DeliveryError(f"sender rejected ({exc.code})", permanent=exc.code >= 500, detail=detail)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        permanent = exc.code >= 500
        what = "mail server refused the message" if permanent else "mail server deferred the message"
        return DeliveryError(f"{what} ({exc.code})", permanent=permanent, detail=detail)
    if isinstance(exc, aiosmtplib.SMTPServerDisconnected):
        return DeliveryError("connection closed", detail=detail)
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return DeliveryError("mail server does not support what the inbox needs (STARTTLS, AUTH)", detail=detail)
    return DeliveryError(connection_failure_reason(exc), detail=detail)
