"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files: the one
renderer every PDF of the app (register, materials, infographic) goes through.

Documents are rendered against a made-up origin; the fetcher answers only `<origin>/static/...`
with the bytes of a file found by the static-files finders. `file://`, `http(s)://` elsewhere,
`data:` and every other scheme are refused by raising, so a template or a piece of user text can
never make the server read its disk or reach the network.
"""

import functools
import gc
import logging
import mimetypes
import re
import threading
from contextlib import contextmanager
from importlib import resources
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# Never resolvable (RFC 2606 ".invalid"): relative URLs in a document resolve against it.
BASE_URL = "https://document.invalid/"
_ORIGIN = "https://document.invalid"
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


@functools.cache
def _no_network_context():
    """The TLS context WeasyPrint's fetcher wants for its https handler, which ours never uses:
    without trusted certificates (loading the system's took a tenth of a second per
    document), so even a connection made by mistake would fail."""
    import ssl

    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves `<origin>/static/...` from the static-files finders; raises for the rest.

        `refused` lists what was asked for and refused (WeasyPrint catches the exception, warns
        and goes on without the resource).
        """

        def __init__(self):
            super().__init__(
                allowed_protocols=("https",),
                allow_redirects=False,
                ssl_context=_no_network_context(),
            )
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


# Full collections only after this many younger ones (Python's default is 10).
RENDER_FULL_COLLECTION_THRESHOLD = 1000
_collector_lock = threading.Lock()
_renders_running = 0
_saved_thresholds: tuple[int, ...] = ()


@contextmanager
def rare_full_collections():
    """Postpone the garbage collector's full passes while documents render.

    WeasyPrint keeps every box of a document alive until the PDF is written, so with the
    default thresholds the collector walks that growing heap (and the rest of the process) again
    and again: about a third of a register's rendering time. Young garbage is still collected;
    the usual thresholds come back when the last render running in the process ends.
    """
    global _renders_running, _saved_thresholds
    with _collector_lock:
        if _renders_running == 0:
            _saved_thresholds = gc.get_threshold()
            young, middle, _ = _saved_thresholds
            gc.set_threshold(young, middle, RENDER_FULL_COLLECTION_THRESHOLD)
        _renders_running += 1
    try:
        yield
    finally:
        with _collector_lock:
            _renders_running -= 1
            if _renders_running == 0:
                gc.set_threshold(*_saved_thresholds)


# WeasyPrint's default stylesheet gives every element footnote and note pseudo-elements, and a
# ::marker style: our documents have no footnotes or notes and no list items but <li>, yet each
# element costs six extra computed styles (a tenth of a register's rendering, half its garbage).
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}\n]*\}\n", re.MULTILINE)
_MARKER_RULE = re.compile(r"^::marker \{", re.MULTILINE)


def lean_user_agent_stylesheet(source: str) -> str | None:
    """WeasyPrint's default stylesheet `source` without the footnote and note rules, its
    ::marker rule kept for <li> only; None when the stylesheet is not the one expected."""
    lean, notes = _NOTE_RULES.subn("", source)
    lean, markers = _MARKER_RULE.subn("li::marker {", lean)
    return lean if (notes, markers) == (5, 1) else None


@functools.cache
def _html_class():
    """WeasyPrint's HTML with the lean default stylesheet; plain HTML for a WeasyPrint whose
    stylesheet or hook is not the expected one."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    source = resources.files("weasyprint.css").joinpath("html5_ua.css").read_text("utf-8")
    lean = lean_user_agent_stylesheet(source)
    if lean is None or not callable(getattr(HTML, "_ua_stylesheets", None)):
        return HTML
    # The document's counter styles still come from WeasyPrint's own copy.
    stylesheet = CSS(string=lean, counter_style=CounterStyle())

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet, *super()._ua_stylesheets(forms)[1:]]

    return LeanHTML


class _PageCounter(logging.Handler):
    """Calls `on_page(n)` for each page WeasyPrint lays out in this thread (it announces them
    on its progress logger)."""

    def __init__(self, on_page):
        super().__init__(logging.INFO)
        self.on_page = on_page
        self.thread = threading.get_ident()
        self.pages = 0

    def emit(self, record):
        if record.thread == self.thread and record.msg.startswith("Step 5"):
            self.pages += 1
            self.on_page(self.pages)


@contextmanager
def _pages_reported(on_page):
    if on_page is None:
        yield
        return
    progress_logger = logging.getLogger("weasyprint.progress")
    handler = _PageCounter(on_page)
    with _collector_lock:
        progress_logger.addHandler(handler)
        # Progress is announced at INFO, which no other handler should print.
        progress_logger.setLevel(logging.INFO)
        progress_logger.propagate = False
    try:
        yield
    finally:
        with _collector_lock:
            progress_logger.removeHandler(handler)
            if not progress_logger.handlers:
                progress_logger.setLevel(logging.NOTSET)
                progress_logger.propagate = True


@functools.cache
def _stylesheets(names: tuple[str, ...]) -> list:
    """The static stylesheets `names`, parsed once per process: rules WeasyPrint cannot use
    (a screen stylesheet's media widths, container units) are dropped, with a warning, once
    rather than on every render."""
    from weasyprint import CSS

    prefix = _ORIGIN + static_prefix()
    return [CSS(url=prefix + name, url_fetcher=static_only_fetcher()) for name in names]


def html_to_pdf(
    html: str, *, stylesheets: tuple[str, ...] = (), fetcher=None, on_page=None
) -> bytes:
    """The PDF for `html`, whose relative and /static/ URLs are served by the fetcher, with the
    static `stylesheets` (e.g. "css/app.css") added to the document's own; `on_page(n)` is
    called as page n is laid out."""
    fetcher = fetcher or static_only_fetcher()
    with rare_full_collections(), _pages_reported(on_page):
        document = _html_class()(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=_stylesheets(stylesheets))
