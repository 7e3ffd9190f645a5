"""The agent's owner enters its actuals each month through a link: scoped to that agent,
shown once, expiring and revocable; a refused link names no agent."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils.html import escape

from tests import factories
from tracking import services
from tracking.models import AgentActual, KpiActual, OwnerLink

TODAY = datetime.datetime(2027, 4, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def agent(workshop):
    return factories.make_ready_agent(workshop=workshop, kpis=1, name="Invoice matcher")


def make_link(agent, **more) -> str:
    return services.owner_link_create(
        agent=agent, name="Rita Ops", created_by="Fac", now=TODAY, **more
    )[1]


def test_facilitator_makes_a_link_shown_once(facilitator_client, agent):
    response = facilitator_client.post(
        f"/tracking/agents/{agent.pk}/owner-links/", {"name": "Rita"}
    )
    assert response.status_code == 200
    url = response.context["new_link"][1]
    assert url.startswith("http://testserver/tracking/owner/") and url in response.text
    assert "no-store" in response["Cache-Control"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert OwnerLink.objects.get().token_hash == services.api_token_hash(token)
    assert url not in facilitator_client.get(f"/tracking/agents/{agent.pk}/").text


def test_owner_enters_the_agents_actuals_through_the_link(agent):
    token = make_link(agent)
    owner = Client()
    page = owner.get(f"/tracking/owner/{token}/")
    assert page.status_code == 200
    assert "Invoice matcher" in page.text and "Links for the agent's owner" not in page.text
    kpi = agent.kpis.get()
    data = {"kpi": kpi.pk, "period": "2027-03", "value": "104", "source": "AP report"}
    response = owner.post(f"/tracking/owner/{token}/kpi-actual/", data)
    assert (response.status_code, response["Location"]) == (302, f"/tracking/owner/{token}/")
    assert KpiActual.objects.get().entered_by == "Rita Ops (owner link)"
    cost = {"period": "2027-03", "run_cost": "1400", "source": "Cloud bill"}
    assert owner.post(f"/tracking/owner/{token}/run-cost/", cost).status_code == 302
    assert AgentActual.objects.get().entered_by == "Rita Ops (owner link)"
    assert OwnerLink.objects.get().last_used_at == TODAY


def test_the_link_reaches_only_its_agent(workshop, agent):
    other = factories.make_ready_agent(workshop=workshop, kpis=1, name="Claims triage")
    token = make_link(agent)
    data = {"kpi": other.kpis.get().pk, "period": "2027-03", "value": "104", "source": "AP"}
    response = Client().post(f"/tracking/owner/{token}/kpi-actual/", data)
    assert response.status_code == 422
    assert list(response.context["kpi_form"].errors["kpi"]) == ["Choose one of this agent's KPIs."]
    assert KpiActual.objects.count() == 0


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("revoked", "This link was revoked. Ask the workshop's facilitator for a new one."),
        ("expired", "This link has expired. Ask the workshop's facilitator for a new one."),
        ("wrong", "This link is not valid. Ask the workshop's facilitator for one."),
    ],
)
def test_a_refused_link_says_why_and_saves_nothing(agent, setup, message):
    token = make_link(agent, days=30)
    if setup == "revoked":
        services.owner_link_revoke(link=OwnerLink.objects.get(), now=TODAY)
    if setup == "wrong":
        token = token[:-2] + "xx"
    travel = datetime.timedelta(days=31 if setup == "expired" else 0)
    with time_machine.travel(TODAY + travel, tick=False):
        page = Client().get(f"/tracking/owner/{token}/")
        data = {"kpi": agent.kpis.get().pk, "period": "2027-03", "value": "1", "source": "x"}
        post = Client().post(f"/tracking/owner/{token}/kpi-actual/", data)
    assert (page.status_code, post.status_code) == (404, 404)
    assert escape(message) in page.text and "Invoice matcher" not in page.text
    assert KpiActual.objects.count() == 0


def test_facilitator_revokes_a_link(facilitator_client, agent):
    token = make_link(agent)
    link = OwnerLink.objects.get()
    url = f"/tracking/agents/{agent.pk}/owner-links/{link.pk}/revoke/"
    assert facilitator_client.post(url).status_code == 302
    assert Client().get(f"/tracking/owner/{token}/").status_code == 404


def test_an_empty_or_hostile_name_is_handled(facilitator_client, agent):
    url = f"/tracking/agents/{agent.pk}/owner-links/"
    response = facilitator_client.post(url, {"name": ""})
    assert response.status_code == 422
    assert list(response.context["link_form"].errors["name"]) == ["Enter the owner's name."]
    facilitator_client.post(url, {"name": "<script>alert(1)</script>"})
    html = facilitator_client.get(f"/tracking/agents/{agent.pk}/").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_another_facilitator_cannot_make_or_revoke(agent):
    client = Client()
    client.force_login(factories.make_facilitator(username="rival"))
    assert (
        client.post(f"/tracking/agents/{agent.pk}/owner-links/", {"name": "x"}).status_code == 404
    )
    make_link(agent)
    link = OwnerLink.objects.get()
    url = f"/tracking/agents/{agent.pk}/owner-links/{link.pk}/revoke/"
    assert client.post(url).status_code == 404
    assert OwnerLink.objects.get().revoked_at is None
