"""Every real-world and malformed mail goes through the connector and into the database without an
unhandled error: it becomes a message, is recognised as a duplicate, or waits in quarantine."""

from __future__ import annotations

import asyncio
import itertools
import json
import sysconfig
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from omnihub_connectors.email.connector import EmailChannel

from omnihub.channels.registry import validate_config
from omnihub.channels.spi import ConnectorContext
from omnihub.config import Settings
from omnihub.db.blobs import BlobStore
from omnihub.db.engine import create_engine, create_session_factory, driver_connection
from omnihub.services import pulls
from omnihub.services.attachments import AttachmentPolicy
from omnihub.services.pulls import PullContext
from tests.conftest import Hub
from tests.connectors.email.helpers import create_email_inbox

CORPUS = Path(__file__).parent / "corpus" / "chatwoot"
STDLIB_EMAIL_DATA = Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"
UNREACHABLE = {
    "imap": {"host": "127.0.0.1", "port": 9, "security": "none", "username": "u", "password": "p"},
    "smtp": {"host": "127.0.0.1", "port": 9, "security": "none"},
    "from_address": "support@omnihub.test",
}


def mail_files() -> list[Path]:
    files = sorted(CORPUS.glob("*.eml")) + sorted(STDLIB_EMAIL_DATA.glob("msg_*.txt"))
    assert len(files) > 80, f"the corpora are missing: {CORPUS}, {STDLIB_EMAIL_DATA}"
    return files


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"pull_enabled": False})


async def outcomes(hub: Hub) -> dict[str, int]:
    async with hub.session() as session:
        raw = await driver_connection(await session.connection())
        rows = await raw.fetch("SELECT outcome, count(*) FROM pull_records GROUP BY outcome")
        return {row[0]: row[1] for row in rows}


async def test_every_corpus_mail_is_stored_or_quarantined(hub: Hub, admin: dict[str, str]) -> None:
    inbox_id = await create_email_inbox(hub, admin, UNREACHABLE)
    connector = hub.runtime.pullers.connector(inbox_id, "email", validate_config("email", UNREACHABLE))
    context = hub.runtime.pull_context(inbox_id)
    files = mail_files()
    for number, path in enumerate(files):
        item = await connector.parse_raw(path.read_bytes(), f"corpus/{path.name}")
        await pulls.commit_batch(hub.runtime.sessions, context, stream="corpus", cursor={"n": number}, items=[item])

    found = await outcomes(hub)
    assert sum(found.values()) == len(files)
    # Fixtures share Message-IDs (the same mail under another key is a duplicate); what is held lacks a
    # sender altogether (MIME test fragments).
    assert found["imported"] + found["duplicate"] >= 0.85 * len(files), found
    quarantine = (await hub.client.get(f"/api/v1/inboxes/{inbox_id}/quarantine", headers=admin)).json()["items"]
    assert len(quarantine) == found.get("quarantined", 0)
    assert all(item["reason"] for item in quarantine)
    assert not any(item["source"].endswith(".eml") for item in quarantine), "a real-world mail was not imported"


def _mutations(raw: bytes) -> st.SearchStrategy[bytes]:
    position = st.integers(min_value=0, max_value=max(len(raw) - 1, 0))
    lines = raw.split(b"\n")
    line = st.integers(min_value=0, max_value=max(len(lines) - 1, 0))
    return st.one_of(
        position.map(lambda at: raw[:at]),
        st.tuples(position, st.binary(min_size=1, max_size=8)).map(lambda p: raw[: p[0]] + p[1] + raw[p[0] + 1 :]),
        line.map(lambda at: b"\n".join(lines[:at] + lines[at + 1 :])),
        line.map(lambda at: b"\n".join(lines[: at + 1] + lines[at:])),
        st.sampled_from([b"utf-8", b"us-ascii", b"x-unknown", b"iso-8859-8-i", b"\xff"]).map(
            lambda charset: raw.replace(b"charset=", b"charset=" + charset + b";x=", 1)
        ),
        st.sampled_from([b"--", b"boundary", b"\r\n\r\n"]).map(lambda marker: raw.replace(marker, b"", 1)),
    )


_example_numbers = itertools.count()
_SAMPLES = [path.read_bytes() for path in sorted(CORPUS.glob("*.eml")) if path.stat().st_size < 20_000]


async def _store(database_url: str, data_dir: Path, raw: bytes, key: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        sessions = create_session_factory(engine)
        async with sessions() as session:
            raw_connection = await driver_connection(await session.connection())
            inbox_id = await raw_connection.fetchval(
                "INSERT INTO inboxes (name, channel_type, config) VALUES ('m', 'email', $1::text::jsonb) RETURNING id",
                json.dumps(validate_config("email", UNREACHABLE)),
            )
            await session.commit()
        config = EmailChannel.config_model.model_validate(validate_config("email", UNREACHABLE))
        async with httpx.AsyncClient() as http:
            connector = EmailChannel().create(config, ConnectorContext(inbox_id, http, public_base_url=""))
            item = await connector.parse_raw(raw, key)
        context = PullContext(inbox_id, AttachmentPolicy(BlobStore(data_dir), 10_000_000))
        await pulls.commit_batch(sessions, context, stream="fuzz", cursor={}, items=[item])
        async with sessions() as session:
            raw_connection = await driver_connection(await session.connection())
            stored = await raw_connection.fetchval("SELECT count(*) FROM pull_records WHERE source_key = $1", key)
        assert stored == 1
    finally:
        await engine.dispose()


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_mail_never_breaks_the_import(database_url: str, tmp_path: Path, data: Any) -> None:
    raw = data.draw(st.sampled_from(_SAMPLES).flatmap(_mutations))
    key = f"fuzz/{next(_example_numbers)}"
    asyncio.run(_store(database_url, tmp_path / "blobs", raw, key))
