"""Block 4, step 1: what "good enough" and what "transformational" look like, per KPI."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpis import services as kpi_services
from kpis.models import AgentKpi
from targets.forms import AmbitionForm
from targets.locks import AgentLocked
from targets.selectors import agent_finance
from workshops.concurrency import EditConflict
from workshops.models import Workshop

from .test_locks import signed  # noqa: F401 (a fixture)

GOOD = "Overtime at month end stops"
BIG = "No clerk matches an invoice by hand"


def url(kpi) -> str:
    return reverse("targets:ambition", args=[kpi.agent_id, kpi.pk])


def page(kpi) -> str:
    return reverse("targets:kpi", args=[kpi.agent_id, kpi.pk])


def fresh(kpi) -> AgentKpi:
    return AgentKpi.objects.get(pk=kpi.pk)


# --- The form ----------------------------------------------------------------------------------
def test_ambition_form_tidies_the_texts():
    form = AmbitionForm({"good_enough": f"  {GOOD}\n", "transformational": BIG, "version": 1})
    assert form.is_valid()
    assert form.values() == {"good_enough": GOOD, "transformational": BIG}


def test_ambition_form_both_optional():
    form = AmbitionForm({"good_enough": "", "transformational": "", "version": 1})
    assert form.is_valid()
    assert form.values() == {"good_enough": "", "transformational": ""}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"good_enough": "g" * 201, "transformational": "", "version": 1},
            {
                "good_enough": [
                    'What "good enough" looks like is too long: at most 200 characters '
                    "(this has 201)."
                ]
            },
        ),
        (
            {"good_enough": "", "transformational": "t" * 5000, "version": 1},
            {
                "transformational": [
                    'What "transformational" looks like is too long: at most 200 characters '
                    "(this has 5000)."
                ]
            },
        ),
        (
            {"good_enough": GOOD, "transformational": BIG, "version": "x"},
            {"version": ["Enter a whole number."]},
        ),
        (
            {"good_enough": GOOD, "transformational": BIG, "version": -3},
            {"version": ["Ensure this value is greater than or equal to 1."]},
        ),
    ],
)
def test_ambition_form_refuses_bad_input(data, errors):
    form = AmbitionForm(data)
    assert not form.is_valid()
    assert form.errors == errors


# --- The service -------------------------------------------------------------------------------
def test_ambition_set_saves_and_bumps_revision(kpi, live_workshop):
    before = Workshop.objects.get(pk=live_workshop.pk).revision
    saved = kpi_services.agent_kpi_ambition_set(
        kpi=kpi, version=kpi.version, good_enough=f" {GOOD} ", transformational="Écart zéro 🚚"
    )
    assert (saved.good_enough, saved.transformational) == (GOOD, "Écart zéro 🚚")
    assert saved.version == kpi.version + 1
    assert Workshop.objects.get(pk=live_workshop.pk).revision > before


def test_ambition_set_conflict_keeps_the_first_save(kpi):
    kpi_services.agent_kpi_ambition_set(
        kpi=kpi, version=kpi.version, good_enough=GOOD, transformational=""
    )
    with pytest.raises(EditConflict):
        kpi_services.agent_kpi_ambition_set(
            kpi=kpi, version=kpi.version, good_enough="Other", transformational=""
        )
    assert fresh(kpi).good_enough == GOOD


def test_ambition_set_refuses_too_long(kpi):
    with pytest.raises(ValidationError):
        kpi_services.agent_kpi_ambition_set(
            kpi=kpi, version=kpi.version, good_enough="g" * 201, transformational=""
        )
    assert fresh(kpi).good_enough == ""


def test_ambition_set_refused_on_a_signed_agent(signed):  # noqa: F811
    kpi = signed.kpis.first()
    with pytest.raises(AgentLocked):
        kpi_services.agent_kpi_ambition_set(
            kpi=kpi, version=kpi.version, good_enough=GOOD, transformational=""
        )


def test_ambition_set_table_scope(kpi):
    with pytest.raises(AgentKpi.DoesNotExist):
        kpi_services.agent_kpi_ambition_set(
            kpi=kpi, version=kpi.version, good_enough=GOOD, transformational="", table_id=-1
        )


# --- The page ----------------------------------------------------------------------------------
def test_ambition_page_saves_and_shows_it_escaped(table_client, kpi):
    response = table_client.post(
        url(kpi),
        {"good_enough": "<script>alert(1)</script>", "transformational": BIG, "version": 1},
    )
    assert response.status_code == 302
    html = table_client.get(page(kpi)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert BIG in html


def test_ambition_page_refuses_too_long_and_saves_nothing(table_client, kpi):
    response = table_client.post(
        url(kpi), {"good_enough": "g" * 300, "transformational": "", "version": 1}
    )
    assert response.status_code == 422
    assert "is too long: at most 200 characters (this has 300)." in response.content.decode()
    assert fresh(kpi).good_enough == ""


def test_ambition_is_in_the_finance_view(finance_client, kpi):
    AgentKpi.objects.filter(pk=kpi.pk).update(good_enough=GOOD, transformational=BIG)
    workshop = kpi.agent.workshop
    html = finance_client.get(reverse("targets:finance_review", args=[workshop.pk])).text
    assert f"<strong>Good enough</strong> (beside the floor): {GOOD}" in html
    assert f"<strong>Transformational</strong> (beside the stretch): {BIG}" in html


def test_ambition_is_signed(kpi):
    AgentKpi.objects.filter(pk=kpi.pk).update(good_enough=GOOD, transformational=BIG)
    values = agent_finance(agent_id=kpi.agent_id).values
    assert (values["kpis"][0]["good_enough"], values["kpis"][0]["transformational"]) == (
        GOOD,
        BIG,
    )
