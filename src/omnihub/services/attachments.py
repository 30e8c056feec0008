"""Storing and reading attachments."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from omnihub.channels.spi import InboundAttachment
from omnihub.db.blobs import BlobStore
from omnihub.db.models import Attachment, Message
from omnihub.domain.errors import DomainError, NotFound
from omnihub.domain.filenames import clean_filename
from omnihub.services.access import Actor, visible_inboxes_clause

# Types a browser renders as an image and nothing else; SVG is left out because it can carry script.
SAFE_INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# How many files one message may carry (inbound, a reply, a new conversation).
MAX_FILES_PER_MESSAGE = 20


class AttachmentTooLarge(DomainError):
    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(f"attachment {filename!r} is larger than the limit of {limit} bytes")


@dataclass(frozen=True, slots=True)
class AttachmentPolicy:
    store: BlobStore
    max_bytes: int

    def check(self, attachments: tuple[InboundAttachment, ...]) -> None:
        for attachment in attachments:
            if len(attachment.content) > self.max_bytes:
                raise AttachmentTooLarge(attachment.filename, self.max_bytes)


async def store_attachments(
    session: AsyncSession, policy: AttachmentPolicy, message_id: int, files: tuple[InboundAttachment, ...]
) -> list[Attachment]:
    policy.check(files)
    rows = []
    for file in files:
        digest = await policy.store.put(file.content)
        rows.append(
            Attachment(
                message_id=message_id,
                filename=clean_filename(file.filename),
                content_type=(file.content_type or "application/octet-stream")[:255],
                size=len(file.content),
                sha256=digest,
                content_id=file.content_id,
            )
        )
    session.add_all(rows)
    await session.flush()
    return rows


async def get_visible_attachment(session: AsyncSession, actor: Actor, attachment_id: int) -> Attachment:
    attachment = await session.scalar(
        select(Attachment)
        .join(Message, Message.id == Attachment.message_id)
        .where(Attachment.id == attachment_id, visible_inboxes_clause(actor, Message.inbox_id))
    )
    if attachment is None:
        raise NotFound("attachment")
    return attachment


async def attachments_by_message(session: AsyncSession, message_ids: list[int]) -> dict[int, list[Attachment]]:
    found: dict[int, list[Attachment]] = {message_id: [] for message_id in message_ids}
    if not message_ids:
        return found
    query = select(Attachment).where(Attachment.message_id.in_(message_ids)).order_by(Attachment.id)
    for attachment in await session.scalars(query):
        found[attachment.message_id].append(attachment)
    return found
