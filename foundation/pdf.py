"""The cost evolution infographic as PDF (WeasyPrint), fetching only the app's own static
files: no file:// paths, no network. Documents resolve against an origin that cannot exist."""

import functools
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

ORIGIN = "https://foundation.invalid"
CONTENT_TYPES = {
    "css": "text/css",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "svg": "image/svg+xml",
    "png": "image/png",
}


class RefusedURL(ValueError):
    """The document asked for something other than one of the app's static files."""


def static_file_for(url: str) -> tuple[str, str]:
    """(path on disk, content type) of the static file `url` names; RefusedURL otherwise."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        raise RefusedURL(f"Only the app's own static files may be fetched, not {url[:80]!r}.")
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    relative = path[len(prefix) :] if path.startswith(prefix) else ""
    segments = relative.split("/")
    extension = relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
    if not relative or "\\" in relative or any(s in ("", ".", "..") for s in segments):
        raise RefusedURL(f"Not a static file: {path[:80]!r}.")
    if extension not in CONTENT_TYPES:
        raise RefusedURL(f"Not a document asset: {path[:80]!r}.")
    found = finders.find(relative)
    if not found:
        raise RefusedURL(f"No such static file: {relative!r}.")
    return found, CONTENT_TYPES[extension]


def static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("https",), allow_redirects=False)

        def fetch(self, url, headers=None):
            found, content_type = static_file_for(url)
            with open(found, "rb") as handle:
                body = handle.read()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticOnlyFetcher()


STYLESHEETS = ("css/app.css", "css/foundation.css")


@functools.cache
def _stylesheets() -> list:
    """The infographic's stylesheets, parsed once per process: the screen stylesheet's rules
    WeasyPrint cannot use (media widths, container units) are dropped, with a warning, once
    rather than on every render."""
    from weasyprint import CSS

    prefix = ORIGIN + "/" + settings.STATIC_URL.strip("/") + "/"
    return [CSS(url=prefix + name, url_fetcher=static_fetcher()) for name in STYLESHEETS]


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url=ORIGIN + "/", url_fetcher=static_fetcher())
    return document.write_pdf(stylesheets=_stylesheets())
