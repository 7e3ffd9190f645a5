"""Value tracking as the facilitator uses it: enter actuals month by month, see the status
against the signed targets, correct a month (the earlier value kept), and be refused bad input
with a reason and nothing saved."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from tests import factories
from tracking import services
from tracking.models import AgentActual, KpiActual
from workshops.models import ActionItem, Workshop

# Workshop on 10 Dec 2026 (month 0); "today" is 15 Apr 2027 (month 4).
TODAY = datetime.datetime(2027, 4, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def agent(workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    return factories.make_ready_agent(
        table=table, kpis=1, name="Invoice matcher", owner_name="Rita Ops"
    )


@pytest.fixture
def kpi(agent):
    return agent.kpis.get()


def post_actual(client, agent_, kpi_, **changes):
    data = {
        "kpi": str(kpi_.pk),
        "period": "2027-01",
        "value": "117",
        "source": "AP report",
        "note": "",
    }
    data.update(changes)
    return client.post(f"/tracking/agents/{agent_.pk}/kpi-actual/", data)


def current(kpi) -> list[tuple]:
    return list(
        KpiActual.objects.filter(kpi=kpi, replaced_at__isnull=True).values_list("period", "value")
    )


def test_facilitator_enters_an_actual_and_sees_its_status(facilitator_client, agent, kpi):
    response = post_actual(facilitator_client, agent, kpi)
    assert response.status_code == 302
    assert current(kpi) == [(datetime.date(2027, 1, 1), Decimal("117.0000"))]
    saved = KpiActual.objects.get()
    assert (saved.entered_by, saved.source) == ("facilitator", "AP report")
    html = facilitator_client.get(f"/tracking/agents/{agent.pk}/").text
    # January (month 1): floor 118.33, target 116.67, stretch 115; 117 is between.
    assert '<span class="track-status between">between floor and target</span>' in html
    assert '<span class="track-status no_data">no data for Feb 2027</span>' in html
    assert '<td class="num">118.33</td>' in html


def test_a_second_actual_for_the_month_asks_to_replace(facilitator_client, agent, kpi):
    post_actual(facilitator_client, agent, kpi)
    response = post_actual(facilitator_client, agent, kpi, value="116")
    assert response.status_code == 409
    assert "January 2027 already has an actual: 117" in response.text
    assert current(kpi) == [(datetime.date(2027, 1, 1), Decimal("117.0000"))]
    response = post_actual(facilitator_client, agent, kpi, value="116", replace="on")
    assert response.status_code == 302
    assert current(kpi) == [(datetime.date(2027, 1, 1), Decimal("116.0000"))]
    # The correction keeps the earlier value, marked replaced.
    assert list(KpiActual.objects.values_list("value", "replaced_at")) == [
        (Decimal("117.0000"), TODAY),
        (Decimal("116.0000"), None),
    ]
    html = facilitator_client.get(f"/tracking/agents/{agent.pk}/").text
    assert "Every actual entered (2)" in html and "<em>replaced" in html


MONTH = "Give the month as YYYY-MM, e.g. 2027-03."
FUTURE = "May 2027 has not started yet; enter actuals for months that have."
BEFORE = "Actuals start with January 2027, the first month after the workshop (10 Dec 2026)."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"period": "2027-05"}, "period", FUTURE),
        ({"period": "2026-10"}, "period", BEFORE),
        ({"period": "2027-13"}, "period", MONTH),
        ({"period": "2027-01-15"}, "period", MONTH),
        ({"period": "<script>"}, "period", MONTH),
        ({"period": ""}, "period", "Enter the month."),
        ({"value": "abc"}, "value", None),
        ({"value": ""}, "value", None),
        ({"value": "-5"}, "value", None),
        ({"value": "1" * 40}, "value", None),
        ({"value": "NaN"}, "value", None),
        ({"source": ""}, "source", "Enter the source."),
        ({"source": "x" * 201}, "source", "Keep the source to 200 characters or fewer."),
        ({"kpi": "999999"}, "kpi", "Choose one of this agent's KPIs."),
        ({"kpi": "abc"}, "kpi", "Choose one of this agent's KPIs."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_and_saves_nothing(
    facilitator_client, agent, kpi, changes, field, message
):
    revision = Workshop.objects.get(pk=agent.workshop_id).revision
    response = post_actual(facilitator_client, agent, kpi, **changes)
    assert response.status_code == 422
    errors = response.context["kpi_form"].errors[field]
    assert errors
    if message is not None:
        assert list(errors) == [message]
    assert KpiActual.objects.count() == 0
    assert Workshop.objects.get(pk=agent.workshop_id).revision == revision


def test_hostile_text_is_shown_as_text(facilitator_client, agent, kpi):
    post_actual(facilitator_client, agent, kpi, source="<script>alert(1)</script>", note="Ü ✓")
    html = facilitator_client.get(f"/tracking/agents/{agent.pk}/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "Ü ✓" in html


def test_two_months_below_the_floor_open_an_action_for_the_owner(facilitator_client, agent, kpi):
    post_actual(facilitator_client, agent, kpi, period="2027-02", value="125")
    assert not ActionItem.objects.filter(origin=ActionItem.Origin.TRACKING).exists()
    post_actual(facilitator_client, agent, kpi, period="2027-03", value="124")
    action = ActionItem.objects.get(origin=ActionItem.Origin.TRACKING)
    assert (action.owner, action.due_date, action.origin_key) == (
        "Rita Ops",
        datetime.date(2027, 4, 29),
        f"tracking:floor:kpi:{kpi.pk}:2027-03",
    )
    assert action.action.startswith("Invoice matcher: “")
    # Entering the same month again (replacing) does not add a second action.
    post_actual(facilitator_client, agent, kpi, period="2027-03", value="123", replace="on")
    assert ActionItem.objects.filter(origin=ActionItem.Origin.TRACKING).count() == 1


def test_run_cost_is_entered_and_replaced_with_history(facilitator_client, agent):
    url = f"/tracking/agents/{agent.pk}/run-cost/"
    data = {"period": "2027-03", "run_cost": "1250.50", "tasks": "42000", "source": "Cloud bill"}
    assert facilitator_client.post(url, data).status_code == 302
    assert facilitator_client.post(url, {**data, "run_cost": "1300"}).status_code == 409
    assert facilitator_client.post(url, {**data, "run_cost": "-1"}).status_code == 422
    assert facilitator_client.post(url, {**data, "tasks": "1.5"}).status_code == 422
    response = facilitator_client.post(url, {**data, "run_cost": "1300", "replace": "on"})
    assert response.status_code == 302
    assert list(AgentActual.objects.values_list("run_cost", "tasks", "replaced_at")) == [
        (Decimal("1250.50"), 42000, TODAY),
        (Decimal("1300.00"), 42000, None),
    ]


def test_portfolio_lists_agents_worst_first(facilitator_client, workshop, agent, kpi):
    other = factories.make_ready_agent(workshop=workshop, kpis=1, name="Claims triage")
    services.kpi_actual_record(
        kpi=kpi,
        period=datetime.date(2027, 3, 1),
        value=Decimal("130"),
        source="AP",
        entered_by="x",
        now=TODAY,
    )
    services.kpi_actual_record(
        kpi=other.kpis.get(),
        period=datetime.date(2027, 3, 1),
        value=Decimal("50"),
        source="AP",
        entered_by="x",
        now=TODAY,
    )
    html = facilitator_client.get(f"/tracking/workshops/{workshop.pk}/").text
    assert html.index("Invoice matcher") < html.index("Claims triage")
    assert '<span class="track-status below_floor">below floor</span>' in html
    assert '<span class="track-status above_stretch">above stretch</span>' in html


@pytest.mark.parametrize("agents", [1, 12])
def test_portfolio_query_count_is_flat(
    facilitator_client, workshop, agents, django_assert_num_queries
):
    for i in range(agents):
        made = factories.make_ready_agent(workshop=workshop, kpis=3, name=f"Agent {i}")
        for kpi in made.kpis.all():
            services.kpi_actual_record(
                kpi=kpi,
                period=datetime.date(2027, 2, 1),
                value=Decimal("110"),
                source="AP",
                entered_by="x",
                now=TODAY,
            )
    with django_assert_num_queries(9):
        assert facilitator_client.get(f"/tracking/workshops/{workshop.pk}/").status_code == 200


def test_only_the_workshops_facilitators_see_or_enter(agent, kpi):
    client = Client()
    assert client.get(f"/tracking/agents/{agent.pk}/").status_code == 302  # sign in first
    client.force_login(factories.make_facilitator(username="rival"))
    assert client.get(f"/tracking/agents/{agent.pk}/").status_code == 404
    assert client.get(f"/tracking/workshops/{agent.workshop_id}/").status_code == 404
    assert post_actual(client, agent, kpi).status_code == 404
    assert KpiActual.objects.count() == 0


def test_a_baseline_taken_after_the_workshop_starts_the_actuals(facilitator_client, agent, kpi):
    type(kpi).objects.filter(pk=kpi.pk).update(baseline_as_of=datetime.date(2027, 2, 10))
    response = post_actual(facilitator_client, agent, kpi, period="2027-01")
    assert response.status_code == 422
    assert list(response.context["kpi_form"].errors["period"]) == [
        "January 2027 is before the baseline (10 Feb 2027); actuals start with the baseline's "
        "month."
    ]
    assert post_actual(facilitator_client, agent, kpi, period="2027-02").status_code == 302


def test_agent_page_shows_the_economics_so_far(facilitator_client, agent, kpi):
    post_actual(facilitator_client, agent, kpi, period="2027-01", value="100")
    url = f"/tracking/agents/{agent.pk}/run-cost/"
    facilitator_client.post(url, {"period": "2027-01", "run_cost": "1400", "source": "Bill"})
    html = " ".join(facilitator_client.get(f"/tracking/agents/{agent.pk}/").text.split())
    # 20 hours a week saved x 45 x 52/12 = 3,900; cost 40,000 build + 1,400 + 200.
    assert "<dt>Value delivered</dt><dd>3900.00 EUR</dd>" in html
    assert "<dt>Cost so far</dt><dd>41600.00 EUR" in html
    assert "<dt>ROI so far</dt><dd>0.09x</dd>" in html
    assert "<dt>Payback</dt><dd>not yet</dd>" in html
    # Planned model cost 1,500 a month: 1,400 is 6.7 % under.
    assert '1500.00 <span class="muted">(-6.7 %)</span>' in html


@pytest.mark.parametrize("kpis", [1, 3])
def test_agent_page_query_count_is_flat(
    facilitator_client, workshop, kpis, django_assert_num_queries
):
    made = factories.make_ready_agent(workshop=workshop, kpis=kpis, name="Counted")
    for kpi_ in made.kpis.all():
        services.kpi_actual_record(
            kpi=kpi_,
            period=datetime.date(2027, 2, 1),
            value=Decimal("110"),
            source="AP",
            entered_by="x",
            now=TODAY,
        )
    with django_assert_num_queries(14):
        assert facilitator_client.get(f"/tracking/agents/{made.pk}/").status_code == 200
