"""Block 1 on the projector, read from the back of the room: at 1920x1080 no text is under
32 px, at 1280x720 none under 24 px, the charts' labels included, and nothing is cut off."""

import datetime
import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from foundation import seeds, selectors
from foundation.forms import CalculatorForm
from foundation.models import LLMModel, PricePoint
from foundation.projector_services import tool_inputs_set
from tests import factories
from workshops.models import Workshop

from .conftest import sign_in

VIEWS = ("evolution", "tiers", "break_even")

# Every text node a person can see: its rendered size (SVG text scaled by its chart) and
# whether it lies wholly inside the projector's frame (and its chart, for chart labels).
TEXT_NODES = """() => {
  const frame = document.querySelector('.projector-frame').getBoundingClientRect();
  const inside = (r, box, slack) => r.left >= box.left - slack && r.right <= box.right + slack
    && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || el.closest('title, desc, script, style')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0
      && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight);
    const style = getComputedStyle(el);
    if (!rects.length || style.visibility === 'hidden' || style.opacity === '0') continue;
    let size = parseFloat(style.fontSize);
    const svg = el.closest('svg');
    if (svg) { const m = el.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
    // A chart label's box holds the font's whole ascent, above its capitals: a fifth of
    // the size may pass the chart's edge with no ink cut.
    const box = svg ? svg.getBoundingClientRect() : frame;
    const slack = svg ? size * 0.2 : 1;
    found.push({text: text.slice(0, 60), size: size,
                clipped: !rects.every(r => inside(r, frame, 1) && inside(r, box, slack))});
  }
  const view = document.querySelector('#projector-live .pj-block1');
  return {nodes: found, overflows: view.scrollHeight > view.clientHeight + 1
    || view.scrollWidth > view.clientWidth + 1};
}"""


@pytest.fixture
def priced(transactional_db):
    """The bundled catalogue (a browser test's database starts empty)."""
    seeds.seed_catalogue(LLMModel, PricePoint)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "height", "smallest"), [(1920, 1080, 32), (1280, 720, 24)])
def test_block1_projector_views_read_from_the_back_of_the_room(
    live_server, browser, priced, width, height, smallest
):
    facilitator = factories.make_facilitator(username="fay")
    workshop = factories.make_workshop(
        facilitator=facilitator,
        client_organisation="Northwind Logistics",
        date=datetime.date(2026, 9, 15),
        pricing_date=datetime.date(2026, 9, 1),
        currency="EUR",
        usd_exchange_rate=Decimal("0.92"),
        usd_rate_date=datetime.date(2026, 9, 1),
        usd_rate_source="ECB reference rate",
    )
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        sign_in(page, live_server.url, "fay")
        # The tools' defaults, then a chosen model with the longest name (its own tier row).
        longest = max(
            selectors.priced_models(today=workshop.pricing_date),
            key=lambda row: len(f"{row.model.provider} {row.model.name}"),
        )
        chosen = {**CalculatorForm.DEFAULTS, "model": f"m{longest.model.pk}"}
        for view, calculator in [*((view, None) for view in VIEWS), ("tiers", chosen)]:
            if calculator:
                tool_inputs_set(workshop=workshop, calculator=calculator)
            Workshop.objects.filter(pk=workshop.pk).update(projector_view=view)
            page.goto(f"{live_server.url}/workshops/{workshop.pk}/projector/")
            expect(page.locator("#projector-live")).to_have_attribute("data-view", view)
            expect(page.locator(".pj-b1-foot")).to_contain_text("Prices as of 21 Aug 2026")
            found = page.evaluate(TEXT_NODES)
            if shots := os.environ.get("FINOPS_SCREENSHOT_DIR"):
                name = f"pj-{view}{'-chosen' if calculator else ''}-{width}.png"
                page.screenshot(path=os.path.join(shots, name))
            sizes = [node["size"] for node in found["nodes"]]
            small = [node for node in found["nodes"] if node["size"] < smallest]
            clipped = [node for node in found["nodes"] if node["clipped"]]
            assert (view, small, clipped, found["overflows"]) == (view, [], [], False)
            assert len(sizes) > 20  # the chart's labels and the tables were measured
        assert errors == []
    finally:
        context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_facilitator_puts_the_calculators_workload_on_the_projector(live_server, new_page, priced):
    base = live_server.url
    workshop = factories.make_workshop(
        facilitator=factories.make_facilitator(username="fay"),
        date=datetime.date(2026, 9, 15),
        pricing_date=datetime.date(2026, 9, 1),
        currency="USD",
    )
    host = new_page()
    sign_in(host, base, "fay")
    screen = host.context.new_page()
    screen_errors = []
    screen.on(
        "console", lambda msg: screen_errors.append(msg.text) if msg.type == "error" else None
    )
    screen.goto(f"{base}/workshops/{workshop.pk}/projector/")
    expect(screen.locator("#projector-live")).to_have_attribute("data-view", "agenda")

    host.goto(f"{base}/foundation/calculator/?workshop={workshop.pk}")
    host.fill("#id_tasks_per_month", "50,000")
    expect(host.locator("#calc-results .project-form input[name=tasks_per_month]")).to_have_value(
        "50,000"
    )
    host.click("text=Show on the projector")
    expect(host.locator(".messages")).to_contain_text(
        "The projector shows the model tiers with these figures."
    )
    # The projector follows within a poll, with the workload the facilitator set.
    expect(screen.locator("#projector-live")).to_have_attribute("data-view", "tiers")
    expect(screen.locator(".pj-b1-foot")).to_contain_text(
        "50,000 tasks a month · as set on the Block 1 page"
    )
    expect(screen.locator(".pj-b1-foot")).to_contain_text("Prices as of 21 Aug 2026 · in USD")
    assert host.console_errors == []
    assert screen_errors == []
