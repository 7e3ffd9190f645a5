"""Who may download what, and the preview's query count."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from targets import services as target_services
from targets.permissions import INVITE_SESSION_KEY
from tests import factories
from tests.documents import download
from workshops.permissions import PARTICIPANT_SESSION_KEY

REGISTER_VIEWS = ["reports:register", "reports:register_xlsx", "reports:actions_ics"]
MATERIAL_VIEWS = ["reports:materials", "reports:target_cards"]


def _join(client, participant):
    session = client.session
    session[PARTICIPANT_SESSION_KEY] = participant.token
    session.save()


def _url(name, workshop):
    return reverse(name, args=[workshop.pk])


@pytest.mark.parametrize("name", [*REGISTER_VIEWS, *MATERIAL_VIEWS])
def test_views_for_the_facilitator(facilitator_client, workshop, name):
    response = facilitator_client.get(_url(name, workshop))
    assert response.status_code == 200


@pytest.mark.parametrize("name", [*REGISTER_VIEWS, *MATERIAL_VIEWS, "reports:register_pdf"])
def test_views_for_another_facilitator_are_404(client, workshop, name):
    client.force_login(factories.make_user())
    other = factories.make_workshop(facilitator=factories.make_user())
    assert client.get(_url(name, workshop)).status_code == 404
    assert client.get(_url(name, other)).status_code == 404


@pytest.mark.parametrize("name", [*REGISTER_VIEWS, *MATERIAL_VIEWS, "reports:register_pdf"])
def test_views_for_anonymous_redirect_to_login(client, workshop, name):
    url = _url(name, workshop)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", REGISTER_VIEWS)
def test_register_views_for_a_participant_of_the_workshop(client, workshop, name):
    table = factories.make_table(workshop=workshop)
    _join(client, factories.make_participant(table=table))
    assert client.get(_url(name, workshop)).status_code == 200


@pytest.mark.parametrize("name", [*REGISTER_VIEWS, "reports:register_pdf"])
def test_register_views_for_a_participant_of_another_workshop_are_404(client, workshop, name):
    other_table = factories.make_table(workshop=factories.make_workshop())
    _join(client, factories.make_participant(table=other_table))
    assert client.get(_url(name, workshop)).status_code == 404


def test_register_views_for_a_removed_participant_redirect_to_login(client, workshop):
    participant = factories.make_participant(table=factories.make_table(workshop=workshop))
    participant.removed = True
    participant.save()
    _join(client, participant)
    assert client.get(_url("reports:register", workshop)).status_code == 302


@pytest.mark.parametrize("name", MATERIAL_VIEWS)
def test_materials_are_not_for_participants(client, workshop, name):
    _join(client, factories.make_participant(table=factories.make_table(workshop=workshop)))
    response = client.get(_url(name, workshop))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", REGISTER_VIEWS)
def test_register_views_for_the_finance_representative(client, workshop, name):
    finance = factories.make_user()
    workshop.finance_reviewers.add(finance)
    client.force_login(finance)
    assert client.get(_url(name, workshop)).status_code == 200


@pytest.mark.parametrize("name", MATERIAL_VIEWS)
def test_materials_for_the_finance_representative_are_404(client, workshop, name):
    finance = factories.make_user()
    workshop.finance_reviewers.add(finance)
    client.force_login(finance)
    assert client.get(_url(name, workshop)).status_code == 404


def test_register_pdf_download_for_a_participant(client, register_workshop):
    table = register_workshop.tables.get()
    _join(client, factories.make_participant(table=table))
    response = download(client, _url("reports:register_pdf", register_workshop))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="agent-economics-register-acme-freight-2026-12-10.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF-")


def test_register_xlsx_download_headers(facilitator_client, workshop):
    response = download(facilitator_client, _url("reports:register_xlsx", workshop))
    assert response["Content-Disposition"] == (
        'attachment; filename="agent-economics-register-acme-freight-2026-12-10.xlsx"'
    )
    assert response.content[:2] == b"PK"


def test_register_views_refuse_post(facilitator_client, workshop):
    assert facilitator_client.post(_url("reports:register", workshop)).status_code == 405


def test_register_preview_shows_the_register(client, register_workshop):
    client.force_login(register_workshop.facilitators.get())
    response = client.get(_url("reports:register", register_workshop))
    html = response.content.decode()
    assert "Draft: 0 of 2 agents signed off" in html
    assert "Invoice Triage Agent" in html
    assert reverse("reports:register_pdf", args=[register_workshop.pk]) in html
    assert reverse("reports:materials", args=[register_workshop.pk]) in html
    assert 'style="' not in html
    assert "<script>" not in html


def test_register_preview_escapes_user_text(facilitator_client, workshop):
    factories.make_agent(workshop=workshop, name='<script>alert("x")</script>')
    html = facilitator_client.get(_url("reports:register", workshop)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' not in html


def _populate(workshop, agents: int):
    table = factories.make_table(workshop=workshop)
    for n in range(agents):
        agent = factories.make_agent(workshop=workshop, table=table, priority_rank=n + 1)
        factories.classify_agent(agent)
        factories.make_agent_kpi(agent=agent)
        factories.make_agent_kpi(
            agent=agent,
            baseline_value=None,
            baseline_as_of=None,
            baseline_source="",
            no_baseline=True,
        )


# Session, user, workshop, actions; Block 4 (agents, KPIs with targets and constraints,
# benchmarks, sign-offs, change requests, baseline tasks); facilitators, finance reviewers,
# finance invites; the knowledge check (5); the glossary.
PREVIEW_QUERIES = 20 + 1  # + how old the catalogue's prices are


@pytest.mark.parametrize("agents", [1, 12])
def test_register_preview_query_count_does_not_grow_with_agents(
    facilitator_client, facilitator, django_assert_num_queries, agents
):
    workshop = factories.make_workshop(facilitator=facilitator)
    _populate(workshop, agents)
    with django_assert_num_queries(PREVIEW_QUERIES):
        response = facilitator_client.get(_url("reports:register", workshop))
    assert response.content.decode().count('<article class="agent') == agents


def test_downloads_snippet_links_the_register(workshop):
    html = render_to_string("reports/_downloads.html", {"workshop": workshop})
    assert f'href="{_url("reports:register", workshop)}"' in html
    assert f'href="{_url("reports:register_pdf", workshop)}"' in html
    assert f'href="{_url("reports:register_xlsx", workshop)}"' in html


def _open_invite(client, workshop):
    invite, token = target_services.invite_create(
        workshop=workshop,
        name="Fiona Finance",
        title="CFO",
        created_by=workshop.facilitators.first(),
    )
    invite = target_services.invite_redeem(token=token)
    session = client.session
    session[INVITE_SESSION_KEY] = {str(workshop.pk): invite.pk}
    session.save()
    return invite


@pytest.mark.parametrize("name", REGISTER_VIEWS)
def test_register_views_for_finance_by_invite(client, workshop, name):
    _open_invite(client, workshop)
    assert client.get(_url(name, workshop)).status_code == 200


def test_register_views_for_finance_by_invite_of_another_workshop_are_404(client, workshop):
    _open_invite(client, factories.make_workshop())
    assert client.get(_url("reports:register", workshop)).status_code == 404


def test_register_views_for_a_revoked_invite_are_404(client, workshop):
    invite = _open_invite(client, workshop)
    target_services.invite_revoke(invite=invite)
    assert client.get(_url("reports:register", workshop)).status_code == 404


def test_register_cover_names_finance_by_invite(facilitator_client, workshop):
    _open_invite(facilitator_client, workshop)
    html = facilitator_client.get(_url("reports:register", workshop)).content.decode()
    assert "Fiona Finance (CFO)" in html


@pytest.mark.parametrize("name", MATERIAL_VIEWS)
def test_materials_for_finance_by_invite_redirect_to_login(client, workshop, name):
    _open_invite(client, workshop)
    assert client.get(_url(name, workshop)).status_code == 302
