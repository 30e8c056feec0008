"""The built-in channels, imported lazily by path so the core never depends on a connector."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import ValidationError

from omnihub.channels.spi import ChannelDefinition
from omnihub.domain.errors import InvalidInput

BUILTIN_CHANNELS: dict[str, str] = {
    "api": "omnihub_connectors.api:CHANNEL",
    "email": "omnihub_connectors.email:CHANNEL",
}


@cache
def get_channel(kind: str) -> ChannelDefinition:
    try:
        path = BUILTIN_CHANNELS[kind]
    except KeyError:
        known = ", ".join(sorted(BUILTIN_CHANNELS))
        raise InvalidInput("channel_type", f"unknown channel type {kind!r} (known: {known})") from None
    module_name, _, attribute = path.partition(":")
    channel: ChannelDefinition = getattr(importlib.import_module(module_name), attribute)
    return channel


def validate_config(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """Check an inbox configuration against its channel's model; return it normalised."""
    channel = get_channel(kind)
    try:
        model = channel.config_model.model_validate(config)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "config"
        raise InvalidInput(f"config.{where}", first["msg"]) from None
    return model.model_dump(mode="json", exclude_none=True)


MASK = "********"


def public_config(kind: str, config: dict[str, Any], *, reveal_urls: bool = False) -> dict[str, Any]:
    """The configuration as the API shows it: secrets (dotted paths for nested ones) masked when set, and,
    unless ``reveal_urls`` (for admins), the password and query values of URLs, which often carry tokens."""
    return _masked(config, get_channel(kind).secret_fields, prefix="", reveal_urls=reveal_urls)


def masked_url(url: str) -> str:
    """``url`` with its password and every query value replaced by a mask."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username}:{MASK}@" + netloc.rpartition("@")[2]
    query = urlencode([(name, MASK) for name, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _masked(config: dict[str, Any], secrets: frozenset[str], *, prefix: str, reveal_urls: bool) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in config.items():
        path = prefix + key
        if path in secrets and value:
            shown[key] = MASK
        elif isinstance(value, dict):
            shown[key] = _masked(value, secrets, prefix=path + ".", reveal_urls=reveal_urls)
        elif isinstance(value, str) and not reveal_urls and value.lower().startswith(("http://", "https://")):
            shown[key] = masked_url(value)
        else:
            shown[key] = value
    return shown
