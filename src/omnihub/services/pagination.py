"""Opaque keyset cursors: a page continues after the last row seen, never by OFFSET."""

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

from omnihub.domain.errors import InvalidInput


def encode_cursor(*values: Any) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


MAX_ID = 2**63 - 1  # ids are PostgreSQL bigints; a larger number would fail in the driver, not here


def _decoded(value: Any, kind: type) -> Any:
    if kind is datetime:
        if not isinstance(value, str):
            raise TypeError("not a timestamp")
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("a timestamp without time zone")
        return parsed.astimezone(UTC)  # OverflowError at the ends of the calendar, here rather than in the driver
    if kind is int:
        # Only whole numbers in the id range: not booleans, floats or numeric strings.
        if type(value) is not int or not 1 <= value <= MAX_ID:
            raise ValueError("not an id")
        return value
    return kind(value)


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> tuple[Any, ...]:
    """The values :func:`encode_cursor` packed, as ``shape`` says; :class:`InvalidInput` for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(values, list) or len(values) != len(shape):
            raise ValueError("wrong length")
        return tuple(_decoded(v, kind) for v, kind in zip(values, shape, strict=True))
    except (ValueError, TypeError, OverflowError, binascii.Error, RecursionError):
        raise InvalidInput("cursor", "not a cursor this API handed out", location="query") from None
