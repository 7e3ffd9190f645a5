"""Block 4 on a phone (375x667): the evidence table and the floor / target / stretch table
stack one card per row, the page never scrolls sideways, and every field is in reach and big
enough to hit; the thresholds can be confirmed from the phone."""

import os
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from targets.models import ValueTarget
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("FINOPS_SCREENSHOTS", "")
PHONE = {"width": 375, "height": 667}

# Every visible field and button of the two steps: where it is and how tall.
CONTROLS = """() => Array.from(document.querySelectorAll(
    ":is(#step-benchmarks, #step-thresholds) :is(input, button, select, textarea)"))
  .filter((el) => el.type !== "hidden" && el.getClientRects().length)
  .map((el) => {
    // A radio or tick box is hit through its label.
    const hit = ["radio", "checkbox"].includes(el.type) ? el.closest("label") : el;
    const r = hit.getBoundingClientRect();
    return { name: el.name || el.textContent.trim(), type: el.type, left: r.left, right: r.right,
             height: r.height };
  })"""

OVERFLOWING_TABLES = """() => Array.from(
  document.querySelectorAll("table.benchmarks, table.thresholds"))
  .filter((table) => table.scrollWidth > table.clientWidth).length"""


def test_targets_page_on_a_phone_stacks_rows_and_keeps_fields_in_reach(seated):
    page, table, agent = seated
    kpi = factories.make_agent_kpi(agent=agent, name="Hours spent matching invoices per week")
    factories.make_benchmark(kpi=kpi, kind="vendor", improvement="60", discount="40")
    factories.make_benchmark(kpi=kpi, kind="peer", improvement="25", discount="30")
    factories.make_constraints(kpi=kpi)
    page.set_viewport_size(PHONE)
    page.goto(page.url.split("/t/")[0] + reverse("targets:kpi", args=[agent.pk, kpi.pk]))
    if SHOTS:
        for step in ("benchmarks", "thresholds"):
            page.locator(f"#step-{step}").screenshot(
                path=os.path.join(SHOTS, f"targets-phone-{step}.png")
            )

    assert page.evaluate("document.documentElement.scrollWidth") == 375
    assert page.evaluate(OVERFLOWING_TABLES) == 0
    # Each benchmark row is one card: its values beside their column's name.
    row = page.locator("table.benchmarks tbody tr").first
    assert row.locator("td[data-label]").evaluate_all(
        "(cells) => cells.map((td) => getComputedStyle(td, '::before').content)"
    ) == ['"Reported improvement"', '"Discount"', '"Figure we use"']
    controls = page.evaluate(CONTROLS)
    assert len(controls) > 10
    assert [c["name"] for c in controls if c["left"] < 0 or c["right"] > 375] == []
    small = [c["name"] for c in controls if c["type"] != "submit" and c["height"] < 44]
    assert small == []
    assert [c["name"] for c in controls if c["type"] == "text" and c["height"] < 44] == []

    # The thresholds are confirmed from the phone.
    for horizon, values in (("6m", ("100", "90", "80")), ("12m", ("90", "75", "60"))):
        for level, value in zip(("floor", "target", "stretch"), values, strict=True):
            field = page.locator(f"#id_{level}_{horizon}")
            field.scroll_into_view_if_needed()
            field.fill(value)
    page.fill("#id_assumptions", "Invoice volumes stay at this year's level.")
    page.click("#thresholds-form button[type=submit]")
    expect(page.locator("#step-thresholds .step-status")).to_have_text("✓ confirmed")
    target = ValueTarget.objects.get(kpi=kpi)
    assert (target.target_6m, target.stretch_12m) == (Decimal("90"), Decimal("60"))
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    assert page.console_errors == []
