"""Blocks 2 and 3 as a table and the facilitator live them, in real browsers: classify an agent,
write its thesis, pick three KPIs (one without a baseline), and watch the projector."""

import datetime

import pytest
from playwright.sync_api import expect

from agents.models import Agent
from kpis.models import AgentKpi
from tests import factories
from tests.e2e.conftest import join, sign_in
from workshops.models import ActionItem

THESIS = (
    "This agent exists to reduce the cost of manual invoice matching hours in accounts payable by "
    "matching invoices to purchase orders and routing only exceptions to a clerk."
)


def add_kpi(page, *, system, baseline=None, as_of=None):
    page.fill("#id_data_source_system", system)
    page.fill("#id_data_source_owner", "AP team lead")
    page.select_option("#id_measurement_frequency", "weekly")
    if baseline is None:
        page.check("#id_no_baseline")
    else:
        page.fill("#id_baseline_value", baseline)
        page.fill("#id_baseline_as_of", as_of)
        page.fill("#id_baseline_source", "October AP report")
    page.click("text=Add KPI")
    page.wait_for_url("**/kpis/agents/*/")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_table_classifies_writes_thesis_picks_kpis_and_projector_follows(live_server, new_page):
    facilitator = factories.make_user(username="host")
    workshop = factories.make_workshop(facilitator=facilitator, client_organisation="Acme")
    table = factories.make_table(workshop=workshop, name="Table A")
    agent = factories.make_agent(table=table, name="Invoice Triage Agent")
    base = live_server.url
    as_of = (datetime.date.today() - datetime.timedelta(days=20)).isoformat()

    presenter = new_page()
    sign_in(presenter, base, "host")
    presenter.goto(f"{base}/workshops/{workshop.pk}/presenter/")
    presenter.click("#control-start")
    expect(presenter.locator("#run-state")).to_have_text("Running")
    projector = presenter.context.new_page()
    projector.console_errors = []
    projector.on(
        "console",
        lambda msg: projector.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    projector.goto(f"{base}/workshops/{workshop.pk}/projector/")
    presenter.click("#show-portfolio")
    expect(projector.locator("#projector-live")).to_have_attribute(
        "data-view", "portfolio", timeout=3000
    )
    expect(projector.locator(".pj-agent.in-unclassified")).to_contain_text("Invoice Triage Agent")

    # Block 2: the table classifies the agent; the preview shows the sentence as typed.
    ana = new_page()
    join(ana, base, table.join_code, "Ana")
    ana.click("text=Invoice Triage Agent")
    ana.click("text=Classify the agent")
    preview = ana.locator("#thesis-preview")
    expect(preview).to_have_text(
        "This agent exists to reduce the cost of / generate revenue from … by …."
    )
    ana.check("#class-bottom_line")
    expect(ana.locator('[data-driver-group="top_line"]')).to_be_hidden()
    expect(ana.locator("#id_value_driver_other")).to_be_hidden()
    ana.check('input[name="value_driver"][value="labour_savings"]')
    ana.fill("#id_thesis_subject", "manual invoice matching hours in accounts payable")
    expect(preview).to_have_text(
        "This agent exists to reduce the cost of manual invoice matching hours in accounts "
        "payable by …."
    )
    ana.fill(
        "#id_thesis_mechanism",
        "by matching invoices to purchase orders and routing only exceptions to a clerk.",
    )
    expect(preview).to_have_text(THESIS)
    ana.click("text=Save classification")
    expect(ana.locator("form.thesis-form")).to_contain_text("Saved.")
    assert Agent.objects.get(pk=agent.pk).thesis == THESIS
    expect(projector.locator(".pj-agent.in-bottom_line")).to_contain_text(THESIS, timeout=3000)
    expect(projector.locator(".pj-agent.in-bottom_line")).to_contain_text("Labour savings")

    # Block 3: three KPIs, one of them without a baseline.
    ana.click("text=Next: choose KPIs")
    ana.click("text=Choose Hours saved per week/month")
    add_kpi(ana, system="Timesheets in Workday", baseline="120", as_of=as_of)
    expect(ana.locator(".messages")).to_contain_text("Saved “Hours saved per week/month”.")
    ana.click("text=Choose Cost per task/transaction")
    add_kpi(ana, system="LLM provider invoices")
    expect(ana.locator(".messages")).to_contain_text("a task to establish it was added")
    ana.click("text=define a custom KPI")
    ana.fill("#id_name", "improve efficiency")
    ana.select_option("#id_category", "quality")
    ana.fill("#id_unit", "invoices per week")
    ana.check('input[name="direction"][value="lower"]')
    ana.fill("#id_data_source_system", "SAP exception queue")
    ana.fill("#id_data_source_owner", "AP team lead")
    ana.select_option("#id_measurement_frequency", "weekly")
    ana.fill("#id_baseline_value", "85")
    ana.fill("#id_baseline_as_of", as_of)
    ana.click("text=Add KPI")
    expect(ana.locator("#id_name + .help + .field-error, .field-error").first).to_have_text(
        '"Improve efficiency" is not a KPI: it names an intention. Say what is counted, its '
        'unit and which way is better, e.g. "Compliance/accuracy rates (% of outputs, higher '
        'is better)".'
    )
    ana.fill("#id_name", "Invoices routed to exceptions per week")
    ana.click("text=Add KPI")
    ana.wait_for_url("**/kpis/agents/*/")
    expect(ana.locator(".kpi-status")).to_have_text("KPI step complete: 3 measurable indicators.")
    expect(ana.locator(".nudges")).to_have_count(0)

    assert AgentKpi.objects.filter(agent=agent).count() == 3
    [task] = ActionItem.objects.filter(workshop=workshop, origin="baseline")
    assert (task.action, task.owner, task.status) == (
        "Establish baseline for Cost per task/transaction (Invoice Triage Agent)",
        "AP team lead",
        "open",
    )

    # The measurement feasibility check on the projector.
    presenter.click("#show-feasibility")
    expect(projector.locator("#projector-live")).to_have_attribute(
        "data-view", "feasibility", timeout=3000
    )
    board = projector.locator(".pj-feasibility")
    expect(board).to_contain_text("3 KPIs · 1 without a baseline")
    green = projector.locator(".pj-kpi.in-green")
    expect(green.filter(has_text="Cost per task/transaction")).to_have_count(1)
    expect(green.filter(has_text="No baseline")).to_have_count(1)
    expect(green.filter(has_text="Source: Timesheets in Workday")).not_to_have_count(0)

    # The table's agent page shows the work, and the board counts it.
    ana.goto(f"{base}/t/agents/{agent.pk}/")
    expect(ana.locator("#step-thesis")).to_contain_text(THESIS)
    expect(ana.locator("#step-kpis")).to_contain_text("Invoices routed to exceptions per week")

    # No script errors and no Content-Security-Policy violations (the favicon's 404 aside;
    # the refused vague KPI answers 422 on purpose).
    for page in (presenter, projector, ana):
        assert [
            e for e in page.console_errors if "status of 404" not in e and "status of 422" not in e
        ] == []
