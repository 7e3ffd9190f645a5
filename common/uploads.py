"""Uploads, the one way every upload page takes a file.

- The whole request body is capped: a request whose Content-Length is over the page's limit
  is answered 413 before a byte of it is read.
- One file in one expected field: any other file field, or a second file, is answered 400,
  and nothing past the refused part is kept (the rest of the body is read and dropped).
- The file is kept in memory up to the page's limit; a larger one is dropped as it arrives
  and the view is told (`request.upload_too_large`), so the form can say so.
- What waits between the preview and the confirm step is kept compressed in the cache, capped
  in bytes, for the account that uploaded it only.
"""

import functools
import io
import secrets
import zlib

from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room in the body for the form's other fields and the multipart framing.
FORM_FIELDS_BYTES = 64 * 1024
PREVIEW_SECONDS = 60 * 60
PREVIEW_MAX_BYTES = 8 * 1024 * 1024


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def body_limit(max_file_bytes: int) -> int:
    """The largest request an upload page reads: its file limit and half again (so a file a
    little too large is still told apart from the rest of the form), plus the other fields."""
    return max_file_bytes * 3 // 2 + FORM_FIELDS_BYTES


def content_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class OneFileUploadHandler(FileUploadHandler):
    """Keeps the one expected file in memory up to `max_bytes`; stops the upload at any other
    file field or a second file, and notes a file that was too large."""

    def __init__(self, request, *, field_name: str, max_bytes: int):
        super().__init__(request)
        self.expected_field = field_name
        self.max_bytes = max_bytes
        self.too_large = False
        self.unexpected_field: str | None = None
        self.files = 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.files += 1
        if field_name != self.expected_field or self.files > 1:
            self.unexpected_field = field_name
            raise StopUpload(connection_reset=False)
        self.buffer, self.size = io.BytesIO(), 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.max_bytes:
            self.too_large = True
            self.buffer = io.BytesIO()
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer,
            self.field_name,
            self.file_name,
            self.content_type,
            file_size,
            self.charset,
            self.content_type_extra,
        )


def upload_refused(request, *, message: str, status: int):
    """The page that says why an upload request was refused before its form was read."""
    context = {"message": message, "back": request.path}
    return render(request, "upload_refused.html", context, status=status)


def too_large_message(max_file_bytes: int) -> str:
    return (
        f"The upload is far larger than this page accepts (at most {megabytes(max_file_bytes)} "
        "for the file). Nothing was read or saved; choose the right file and upload it again."
    )


def one_field_message(field_name: str) -> str:
    return (
        f"This page takes one file, in the field “{field_name}”; the request sent another file "
        "or more than one. Nothing was saved; upload the one file again from the page."
    )


TOO_MANY_FIELDS = (
    "The request has far more fields than the form on this page. Nothing was saved; upload the "
    "file again from the page."
)


def accepts_upload(*, field_name: str = "file", max_bytes: int):
    """View decorator for a page that takes one uploaded file: caps the body (413), accepts
    only `field_name` with one file (400), keeps at most `max_bytes` of it in memory and sets
    `request.upload_too_large`. The CSRF check runs after the upload handler is set, as
    Django requires; the view keeps it."""

    def decorator(view):
        protected = csrf_protect(view)

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            request.upload_too_large = False
            if request.method != "POST":
                return protected(request, *args, **kwargs)
            if content_length(request) > body_limit(max_bytes):
                return upload_refused(request, message=too_large_message(max_bytes), status=413)
            handler = OneFileUploadHandler(request, field_name=field_name, max_bytes=max_bytes)
            request.upload_handlers = [handler]
            try:
                request.POST  # noqa: B018 - read the body now, through the handler above
            except TooManyFilesSent:
                return upload_refused(request, message=one_field_message(field_name), status=400)
            except TooManyFieldsSent:
                return upload_refused(request, message=TOO_MANY_FIELDS, status=400)
            except (RequestDataTooBig, MultiPartParserError):
                return upload_refused(request, message=too_large_message(max_bytes), status=400)
            if handler.unexpected_field is not None:
                return upload_refused(request, message=one_field_message(field_name), status=400)
            request.upload_too_large = handler.too_large
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorator


# --- Waiting for the confirm step ------------------------------------------------------------


class PreviewTooLarge(Exception):
    """What a preview would keep is over the limit; the message says so."""


PREVIEW_TOO_LARGE = (
    "This file holds too much to keep for the confirm step (more than {size} once "
    "compressed). Split it into smaller files and import them one after another."
)


def _preview_key(owner: str, token: str) -> str:
    return f"upload-preview:{owner}:{token}"


def preview_keep(*, owner: str, content: bytes, max_bytes: int = PREVIEW_MAX_BYTES) -> str:
    """Keep `content` (compressed) for an hour for `owner` (e.g. "bundles:<user pk>"); the
    token to fetch it with. Raises PreviewTooLarge when it would take more than `max_bytes`."""
    packed = zlib.compress(content)
    if len(packed) > max_bytes:
        raise PreviewTooLarge(PREVIEW_TOO_LARGE.format(size=megabytes(max_bytes)))
    token = secrets.token_urlsafe(24)
    cache.set(_preview_key(owner, token), packed, PREVIEW_SECONDS)
    return token


def preview_fetch(*, owner: str, token: str) -> bytes | None:
    """What `preview_keep` kept for `owner` under `token`, or None when it is gone."""
    packed = cache.get(_preview_key(owner, token))
    return None if packed is None else zlib.decompress(packed)


def preview_drop(*, owner: str, token: str) -> None:
    cache.delete(_preview_key(owner, token))
