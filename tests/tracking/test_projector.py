"""Value tracking on the projector for the checkpoint meetings."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests import factories
from tracking import services
from tracking.selectors import projector_context
from workshops import live
from workshops.models import Workshop

TODAY = datetime.datetime(2027, 4, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _record(kpi, value: str):
    services.kpi_actual_record(
        kpi=kpi,
        period=datetime.date(2027, 3, 1),
        value=Decimal(value),
        source="AP",
        entered_by="Ana",
        now=TODAY,
    )


def test_projector_groups_kpis_by_status_worst_first(workshop):
    first = factories.make_ready_agent(workshop=workshop, kpis=2, name="Invoice matcher")
    kpis = list(first.kpis.order_by("pk"))
    _record(kpis[0], "130")  # March (month 3): floor 115 -> below floor
    context = projector_context(Workshop.objects.get(pk=workshop.pk))
    assert [(s["title"], [e.kpi.pk for _, e in s["entries"]]) for s in context["sections"]] == [
        ("Below floor", [kpis[0].pk]),
        ("No data", [kpis[1].pk]),
        ("Between floor and target", []),
        ("On target", []),
        ("Above stretch", []),
    ]
    assert (context["tracked"], context["untracked"]) == (2, 0)


def test_facilitator_puts_it_on_the_projector(facilitator_client, workshop):
    agent = factories.make_ready_agent(workshop=workshop, kpis=1, name="Invoice <b>matcher</b>")
    _record(agent.kpis.get(), "100")
    live.projector_show(workshop=workshop, view="tracking")
    html = facilitator_client.get(f"/workshops/{workshop.pk}/projector/").text
    assert "<span data-flow-title>Above stretch</span>" in html
    assert "Invoice &lt;b&gt;matcher&lt;/b&gt;" in html
    assert "100 hours per week in Mar 2027" in html
    assert "Value tracking" in facilitator_client.get(f"/workshops/{workshop.pk}/presenter/").text


def test_an_empty_workshop_says_so(facilitator_client, workshop):
    live.projector_show(workshop=workshop, view="tracking")
    html = facilitator_client.get(f"/workshops/{workshop.pk}/projector/").text
    assert "No KPI has a baseline and signed targets to track yet." in html


@pytest.mark.parametrize("agents", [1, 10])
def test_projector_context_queries_are_flat(workshop, agents, django_assert_num_queries):
    for number in range(agents):
        factories.make_ready_agent(workshop=workshop, kpis=3, name=f"Agent {number}")
    with django_assert_num_queries(6):
        projector_context(Workshop.objects.get(pk=workshop.pk))
