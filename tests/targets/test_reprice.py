"""Prices pinned per workshop: catalogue changes never move a signed workshop; the facilitator
re-prices as of a day (today by default) after a preview of every figure and sign-off that
changes, and the sign-offs of re-priced agents are voided with that reason."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from agents import block2_services
from agents.models import Agent
from foundation import services as catalogue_services
from foundation.imports import ImportRow
from foundation.models import PricePoint
from targets import selectors
from targets.models import AgentEconomics, FinanceSignOff
from targets.reprice_selectors import reprice_preview
from targets.reprice_services import NOTHING_TO_REPRICE, STALE_PREVIEW, workshop_reprice
from tests import factories
from tests.reports.conftest import set_block4, sign_off
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 15)
NOW = datetime.datetime(2027, 1, 15, 9, 0, tzinfo=datetime.UTC)
SIGNED_AT = datetime.datetime(2026, 12, 10, 15, 30, tzinfo=datetime.UTC)


@pytest.fixture
def llm(db):
    # 3 / 15 USD per Mtok from 2025; 1 / 5 from 2026-06-01.
    return factories.make_llm_model(
        name="Swift",
        prices=(("2025-01-01", "3.00", "15.00"), ("2026-06-01", "1.00", "5.00")),
    )


def priced_agent(workshop, llm, name: str) -> Agent:
    """An agent with a workload of 2 calls of 3,000 in / 500 out tokens, 1,000 tasks a month,
    and complete Block 4 whose run cost is the workload plus 200 a month."""
    agent = factories.classify_agent(factories.make_agent(workshop=workshop, name=name))
    block2_services.agent_workload_set(
        agent=agent,
        version=agent.version,
        values={
            "workload_model": llm,
            "input_tokens_per_call": 3000,
            "output_tokens_per_call": 500,
            "model_calls_per_task": 2,
            "tasks_per_month": 1000,
        },
    )
    kpi = factories.make_agent_kpi(agent=agent, name=f"Hours keyed by {name}")
    set_block4(kpi)
    # Sign-off needs 2-3 KPIs: the second has no comparable evidence.
    second = factories.make_agent_kpi(agent=agent, name=f"Orders keyed twice by {name}")
    factories.make_no_evidence(kpi=second)
    factories.make_constraints(kpi=second)
    factories.make_value_target(kpi=second)
    AgentEconomics.objects.filter(agent=agent).update(
        tasks_per_month=D(1000), model_cost_monthly=None
    )
    return Agent.objects.get(pk=agent.pk)


@pytest.fixture
def finance(workshop):
    user = factories.make_user(username="carla", first_name="Carla", last_name="Cash")
    workshop.finance_reviewers.add(user)
    return user


@pytest.fixture
def signed(workshop, llm, finance):
    """An agent priced as of the workshop date (10 Dec 2026) and signed off."""
    agent = priced_agent(workshop, llm, "Order Entry Agent")
    sign_off(agent, finance, now=SIGNED_AT)
    return agent


def finance_of(agent):
    return selectors.agent_finance(agent_id=agent.pk)


def figures(agent) -> tuple:
    finance = finance_of(agent)
    return (finance.economics.cost_per_task_usd, finance.economics.run_cost, finance.status)


def add_price(llm, day: str, input_price: str, output_price: str):
    PricePoint.objects.create(
        model=llm,
        effective_date=datetime.date.fromisoformat(day),
        input_usd_per_mtok=D(input_price),
        output_usd_per_mtok=D(output_price),
        source="List price",
    )


def import_price(llm, *, day: datetime.date, input_price: str, output_price: str):
    row = ImportRow(
        provider=llm.provider,
        name=llm.name,
        input_per_mtok=D(input_price),
        output_per_mtok=D(output_price),
        cached_input_per_mtok=None,
        context_window=None,
        effective_date=None,
    )
    catalogue_services.catalogue_import(rows=[row], import_date=day, source="Test import")


SIGNED_FIGURES = (D("0.011"), D("211.00"), selectors.SIGNED)


# --- Catalogue changes never move a signed workshop ---------------------------------------
def test_signed_agent_figures(signed):
    assert figures(signed) == SIGNED_FIGURES


def test_newer_catalogue_import_leaves_figures_and_signoff_unchanged(signed, llm):
    sha = finance_of(signed).sha256
    import_price(llm, day=TODAY, input_price="0.50", output_price="2.50")
    assert (figures(signed), finance_of(signed).sha256) == (SIGNED_FIGURES, sha)


def test_price_row_before_the_pricing_date_leaves_figures_and_signoff_unchanged(signed, llm):
    sha = finance_of(signed).sha256
    add_price(llm, "2026-12-01", "0.50", "2.50")
    import_price(llm, day=datetime.date(2026, 11, 1), input_price="0.20", output_price="1.00")
    assert (figures(signed), finance_of(signed).sha256) == (SIGNED_FIGURES, sha)


def test_edited_price_in_force_leaves_figures_and_signoff_unchanged(signed, llm):
    PricePoint.objects.filter(model=llm, effective_date=datetime.date(2026, 6, 1)).update(
        input_usd_per_mtok=D("8"), output_usd_per_mtok=D("40")
    )
    assert figures(signed) == SIGNED_FIGURES


def test_register_counts_signed_agent_after_a_catalogue_import(signed, llm):
    import_price(llm, day=TODAY, input_price="0.50", output_price="2.50")
    finance = selectors.workshop_finance(workshop=signed.workshop)
    assert (finance.signed_count, finance.changed_count) == (1, 0)


# --- The preview ------------------------------------------------------------------------------
def test_preview_lists_each_changed_figure_and_the_signoff_it_voids(signed, llm):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    preview = reprice_preview(workshop=signed.workshop, as_of=TODAY)
    (change,) = preview.changes
    assert (
        change.agent.name,
        change.model,
        change.old_price.effective_date,
        change.old_price.input_usd_per_mtok,
        change.old_price.output_usd_per_mtok,
        change.new_price.effective_date,
        change.new_price.input_usd_per_mtok,
        change.new_price.output_usd_per_mtok,
        change.old_cost.per_task_usd,
        change.new_cost.per_task_usd,
        change.old_cost.per_month,
        change.new_cost.per_month,
        change.old_run_cost,
        change.new_run_cost,
        change.signoff.signer_name,
    ) == (
        "Order Entry Agent",
        "Acme AI Swift",
        datetime.date(2026, 6, 1),
        D("1.000000"),
        D("5.000000"),
        datetime.date(2027, 1, 10),
        D("0.500000"),
        D("2.500000"),
        D("0.011"),
        D("0.0055"),
        D("11.000"),
        D("5.5000"),
        D("211.00"),
        D("205.50"),
        "Carla Cash",
    )
    assert (preview.signoffs, preview.void_reason) == (
        [change.signoff],
        "Re-priced as of 2027-01-15",
    )


def test_preview_leaves_out_agents_whose_price_stays(signed, workshop, llm):
    other = factories.make_llm_model(name="Steady", prices=(("2026-01-01", "0.40", "1.60"),))
    priced_agent(workshop, other, "Steady Agent")
    factories.make_agent(workshop=workshop, name="No Workload Agent")
    add_price(llm, "2027-01-10", "0.50", "2.50")
    preview = reprice_preview(workshop=workshop, as_of=TODAY)
    assert [change.agent.name for change in preview.changes] == ["Order Entry Agent"]


def test_preview_without_new_prices_has_no_changes(signed):
    preview = reprice_preview(workshop=signed.workshop, as_of=TODAY)
    assert (preview.has_changes, preview.changes, preview.signoffs) == (False, [], [])


def test_preview_of_a_model_without_a_price_then(signed, workshop):
    later = factories.make_llm_model(name="Future", prices=(("2027-03-01", "1.00", "2.00"),))
    agent = factories.make_agent(workshop=workshop, name="Future Agent")
    block2_services.agent_workload_set(
        agent=agent,
        version=agent.version,
        values={
            "workload_model": later,
            "input_tokens_per_call": 100,
            "output_tokens_per_call": 10,
        },
    )
    preview = reprice_preview(workshop=workshop, as_of=datetime.date(2027, 3, 1))
    (change,) = preview.changes
    assert (change.agent.name, change.old_price, change.old_cost, change.new_cost.per_task_usd) == (
        "Future Agent",
        None,
        None,
        D("0.00012"),
    )


def test_preview_query_count_is_flat(workshop, llm, django_assert_num_queries):
    priced_agent(workshop, llm, "Agent 1")
    add_price(llm, "2027-01-10", "0.50", "2.50")
    with django_assert_num_queries(6):
        assert len(reprice_preview(workshop=workshop, as_of=TODAY).changes) == 1
    for number in range(2, 6):
        priced_agent(workshop, llm, f"Agent {number}")
    with django_assert_num_queries(6):
        assert len(reprice_preview(workshop=workshop, as_of=TODAY).changes) == 5


# --- Re-pricing -------------------------------------------------------------------------------
def test_reprice_voids_the_signoff_and_prices_anew(signed, llm, facilitator):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    workshop = signed.workshop
    revision = Workshop.objects.get(pk=workshop.pk).revision
    preview = reprice_preview(workshop=workshop, as_of=TODAY)
    workshop_reprice(
        workshop=workshop,
        as_of=TODAY,
        seen_fingerprint=preview.fingerprint,
        voided_by=facilitator,
        now=NOW,
    )
    signoff = FinanceSignOff.objects.get(agent=signed)
    assert (
        signoff.status,
        signoff.void_reason,
        signoff.voided_by,
        signoff.voided_at,
        signoff.signed_at,
    ) == (FinanceSignOff.Status.VOID, "Re-priced as of 2027-01-15", facilitator, NOW, SIGNED_AT)
    saved = Workshop.objects.get(pk=workshop.pk)
    assert (saved.pricing_date, saved.revision > revision) == (TODAY, True)
    assert figures(signed) == (D("0.0055"), D("205.50"), selectors.READY)


def test_reprice_keeps_the_signoff_of_an_agent_whose_price_stays(signed, workshop, finance):
    other = factories.make_llm_model(name="Steady", prices=(("2026-01-01", "0.40", "1.60"),))
    steady = priced_agent(workshop, other, "Steady Agent")
    sign_off(steady, finance, now=SIGNED_AT)
    add_price(signed.workload_model, "2027-01-10", "0.50", "2.50")
    preview = reprice_preview(workshop=workshop, as_of=TODAY)
    workshop_reprice(
        workshop=workshop, as_of=TODAY, seen_fingerprint=preview.fingerprint, voided_by=None
    )
    assert figures(steady) == (D("0.004"), D("204.00"), selectors.SIGNED)


def test_reprice_with_nothing_to_change_is_refused(signed, facilitator):
    preview = reprice_preview(workshop=signed.workshop, as_of=TODAY)
    with pytest.raises(Exception) as refused:
        workshop_reprice(
            workshop=signed.workshop,
            as_of=TODAY,
            seen_fingerprint=preview.fingerprint,
            voided_by=facilitator,
        )
    assert refused.value.messages == [NOTHING_TO_REPRICE]
    assert Workshop.objects.get(pk=signed.workshop_id).pricing_date == datetime.date(2026, 12, 10)


def test_reprice_after_the_prices_changed_again_is_refused(signed, llm, facilitator):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    seen = reprice_preview(workshop=signed.workshop, as_of=TODAY).fingerprint
    add_price(llm, "2027-01-12", "0.25", "1.25")
    with pytest.raises(Exception) as refused:
        workshop_reprice(
            workshop=signed.workshop, as_of=TODAY, seen_fingerprint=seen, voided_by=facilitator
        )
    assert refused.value.messages == [STALE_PREVIEW]
    assert figures(signed) == SIGNED_FIGURES


# --- The page ---------------------------------------------------------------------------------
def reprice_url(workshop) -> str:
    return reverse("targets:reprice", args=[workshop.pk])


@pytest.fixture
def fac_client(client, facilitator):
    """The facilitator's browser on 15 Jan 2027 (signed in that day)."""
    with time_machine.travel(NOW, tick=False):
        client.force_login(facilitator)
        yield client


