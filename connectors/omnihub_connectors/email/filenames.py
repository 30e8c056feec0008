"""Safe, usable file names for attachments.

A name from a mail can hold a path ("../../etc/passwd", "C:\\\\x"), control characters, bidi overrides that
make "exe.pdf" out of "fdp.exe", names Windows refuses (CON, NUL ...) or nothing at all. What comes out has
none of these, at most :data:`MAX_FILENAME_BYTES` bytes of UTF-8 (extension kept), and is derived from the
content type when the mail gave no name.
"""

from __future__ import annotations

from omnihub.domain.filenames import MAX_FILENAME_BYTES, clean_filename

__all__ = ["MAX_FILENAME_BYTES", "content_type_for", "derived_filename", "extension_for", "safe_filename"]

_EXTENSIONS = {
    "application/gzip": ".gz",
    "application/json": ".json",
    "application/msword": ".doc",
    "application/octet-stream": ".bin",
    "application/pdf": ".pdf",
    "application/pgp-encrypted": ".pgp",
    "application/pgp-keys": ".asc",
    "application/pgp-signature": ".asc",
    "application/pkcs7-mime": ".p7m",
    "application/pkcs7-signature": ".p7s",
    "application/rtf": ".rtf",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-outlook": ".msg",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.ms-tnef": ".dat",
    "application/ms-tnef": ".dat",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/x-7z-compressed": ".7z",
    "application/x-pkcs7-signature": ".p7s",
    "application/x-pkcs7-mime": ".p7m",
    "application/x-zip-compressed": ".zip",
    "application/xml": ".xml",
    "application/zip": ".zip",
    "audio/mp4": ".m4a",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
    "audio/wav": ".wav",
    "image/bmp": ".bmp",
    "image/gif": ".gif",
    "image/heic": ".heic",
    "image/jpeg": ".jpg",
    "image/jpg": ".jpg",
    "image/pjpeg": ".jpg",
    "image/png": ".png",
    "image/svg+xml": ".svg",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "message/delivery-status": ".txt",
    "message/disposition-notification": ".txt",
    "message/global": ".eml",
    "message/rfc822": ".eml",
    "text/calendar": ".ics",
    "text/csv": ".csv",
    "text/html": ".html",
    "text/plain": ".txt",
    "text/rfc822-headers": ".txt",
    "text/vcard": ".vcf",
    "text/x-vcard": ".vcf",
    "text/xml": ".xml",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
}
_CONTENT_TYPES = {extension: content_type for content_type, extension in reversed(_EXTENSIONS.items())}
_CONTENT_TYPES.update({".jpeg": "image/jpeg", ".tiff": "image/tiff", ".txt": "text/plain", ".eml": "message/rfc822"})
_CONTENT_TYPES.pop(".bin")
_CONTENT_TYPES.pop(".dat")


def extension_for(content_type: str) -> str:
    return _EXTENSIONS.get(content_type, ".txt" if content_type.startswith("text/") else ".bin")


def content_type_for(filename: str) -> str | None:
    """The content type an extension stands for, to replace a useless application/octet-stream."""
    _, dot, extension = filename.rpartition(".")
    return _CONTENT_TYPES.get(f".{extension.lower()}") if dot else None


def derived_filename(content_type: str, stem: str = "attachment") -> str:
    if content_type in ("application/vnd.ms-tnef", "application/ms-tnef"):
        return "winmail.dat"
    return f"{stem}{extension_for(content_type)}"


def safe_filename(name: str | None, content_type: str) -> str:
    """A name that is safe on any file system and in a Content-Disposition header; never empty.

    The cleanup is the hub's own rule (``omnihub.domain.filenames``); what is mail-specific is the
    fallback derived from the content type when the mail gave no usable name."""
    return clean_filename(name, fallback=derived_filename(content_type))
