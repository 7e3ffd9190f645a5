"""The one way the app hands out a file: attachment, its name and type, never stored."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header


def download_response(*, filename: str, content_type: str, content: bytes) -> HttpResponse:
    """`content` as a download named `filename`; no browser or proxy keeps a copy."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


def export_response(export: tuple[str, str, bytes]) -> HttpResponse:
    """An exporter's `(filename, content type, bytes)` as a download (`download_response`)."""
    filename, content_type, content = export
    return download_response(filename=filename, content_type=content_type, content=content)