def test_reprice_page_lists_changes_as_of_today(fac_client, signed, llm):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    response = fac_client.get(reprice_url(signed.workshop))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["preview"].as_of == TODAY
    assert "Pricing date: 10 Dec 2026." in html
    assert "1 / 5 from 1 Jun 2026 &rarr; 0.5 / 2.5 from 10 Jan 2027" in html
    assert "0.0110 &rarr; 0.0055" in html
    assert "11.00 &rarr; 5.50" in html
    assert "211.00 &rarr; 205.50" in html
    assert "signed by Carla Cash (CFO)" in html
    assert "Re-pricing voids 1 sign-off with the reason &ldquo;Re-priced as of 2027-01-15" in html
    assert "Re-price as of 15 Jan 2027</button>" in html


def test_reprice_page_without_changes_says_so_and_offers_no_confirmation(fac_client, signed):
    response = fac_client.get(reprice_url(signed.workshop))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No figure changes as of 15 Jan 2027" in html
    assert 'name="fingerprint"' not in html
    assert "Re-price as of" not in html


def test_reprice_page_as_of_another_day(fac_client, signed, llm):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    response = fac_client.get(reprice_url(signed.workshop) + "?as_of=2027-01-09")
    assert (response.status_code, response.context["preview"].has_changes) == (200, False)


