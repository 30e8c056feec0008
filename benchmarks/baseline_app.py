"""The ingest benchmark's baseline: bare FastAPI + asyncpg, one INSERT per request.

It accepts the same JSON body as the hub's ``POST /api/v1/inboxes/{id}/inbound`` (validated by an
equivalent pydantic model), stores it with a single ``INSERT ... RETURNING`` into a table shaped like
``messages`` (with the same unique (inbox_id, external_id) key) and answers 201 with the same fields.
No authentication lookup, no contact, no conversation, no event: it is the floor the hub is measured
against. Served by uvicorn exactly like ``omnihub serve`` (one process, same options).

    python benchmarks/baseline_app.py --database-url postgresql://... --port 8001
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request, status
from pydantic import BaseModel, ConfigDict, Field

SCHEMA = """
CREATE TABLE IF NOT EXISTS baseline_messages (
    id bigserial PRIMARY KEY,
    inbox_id bigint NOT NULL,
    contact_identifier varchar(320) NOT NULL,
    contact_name varchar(200),
    text text NOT NULL DEFAULT '',
    external_id varchar(512),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (inbox_id, external_id)
)
"""

INSERT = """
INSERT INTO baseline_messages (inbox_id, contact_identifier, contact_name, text, external_id)
VALUES ($1, $2, $3, $4, $5)
RETURNING id
"""


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    identifier: str = Field(min_length=1, max_length=320)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)


class InboundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    external_id: str = Field(min_length=1, max_length=512)
    contact: ContactIn
    content: str = Field(default="", max_length=100_000)
    html: str | None = Field(default=None, max_length=1_000_000)
    subject: str | None = Field(default=None, max_length=998)


class InboundOut(BaseModel):
    message_id: int
    conversation_id: int
    contact_id: int


def create_app(dsn: dict[str, Any], pool_size: int) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The hub's engine allows pool_size connections plus as many overflow; so does this pool.
        pool = await asyncpg.create_pool(min_size=pool_size, max_size=2 * pool_size, **dsn)
        async with pool.acquire() as connection:
            await connection.execute(SCHEMA)
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(title="baseline", lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/api/v1/inboxes/{inbox_id}/inbound", status_code=status.HTTP_201_CREATED, response_model=InboundOut)
    async def inbound(
        inbox_id: int, body: InboundIn, request: Request, authorization: str | None = Header(default=None)
    ) -> InboundOut:
        if not authorization:
            raise HTTPException(401, "missing bearer token")
        pool: asyncpg.Pool = request.app.state.pool
        message_id = await pool.fetchval(
            INSERT, inbox_id, body.contact.identifier, body.contact.name, body.content, body.external_id
        )
        return InboundOut(message_id=message_id, conversation_id=0, contact_id=0)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="postgresql:// URL (else --socket-dir and --database)")
    parser.add_argument("--socket-dir", help="Unix socket directory of the embedded server")
    parser.add_argument("--database", default="postgres")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--pool-size", type=int, default=10)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    if args.host != "127.0.0.1":
        parser.error("the baseline only listens on 127.0.0.1")
    if args.database_url:
        dsn: dict[str, Any] = {"dsn": args.database_url.replace("postgresql+asyncpg://", "postgresql://", 1)}
    else:
        dsn = {"host": args.socket_dir, "user": "postgres", "database": args.database}
    # The same call as ``omnihub serve``: one process, uvloop/httptools picked automatically.
    uvicorn.run(
        create_app(dsn, args.pool_size), host=args.host, port=args.port, log_level=args.log_level, proxy_headers=True
    )


if __name__ == "__main__":
    main()
