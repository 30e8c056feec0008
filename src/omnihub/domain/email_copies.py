"""Copies of an agent's e-mail (Cc): which addresses may get one, and how a message keeps them.

An outgoing message keeps its copies in its metadata as ``{"email": {"cc": [{"address", "name"}]}}``,
the shape the e-mail channel gives incoming mail's Cc, so the console shows both the same way.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from omnihub.domain.errors import InvalidInput
from omnihub.domain.identities import normalize_email

# Enough for a customer's team; more is a mailing list, which the hub does not send.
MAX_CC = 20


def normalize_cc(addresses: Iterable[str]) -> tuple[str, ...]:
    """The addresses lower-cased, each once, in the order given; :class:`InvalidInput` for a bad one or too many."""
    found: dict[str, None] = {}
    for index, address in enumerate(addresses):
        try:
            found[normalize_email(address)] = None
        except InvalidInput as exc:
            raise InvalidInput(f"cc.{index}", exc.message) from None
    if len(found) > MAX_CC:
        raise InvalidInput("cc", f"at most {MAX_CC} addresses")
    return tuple(found)


def cc_metadata(addresses: tuple[str, ...]) -> dict[str, Any]:
    """A message's metadata for these copies (none: empty)."""
    if not addresses:
        return {}
    return {"email": {"cc": [{"address": address, "name": None} for address in addresses]}}


def cc_of(metadata: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The copies a message's metadata names (see :func:`cc_metadata`)."""
    email = (metadata or {}).get("email")
    entries = email.get("cc") if isinstance(email, Mapping) else None
    if not isinstance(entries, list):
        return ()
    return tuple(e["address"] for e in entries if isinstance(e, Mapping) and isinstance(e.get("address"), str))