def test_reprice_confirmed_voids_and_redirects(fac_client, signed, llm, facilitator):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    page = fac_client.get(reprice_url(signed.workshop))
    fingerprint = page.context["preview"].fingerprint
    response = fac_client.post(
        reprice_url(signed.workshop), {"as_of": "2027-01-15", "fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert response.url == reverse("workshops:detail", args=[signed.workshop_id])
    signoff = FinanceSignOff.objects.get(agent=signed)
    assert (signoff.status, signoff.void_reason, signoff.voided_by) == (
        "void",
        "Re-priced as of 2027-01-15",
        facilitator,
    )
    assert Workshop.objects.get(pk=signed.workshop_id).pricing_date == TODAY
    detail = fac_client.get(response.url).content.decode()
    assert "Re-priced as of 2027-01-15: 1 agent priced anew, 1 sign-off voided." in detail
    assert "Pricing date 15 Jan 2027" in detail


def test_reprice_confirmed_with_a_stale_preview_changes_nothing(fac_client, signed, llm):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    response = fac_client.post(
        reprice_url(signed.workshop), {"as_of": "2027-01-15", "fingerprint": "0" * 64}
    )
    assert response.status_code == 422
    assert STALE_PREVIEW in response.content.decode()
    assert figures(signed) == SIGNED_FIGURES


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"as_of": ""}, "as_of", "Enter the day to price as of, for example 2026-12-10."),
        (
            {"as_of": "tomorrow"},
            "as_of",
            "Enter the day to price as of as a date, for example 2026-12-10.",
        ),
        (
            {"as_of": "<script>alert(1)</script>"},
            "as_of",
            "Enter the day to price as of as a date, for example 2026-12-10.",
        ),
        ({"as_of": "２０２７-０１-１５"}, "as_of", None),
        (
            {"as_of": "1999-01-01"},
            "as_of",
            "Choose a day from 2015-01-01 to 2028-01-16: model prices are dated within those days.",
        ),
        (
            {"as_of": "9999-12-31"},
            "as_of",
            "Choose a day from 2015-01-01 to 2028-01-16: model prices are dated within those days.",
        ),
        (
            {"as_of": "2027-01-15", "fingerprint": "<b>x</b>"},
            "fingerprint",
            "This page is out of date. Reload it to see the changes before re-pricing.",
        ),
        (
            {"as_of": "2027-01-15", "fingerprint": "f" * 65},
            "fingerprint",
            "Ensure this value has at most 64 characters (it has 65).",
        ),
    ],
)
def test_reprice_bad_input_changes_nothing(fac_client, signed, llm, data, field, message):
    add_price(llm, "2027-01-10", "0.50", "2.50")
    response = fac_client.post(reprice_url(signed.workshop), data)
    assert response.status_code == 422
    if message is not None:
        assert response.context["form"].errors[field] == [message]
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert figures(signed) == SIGNED_FIGURES
    assert FinanceSignOff.objects.get(agent=signed).status == "valid"


