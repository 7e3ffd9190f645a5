"""The PDF renderer fetches nothing but the app's own static files."""

import gc
import socket
import threading
import urllib.request
from io import BytesIO

import pypdf
import pytest

from common import pdf

ORIGIN = pdf.BASE_URL.rstrip("/")
HOSTILE_NAME = '<img src="file:///etc/passwd"><script>alert(1)</script>'


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.com/static/css/print.css",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://document.invalid/static/css/print.css",
        f"{ORIGIN}/etc/passwd",
        f"{ORIGIN}/static/../../etc/passwd",
        f"{ORIGIN}/static/css/%2e%2e/%2e%2e/settings.py",
        f"{ORIGIN}/static/fonts/LICENSE-DejaVu.txt",
        f"{ORIGIN}/static/css/missing.css",
        f"{ORIGIN}/static/../finops_workshop/settings.py",
        f"{ORIGIN}/static/js/foundation.js",
        "https://document.invalid:8080/static/css/print.css",
        "https://user@document.invalid/static/css/print.css",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url):
    fetcher = pdf.static_only_fetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_the_bundled_font_and_stylesheet():
    fetcher = pdf.static_only_fetcher()
    font = fetcher.fetch(f"{ORIGIN}/static/fonts/DejaVuSans.ttf")
    css = fetcher.fetch(f"{ORIGIN}/static/css/print.css")
    assert font.content_type == "font/ttf"
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert css.content_type == "text/css"
    assert b"@font-face" in css.read()
    assert fetcher.served == ["fonts/DejaVuSans.ttf", "css/print.css"]


def _tls_context(fetcher):
    return next(h for h in fetcher.handlers if isinstance(h, urllib.request.HTTPSHandler))._context


def test_fetcher_loads_no_certificates_and_shares_its_unused_tls_context():
    first, second = pdf.static_only_fetcher(), pdf.static_only_fetcher()
    assert first is not second
    assert (first.refused, first.served) == ([], [])
    assert _tls_context(first) is _tls_context(second)
    assert _tls_context(first).cert_store_stats() == {"crl": 0, "x509": 0, "x509_ca": 0}


@pytest.fixture
def listener():
    """A local TCP port that counts connections, to prove nothing reaches it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def test_html_to_pdf_fetches_no_outside_resource(listener):
    port, connections = listener
    outside = [
        f"http://127.0.0.1:{port}/tracker.png",
        "file:///etc/passwd",
        "data:image/svg+xml;base64,PHN2Zy8+",
    ]
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/print.css">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head><body>'
        + "".join(f'<img src="{url}" alt="">' for url in outside)
        + "<p>Hello</p></body></html>"
    )
    fetcher = pdf.static_only_fetcher()
    content = pdf.html_to_pdf(html, fetcher=fetcher)
    assert content.startswith(b"%PDF-")
    assert sorted(fetcher.refused) == sorted([*outside, f"http://127.0.0.1:{port}/x.css"])
    assert "css/print.css" in fetcher.served
    assert connections == []


def test_html_to_pdf_restores_the_garbage_collector_thresholds():
    before = gc.get_threshold()
    with pdf.rare_full_collections():
        with pdf.rare_full_collections():
            assert gc.get_threshold() == (*before[:2], pdf.RENDER_FULL_COLLECTION_THRESHOLD)
        assert gc.get_threshold() == (*before[:2], pdf.RENDER_FULL_COLLECTION_THRESHOLD)
    assert gc.get_threshold() == before
    pdf.html_to_pdf("<p>Hello</p>")
    assert gc.get_threshold() == before


def test_html_to_pdf_restores_the_thresholds_when_rendering_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), pdf.rare_full_collections():
        raise RuntimeError("render failed")
    assert gc.get_threshold() == before


def test_lean_stylesheet_drops_only_the_footnote_and_note_rules():
    source = (
        "p { margin: 1em 0 }\n"
        "::marker { white-space: pre }\n"
        "::footnote-call { content: counter(footnote) }\n"
        '::footnote-marker { content: counter(footnote) ". " }\n'
        "::note-call { content: counter(note) }\n"
        '::note-marker { content: counter(note) ". " }\n'
        '::note-callback { content: " ↩" }\n'
        "h1 { bookmark-level: 1 }\n"
    )
    assert pdf.lean_user_agent_stylesheet(source) == (
        "p { margin: 1em 0 }\nli::marker { white-space: pre }\nh1 { bookmark-level: 1 }\n"
    )


def test_lean_stylesheet_is_none_for_an_unexpected_stylesheet():
    assert pdf.lean_user_agent_stylesheet("p { margin: 0 }\n") is None


def test_html_to_pdf_uses_the_lean_stylesheet_with_the_installed_weasyprint():
    # A WeasyPrint upgrade that changes its default stylesheet falls back to it, slower.
    assert pdf._html_class().__name__ == "LeanHTML"


def test_html_to_pdf_still_marks_list_items():
    html = "<ul><li>First action</li><li>Second action</li></ul><ol><li>Step</li></ol>"
    text = pypdf.PdfReader(BytesIO(pdf.html_to_pdf(html))).pages[0].extract_text()
    # Outside markers are drawn after the text they mark.
    assert sorted(text.split()) == sorted(
        ["•", "First", "action", "•", "Second", "action", "1.", "Step"]
    )


def test_fetcher_serves_a_screen_stylesheet():
    fetcher = pdf.static_only_fetcher()
    css = fetcher.fetch(f"{ORIGIN}/static/css/foundation.css")
    assert css.content_type == "text/css"
    assert fetcher.served == ["css/foundation.css"]


def test_html_to_pdf_adds_the_given_stylesheets_and_ignores_a_file_url():
    html = '<html><body><img src="file:///etc/hostname"><p>Hello</p></body></html>'
    fetcher = pdf.static_only_fetcher()
    content = pdf.html_to_pdf(html, stylesheets=("css/app.css",), fetcher=fetcher)
    text = pypdf.PdfReader(BytesIO(content)).pages[0].extract_text()
    assert text.split() == ["Hello"]
    assert fetcher.refused == ["file:///etc/hostname"]
