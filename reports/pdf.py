"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

Documents are rendered against a made-up origin; the fetcher answers only `<origin>/static/...`
with the bytes of a file found by the static-files finders. `file://`, `http(s)://` elsewhere,
`data:` and every other scheme are refused by raising, so a template or a piece of user text can
never make the server read its disk or reach the network.
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# Never resolvable (RFC 2606 ".invalid"): relative URLs in a document resolve against it.
BASE_URL = "https://register.invalid/"
_ORIGIN = "https://register.invalid"
_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class RefusedURL(ValueError):
    """A document asked for something other than one of the app's static files."""


def static_prefix() -> str:
    return "/" + settings.STATIC_URL.strip("/") + "/"


def static_path_for(url: str) -> str:
    """The static file path (relative to a static folder) that `url` names; RefusedURL
    otherwise."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != _ORIGIN:
        raise RefusedURL(f"Only the app's own static files may be fetched, not {url[:80]!r}")
    path = unquote(parts.path)
    prefix = static_prefix()
    if not path.startswith(prefix):
        raise RefusedURL(f"Not a static file: {path[:80]!r}")
    relative = path[len(prefix) :]
    segments = relative.split("/")
    if not relative or any(s in ("", ".", "..") for s in segments) or "\\" in relative:
        raise RefusedURL(f"Not a static file: {path[:80]!r}")
    suffix = "." + relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
    if suffix not in _TYPES:
        raise RefusedURL(f"Not a document asset: {path[:80]!r}")
    return relative


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves `<origin>/static/...` from the static-files finders; raises for the rest.

        `refused` lists what was asked for and refused (WeasyPrint catches the exception, warns
        and goes on without the resource).
        """

        def __init__(self):
            super().__init__(allowed_protocols=("https",), allow_redirects=False)
            self.refused: list[str] = []
            self.served: list[str] = []

        def fetch(self, url, headers=None):
            try:
                relative = static_path_for(url)
                found = finders.find(relative)
                if not found:
                    raise RefusedURL(f"No such static file: {relative!r}")
            except RefusedURL:
                self.refused.append(url)
                raise
            with open(found, "rb") as handle:
                body = handle.read()
            self.served.append(relative)
            content_type = _TYPES.get(
                "." + relative.rsplit(".", 1)[-1].lower(), mimetypes.guess_type(relative)[0]
            )
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return StaticOnlyFetcher


def static_only_fetcher():
    """A fresh fetcher for one document."""
    return _fetcher_class()()


def html_to_pdf(html: str, *, fetcher=None) -> bytes:
    """The PDF for `html`, whose relative and /static/ URLs are served by the fetcher."""
    from weasyprint import HTML

    fetcher = fetcher or static_only_fetcher()
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
