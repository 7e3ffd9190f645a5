"""Block 3 pages: an agent's KPIs, adding/editing/removing one, the library, the feasibility
check."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpis.models import AgentKpi, KpiDefinition
from kpis.selectors import feasibility_projector_context
from tests import factories
from tests.live import review_rev
from workshops import progress, projector
from workshops.models import ActionItem, Workshop

pytestmark = pytest.mark.django_db

GUIDE_MESSAGE = (
    "&quot;Improve efficiency&quot; is not a KPI: it names an intention. Say what is counted, "
    "its unit and which way is better, e.g. &quot;Hours saved per week/month (hours per week, "
    "higher is better)&quot;."
)


@pytest.fixture
def live_workshop(facilitator):
    return factories.make_workshop(facilitator=facilitator, status="live")


@pytest.fixture
def table(live_workshop):
    return factories.make_table(workshop=live_workshop, name="Table A")


@pytest.fixture
def agent(table):
    return factories.classify_agent(factories.make_agent(table=table, name="Invoice Triage Agent"))


@pytest.fixture
def participant_client(client, table):
    return factories.join_table(client, factories.make_participant(table=table))


def list_url(agent):
    return reverse("kpis:agent_kpis", kwargs={"agent_id": agent.pk})


def new_url(agent, definition=None):
    url = reverse("kpis:agent_kpi_new", kwargs={"agent_id": agent.pk})
    return f"{url}?definition={definition.pk}" if definition else url


def edit_url(kpi):
    return reverse("kpis:agent_kpi_edit", kwargs={"agent_id": kpi.agent_id, "kpi_id": kpi.pk})


def delete_url(kpi):
    return reverse("kpis:agent_kpi_delete", kwargs={"agent_id": kpi.agent_id, "kpi_id": kpi.pk})


def form_data(**changes) -> dict:
    data = {
        "name": "Hours spent matching invoices per week",
        "category": "efficiency",
        "unit": "hours per week",
        "direction": "lower",
        "data_source_system": "SAP invoice log",
        "data_source_owner": "AP team lead",
        "measurement_frequency": "weekly",
        "feasibility": "measurable",
        "baseline_value": "120",
        "baseline_as_of": "2026-11-01",
        "baseline_source": "October AP report",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def nothing_saved(workshop) -> bool:
    return (
        AgentKpi.objects.count() == 0
        and not ActionItem.objects.filter(workshop=workshop, origin="baseline").exists()
    )


# --- The agent's KPI page ---------------------------------------------------------------------
def test_agent_kpis_page_empty(participant_client, agent):
    response = participant_client.get(list_url(agent))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No KPIs yet." in html
    assert "Choose 2 more KPIs: each agent needs 2 or 3." in html
    assert "Efficiency (Bottom Line)" in html and "Economic (FinOps)" in html
    assert "Hours saved per week/month" in html
    assert agent.thesis in html


def test_agent_kpis_page_nudges_and_complete(participant_client, agent):
    factories.make_agent_kpi(agent=agent, category="quality", name="Invoices coded correctly")
    factories.make_agent_kpi(agent=agent, category="capacity", name="Invoices handled per day")
    html = participant_client.get(list_url(agent)).content.decode()
    assert "KPI step complete: 2 measurable indicators." in html
    assert "A bottom-line agent should have an Efficiency or Economic KPI" in html
    assert "Add an Economic KPI (cost per task, ROI ratio or payback period)" in html


def test_agent_kpis_page_three_kpis_offers_no_more(participant_client, agent):
    for n in range(3):
        factories.make_agent_kpi(agent=agent, name=f"Invoices per hour {n}")
    html = participant_client.get(list_url(agent)).content.decode()
    assert "This agent has 3 KPIs, the most it can have. Remove one to choose another." in html


def test_agent_kpis_page_unclassified_agent_points_to_block2(participant_client, table):
    loose = factories.make_agent(table=table, name="Loose")
    html = participant_client.get(list_url(loose)).content.decode()
    assert "classify the agent and write its thesis first" in html


def test_agent_kpis_page_404_for_other_table(client, live_workshop, agent):
    factories.make_agent_kpi(agent=agent)
    kpi = AgentKpi.objects.get()
    other = factories.make_table(workshop=live_workshop, name="Table B")
    factories.join_table(client, factories.make_participant(table=other))
    assert client.get(list_url(agent)).status_code == 404
    assert client.get(new_url(agent)).status_code == 404
    assert client.post(new_url(agent), form_data(name="Invoices per hour")).status_code == 404
    assert client.get(edit_url(kpi)).status_code == 404
    assert client.post(edit_url(kpi), form_data(version="1", unit="x")).status_code == 404
    assert client.post(delete_url(kpi)).status_code == 404
    assert AgentKpi.objects.get().unit == "hours per week"


def test_agent_kpis_page_404_without_joining(client, agent):
    assert client.get(list_url(agent)).status_code == 404


def test_agent_kpis_kpi_of_another_agent_404(participant_client, table, agent):
    other_agent = factories.make_agent(table=table, name="Other")
    kpi = factories.make_agent_kpi(agent=other_agent)
    url = reverse("kpis:agent_kpi_edit", kwargs={"agent_id": agent.pk, "kpi_id": kpi.pk})
    assert participant_client.get(url).status_code == 404


def test_agent_kpis_page_for_facilitator(facilitator_client, agent):
    assert facilitator_client.get(list_url(agent)).status_code == 200


# --- Adding -----------------------------------------------------------------------------------
def test_new_from_library_prefilled(participant_client, agent):
    definition = KpiDefinition.objects.get(key="hours-saved")
    html = participant_client.get(new_url(agent, definition)).content.decode()
    assert 'value="Hours saved per week/month"' in html
    assert 'value="hours per week"' in html
    assert f'name="definition" value="{definition.pk}"' in html
    assert "Timesheets or time tracking" in html


@pytest.mark.parametrize("bad", ["abc", "-1", "999999"])
def test_new_with_unknown_definition_404(participant_client, agent, bad):
    url = reverse("kpis:agent_kpi_new", kwargs={"agent_id": agent.pk})
    assert participant_client.get(f"{url}?definition={bad}").status_code == 404


def test_new_from_library_saves(participant_client, live_workshop, agent):
    definition = KpiDefinition.objects.get(key="cost-per-task")
    before = Workshop.objects.get(pk=live_workshop.pk).revision
    response = participant_client.post(
        new_url(agent),
        form_data(definition=str(definition.pk), name="Cost per invoice", unit="EUR per invoice"),
    )
    assert response.status_code == 302
    assert response["Location"] == list_url(agent)
    kpi = AgentKpi.objects.get()
    assert (kpi.definition_id, kpi.category, kpi.baseline_value) == (
        definition.pk,
        "economic",
        Decimal("120"),
    )
    assert Workshop.objects.get(pk=live_workshop.pk).revision == before + 1


def test_new_without_baseline_creates_action_item(participant_client, live_workshop, agent):
    response = participant_client.post(
        new_url(agent), form_data(baseline_value="", baseline_as_of="", no_baseline="on")
    )
    assert response.status_code == 302
    [task] = ActionItem.objects.filter(workshop=live_workshop, origin="baseline")
    assert task.action == (
        "Establish baseline for Hours spent matching invoices per week (Invoice Triage Agent)"
    )
    assert task.due_date == live_workshop.date + datetime.timedelta(days=14)
    html = participant_client.get(list_url(agent)).content.decode()
    assert "No baseline yet, so a task to establish it was added" in html
    assert "Task for AP team lead, due 24 Dec 2026" in html


def test_new_fourth_kpi_refused(participant_client, agent):
    for n in range(3):
        factories.make_agent_kpi(agent=agent, name=f"Invoices per hour {n}")
    response = participant_client.post(new_url(agent), form_data(name="Invoices rejected"))
    assert response.status_code == 422
    assert "This agent already has 3 KPIs, the most it can have." in response.content.decode()
    assert AgentKpi.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "improve efficiency"}, GUIDE_MESSAGE),
        ({"name": "better quality"}, "&quot;Better quality&quot; is not a KPI:"),
        ({"name": "increase productivity"}, "&quot;Increase productivity&quot; is not a KPI:"),
        ({"name": ""}, "Name the KPI: something you can count or time"),
        (
            {"name": "h" * 500},
            "Keep the KPI&#x27;s name short: at most 120 characters (this has 500).",
        ),
        ({"unit": ""}, "Give the unit the KPI is counted in"),
        ({"unit": "better"}, "&#x27;better&#x27; is not a unit."),
        ({"category": ""}, "Choose the KPI&#x27;s category."),
        ({"category": "vibes"}, "Choose one of the four KPI categories."),
        ({"direction": None}, "Say whether higher or lower is better for this KPI."),
        ({"direction": "sideways"}, "Say whether higher or lower is better for this KPI."),
        ({"measurement_frequency": "hourly"}, "Say how often the KPI will be measured."),
        ({"feasibility": "maybe"}, "Say whether you can measure this today."),
        ({"data_source_system": ""}, "Say where the numbers come from"),
        ({"baseline_value": "abc"}, "Enter the baseline as a number, e.g. 120 or 4.5"),
        ({"baseline_value": "12 hours"}, "Enter the baseline as a number, e.g. 120 or 4.5"),
        ({"baseline_value": "NaN"}, "Enter the baseline as a number, e.g. 120 or 4.5"),
        ({"baseline_value": "-5"}, "A baseline cannot be negative."),
        ({"baseline_value": "1" * 30}, "That number is too large for a baseline."),
        ({"baseline_value": "1000000000000"}, "That number is too large for a baseline."),
        ({"baseline_value": "1.23456"}, "Use at most 4 decimal places."),
        ({"baseline_value": ""}, "Enter today&#x27;s baseline value, or tick"),
        ({"no_baseline": "on"}, "You ticked &quot;No baseline yet&quot; but entered a value."),
        ({"baseline_as_of": "2026-13-45"}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-30."),
        ({"baseline_as_of": "yesterday"}, "Enter the date as YYYY-MM-DD, e.g. 2026-11-30."),
        ({"baseline_as_of": ""}, "Say when the baseline was measured"),
        ({"baseline_as_of": "2999-01-01"}, "The baseline date cannot be in the future."),
        ({"data_source_owner": "o" * 201}, "The data owner&#x27;s name is too long"),
        (
            {"feasibility": "instrument", "instrument_by": "next spring"},
            "Enter the date as YYYY-MM-DD, e.g. 2026-11-30.",
        ),
        (
            {"feasibility": "instrument", "instrument_by": "2026-02-30"},
            "Enter the date as YYYY-MM-DD, e.g. 2026-11-30.",
        ),
        (
            {"feasibility": "not_yet", "instrument_by": "1999-12-31"},
            "Check the date: it is before the year 2000.",
        ),
        (
            {"feasibility": "not_yet", "instrument_by": "9999-12-31"},
            "Choose a date within the next five years.",
        ),
        (
            {"feasibility": "not_yet", "instrument_by": "２０２７-０１-１５"},
            "Enter the date as YYYY-MM-DD, e.g. 2026-11-30.",
        ),
        ({"name": "Reduce costs"}, "it names an intention."),
        (
            {"name": "Invoices\x00 per hour"},
            "This text contains a control character (U+0000) at position 9; remove it.",
        ),
        (
            {"name": "Invoices\x1b per hour"},
            "This text contains a control character (U+001B) at position 9; remove it.",
        ),
    ],
)
def test_new_bad_input_shows_message_and_saves_nothing(
    participant_client, live_workshop, agent, changes, message
):
    response = participant_client.post(new_url(agent), form_data(**changes))
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert "Nothing was saved yet. Fix what is marked below." in html
    assert nothing_saved(live_workshop)


def test_new_script_shown_escaped(participant_client, live_workshop, agent):
    response = participant_client.post(
        new_url(agent), form_data(name="<script>alert(1)</script>", unit="<b>x</b>", category="")
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert nothing_saved(live_workshop)


def test_new_unicode_kpi_saved_and_escaped_on_list(participant_client, agent):
    name = "Rechnungen geprüft per hour 🚚 <i>"
    assert participant_client.post(new_url(agent), form_data(name=name)).status_code == 302
    assert AgentKpi.objects.get().name == name
    html = participant_client.get(list_url(agent)).content.decode()
    assert "Rechnungen geprüft per hour 🚚 &lt;i&gt;" in html


def test_new_refused_when_not_live(participant_client, live_workshop, agent):
    Workshop.objects.filter(pk=live_workshop.pk).update(status="closed")
    html = participant_client.get(list_url(agent)).content.decode()
    assert (
        "The workshop is closed: everything your table saved is kept, and is read-only now."
    ) in html
    assert "Add a KPI" not in html
    response = participant_client.post(new_url(agent), form_data())
    assert response.status_code == 403
    assert nothing_saved(live_workshop)


# --- Editing and removing ---------------------------------------------------------------------
def test_edit_entering_baseline_closes_task(participant_client, live_workshop, agent):
    participant_client.post(
        new_url(agent), form_data(baseline_value="", baseline_as_of="", no_baseline="on")
    )
    kpi = AgentKpi.objects.get()
    page = participant_client.get(edit_url(kpi)).content.decode()
    assert 'name="version" value="1"' in page
    response = participant_client.post(edit_url(kpi), form_data(version="1", baseline_value="95.5"))
    assert response.status_code == 302
    assert AgentKpi.objects.get().baseline_text == "95.5"
    task = ActionItem.objects.get(workshop=live_workshop, origin="baseline")
    assert task.status == "done"


def test_edit_conflict_409_and_nothing_lost(client, table, agent):
    kpi = factories.make_agent_kpi(agent=agent)
    first = factories.join_table(client, factories.make_participant(table=table, display_name="A"))
    second = factories.join_table(
        Client(), factories.make_participant(table=table, display_name="B")
    )
    assert (
        first.post(edit_url(kpi), form_data(version="1", unit="hours per month")).status_code == 302
    )
    response = second.post(edit_url(kpi), form_data(version="1", unit="minutes per invoice"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone at your table saved this first" in html
    assert "hours per month" in html and "minutes per invoice" in html
    assert 'name="version" value="2"' in html
    assert AgentKpi.objects.get().unit == "hours per month"
    response = second.post(edit_url(kpi), form_data(version="2", unit="minutes per invoice"))
    assert response.status_code == 302
    assert AgentKpi.objects.get().unit == "minutes per invoice"


def test_edit_bad_version_refused(participant_client, agent):
    kpi = factories.make_agent_kpi(agent=agent)
    response = participant_client.post(edit_url(kpi), form_data(version="abc", unit="x"))
    assert response.status_code == 422
    assert "This form is out of date. Reload the page" in response.content.decode()
    assert AgentKpi.objects.get().unit == "hours per week"


def test_delete_removes_kpi_and_open_task(participant_client, live_workshop, agent):
    participant_client.post(
        new_url(agent), form_data(baseline_value="", baseline_as_of="", no_baseline="on")
    )
    kpi = AgentKpi.objects.get()
    response = participant_client.post(delete_url(kpi))
    assert response.status_code == 302
    assert nothing_saved(live_workshop)


def test_delete_refused_when_not_live(participant_client, live_workshop, agent):
    kpi = factories.make_agent_kpi(agent=agent)
    Workshop.objects.filter(pk=live_workshop.pk).update(status="draft")
    participant_client.post(delete_url(kpi))
    assert AgentKpi.objects.filter(pk=kpi.pk).exists()


def test_delete_requires_post(participant_client, agent):
    kpi = factories.make_agent_kpi(agent=agent)
    assert participant_client.get(delete_url(kpi)).status_code == 405


# --- Library page -----------------------------------------------------------------------------
def test_library_page_lists_four_categories(client):
    html = client.get(reverse("kpis:library")).content.decode()
    for label in [
        "Efficiency (Bottom Line)",
        "Capacity (Top Line)",
        "Quality (Both)",
        "Economic (FinOps)",
        "ROI ratio (value delivered / cost incurred)",
        "Payback period",
    ]:
        assert label in html


# --- Feasibility check ------------------------------------------------------------------------
def feasibility_url(workshop):
    return reverse("kpis:feasibility", kwargs={"workshop_id": workshop.pk})


def test_feasibility_groups_by_colour(facilitator_client, live_workshop, agent):
    factories.make_agent_kpi(agent=agent, name="Invoices per hour")
    factories.make_agent_kpi(
        agent=agent, name="Exceptions routed per day", feasibility="instrument"
    )
    from kpis import services

    services.agent_kpi_add(
        agent=agent,
        values={
            **{
                k: v
                for k, v in form_data(name="Supplier disputes per month").items()
                if k not in ("baseline_value", "baseline_as_of")
            },
            "feasibility": "not_yet",
            "data_source_system": "",
            "baseline_value": None,
            "baseline_as_of": None,
            "no_baseline": True,
        },
    )
    html = facilitator_client.get(feasibility_url(live_workshop)).content.decode()
    assert "3 KPIs · 1 without a baseline" in html
    green = html.index("Measurable today")
    amber = html.index("Needs instrumentation")
    red = html.index("Cannot be measured yet")
    assert green < html.index("Invoices per hour") < amber
    assert amber < html.index("Exceptions routed per day") < red
    assert red < html.index("Supplier disputes per month")
    assert "Source: none identified" in html
    assert "task due 24 Dec, AP team lead" in html


def test_feasibility_lists_agents_short_of_kpis(facilitator_client, live_workshop, agent):
    factories.make_agent_kpi(agent=agent)
    html = facilitator_client.get(feasibility_url(live_workshop)).content.decode()
    assert "Agents with fewer than 2 KPIs" in html
    assert "Invoice Triage Agent" in html


def test_feasibility_empty_state(facilitator_client, live_workshop):
    html = facilitator_client.get(feasibility_url(live_workshop)).content.decode()
    assert "No KPIs chosen yet." in html


def test_feasibility_404_for_participant(participant_client, live_workshop):
    assert participant_client.get(feasibility_url(live_workshop)).status_code == 404


def test_feasibility_poll_204_when_unchanged(facilitator_client, live_workshop):
    rev = review_rev(live_workshop)
    response = facilitator_client.get(f"{feasibility_url(live_workshop)}?rev={rev}")
    assert response.status_code == 204


def test_feasibility_poll_partial_when_changed(facilitator_client, live_workshop, agent):
    rev = review_rev(live_workshop)
    factories.make_agent_kpi(agent=agent, name="Invoices per hour")
    Workshop.objects.filter(pk=live_workshop.pk).update(work_revision=F("work_revision") + 1)
    response = facilitator_client.get(
        f"{feasibility_url(live_workshop)}?rev={rev}", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="feasibility-live"')
    assert "Invoices per hour" in html


def _seed_kpis(workshop, agents):
    tables = [factories.make_table(workshop=workshop) for _ in range(3)]
    for n in range(agents):
        agent = factories.make_agent(table=tables[n % 3], name=f"Agent {n}")
        factories.make_agent_kpi(agent=agent, name=f"Invoices per hour {n}")
        factories.make_agent_kpi(
            agent=agent,
            name=f"Disputes per month {n}",
            feasibility=["measurable", "instrument", "not_yet"][n % 3],
            baseline_value=None,
            baseline_as_of=None,
            no_baseline=True,
        )
        ActionItem.objects.create(
            workshop=workshop,
            owner="x",
            action="y",
            due_date=workshop.date,
            origin="baseline",
            origin_key=f"baseline:kpi:{AgentKpi.objects.latest('pk').pk}",
        )


@pytest.mark.parametrize("agents", [1, 50])
def test_feasibility_query_count_flat(facilitator_client, live_workshop, agents):
    _seed_kpis(live_workshop, agents)
    # session, user, workshop, KPIs with agents and tables, baseline tasks, agents short
    with CaptureQueriesContext(connection) as queries:
        response = facilitator_client.get(feasibility_url(live_workshop))
    assert response.status_code == 200
    assert len(queries) == 6


@pytest.mark.parametrize("agents", [1, 50])
def test_feasibility_projector_context_three_queries(
    django_assert_num_queries, live_workshop, agents
):
    _seed_kpis(live_workshop, agents)
    with django_assert_num_queries(3):
        context = feasibility_projector_context(live_workshop)
        shown = [
            (kpi.agent.table.name, kpi.baseline_task)
            for column in context["columns"]
            for kpi in column.kpis
        ]
    assert len(shown) == agents * 2


def test_feasibility_registered_on_projector():
    view = projector.REGISTRY["feasibility"]
    assert (view.label, view.template) == ("Feasibility check", "kpis/pj_feasibility.html")


def test_progress_kpis_step_done_with_two_or_three(agent):
    step = progress.STEPS["kpis"]
    assert step.prefetch == ("kpis",)
    assert step.done(agent) is False
    factories.make_agent_kpi(agent=agent, name="Invoices per hour")
    factories.make_agent_kpi(agent=agent, name="Disputes per month")
    assert step.done(agent) is True
    assert step.url(agent) == list_url(agent)


def test_new_htmx_navigates_to_the_list(participant_client, agent):
    response = participant_client.post(new_url(agent), form_data(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == list_url(agent)
    assert AgentKpi.objects.count() == 1


def test_kpi_page_says_what_makes_block_3_complete(participant_client, live_workshop, agent):
    participant_client.post(new_url(agent), form_data())
    participant_client.post(
        new_url(agent),
        form_data(
            name="Invoices needing rework per month",
            feasibility="instrument",
            data_source_system="",
            data_source_owner="Ops analyst",
        ),
    )
    html = participant_client.get(list_url(agent)).content.decode()
    assert "KPI step complete" not in html
    assert (
        "“Invoices needing rework per month” has no data source: name the system and its "
        "owner, or who will instrument it and by when." in html
    )
    kpi = AgentKpi.objects.get(name="Invoices needing rework per month")
    participant_client.post(
        edit_url(kpi),
        form_data(
            name="Invoices needing rework per month",
            feasibility="instrument",
            data_source_system="",
            data_source_owner="Ops analyst",
            instrument_by="2027-01-15",
            version=kpi.version,
        ),
    )
    html = participant_client.get(list_url(agent)).content.decode()
    assert "KPI step complete: 2 measurable indicators." in html
    assert "to be instrumented by Ops analyst by 15 Jan 2027" in html
