import os
import shutil

import pytest

from tests import factories

# Playwright's sync API runs an event loop in the test thread; the ORM calls the browser tests
# make between page actions are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("FINOPS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_configure(config):
    """FINOPS_TEST_TODAY=YYYY-MM-DD runs the whole suite as if it were that day, to prove that
    no test depends on the day it runs.

    Every test client builds the middleware anew, and WhiteNoise's would index every static
    file each time (a sixth of the suite's time): in tests it finds a file when it is asked
    for instead."""
    from django.conf import settings

    settings.WHITENOISE_AUTOREFRESH = True
    today = os.environ.get("FINOPS_TEST_TODAY")
    if today:
        import datetime

        import time_machine

        moment = datetime.datetime.fromisoformat(today).replace(hour=10, tzinfo=datetime.UTC)
        time_machine.travel(moment, tick=True).start()


def pytest_collection_modifyitems(items):
    """Browser tests last: they run in real transactions and empty every table when they end."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(autouse=True)
def _catalogues_in_transactional_tests(request):
    """A transactional test starts after another emptied the tables (seeds included): put the
    seeded catalogues back, as `serve` would."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from workshops.management.commands.load_catalogues import load_all

        load_all()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Users are made in most tests; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = factories.FAST_HASHERS


@pytest.fixture
def facilitator(db):
    return factories.make_facilitator(username="facilitator")


@pytest.fixture
def workshop(facilitator):
    return factories.make_workshop(facilitator=facilitator, client_organisation="Acme Freight")


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium. Missing Chromium fails under CI and skips elsewhere."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open pages in separate browser contexts (separate cookies), closed after the test."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.console_errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def document_worker(transactional_db):
    """Runs the documents queued so far with the database task worker's own code, in the
    test's thread: it shares the live server's connection (an in-memory SQLite database
    cannot be opened by another thread's connection without locking it)."""
    from common.documents import run_queued_documents

    return run_queued_documents
