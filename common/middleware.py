"""Middleware shared by every app."""

from django.conf import settings
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# Content types of the documents the app hands out (register, materials, bundles, calendars).
DOWNLOAD_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument",
    "text/calendar",
    "text/csv",
    "application/zip",
)


def is_download(response) -> bool:
    disposition = response.get("Content-Disposition", "").lower()
    content_type = response.get("Content-Type", "").lower()
    return disposition.startswith("attachment") or content_type.startswith(DOWNLOAD_TYPES)


def carries_session(request, response) -> bool:
    """A request from a signed-in account, a table or a finance invite (all of which live in
    the session), or a response that starts such a session."""
    cookie = settings.SESSION_COOKIE_NAME
    return cookie in request.COOKIES or cookie in response.cookies


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page seen through a session and on every download,
    so neither a shared browser's cache nor a proxy keeps a client's figures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if carries_session(request, response) or is_download(response):
            add_never_cache_headers(response)
        return response


class TimeZoneMiddleware:
    """Every request starts and ends in the server's zone; a view that resolved a workshop
    switches to the workshop's (workshops.zones.activate), for that request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
