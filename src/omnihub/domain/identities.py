"""Normalising the addresses that identify a contact on a channel.

One person is recognised across messages by (kind, scope, address). Normalising here, once, is what
makes ``Alice@Example.COM`` and ``alice@example.com`` the same contact, and ``+1 (415) 555-2671``
and ``+14155552671`` the same phone.
"""

import re
import string
import unicodedata
from dataclasses import dataclass

import idna
import phonenumbers

from omnihub.domain.enums import IdentityKind
from omnihub.domain.errors import InvalidInput

MAX_ADDRESS_LENGTH = 320  # RFC 5321 limit for an e-mail address; ample for platform ids


@dataclass(frozen=True, slots=True)
class IdentityKey:
    kind: str
    scope: str
    address: str


# RFC 5322 atext plus "."; a quoted local part ("john doe"@x) is refused rather than parsed: it is
# vanishingly rare in real use and its quoting rules are where address confusion hides.
_ASCII_LOCAL_CHARACTERS = frozenset(string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~.-")
_HOSTNAME_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_LOCAL_PART_BYTES = 64  # RFC 5321 section 4.5.3.1.1
MAX_DOMAIN_BYTES = 255  # RFC 5321 section 4.5.3.1.2, counted in its ASCII (IDNA) form


def _local_part_problem(local: str) -> str | None:
    if not local:
        return "nothing before the @"
    for character in local:
        # Internationalised local parts (RFC 6531) may use any visible non-ASCII character.
        allowed = character in _ASCII_LOCAL_CHARACTERS if character.isascii() else _is_visible(character)
        if not allowed:
            return f"{character!r} is not allowed before the @"
    if len(local.encode("utf-8")) > MAX_LOCAL_PART_BYTES:
        return f"the part before the @ is longer than {MAX_LOCAL_PART_BYTES} bytes"
    return None


def _is_visible(character: str) -> bool:
    """Not a control, format, surrogate, private-use or unassigned character, nor a space."""
    return unicodedata.category(character)[0] not in "CZ"


def _ascii_domain(domain: str) -> str | None:
    """The domain in its ASCII form (``bücher.example`` -> ``xn--bcher-kva.example``), None if invalid."""
    if domain.isascii():
        ascii_domain = domain
    else:
        try:
            ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
        except UnicodeError:  # idna.IDNAError, and lone surrogates
            return None
    labels = ascii_domain.split(".")
    if len(ascii_domain) > MAX_DOMAIN_BYTES or not all(_HOSTNAME_LABEL.match(label) for label in labels):
        return None
    return ascii_domain


def normalize_email(value: str) -> str:
    """Exactly one address (``local@domain``), lower-cased, or :class:`InvalidInput`.

    Lists (``a@b,c@d``), display names, angle brackets, quotes, spaces and control characters are
    refused; the domain must be a host name (international ones in Unicode or ``xn--`` form). No DNS
    look-up is made: whether mail can be delivered there is for the mail server to find out.
    """
    address = unicodedata.normalize("NFC", value.strip()).lower()
    local, at, domain = address.partition("@")
    problem = None
    if not at:
        problem = "no @"
    elif len(address) > MAX_ADDRESS_LENGTH:
        problem = f"longer than {MAX_ADDRESS_LENGTH} characters"
    elif (problem := _local_part_problem(local)) is None and _ascii_domain(domain) is None:
        problem = "the part after the @ is not a valid domain name"
    if problem is not None:
        raise InvalidInput("email", f"not an e-mail address ({problem}): {value!r}")
    return address


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
