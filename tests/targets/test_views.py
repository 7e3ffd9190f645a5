"""Block 4 table pages: the four steps of a KPI, the economics, the agent overview. Bad input of
every field is refused with a sentence and nothing is saved; who may do what."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from agents.block2_permissions import CLOSED_MESSAGE
from targets import rules, selectors, services
from targets.models import AgentEconomics, BenchmarkEvidence, ConstraintAnalysis, ValueTarget
from targets.permissions import FinanceRole
from tests import factories
from tests.live import table_rev
from workshops.models import Workshop

D = Decimal

TARGET_POST = {
    "floor_6m": "110",
    "target_6m": "100",
    "stretch_6m": "90",
    "floor_12m": "100",
    "target_12m": "80",
    "stretch_12m": "60",
    "assumptions": "Invoice volumes stay at 2026 levels.",
}
BENCHMARK_POST = {
    "kind": "vendor",
    "description": "Vendor case study",
    "improvement_percent": "60",
    "source": "Vendor website",
    "discount_percent": "40",
}
CONSTRAINT_POST = {
    "change_management": "on",
    "notes": "Works council approval",
    "adoption_6m_percent": "40",
    "adoption_12m_percent": "75",
}
ECONOMICS_POST = {
    "value_per_unit": "45",
    "value_basis": "Loaded hourly cost",
    "period": "week",
    "model_cost_monthly": "1500",
    "other_monthly_cost": "200",
    "build_cost": "40000",
}


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(name, *args):
    return reverse(f"targets:{name}", args=args)


# --- Pages and access -------------------------------------------------------------------------


def test_kpi_page_shows_four_steps(table_client, agent, kpi):
    response = table_client.get(url("kpi", agent.pk, kpi.pk))
    assert response.status_code == 200
    page = text(response)
    for heading in ["Baseline", "Industry benchmarking", "Constraint analysis", "Value thresholds"]:
        assert heading in page
    assert "October AP report" in page


def test_kpi_page_of_another_table_is_404(client, live_workshop, agent, kpi):
    other = factories.make_table(workshop=live_workshop, name="Table 2")
    factories.join_table(client, factories.make_participant(table=other))
    assert client.get(url("kpi", agent.pk, kpi.pk)).status_code == 404
    assert client.post(url("thresholds", agent.pk, kpi.pk), TARGET_POST).status_code == 404
    assert ValueTarget.objects.count() == 0


def test_kpi_page_anonymous_is_404(client, agent, kpi):
    assert client.get(url("kpi", agent.pk, kpi.pk)).status_code == 404


def test_kpi_page_of_another_agents_kpi_is_404(table_client, agent, table):
    other = factories.make_agent(table=table, name="Other")
    foreign = factories.make_agent_kpi(agent=other)
    assert table_client.get(url("kpi", agent.pk, foreign.pk)).status_code == 404


def test_kpi_page_without_baseline_shows_the_task(table_client, agent, live_workshop):
    from kpis import services as kpi_services

    kpi = kpi_services.agent_kpi_add(
        agent=agent,
        values={
            "name": "Invoices matched per day",
            "category": "capacity",
            "unit": "invoices per day",
            "direction": "higher",
            "data_source_system": "SAP",
            "data_source_owner": "AP lead",
            "measurement_frequency": "daily",
            "feasibility": "instrument",
            "baseline_value": None,
            "baseline_as_of": None,
            "baseline_source": "",
            "no_baseline": True,
        },
    )
    page = text(table_client.get(url("kpi", agent.pk, kpi.pk)))
    assert "No baseline yet, so targets cannot be confirmed." in page
    assert "Establish baseline for Invoices matched per day (Invoice matcher)" in page
    response = table_client.post(url("thresholds", agent.pk, kpi.pk), TARGET_POST)
    assert response.status_code == 422
    assert rules.NO_BASELINE in text(response)
    assert ValueTarget.objects.count() == 0


def test_thresholds_post_confirms(table_client, agent, kpi, live_workshop):
    before = Workshop.objects.get(pk=live_workshop.pk).revision
    response = table_client.post(url("thresholds", agent.pk, kpi.pk), TARGET_POST)
    assert response.status_code == 302
    assert ValueTarget.objects.get(kpi=kpi).values[(12, "target")] == D("80")
    assert Workshop.objects.get(pk=live_workshop.pk).revision == before + 1


def test_thresholds_post_broken_order_names_the_numbers(table_client, agent, kpi):
    response = table_client.post(
        url("thresholds", agent.pk, kpi.pk), {**TARGET_POST, "target_6m": "115"}
    )
    assert response.status_code == 422
    assert (
        "The 6-month target (115) must be below the floor (110): for 'Hours spent matching "
        "invoices per week' lower is better."
    ) in text(response)
    assert ValueTarget.objects.count() == 0


def test_thresholds_post_when_not_live_refused(table_client, agent, kpi, live_workshop):
    Workshop.objects.filter(pk=live_workshop.pk).update(status=Workshop.Status.CLOSED)
    response = table_client.post(url("thresholds", agent.pk, kpi.pk), TARGET_POST)
    assert response.status_code == 403
    assert CLOSED_MESSAGE in text(response)
    assert ValueTarget.objects.count() == 0


def test_facilitator_sets_targets_even_when_not_live(facilitator_client, agent, kpi, live_workshop):
    Workshop.objects.filter(pk=live_workshop.pk).update(status=Workshop.Status.DRAFT)
    response = facilitator_client.post(url("thresholds", agent.pk, kpi.pk), TARGET_POST)
    assert response.status_code == 302
    assert ValueTarget.objects.count() == 1


def test_thresholds_post_stale_version_shows_conflict(table_client, agent, kpi):
    table_client.post(url("thresholds", agent.pk, kpi.pk), TARGET_POST)
    table_client.post(
        url("thresholds", agent.pk, kpi.pk), {**TARGET_POST, "version": "1", "stretch_12m": "55"}
    )
    response = table_client.post(
        url("thresholds", agent.pk, kpi.pk), {**TARGET_POST, "version": "1", "stretch_12m": "50"}
    )
    assert response.status_code == 409
    page = text(response)
    assert "Someone at your table saved this first" in page
    assert ValueTarget.objects.get(kpi=kpi).stretch_12m == D("55")


def test_thresholds_post_on_signed_agent_refused_with_lock(client, live_workshop, table):
    agent = factories.make_ready_agent(table=table)
    kpi = agent.kpis.first()
    finance = selectors.agent_finance(agent_id=agent.pk)
    services.signoff_record(
        agent=agent,
        role=FinanceRole(workshop=live_workshop, name="Fran Okafor", title="CFO"),
        title="CFO",
        seen_sha256=finance.sha256,
    )
    factories.join_table(client, factories.make_participant(table=table))
    response = client.post(
        url("thresholds", agent.pk, kpi.pk), {**TARGET_POST, "version": "1", "target_12m": "70"}
    )
    assert response.status_code == 403
    assert "Finance signed off this agent on" in text(response)
    assert ValueTarget.objects.get(kpi=kpi).target_12m == D("80")
    page = text(client.get(url("kpi", agent.pk, kpi.pk)))
    assert "Finance signed off this agent on" in page
    assert "Confirm targets" not in page


# --- Bad input, field by field ----------------------------------------------------------------

NUMBER_CASES = [
    ("abc", "as a number"),
    ("-5", "cannot be negative"),
    ("1" * 25, "too large"),
    ("", None),
    ("½", "as a number"),
    ("<script>alert(1)</script>", "as a number"),
]


@pytest.mark.parametrize("field", rules.THRESHOLD_FIELDS)
@pytest.mark.parametrize(("typed", "expected"), NUMBER_CASES)
def test_thresholds_bad_number_refused(table_client, agent, kpi, field, typed, expected):
    horizon, level = field.split("_")[1].rstrip("m"), field.split("_")[0]
    response = table_client.post(url("thresholds", agent.pk, kpi.pk), {**TARGET_POST, field: typed})
    assert response.status_code == 422
    page = text(response)
    messages = {
        "as a number": f"Enter the {horizon}-month {level} as a number, e.g. 95 (digits only, "
        "no units).",
        "cannot be negative": f"The {horizon}-month {level} cannot be negative.",
        "too large": f"That number is too large for the {horizon}-month {level}. Check the unit "
        "and the digits.",
        None: f"Enter the {horizon}-month {level}.",
    }
    assert messages[expected] in page
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert ValueTarget.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", rules.ASSUMPTIONS_MISSING),
        ("   ", rules.ASSUMPTIONS_MISSING),
        ("x" * 2001, "Keep the assumptions to at most 2000 characters (this has 2001)."),
        (
            "Bad\x00byte",
            "This text contains a control character (U+0000) at position 4; remove it.",
        ),
    ],
)
def test_thresholds_bad_assumptions_refused(table_client, agent, kpi, typed, message):
    response = table_client.post(
        url("thresholds", agent.pk, kpi.pk), {**TARGET_POST, "assumptions": typed}
    )
    assert response.status_code == 422
    assert message in text(response)
    assert ValueTarget.objects.count() == 0


def test_thresholds_unicode_and_script_assumptions_saved_and_escaped(table_client, agent, kpi):
    typed = "Übernahme ≥ 75 % – <script>alert(1)</script>"
    response = table_client.post(
        url("thresholds", agent.pk, kpi.pk), {**TARGET_POST, "assumptions": typed}
    )
    assert response.status_code == 302
    assert ValueTarget.objects.get(kpi=kpi).assumptions == typed
    page = table_client.get(url("kpi", agent.pk, kpi.pk)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("improvement_percent", "abc", "Enter the improvement as a number, e.g. 35"),
        ("improvement_percent", "-5", "The improvement cannot be negative."),
        ("improvement_percent", "1" * 20, "That number is too large for the improvement."),
        ("improvement_percent", "", "Enter the improvement they report"),
        ("improvement_percent", "½", "Enter the improvement as a number, e.g. 35"),
        ("improvement_percent", "<script>x</script>", "Enter the improvement as a number"),
        ("discount_percent", "20", "Discount vendor claims by 30 to 50 % (you chose 20 %)."),
        ("discount_percent", "abc", "Enter the discount as a number, e.g. 40"),
        ("discount_percent", "-40", "Discount vendor claims by 30 to 50 % (you chose -40 %)."),
        ("discount_percent", "9" * 12, "That number is too large for the discount."),
        ("description", "", "Say who achieved it"),
        (
            "description",
            "ü" * 201,
            "Keep the description to at most 200 characters (this has 201).",
        ),
        ("source", "", "Say where the figure comes from"),
        ("kind", "rumour", "Say whether this is a similar organisation or a vendor case study."),
    ],
)
def test_benchmark_bad_input_refused(table_client, agent, kpi, field, typed, message):
    response = table_client.post(
        url("benchmark_add", agent.pk, kpi.pk), {**BENCHMARK_POST, field: typed}
    )
    assert response.status_code == 422
    assert message in text(response)
    assert "<script>x</script>" not in response.content.decode()
    assert BenchmarkEvidence.objects.count() == 0


def test_benchmark_unicode_description_saved_and_escaped(table_client, agent, kpi):
    response = table_client.post(
        url("benchmark_add", agent.pk, kpi.pk),
        {**BENCHMARK_POST, "description": "Spedition Müller <b>GmbH</b>"},
    )
    assert response.status_code == 302
    page = table_client.get(url("kpi", agent.pk, kpi.pk)).content.decode()
    assert "Spedition Müller &lt;b&gt;GmbH&lt;/b&gt;" in page


def test_benchmark_discount_shown_and_recomputed_by_server(table_client, agent, kpi):
    table_client.post(url("benchmark_add", agent.pk, kpi.pk), BENCHMARK_POST)
    benchmark = BenchmarkEvidence.objects.get()
    response = table_client.post(
        url("benchmark_edit", agent.pk, kpi.pk, benchmark.pk),
        {
            f"b{benchmark.pk}-{name}": value
            for name, value in {**BENCHMARK_POST, "discount_percent": "30", "version": "1"}.items()
        },
    )
    assert response.status_code == 302
    page = text(table_client.get(url("kpi", agent.pk, kpi.pk)))
    assert "The evidence supports an improvement of <strong>42 %</strong>" in page
    assert "<output data-discounted>42</output>" in page


def test_benchmark_delete(table_client, agent, kpi):
    benchmark = factories.make_benchmark(kpi=kpi)
    response = table_client.post(url("benchmark_delete", agent.pk, kpi.pk, benchmark.pk))
    assert response.status_code == 302
    assert BenchmarkEvidence.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("adoption_6m_percent", "abc", "Enter the adoption as a number, e.g. 40"),
        ("adoption_6m_percent", "-1", "The expected adoption at 6 months cannot be negative."),
        ("adoption_12m_percent", "101", "cannot be above 100 % (you entered 101)."),
        ("adoption_12m_percent", "1" * 12, "That number is too large for the adoption."),
        ("adoption_6m_percent", "", "Enter the expected adoption at 6 months, in percent"),
        ("adoption_12m_percent", "½", "Enter the adoption as a number, e.g. 75"),
        ("adoption_12m_percent", "<script>", "Enter the adoption as a number, e.g. 75"),
        (
            "notes",
            "a\x07b",
            "This text contains a control character (U+0007) at position 2; remove it.",
        ),
    ],
)
def test_constraints_bad_input_refused(table_client, agent, kpi, field, typed, message):
    response = table_client.post(
        url("constraints", agent.pk, kpi.pk), {**CONSTRAINT_POST, field: typed}
    )
    assert response.status_code == 422
    assert message in text(response)
    assert ConstraintAnalysis.objects.count() == 0


def test_constraints_other_needs_notes(table_client, agent, kpi):
    response = table_client.post(
        url("constraints", agent.pk, kpi.pk), {**CONSTRAINT_POST, "other": "on", "notes": ""}
    )
    assert response.status_code == 422
    assert "You ticked 'Other': say in the notes what else limits adoption." in text(response)
    assert ConstraintAnalysis.objects.count() == 0


def test_suggestions_shown_once_evidence_and_adoption_exist(table_client, agent, kpi):
    factories.make_benchmark(kpi=kpi)  # 60 % claimed, 40 % off: 36 %
    factories.make_constraints(kpi=kpi, adoption_6m="50", adoption_12m="80")
    page = text(table_client.get(url("kpi", agent.pk, kpi.pk)))
    assert "Suggestions" in page
    for value in ["109.2", "98.4", "87.6", "102.72", "85.44", "68.16"]:
        assert f"suggested <strong>{value}</strong>" in page


# --- Economics --------------------------------------------------------------------------------


def test_economics_post_saves_and_shows_roi_and_payback(table_client, agent, kpi):
    factories.make_value_target(kpi=kpi)
    response = table_client.post(
        url("economics", agent.pk), {**ECONOMICS_POST, "value_kpi": str(kpi.pk)}
    )
    assert response.status_code == 302
    page = text(table_client.get(url("economics", agent.pk)))
    assert "1.16×" in page
    assert "10.4 months" in page
    assert "<svg" in page


def test_economics_never_pays_back_shown(table_client, agent, kpi):
    factories.make_value_target(kpi=kpi)
    factories.make_economics(agent=agent, value_kpi=kpi, model_cost_monthly=D("20000"))
    page = text(table_client.get(url("economics", agent.pk)))
    assert page.count("never pays back") >= 3


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("value_per_unit", "abc", "Enter the value per unit as a number, e.g. 45"),
        ("value_per_unit", "-45", "The value per unit cannot be negative."),
        ("value_per_unit", "9" * 20, "That number is too large for the value per unit."),
        ("value_per_unit", "", "Enter what one unit of the KPI is worth"),
        ("value_per_unit", "½", "Enter the value per unit as a number"),
        ("build_cost", "<script>", "Enter the build cost as a number, e.g. 40000"),
        ("build_cost", "-1", "The build cost cannot be negative."),
        ("build_cost", "", "Enter the one-off build cost (0 if there is none)."),
        ("model_cost_monthly", "", "Enter the agent's monthly AI run cost"),
        ("other_monthly_cost", "-3", "The other monthly cost cannot be negative."),
        ("period", "fortnight", "Say what period the KPI is counted in"),
        ("value_kpi", "999999", "Choose one of this agent's KPIs."),
        ("value_basis", "€" * 201, "Keep the explanation of the value per unit to at most 200"),
    ],
)
def test_economics_bad_input_refused(table_client, agent, kpi, field, typed, message):
    response = table_client.post(
        url("economics", agent.pk), {**ECONOMICS_POST, "value_kpi": str(kpi.pk), field: typed}
    )
    assert response.status_code == 422
    assert message in text(response)
    assert AgentEconomics.objects.count() == 0


# --- Agent overview ---------------------------------------------------------------------------


def test_agent_targets_page_lists_kpis_and_economics(table_client, agent, kpi):
    factories.make_value_target(kpi=kpi)
    page = text(table_client.get(url("agent", agent.pk)))
    assert "Hours spent matching invoices per week" in page
    assert "100 / 80 / 60" in page
    assert "Enter the economics: the KPI that carries the value and the costs." in page


def test_agent_targets_poll_unchanged_is_204(table_client, agent, live_workshop):
    rev = table_rev(agent.table)
    response = table_client.get(
        url("agent", agent.pk), {"rev": rev}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 204


# --- Conflicts: two people at the table save the same step ------------------------------------


def conflict_pairs(response) -> list[tuple]:
    return [(row["theirs"], row["yours"]) for row in response.context["conflict"]]


def test_benchmark_edit_stale_version_answers_409_and_keep_mine_saves(table_client, agent, kpi):
    benchmark = factories.make_benchmark(kpi=kpi)  # vendor claim of 60 %, 40 % off
    services.benchmark_update(
        benchmark=benchmark,
        version=1,
        values={
            "kind": "vendor",
            "description": "Vendor case study",
            "improvement_percent": D("60"),
            "source": "Industry report 2026",
            "discount_percent": D("50"),
        },
    )
    typed = {
        **BENCHMARK_POST,
        "source": "Industry report 2026",
        "discount_percent": "30",
        "version": "1",
    }
    edit = url("benchmark_edit", agent.pk, kpi.pk, benchmark.pk)
    response = table_client.post(edit, {f"b{benchmark.pk}-{k}": v for k, v in typed.items()})
    assert response.status_code == 409
    assert "Someone at your table saved this first" in text(response)
    assert conflict_pairs(response) == [(D("50"), D("30"))]
    assert f'name="b{benchmark.pk}-version" value="2"' in response.content.decode()
    benchmark.refresh_from_db()
    assert (benchmark.discount_percent, benchmark.version) == (D("50"), 2)

    mine = {**typed, "version": "2", "resolve": "mine"}
    response = table_client.post(edit, {f"b{benchmark.pk}-{k}": v for k, v in mine.items()})
    assert response.status_code == 302
    benchmark.refresh_from_db()
    assert (benchmark.discount_percent, benchmark.version) == (D("30"), 3)


def test_constraints_stale_version_answers_409_and_keep_mine_saves(table_client, agent, kpi):
    analysis = factories.make_constraints(kpi=kpi)  # adoption 50 % and 80 %, version 1
    services.constraints_set(
        kpi=kpi,
        version=1,
        values={
            "change_management": True,
            "data_readiness": False,
            "organisational_capacity": False,
            "other": False,
            "notes": "Works council approval",
            "adoption_6m_percent": D("40"),
            "adoption_12m_percent": D("90"),
        },
    )
    response = table_client.post(
        url("constraints", agent.pk, kpi.pk), {**CONSTRAINT_POST, "version": "1"}
    )
    assert response.status_code == 409
    assert "Someone at your table saved this first" in text(response)
    assert conflict_pairs(response) == [(D("90"), D("75"))]
    assert 'name="version" value="2"' in response.content.decode()
    assert 'name="adoption_12m_percent" value="75"' in response.content.decode()
    analysis.refresh_from_db()
    assert (analysis.adoption_12m_percent, analysis.version) == (D("90"), 2)

    response = table_client.post(
        url("constraints", agent.pk, kpi.pk),
        {**CONSTRAINT_POST, "version": "2", "resolve": "mine"},
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert (analysis.adoption_12m_percent, analysis.version) == (D("75"), 3)


def test_constraints_first_save_after_someone_created_them_answers_409(table_client, agent, kpi):
    factories.make_constraints(kpi=kpi, adoption_12m="90")
    response = table_client.post(url("constraints", agent.pk, kpi.pk), CONSTRAINT_POST)
    assert response.status_code == 409
    assert conflict_pairs(response)[-1] == (D("90"), D("75"))
    assert ConstraintAnalysis.objects.get(kpi=kpi).adoption_12m_percent == D("90")


def test_economics_stale_version_answers_409_and_keep_mine_saves(table_client, agent, kpi):
    factories.make_value_target(kpi=kpi)
    economics = factories.make_economics(
        agent=agent, value_kpi=kpi, value_basis="Loaded hourly cost"
    )
    services.economics_set(
        agent=agent,
        version=1,
        values={
            "value_kpi": kpi,
            "value_per_unit": D("45"),
            "value_basis": "Loaded hourly cost",
            "period": "week",
            "model_cost_monthly": D("1500"),
            "other_monthly_cost": D("200"),
            "build_cost": D("55000"),
        },
    )
    typed = {**ECONOMICS_POST, "value_kpi": str(kpi.pk), "version": "1"}
    response = table_client.post(url("economics", agent.pk), typed)
    assert response.status_code == 409
    assert "Someone at your table saved this first" in text(response)
    assert conflict_pairs(response) == [(D("55000"), D("40000"))]
    assert 'name="version" value="2"' in response.content.decode()
    economics.refresh_from_db()
    assert (economics.build_cost, economics.version) == (D("55000"), 2)

    response = table_client.post(
        url("economics", agent.pk), {**typed, "version": "2", "resolve": "mine"}
    )
    assert response.status_code == 302
    economics.refresh_from_db()
    assert (economics.build_cost, economics.version) == (D("40000"), 3)


def test_kpi_and_economics_pages_explain_terms_from_the_glossary(table_client, agent, kpi):
    from foundation import seeds
    from foundation.models import GlossaryTerm

    seeds.seed_glossary(GlossaryTerm)
    kpi_page = table_client.get(url("kpi", agent.pk, kpi.pk)).content.decode()
    economics_page = table_client.get(url("economics", agent.pk)).content.decode()
    for page, shown in [
        (kpi_page, "baseline"),
        (kpi_page, "discounted"),
        (kpi_page, "Floor"),
        (economics_page, "ROI"),
        (economics_page, "payback period"),
    ]:
        assert f'">{shown}<span class="term-tip" role="tooltip"' in page


# --- Absolute evidence and KPIs that start at zero -------------------------------------------


def test_zero_baseline_kpi_gets_suggestions_from_absolute_evidence(table_client, agent):
    kpi = factories.make_agent_kpi(
        agent=agent,
        name="Premium upgrades sold per month",
        category="capacity",
        unit="upgrades per month",
        direction="higher",
        baseline_value=D(0),
    )
    factories.make_constraints(kpi=kpi, adoption_6m="50", adoption_12m="80")
    response = table_client.post(
        url("benchmark_add", agent.pk, kpi.pk),
        {
            "kind": "peer",
            "description": "Similar freight forwarder",
            "absolute_change": "40",
            "source": "Reference call",
        },
    )
    assert response.status_code == 302
    page = text(table_client.get(url("kpi", agent.pk, kpi.pk)))
    assert "40 upgrades per month" in page
    assert "The evidence supports a change of <strong>40 upgrades per month</strong>" in page
    for value in ["10", "20", "30", "16", "32", "48"]:
        assert f"suggested <strong>{value}</strong>" in page
    # The suggestions are accepted as targets.
    response = table_client.post(
        url("thresholds", agent.pk, kpi.pk),
        {
            "floor_6m": "10", "target_6m": "20", "stretch_6m": "30",
            "floor_12m": "16", "target_12m": "32", "stretch_12m": "48",
            "assumptions": "Peer result, half adopted by month 6.",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert kpi.value_target.target_12m == D(32)


def test_zero_baseline_with_percentage_evidence_says_what_to_add(table_client, agent):
    kpi = factories.make_agent_kpi(agent=agent, name="Upgrades per month", baseline_value=D(0))
    factories.make_benchmark(kpi=kpi)
    factories.make_constraints(kpi=kpi)
    page = text(table_client.get(url("kpi", agent.pk, kpi.pk)))
    assert "A percentage of a baseline of zero moves nothing: add evidence in the KPI's unit" in (
        page
    )
    assert "suggested <strong>" not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"absolute_change": "lots"}, "Enter the improvement as a number"),
        ({"absolute_change": "-3"}, "The improvement cannot be negative."),
        ({"absolute_change": "0"}, "as a positive amount in the KPI's unit"),
        ({"absolute_change": "9" * 25}, "too large"),
        ({"absolute_change": "١٢٠"}, ""),
        (
            {"absolute_change": "120", "improvement_percent": "30"},
            "Give the improvement either in percent or in the KPI's unit, not both.",
        ),
    ],
)
def test_absolute_evidence_bad_input_saves_nothing(table_client, agent, kpi, changes, message):
    post = {"kind": "peer", "description": "Peer", "source": "Call", **changes}
    response = table_client.post(url("benchmark_add", agent.pk, kpi.pk), post)
    if changes["absolute_change"] == "١٢٠":
        # Arabic-Indic digits are read as the number they are.
        assert response.status_code == 302
        assert kpi.benchmarks.get().absolute_change == D(120)
        return
    assert response.status_code == 422
    assert message in text(response)
    assert not kpi.benchmarks.exists()
