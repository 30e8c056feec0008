"""Settings, read from ``OMNIHUB_*`` environment variables (and command-line flags of ``omnihub``)."""

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from omnihub.domain.network import PrivateNetworkAllowance


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OMNIHUB_", extra="ignore")

    # Without a database URL the hub runs an embedded PostgreSQL inside the data directory.
    database_url: str | None = None
    data_dir: Path = Path("omnihub-data")
    host: str = "127.0.0.1"
    port: int = 8000
    # How the hub is reached from outside: used in links handed to other systems (attachment URLs).
    public_url: str = "http://127.0.0.1:8000"

    max_request_bytes: int = Field(default=40 * 1024 * 1024, ge=1024)
    max_attachment_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    default_phone_region: str | None = None

    outbox_workers: int = Field(default=1, ge=0)
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_backoff_seconds: float = Field(default=2.0, gt=0)
    outbox_backoff_max_seconds: float = Field(default=3600.0, gt=0)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_lease_seconds: float = Field(default=120.0, gt=0)
    outbound_timeout_seconds: float = Field(default=15.0, gt=0)
    # Requests made for channels (callbacks) reach only public addresses, except these: comma-separated
    # networks (10.0.0.0/8, 192.168.1.5, fd00::/8) and host names (crm.internal). Empty by default.
    allow_private_networks: str = ""

    # Mailboxes (and other channels the hub fetches from): whether this node follows any, and how often
    # it looks for inboxes that no node follows (a dead node's are taken over within this time).
    pull_enabled: bool = True
    pull_scan_seconds: float = Field(default=15.0, gt=0)
    # Hostile input: parsing one mail (or sanitizing one large HTML body from the API) runs in one of
    # ``parse_workers`` worker processes and is stopped after this many seconds; such a mail is
    # quarantined ("took too long to parse"), such a request refused with 422.
    parse_budget_seconds: float = Field(default=15.0, gt=0)
    parse_workers: int = Field(default=2, ge=1)

    # How often each node looks for snoozed conversations whose time has come (they open within this time).
    snooze_poll_seconds: float = Field(default=10.0, gt=0)

    db_pool_size: int = Field(default=10, ge=1)

    # Browser origins (besides the hub's own) allowed to open the agents' WebSocket.
    allowed_origins: list[str] = Field(default_factory=list)
    # How long the event log keeps events: a client away longer must reload instead of resuming.
    event_retention_hours: float = Field(default=72.0, gt=0)
    # How far (bytes of frames not yet taken by the client) a WebSocket client may fall behind before it
    # is closed with 4000, to reconnect and resume from the log.
    ws_max_behind_bytes: int = Field(default=1024 * 1024, ge=1024)
    # How often each node repeats which agents are connected to it; an agent whose node stops repeating
    # it (crashed) is offline after about three and a half times this.
    presence_heartbeat_seconds: float = Field(default=10.0, gt=0)
    # How long a console sign-in (the session cookie) lasts.
    session_hours: float = Field(default=12.0, gt=0)
    # Password guessing: after this many failed sign-ins for one e-mail address, or from one client
    # address, within the window, sign-in is refused (429) until the oldest of them leaves the window.
    sign_in_max_failures: int = Field(default=5, ge=1)
    sign_in_max_failures_per_client: int = Field(default=20, ge=1)
    sign_in_window_minutes: float = Field(default=15.0, gt=0)

    @field_validator("allow_private_networks")
    @classmethod
    def _networks_are_networks(cls, value: str) -> str:
        allowance = PrivateNetworkAllowance.parse(value.split(","))
        broken = [host for host in allowance.hosts if "/" in host]
        if broken:
            raise ValueError(f"not a network: {', '.join(sorted(broken))}")
        return value

    @property
    def private_network_allowance(self) -> PrivateNetworkAllowance:
        return PrivateNetworkAllowance.parse(self.allow_private_networks.split(","))

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def postgres_dir(self) -> Path:
        return self.data_dir / "postgres"
