"""One connector per inbox configuration, shared by the workers that talk to channels."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from omnihub.channels.registry import get_channel
from omnihub.channels.spi import Connector, ConnectorContext

if TYPE_CHECKING:
    from omnihub.db.models import Inbox


class ConnectorCache:
    def __init__(self, http: httpx.AsyncClient, public_url: str) -> None:
        self.http = http
        self.public_url = public_url
        self._connectors: dict[tuple[int, str], Connector] = {}

    def get(self, inbox: Inbox) -> Connector:
        # Keyed by the configuration too, so an edited inbox gets a fresh connector.
        key = (inbox.id, repr(sorted(inbox.config.items())))
        if key not in self._connectors:
            channel = get_channel(inbox.channel_type)
            config = channel.config_model.model_validate(inbox.config)
            context = ConnectorContext(inbox_id=inbox.id, http=self.http, public_base_url=self.public_url)
            self._connectors[key] = channel.create(config, context)
        return self._connectors[key]
