"""A strict Content-Security-Policy on every page, and pages that need nothing it forbids: no
inline script, no event-handler attributes, no style attributes or elements.

The pages are those of the access matrix that answer 200 to the role they are made for; each
is checked whole and, for htmx, as the partial it swaps in."""

from html.parser import HTMLParser

import pytest

from tests.security.conftest import client_for
from tests.security.test_access_matrix import ACCESS, url_for

pytestmark = pytest.mark.django_db

# Who a page is for, when several roles may open it.
OWNER_ORDER = (
    "facilitator",
    "participant",
    "finance",
    "finance_invite",
    "anonymous",
    "superuser",
    "other_facilitator",
    "finance_other_workshop",
)
# Files, not pages (their own tests read them back).
DOWNLOADS = {
    "healthz",
    "agents:import_template",
    "foundation:calculator_xlsx",
    "foundation:evolution_pdf",
    "reports:register_pdf",
    "reports:register_xlsx",
    "reports:actions_ics",
    "reports:narrative_pdf",
    "reports:kpi_worksheets",
    "reports:target_cards",
    "reports:run_sheet",
    "reports:target_sheets",
    "bundles:export_download",
}


def owner(name: str) -> str | None:
    answers = ACCESS[name].get
    return next((role for role in OWNER_ORDER if answers.get(role) == 200), None)


PAGES = sorted(name for name in ACCESS if owner(name) and name not in DOWNLOADS)


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block or what only works with 'unsafe-inline'."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "script" and not names.get("src"):
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name in names:
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name in {"href", "src", "action", "formaction"} and (
                names[name] or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL in {name}= at line {self.getpos()[0]}")

    handle_startendtag = handle_starttag


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict_csp(response) -> None:
    directives = csp_directives(response)
    assert directives, "no Content-Security-Policy header"
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src"))
        assert sources, f"{name} missing"
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, (
            name,
            sources,
        )
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def assert_page_is_strict(response, where: str = "") -> None:
    """For any HTML answer (tests elsewhere reuse this on error pages)."""
    assert_strict_csp(response)
    assert inline_problems(response.content.decode()) == [], where


def test_inline_finder_catches_each_kind():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="x()">a</p><img src=x onerror=alert(1)>'
        '<button hx-on:click="x()">b</button><a href=" JavaScript:alert(1)">c</a>'
    )
    assert inline_problems(html) == [
        "inline <script> at line 1",
        "<style> element at line 1",
        "style= on <p> at line 1",
        "onclick= on <p> at line 1",
        "onerror= on <img> at line 1",
        "hx-on:click= on <button> at line 1",
        "javascript: URL in href= at line 1",
    ]


def test_escaped_payload_is_not_an_inline_problem():
    assert inline_problems("<p>&lt;script&gt;alert(1)&lt;/script&gt; onclick=x()</p>") == []


@pytest.mark.parametrize("name", PAGES)
def test_page_has_strict_csp_and_nothing_inline(name, world):
    role = owner(name)
    url = url_for(name, world)
    browser = client_for(role, world)
    response = browser.get(url)
    assert response.status_code == 200, (name, role)
    assert response["Content-Type"].startswith("text/html"), (
        f"{name} is not a page: add it to DOWNLOADS"
    )
    assert_page_is_strict(response, f"{name} as {role}")
    # The htmx partial of the same page (a live region, a form) carries no inline code either.
    partial = browser.get(url, headers={"HX-Request": "true"})
    if partial.status_code == 200:
        assert inline_problems(partial.content.decode()) == [], f"{name} partial as {role}"


def test_not_found_and_forbidden_pages_are_strict(world):
    assert_page_is_strict(client_for("anonymous", world).get("/no-such-page/"))
    response = client_for("finance", world).get("/foundation/models/import/")
    assert response.status_code == 403
    assert_page_is_strict(response)
    assert "Only catalogue administrators can change the model price catalogue" in response.text
