"""Turning service errors into HTTP answers with a message, never a 500 for bad input."""

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from omnihub.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyAttempts,
)
from omnihub.services.attachments import AttachmentTooLarge


class _AsciiJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped. Error answers echo what was refused, and text with a
    lone surrogate cannot be encoded as UTF-8 (FastAPI's own 422 handler fails on it with a 500)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode("ascii")


def _detail(status: int, message: str) -> JSONResponse:
    return _AsciiJSONResponse({"detail": message}, status_code=status)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, NotFound):
        return _detail(404, str(exc))
    if isinstance(exc, NotAuthenticated):
        return _detail(401, str(exc))
    if isinstance(exc, Forbidden):
        return _detail(403, str(exc))
    if isinstance(exc, Conflict):
        return _detail(409, str(exc))
    if isinstance(exc, TooManyAttempts):
        return _AsciiJSONResponse(
            {"detail": str(exc)}, status_code=429, headers={"Retry-After": str(exc.retry_after_seconds)}
        )
    if isinstance(exc, AttachmentTooLarge):
        return _detail(413, str(exc))
    if isinstance(exc, InvalidInput):
        # Same shape as FastAPI's own validation errors, so clients handle one format.
        error = {"loc": [exc.location, *exc.field.split(".")], "msg": exc.message, "type": "value_error"}
        return _AsciiJSONResponse({"detail": [error]}, status_code=422)
    return _detail(400, str(exc))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    return _AsciiJSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
