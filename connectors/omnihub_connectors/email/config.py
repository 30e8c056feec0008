"""An e-mail inbox's configuration: the mailbox to read (IMAP), the server to send through (SMTP)."""

from __future__ import annotations

import secrets
from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from omnihub.domain.identities import normalize_email


class Security(StrEnum):
    TLS = "tls"  # TLS from the first byte (IMAP 993, SMTP 465)
    STARTTLS = "starttls"  # plain connection upgraded before login (IMAP 143, SMTP 587)
    NONE = "none"  # only for a server on the same host or a trusted network


class ImapSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=255)
    port: int = Field(default=993, ge=1, le=65535)
    security: Security = Security.TLS
    username: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    folders: list[str] = Field(default_factory=lambda: ["INBOX"], min_length=1, max_length=20)


class SmtpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=255)
    port: int = Field(default=587, ge=1, le=65535)
    security: Security = Security.STARTTLS
    username: str | None = Field(default=None, max_length=320)
    password: str | None = Field(default=None, max_length=1024)


class EmailConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    imap: ImapSettings
    smtp: SmtpSettings
    from_address: str
    from_name: str | None = Field(default=None, max_length=200)
    # Import mail received on or after this day; none: everything in the folders.
    start_date: date | None = None
    # Used where the server has no IDLE, and for the folders after the first one.
    poll_seconds: float = Field(default=60.0, ge=1.0, le=3600.0)
    # IDLE is re-issued before the 29 minutes after which servers may drop it (RFC 2177).
    idle_seconds: float = Field(default=25 * 60.0, ge=5.0, le=29 * 60.0)
    # What to do with a message once it is imported. The hub never depends on it: other people may read
    # the box, and a message is recognised by its UID, not by a flag.
    after_import: Literal["keep", "mark_seen", "move"] = "keep"
    move_to: str | None = Field(default=None, max_length=255)
    batch_size: int = Field(default=50, ge=1, le=1000)
    max_message_bytes: int = Field(default=50 * 1024 * 1024, ge=64 * 1024)
    # A CA bundle to trust for a server with a private certificate.
    ca_file: str | None = None
    # Signs the conversation token in reply addresses and Message-IDs; generated when the inbox is made.
    reply_secret: str = Field(default_factory=lambda: secrets.token_urlsafe(32), min_length=16)

    @field_validator("from_address")
    @classmethod
    def _valid_address(cls, value: str) -> str:
        return normalize_email(value)

    @model_validator(mode="after")
    def _move_has_a_target(self) -> EmailConfig:
        if self.after_import == "move" and not self.move_to:
            raise ValueError("after_import 'move' needs move_to, the folder to move imported mail to")
        return self
