"""The connector interface: what a channel implements to bring messages in and send replies out."""

from omnihub.channels.spi import (
    ChannelConfigError,
    Connector,
    DeliveryError,
    DeliveryReceipt,
    InboundAttachment,
    InboundContact,
    InboundMessage,
    OutboundAttachment,
    OutboundMessage,
    TypingConnector,
    TypingIndicator,
    WebhookConnector,
    WebhookRejected,
    WebhookRequest,
)

__all__ = [
    "ChannelConfigError",
    "Connector",
    "DeliveryError",
    "DeliveryReceipt",
    "InboundAttachment",
    "InboundContact",
    "InboundMessage",
    "OutboundAttachment",
    "OutboundMessage",
    "TypingConnector",
    "TypingIndicator",
    "WebhookConnector",
    "WebhookRejected",
    "WebhookRequest",
]
