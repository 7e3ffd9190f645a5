"""Step 2 without comparable evidence: the statement and its reason, through the form, the
service and the page; bad input refused with a sentence and nothing saved; shown to finance
and in the register."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import selectors as report_selectors
from targets import services
from targets.forms import NoEvidenceForm
from targets.locks import AgentLocked
from targets.models import BenchmarkEvidence, NoComparableEvidence
from targets.permissions import FinanceRole
from targets.selectors import agent_finance
from tests import factories
from workshops.concurrency import EditConflict
from workshops.models import Workshop

REASON = "No similar organisation has automated invoice matching yet."
NO_REASON = (
    "Say why there is no comparable evidence, e.g. 'no similar organisation has automated "
    "this process yet'."
)
SHORT = "Say in a few more words why there is no comparable evidence: finance reads it."
HAS_EVIDENCE = (
    "This KPI already has benchmark evidence. Remove the evidence first if none of it is "
    "comparable."
)


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(kpi) -> str:
    return reverse("targets:no_evidence", args=[kpi.agent_id, kpi.pk])


def page(kpi) -> str:
    return reverse("targets:kpi", args=[kpi.agent_id, kpi.pk])


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


# --- The form ----------------------------------------------------------------------------------


def test_no_evidence_form_accepts_a_reason():
    form = NoEvidenceForm({"no_evidence": "on", "reason": f"  {REASON}\n"})
    assert form.is_valid()
    assert form.values() == {"reason": REASON}


def test_no_evidence_form_unticked_needs_no_reason():
    form = NoEvidenceForm({"reason": ""})
    assert form.is_valid()
    assert form.cleaned_data["no_evidence"] is False


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", NO_REASON),
        ("   \n\t ", NO_REASON),
        ("n/a", SHORT),
        ("x" * 2001, "Keep the reason to at most 2000 characters (this has 2001)."),
        (
            "No data\x07 at all here",
            "This text contains a control character (U+0007) at position 8; remove it.",
        ),
        (
            "No data\x1b[31m at all here",
            "This text contains a control character (U+001B) at position 8; remove it.",
        ),
    ],
    ids=["empty", "blank", "short", "huge", "bell", "escape"],
)
def test_no_evidence_form_refuses_bad_reasons(reason, message):
    form = NoEvidenceForm({"no_evidence": "on", "reason": reason})
    assert not form.is_valid()
    assert form.errors["reason"] == [message]


@pytest.mark.parametrize("version", ["-1", "0", "abc", "1e9999"])
def test_no_evidence_form_refuses_a_bad_version(version):
    form = NoEvidenceForm({"no_evidence": "on", "reason": REASON, "version": version})
    assert not form.is_valid()
    assert list(form.errors) == ["version"]


# --- The service -------------------------------------------------------------------------------


@pytest.fixture
def bare_kpi(kpi):
    """The KPI, without benchmark evidence."""
    return kpi


def test_no_evidence_set_saves_and_bumps_revision(bare_kpi, live_workshop):
    before = revision(live_workshop)
    statement = services.no_evidence_set(kpi=bare_kpi, version=None, reason=f" {REASON} ")
    assert (statement.reason, statement.version) == (REASON, 1)
    assert revision(live_workshop) == before + 1


def test_no_evidence_set_updates_from_its_version(bare_kpi):
    first = services.no_evidence_set(kpi=bare_kpi, version=None, reason=REASON)
    saved = services.no_evidence_set(
        kpi=bare_kpi, version=first.version, reason="Only one pilot exists, not comparable."
    )
    assert (saved.reason, saved.version) == ("Only one pilot exists, not comparable.", 2)


def test_no_evidence_set_conflicts_on_a_stale_version(bare_kpi):
    services.no_evidence_set(kpi=bare_kpi, version=None, reason=REASON)
    with pytest.raises(EditConflict):
        services.no_evidence_set(kpi=bare_kpi, version=None, reason="Someone else's reason.")
    assert NoComparableEvidence.objects.get().reason == REASON


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", NO_REASON), ("n/a", SHORT), (None, "Say why there is no comparable evidence.")],
)
def test_no_evidence_set_refuses_a_bad_reason(bare_kpi, reason, message):
    with pytest.raises(ValidationError) as raised:
        services.no_evidence_set(kpi=bare_kpi, version=None, reason=reason)
    assert raised.value.message_dict == {"reason": [message]}
    assert NoComparableEvidence.objects.count() == 0


def test_no_evidence_set_refuses_a_kpi_with_evidence(kpi):
    factories.make_benchmark(kpi=kpi)
    with pytest.raises(ValidationError) as raised:
        services.no_evidence_set(kpi=kpi, version=None, reason=REASON)
    assert raised.value.message_dict == {"reason": [HAS_EVIDENCE]}
    assert NoComparableEvidence.objects.count() == 0


def test_no_evidence_set_refuses_another_table(bare_kpi, live_workshop):
    other = factories.make_table(workshop=live_workshop, name="Table 2")
    from agents.models import Agent

    with pytest.raises(Agent.DoesNotExist):
        services.no_evidence_set(kpi=bare_kpi, version=None, reason=REASON, table_id=other.pk)
    assert NoComparableEvidence.objects.count() == 0


def test_no_evidence_set_refuses_a_signed_off_agent(table, finance_user):
    agent = factories.make_ready_agent(table=table)
    kpi = agent.kpis.order_by("pk").first()
    BenchmarkEvidence.objects.filter(kpi=kpi).delete()
    factories.make_no_evidence(kpi=kpi)
    role = FinanceRole(workshop=agent.workshop, name="Fran", title="CFO", user=finance_user)
    services.signoff_record(
        agent=agent, role=role, title="CFO", seen_sha256=agent_finance(agent_id=agent.pk).sha256
    )
    with pytest.raises(AgentLocked):
        services.no_evidence_set(kpi=kpi, version=1, reason="A different reason altogether.")
    with pytest.raises(AgentLocked):
        services.no_evidence_clear(kpi=kpi)
    assert NoComparableEvidence.objects.get().reason == (
        "No similar organisation has automated this yet."
    )


def test_no_evidence_clear_withdraws_it(bare_kpi, live_workshop):
    services.no_evidence_set(kpi=bare_kpi, version=None, reason=REASON)
    before = revision(live_workshop)
    services.no_evidence_clear(kpi=bare_kpi)
    assert NoComparableEvidence.objects.count() == 0
    assert revision(live_workshop) == before + 1


def test_benchmark_add_withdraws_the_statement(bare_kpi):
    from decimal import Decimal

    services.no_evidence_set(kpi=bare_kpi, version=None, reason=REASON)
    services.benchmark_add(
        kpi=bare_kpi,
        values={
            "kind": "peer",
            "description": "Peer logistics firm",
            "improvement_percent": Decimal(25),
            "source": "Round table",
            "discount_percent": None,
        },
    )
    assert NoComparableEvidence.objects.count() == 0


# --- The page ----------------------------------------------------------------------------------


def test_no_evidence_page_saves_and_shows_it(table_client, bare_kpi):
    response = table_client.post(url(bare_kpi), {"no_evidence": "on", "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == page(bare_kpi) + "#step-benchmarks"
    assert NoComparableEvidence.objects.get(kpi=bare_kpi).reason == REASON
    shown = text(table_client.get(page(bare_kpi)))
    assert f"<strong>No comparable evidence:</strong> {REASON}" in shown
    assert "✓ no comparable evidence" in shown


def test_no_evidence_page_untick_withdraws_it(table_client, bare_kpi):
    factories.make_no_evidence(kpi=bare_kpi)
    response = table_client.post(url(bare_kpi), {"reason": "", "version": "1"})
    assert response.status_code == 302
    assert NoComparableEvidence.objects.count() == 0


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", NO_REASON),
        ("n/a", SHORT),
        (
            "Bad \x07 bell in the text",
            "This text contains a control character (U+0007) at position 5; remove it.",
        ),
    ],
)
def test_no_evidence_page_refuses_bad_input(table_client, bare_kpi, reason, message):
    response = table_client.post(url(bare_kpi), {"no_evidence": "on", "reason": reason})
    assert response.status_code == 422
    assert message in text(response)
    assert NoComparableEvidence.objects.count() == 0


def test_no_evidence_page_refuses_a_kpi_with_evidence(table_client, kpi):
    factories.make_benchmark(kpi=kpi)
    response = table_client.post(url(kpi), {"no_evidence": "on", "reason": REASON})
    assert response.status_code == 422
    assert HAS_EVIDENCE in text(response)
    assert NoComparableEvidence.objects.count() == 0


def test_no_evidence_page_shows_a_conflict(table_client, bare_kpi):
    factories.make_no_evidence(kpi=bare_kpi)
    response = table_client.post(url(bare_kpi), {"no_evidence": "on", "reason": REASON})
    assert response.status_code == 409
    assert NoComparableEvidence.objects.get().reason == (
        "No similar organisation has automated this yet."
    )


def test_no_evidence_page_escapes_html(table_client, bare_kpi):
    reason = "<script>alert('x')</script> nothing comparable"
    assert table_client.post(url(bare_kpi), {"no_evidence": "on", "reason": reason}).status_code
    body = table_client.get(page(bare_kpi)).content.decode()
    assert "<script>alert('x')</script>" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; nothing comparable" in body


def test_no_evidence_page_keeps_unicode(table_client, bare_kpi):
    reason = "Keine vergleichbaren Daten – 比較できる事例はありません"
    assert table_client.post(url(bare_kpi), {"no_evidence": "on", "reason": reason}).status_code
    assert NoComparableEvidence.objects.get().reason == reason


def test_no_evidence_page_read_only_when_the_workshop_is_closed(table_client, bare_kpi):
    Workshop.objects.filter(pk=bare_kpi.agent.workshop_id).update(status=Workshop.Status.CLOSED)
    response = table_client.post(url(bare_kpi), {"no_evidence": "on", "reason": REASON})
    assert response.status_code == 403
    assert NoComparableEvidence.objects.count() == 0


def test_no_evidence_page_of_another_tables_kpi_is_404(table_client, live_workshop):
    other = factories.make_table(workshop=live_workshop, name="Table 2")
    agent = factories.make_agent(table=other)
    kpi = factories.make_agent_kpi(agent=agent)
    response = table_client.post(url(kpi), {"no_evidence": "on", "reason": REASON})
    assert response.status_code == 404
    assert NoComparableEvidence.objects.count() == 0


# --- Finance and the register ------------------------------------------------------------------


def test_no_evidence_shown_to_finance(finance_client, live_workshop, bare_kpi):
    factories.make_no_evidence(kpi=bare_kpi, reason=REASON)
    response = finance_client.get(reverse("targets:finance_review", args=[live_workshop.pk]))
    assert f"No comparable evidence: {REASON}" in text(response)


def test_no_evidence_in_the_register(live_workshop, bare_kpi):
    factories.make_no_evidence(kpi=bare_kpi, reason=REASON)
    entry = report_selectors.register_for(live_workshop).agents[0]
    assert [item.item.no_evidence.reason for item in entry.no_evidence] == [REASON]
