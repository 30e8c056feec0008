"""The e-mail channel: shared support mailboxes, IMAP in and SMTP out."""

from omnihub_connectors.email.connector import CHANNEL, EmailChannel, EmailConnector

__all__ = ["CHANNEL", "EmailChannel", "EmailConnector"]
