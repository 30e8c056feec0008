"""Opaque keyset cursors: a page continues after the last row seen, never by OFFSET."""

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from omnihub.domain.errors import InvalidInput


def encode_cursor(*values: Any) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> tuple[Any, ...]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(shape):
            raise ValueError("wrong length")
        return tuple(
            datetime.fromisoformat(v) if kind is datetime else kind(v) for v, kind in zip(values, shape, strict=True)
        )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("cursor", "not a cursor this API handed out", location="query") from None
