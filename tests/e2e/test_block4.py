"""Block 4 in real browsers: a table sets targets for its agent's KPIs (benchmark with the
discount slider, constraints and adoption, thresholds), the finance representative opens an
invite link in another browser and signs off, the table sees the lock and the projector's
finance status follows."""

import os

import pytest
from playwright.sync_api import expect

from targets.models import FinanceSignOff, ValueTarget
from tests import factories
from tests.e2e.conftest import join, sign_in
from workshops.models import Workshop

SHOTS = os.environ.get("FINOPS_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"block4-{name}.png"), full_page=True)


def fill_thresholds(page, six, twelve, assumptions):
    for level, value in zip(("floor", "target", "stretch"), six, strict=True):
        page.fill(f"#id_{level}_6m", value)
    for level, value in zip(("floor", "target", "stretch"), twelve, strict=True):
        page.fill(f"#id_{level}_12m", value)
    page.fill("#id_assumptions", assumptions)
    page.click("text=Confirm targets")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_table_sets_targets_finance_signs_off_table_sees_lock(live_server, new_page):
    facilitator = factories.make_user(username="host")
    workshop = factories.make_workshop(
        facilitator=facilitator, client_organisation="Acme Freight", status="live"
    )
    table = factories.make_table(workshop=workshop, name="Table A")
    agent = factories.classify_agent(factories.make_agent(table=table, name="Invoice Triage Agent"))
    hours = factories.make_agent_kpi(agent=agent, name="Hours spent matching invoices per week")
    errors = factories.make_agent_kpi(
        agent=agent,
        name="Invoices matched per day",
        category="capacity",
        unit="invoices per day",
        direction="higher",
        baseline_value=200,
    )
    Workshop.objects.filter(pk=workshop.pk).update(projector_view="finance")
    base = live_server.url

    # The facilitator puts the finance status on the projector and creates an invite link.
    host = new_page()
    sign_in(host, base, "host")
    projector = host.context.new_page()
    projector.goto(f"{base}/workshops/{workshop.pk}/projector/")
    expect(projector.locator(".pj-finance-title")).to_have_text(
        "Finance validation: 0 of 1 agents signed off"
    )
    host.goto(f"{base}/targets/workshops/{workshop.pk}/finance/status/")
    host.fill("#id_name", "Fran Okafor")
    host.fill("#id_title", "CFO")
    host.click("text=Create link")
    invite_url = host.locator("#new-invite-url").input_value()
    assert "/targets/finance/invite/" in invite_url

    # The table works through the four steps for the first KPI.
    ana = new_page()
    join(ana, base, table.join_code, "Ana")
    ana.goto(f"{base}/t/agents/{agent.pk}/")
    ana.click("#step-targets a")
    ana.wait_for_url(f"**/targets/agents/{agent.pk}/")
    ana.click(f"a[href='/targets/agents/{agent.pk}/kpis/{hours.pk}/']")
    expect(ana.locator("#step-baseline")).to_contain_text("120")

    ana.check("input[name=kind][value=vendor]")
    ana.fill("#id_description", "Vendor case study: AP automation")
    ana.fill("#id_improvement_percent", "60")
    ana.fill("#id_source", "Vendor website, 2026")
    discounted = ana.locator("#benchmark-add [data-discounted]")
    expect(discounted).to_have_text("36")  # 40 % off by default, computed in the browser
    ana.locator("#id_discount_percent").fill("30")
    expect(discounted).to_have_text("42")
    expect(ana.locator("#benchmark-add [data-discount-value]")).to_have_text("30 %")
    ana.click("#benchmark-add button[type=submit]")
    expect(ana.locator(".evidence-summary")).to_contain_text("42 %")

    ana.check("#id_change_management")
    ana.fill("#id_adoption_6m_percent", "50")
    ana.fill("#id_adoption_12m_percent", "80")
    ana.click("text=Save constraints and adoption")
    expect(ana.locator("#step-thresholds .suggested").first).to_contain_text("suggested")
    shot(ana, "kpi-steps")

    # A target above the floor (lower is better) is refused with the numbers named.
    fill_thresholds(ana, ("110", "115", "90"), ("100", "80", "60"), "AP team of six.")
    expect(ana.locator("#thresholds-form")).to_contain_text(
        "The 6-month target (115) must be below the floor (110): for 'Hours spent matching "
        "invoices per week' lower is better."
    )
    shot(ana, "threshold-error")
    fill_thresholds(ana, ("110", "100", "90"), ("100", "80", "60"), "AP team of six.")
    expect(ana.locator("#step-thresholds .step-status")).to_have_text("✓ confirmed")

    # The second KPI: higher is better. Nothing comparable exists: the table says so, and why,
    # until then finance cannot sign.
    ana.goto(f"{base}/targets/agents/{agent.pk}/")
    expect(ana.locator(f"#checklist-{agent.pk}")).to_contain_text(
        "“Invoices matched per day” has no benchmark evidence"
    )
    ana.goto(f"{base}/targets/agents/{agent.pk}/kpis/{errors.pk}/")
    ana.check("#id_no_evidence")
    ana.fill("#id_reason", "No similar firm publishes its matching throughput.")
    ana.click("#no-evidence button[type=submit]")
    expect(ana.locator("#no-evidence-statement")).to_contain_text("No similar firm publishes")
    ana.check("#id_data_readiness")
    ana.fill("#id_adoption_6m_percent", "50")
    ana.fill("#id_adoption_12m_percent", "80")
    ana.click("text=Save constraints and adoption")
    fill_thresholds(ana, ("200", "230", "260"), ("220", "260", "300"), "Same staff, more volume.")
    expect(ana.locator("#step-thresholds .step-status")).to_have_text("✓ confirmed")
    assert ValueTarget.objects.count() == 2

    # Economics: hours saved at the loaded hourly cost.
    ana.goto(f"{base}/targets/agents/{agent.pk}/economics/")
    ana.select_option("#id_value_kpi", str(hours.pk))
    ana.fill("#id_value_per_unit", "45")
    ana.fill("#id_model_cost_monthly", "1500")
    ana.fill("#id_other_monthly_cost", "200")
    ana.fill("#id_build_cost", "40000")
    ana.click("text=Save the economics")
    expect(ana.locator(".economics-table")).to_contain_text("10.4 months")
    shot(ana, "economics")
    ana.goto(f"{base}/targets/agents/{agent.pk}/")

    # Finance, in another browser, opens the invite link and signs the agent off.
    fran = new_page()
    fran.goto(invite_url)
    fran.click("text=Open the finance review")
    fran.wait_for_url(f"**/targets/workshops/{workshop.pk}/finance/")
    card = fran.locator(f"#agent-{agent.pk}")
    expect(card).to_contain_text("AP team of six.")
    expect(card).to_contain_text("1.16×")
    shot(fran, "finance-review")
    expect(fran.locator(f"#id_s{agent.pk}-title")).to_have_value("CFO")
    card.locator("text=Sign off Invoice Triage Agent").click()
    expect(fran.locator(f"#agent-{agent.pk} .finance-lock")).to_contain_text(
        "Signed off by Fran Okafor (CFO)"
    )
    signoff = FinanceSignOff.objects.get()
    assert (signoff.signer_name, signoff.status) == ("Fran Okafor", "valid")

    # The table's page refreshes by itself and shows the lock; the forms are gone.
    expect(ana.locator("#targets-live #read-only")).to_contain_text(
        "Finance signed off this agent", timeout=6000
    )
    ana.goto(f"{base}/targets/agents/{agent.pk}/kpis/{hours.pk}/")
    expect(ana.locator("#read-only")).to_contain_text("Finance signed off this agent")
    expect(ana.locator("text=Confirm targets")).to_have_count(0)
    shot(ana, "locked")

    # The projector's finance status follows.
    expect(projector.locator(".pj-finance-title")).to_have_text(
        "Finance validation: 1 of 1 agents signed off", timeout=6000
    )
    shot(projector, "projector")
    host.goto(f"{base}/targets/workshops/{workshop.pk}/finance/status/")
    expect(host.locator("#finance-status-line")).to_contain_text("1 of 1 agents signed off")
    shot(host, "status")
    ana.goto(f"{base}/t/agents/{agent.pk}/")
    expect(ana.locator("#step-signed_off .finance-lock")).to_contain_text("Fran Okafor (CFO)")
    shot(ana, "room-agent")
    ana.goto(f"{base}/targets/agents/{agent.pk}/")
    shot(ana, "agent-overview")
    for page in (host, ana, fran):
        # The refused thresholds answer 422 on purpose; anything else is a fault.
        assert [e for e in page.console_errors if "status of 422" not in e] == []
