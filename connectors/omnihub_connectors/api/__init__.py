"""The API channel: other systems push messages in over REST and receive replies at a callback URL."""

from omnihub_connectors.api.connector import CHANNEL, ApiChannel, ApiConnector

__all__ = ["CHANNEL", "ApiChannel", "ApiConnector"]
