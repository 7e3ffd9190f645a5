"""The workshop's context: why FinOps matters now and the Pillar 5 narrative, on the welcome
projector view, the pre-work list and the Block 2 pages."""

import pytest

from tests import factories
from workshops import live
from workshops.forms import WorkshopForm
from workshops.models import Workshop

WHY = "Model prices fell 80 % in 18 months; <b>the board</b> wants the run cost before scaling."
URL = "https://intranet.example.com/pillar-5.pdf"


def form_data(**changes) -> dict:
    data = {
        "client_organisation": "Acme Freight",
        "title": "AI FinOps Workshop",
        "date": "2026-12-10",
        "venue": "",
        "currency": "EUR",
        "usd_exchange_rate": "0.92",
        "usd_rate_date": "2026-12-01",
        "usd_rate_source": "ECB",
        "number_format": "comma-point",
        "pricing_date": "",
        "status": "draft",
        "why_now": WHY,
        "narrative_url": URL,
    }
    data.update(changes)
    return data


def test_workshop_form_takes_the_context():
    form = WorkshopForm(form_data())
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["why_now"], form.cleaned_data["narrative_url"]) == (WHY, URL)


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"narrative_url": "javascript:alert(1)"},
            {"narrative_url": ["Enter a web address, e.g. https://intranet.example.com/pillar-5.pdf."]},
        ),
        (
            {"narrative_url": "ftp://files.example.com/p5.pdf"},
            {"narrative_url": ["Enter a web address, e.g. https://intranet.example.com/pillar-5.pdf."]},
        ),
        (
            {"narrative_url": "https://example.com/" + "a" * 500},
            {"narrative_url": ["Keep the link to 500 characters or fewer."]},
        ),
        ({"why_now": "w" * 1001}, {"why_now": ["Keep the context to 1000 characters or fewer."]}),
        (
            {"why_now": "Why\x00now"},
            {"why_now": ["This text contains a control character (U+0000) at position 4; "
                         "remove it."]},
        ),
    ],
)  # fmt: skip
def test_workshop_form_refuses_bad_context(changes, errors):
    form = WorkshopForm(form_data(**changes))
    assert not form.is_valid()
    assert {k: v for k, v in form.errors.items() if k in errors} == errors


def test_workshop_form_context_optional():
    form = WorkshopForm(form_data(why_now="", narrative_url=""))
    assert form.is_valid(), form.errors


def test_workshop_form_adds_a_scheme():
    form = WorkshopForm(form_data(narrative_url="intranet.example.com/p5"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["narrative_url"] == "https://intranet.example.com/p5"


@pytest.fixture
def context_workshop(facilitator):
    return factories.make_workshop(facilitator=facilitator, why_now=WHY, narrative_url=URL)


def test_prework_page_shows_the_context_escaped(facilitator_client, context_workshop):
    html = facilitator_client.get(f"/workshops/{context_workshop.pk}/prework/").text
    assert "Model prices fell 80 % in 18 months; &lt;b&gt;the board&lt;/b&gt; wants" in html
    assert f'href="{URL}"' in html
    assert "Read the Pillar 5 narrative" in html


def test_prework_page_asks_for_the_narrative_link(facilitator_client, workshop):
    html = facilitator_client.get(f"/workshops/{workshop.pk}/prework/").text
    assert "No Pillar 5 narrative yet: upload it as a PDF here, or add a link" in html


def test_projector_welcome_shows_why_now(facilitator_client, context_workshop):
    html = facilitator_client.get(f"/workshops/{context_workshop.pk}/projector/").text
    assert "&lt;b&gt;the board&lt;/b&gt;" in html
    live.run_start(workshop=context_workshop)
    html = facilitator_client.get(f"/workshops/{context_workshop.pk}/projector/").text
    assert "Welcome &amp; Context Setting" in html
    assert "&lt;b&gt;the board&lt;/b&gt;" in html
    live.run_next(workshop=Workshop.objects.get(pk=context_workshop.pk))
    html = facilitator_client.get(f"/workshops/{context_workshop.pk}/projector/").text
    assert "&lt;b&gt;the board&lt;/b&gt;" not in html


def test_block2_page_shows_the_context(facilitator_client, context_workshop):
    agent = factories.make_agent(workshop=context_workshop, name="Invoice Triage Agent")
    html = facilitator_client.get(f"/block2/agents/{agent.pk}/classify/").text
    assert "Why FinOps matters now" in html
    assert f'href="{URL}"' in html
