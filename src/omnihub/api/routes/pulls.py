"""What the hub fetches for an inbox (a mailbox): sync progress, and the quarantine of unusable input."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from omnihub.api.deps import ActorDep, RuntimeDep, SessionDep
from omnihub.api.schemas import Id, Page
from omnihub.domain.errors import InvalidInput
from omnihub.services import pulls
from omnihub.services.access import get_visible_inbox

if TYPE_CHECKING:
    from omnihub.db.models import PullCursor, QuarantinedItem

router = APIRouter(prefix="/inboxes", tags=["inboxes"])


class StreamOut(BaseModel):
    stream: str = Field(description="What is followed, e.g. a mail folder.")
    cursor: dict[str, Any] | None = Field(description="How far the import got (for a folder: UIDVALIDITY, last UID).")
    progress: dict[str, Any] = Field(description="state (syncing, idle, error), total and done in the current sync.")
    error: str | None = Field(description="The last failure talking to the provider, until the next success.")
    updated_at: datetime


class SyncOut(BaseModel):
    streams: list[StreamOut]


class QuarantinedOut(BaseModel):
    id: int
    source: str = Field(description="Where it came from, e.g. folder/UIDVALIDITY/UID.")
    reason: str
    size: int
    state: str = Field(description="held, or released once a retry made it a message.")
    attempts: int
    message_id: int | None
    created_at: datetime
    updated_at: datetime


def _stream_view(cursor: "PullCursor") -> StreamOut:
    return StreamOut(
        stream=cursor.stream,
        cursor=cursor.cursor,
        progress=cursor.progress,
        error=cursor.error,
        updated_at=cursor.updated_at,
    )


def _quarantined_view(item: "QuarantinedItem") -> QuarantinedOut:
    return QuarantinedOut(
        id=item.id,
        source=item.source_key,
        reason=item.reason,
        size=item.raw_size,
        state=item.state,
        attempts=item.attempts,
        message_id=item.message_id,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


@router.get("/{inbox_id}/sync", response_model=SyncOut)
async def sync_status(inbox_id: Id, session: SessionDep, actor: ActorDep) -> SyncOut:
    """How far the import of each followed folder got, and the last error, if any."""
    return SyncOut(streams=[_stream_view(c) for c in await pulls.list_pull_streams(session, actor, inbox_id)])


@router.get("/{inbox_id}/quarantine", response_model=Page[QuarantinedOut])
async def list_quarantine(
    inbox_id: Id,
    session: SessionDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: str | None = None,
) -> dict[str, object]:
    """Input that could not be made into a message, with the reason (admins only; newest first). Follow
    `next_cursor` for older items."""
    items, next_cursor = await pulls.list_quarantine(session, actor, inbox_id, limit=limit, cursor=cursor)
    return {"items": [_quarantined_view(i) for i in items], "next_cursor": next_cursor}


@router.get("/{inbox_id}/quarantine/{item_id}/raw", response_class=Response)
async def download_quarantined(
    inbox_id: Id, item_id: Id, session: SessionDep, actor: ActorDep, runtime: RuntimeDep
) -> Response:
    """The raw bytes as they were fetched (for a mail: the .eml), to inspect or report."""
    item = await pulls.get_quarantined(session, actor, inbox_id, item_id)
    content = await runtime.store.get(item.raw_sha256)
    headers = {
        "Content-Disposition": f'attachment; filename="quarantined-{item.id}.eml"',
        "X-Content-Type-Options": "nosniff",
    }
    return Response(content, media_type="application/octet-stream", headers=headers)


@router.post("/{inbox_id}/quarantine/{item_id}/retry", response_model=QuarantinedOut)
async def retry_quarantined(
    inbox_id: Id, item_id: Id, session: SessionDep, actor: ActorDep, runtime: RuntimeDep
) -> QuarantinedOut:
    """Parse and store the item again (after an upgrade, or a configuration change). It stays held,
    with the new reason, if it still cannot be made into a message."""
    held = await pulls.get_quarantined(session, actor, inbox_id, item_id)
    inbox = await get_visible_inbox(session, actor, inbox_id)
    connector = runtime.pullers.connector(inbox.id, inbox.channel_type, inbox.config)
    if connector is None:
        raise InvalidInput("inbox_id", "this inbox's channel has nothing to retry with", location="path")
    item = await connector.parse_raw(await runtime.store.get(held.raw_sha256), held.source_key)
    retried = await pulls.retry_quarantined(session, actor, runtime.pull_context(inbox_id), item_id, item=item)
    return _quarantined_view(retried)
