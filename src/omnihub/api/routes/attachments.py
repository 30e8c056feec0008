from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response

from omnihub.api.deps import ActorDep, RuntimeDep, SessionDep
from omnihub.api.schemas import AttachmentLimitsOut, Id
from omnihub.domain.filenames import clean_filename
from omnihub.services.attachments import MAX_FILES_PER_MESSAGE, SAFE_INLINE_IMAGE_TYPES, get_visible_attachment

router = APIRouter(prefix="/attachments", tags=["attachments"])


def _content_disposition(kind: str, filename: str) -> str:
    # RFC 6266/5987: an ASCII fallback plus the exact UTF-8 name (Arabic and Hebrew names included).
    # Cleaned again on the way out: rows stored before names were cleaned may still hold CR/LF or quotes.
    name = clean_filename(filename)
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# Declared before /{attachment_id}, which would otherwise take "limits" for an id (and answer 422).
@router.get("/limits", response_model=AttachmentLimitsOut)
async def attachment_limits(_actor: ActorDep, runtime: RuntimeDep) -> dict[str, object]:
    """What the hub accepts with a message, so a client can refuse a file before uploading it: the
    same for every inbox, and for any signed-in user."""
    return {
        "max_file_bytes": runtime.attachment_policy.max_bytes,
        "max_files": MAX_FILES_PER_MESSAGE,
        "max_request_bytes": runtime.settings.max_request_bytes,
        "inline_image_types": sorted(SAFE_INLINE_IMAGE_TYPES),
    }


@router.get("/{attachment_id}", response_class=Response)
async def download_attachment(attachment_id: Id, session: SessionDep, actor: ActorDep, runtime: RuntimeDep) -> Response:
    """The file's bytes. Only plain raster images are shown inline; everything else downloads."""
    attachment = await get_visible_attachment(session, actor, attachment_id)
    content = await runtime.store.get(attachment.sha256)
    inline = attachment.content_type in SAFE_INLINE_IMAGE_TYPES
    media_type = attachment.content_type if inline else "application/octet-stream"
    headers = {
        "Content-Disposition": _content_disposition("inline" if inline else "attachment", attachment.filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return Response(content, media_type=media_type, headers=headers)