def test_reprice_page_refuses_finance_and_tables(client, signed, finance):
    url = reprice_url(signed.workshop)
    client.force_login(finance)
    assert (client.get(url).status_code, client.post(url, {"as_of": "2027-01-15"}).status_code) == (
        404,
        404,
    )
    table = factories.make_table(workshop=signed.workshop)
    participant_client = factories.join_table(
        client.__class__(), factories.make_participant(table=table)
    )
    assert participant_client.get(url).status_code == 302
    other = factories.make_user()
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_finance_review_says_prices_as_of(client, signed, finance):
    client.force_login(finance)
    url = reverse("targets:finance_review", args=[signed.workshop_id])
    html = client.get(url).content.decode()
    assert (
        "priced for 10 Dec 2026, the workshop's pricing date; later catalogue changes do not "
        "move these figures" in html.replace("&#x27;", "'")
    )


def test_economics_page_says_prices_as_of(facilitator_client, signed):
    html = facilitator_client.get(reverse("targets:economics", args=[signed.pk])).content.decode()
    assert "Priced for 10 Dec 2026, the workshop's pricing date." in html


# --- Pages listing priced agents keep a flat query count ----------------------------------------
def test_finance_review_with_priced_workloads_query_count_is_flat(
    client, workshop, llm, finance, django_assert_num_queries
):
    client.force_login(finance)
    url = reverse("targets:finance_review", args=[workshop.pk])
    priced_agent(workshop, llm, "Agent 1")
    client.get(url)  # the first visit notes finance's presence in the room
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    other = factories.make_llm_model(name="Other", prices=(("2026-01-01", "0.40", "1.60"),))
    for number in range(2, 6):
        priced_agent(workshop, other if number % 2 else llm, f"Agent {number}")
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_register_preview_with_priced_workloads_query_count_is_flat(
    facilitator_client, workshop, llm, django_assert_num_queries
):
    url = reverse("reports:register", args=[workshop.pk])
    priced_agent(workshop, llm, "Agent 1")
    facilitator_client.get(url)
    # 21: the register says how old the catalogue's prices are (one query)
    with django_assert_num_queries(21):
        assert facilitator_client.get(url).status_code == 200
    for number in range(2, 6):
        priced_agent(workshop, llm, f"Agent {number}")
    with django_assert_num_queries(21):
        assert facilitator_client.get(url).status_code == 200


def test_reprice_page_with_a_bad_day_says_so(fac_client, signed):
    response = fac_client.get(reprice_url(signed.workshop) + "?as_of=%3Cscript%3E")
    html = response.content.decode()
    assert (response.status_code, response.context["preview"]) == (422, None)
    assert "Enter the day to price as of as a date, for example 2026-12-10." in html
    assert "<script>" not in html
