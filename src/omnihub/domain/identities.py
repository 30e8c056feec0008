"""Normalising the addresses that identify a contact on a channel.

One person is recognised across messages by (kind, scope, address). Normalising here, once, is what
makes ``Alice@Example.COM`` and ``alice@example.com`` the same contact, and ``+1 (415) 555-2671``
and ``+14155552671`` the same phone.
"""

from dataclasses import dataclass

import phonenumbers

from omnihub.domain.enums import IdentityKind
from omnihub.domain.errors import InvalidInput

MAX_ADDRESS_LENGTH = 320  # RFC 5321 limit for an e-mail address; ample for platform ids


@dataclass(frozen=True, slots=True)
class IdentityKey:
    kind: str
    scope: str
    address: str


def normalize_email(value: str) -> str:
    address = value.strip()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or " " in address or len(address) > MAX_ADDRESS_LENGTH:
        raise InvalidInput("email", f"not an e-mail address: {value!r}")
    return f"{local}@{domain}".lower()


def normalize_phone(value: str, default_region: str | None = None) -> str:
    """Return the number in E.164 (``+14155552671``); without a leading ``+`` the region decides."""
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("phone", f"not a phone number: {value!r} ({exc})") from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidInput("phone", f"not a possible phone number: {value!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_platform_id(value: str) -> str:
    """Platform user ids are opaque: kept as given, only surrounding white space removed."""
    address = value.strip()
    if not address or len(address) > MAX_ADDRESS_LENGTH:
        raise InvalidInput("identifier", "must be 1 to 320 characters")
    return address


def identity_key(kind: str, address: str, *, scope: str = "", default_region: str | None = None) -> IdentityKey:
    if kind == IdentityKind.EMAIL:
        return IdentityKey(kind, "", normalize_email(address))
    if kind in (IdentityKind.PHONE, IdentityKind.WHATSAPP):
        return IdentityKey(kind, "", normalize_phone(address, default_region))
    return IdentityKey(kind, scope, normalize_platform_id(address))
