"""The built-in channels, imported lazily by path so the core never depends on a connector."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

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


def public_config(kind: str, config: dict[str, Any]) -> dict[str, Any]:
    """The configuration as the API shows it: secrets (dotted paths for nested ones) masked when set."""
    return _masked(config, get_channel(kind).secret_fields, prefix="")


def _masked(config: dict[str, Any], secrets: frozenset[str], *, prefix: str) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in config.items():
        path = prefix + key
        if path in secrets and value:
            shown[key] = "********"
        elif isinstance(value, dict):
            shown[key] = _masked(value, secrets, prefix=path + ".")
        else:
            shown[key] = value
    return shown
