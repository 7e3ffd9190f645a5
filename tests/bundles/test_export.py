import datetime
import json

import pytest

from bundles import export
from kpis.models import KpiDefinition
from targets.models import FinanceSignOff
from tests import factories
from workshops.guide import POST_WORKSHOP_ACTIONS
from workshops.models import BreakoutTable, Participant

from .conftest import AT

NOW = datetime.datetime(2026, 12, 10, 17, 0, tzinfo=datetime.UTC)


def _all_values(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _all_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_values(item)
    else:
        yield value


def test_workshop_bundle_export_twice_same_bytes(rich_workshop):
    first = export.workshop_bundle(workshop=rich_workshop, now=NOW)
    second = export.workshop_bundle(workshop=rich_workshop, now=NOW)
    assert first == second
    filename, content_type, _ = first
    assert filename == "acme-freight-2026-12-10.finops.json"
    assert content_type == "application/json"


def test_workshop_bundle_later_export_same_checksum(rich_workshop):
    _, _, first = export.workshop_bundle(workshop=rich_workshop, now=NOW)
    _, _, later = export.workshop_bundle(workshop=rich_workshop)
    assert json.loads(first)["checksum"] == json.loads(later)["checksum"]
    assert json.loads(first)["exported_at"] == "2026-12-10T17:00:00+00:00"


def test_bundle_content_holds_no_secrets_or_database_ids(rich_workshop):
    content = export.bundle_content(rich_workshop)
    values = set(map(str, _all_values(content)))
    tokens = set(Participant.objects.values_list("token", flat=True))
    codes = set(BreakoutTable.objects.values_list("join_code", flat=True))
    assert values & tokens == set()
    assert values & codes == set()
    assert "token_hash" not in json.dumps(content)
    # Every record names others by ref, never by database id.
    for name, records in content.items():
        for record in records if isinstance(records, list) else [records]:
            for key in record or {}:
                assert key != "id" and not key.endswith("_id"), (name, key)
    for signoff in content["signoffs"]:
        signed = signoff["signed_values"]
        assert signed["agent"]["id"] == "agent-1"
        assert [kpi["id"] for kpi in signed["kpis"]] == ["kpi-1", "kpi-2"]
        assert signed["economics"]["value_kpi_id"] == "kpi-1"


def test_bundle_content_names_people_and_catalogue_rows_naturally(rich_workshop):
    content = export.bundle_content(rich_workshop)
    # People travel as names, never as accounts of this server.
    assert "facilitators" not in content["workshop"]
    assert "finance_reviewers" not in content["workshop"]
    assert [p["display_name"] for p in content["participants"]] == [
        "Sam",
        "Priya Natarajan",
        "Lee",
        "Left early",
    ]
    assert [p["removed"] for p in content["participants"]] == [False, False, False, True]
    assert content["agents"][0]["workload_model"] == {"provider": "Acme AI", "name": "swift-2"}
    assert content["kpis"][0]["definition"] == KpiDefinition.objects.order_by("position")[0].key
    assert content["kpis"][1]["definition"] is None
    assert [s["status"] for s in content["signoffs"]] == ["void", "valid"]
    assert [s["signer_name"] for s in content["signoffs"]] == ["Fran Okafor", "Fran Okafor"]
    assert "signer_user" not in content["signoffs"][1]
    assert "voided_by" not in content["signoffs"][0]
    assert "reviewer_user" not in content["change_requests"][0]
    assert "created_by" not in content["finance_invites"][0]
    assert content["finance_invites"][0]["expires_at"] == "2026-12-17T09:00:00+00:00"
    assert content["finance_invites"][0]["used_at"] == "2026-12-10T09:05:00+00:00"
    assert content["change_requests"][0]["invite"] == "invite-1"
    assert [run["status"] for run in content["question_runs"]] == ["closed", "open"]
    assert content["quiz"]["current_run"] == "run-2"
    assert len(content["answers"]) == 3
    assert content["workshop"]["current_item"] == "agenda-2"
    assert content["workshop"]["projector_view"] == "board"
    assert content["agenda_items"][0]["actual_started_at"] == AT.isoformat()


def test_bundle_content_baseline_tasks_name_their_kpi(rich_workshop):
    actions = export.bundle_content(rich_workshop)["actions"]
    baseline = [
        (a["kpi"], a["origin_key"], a["status"]) for a in actions if a["origin"] == "baseline"
    ]
    # The task of the deleted KPI stays as history without a key.
    assert baseline == [("kpi-3", "", "open"), (None, "", "done")]
    guide = [a["origin_key"] for a in actions if a["origin"] == "guide"]
    assert guide == [key for key, *_ in POST_WORKSHOP_ACTIONS]


def test_workshop_bundle_refuses_a_signoff_changed_by_hand(rich_workshop):
    signoff = FinanceSignOff.objects.get(status="valid")
    edited = signoff.signed_values.replace('"build_cost":"40000"', '"build_cost":"1"')
    FinanceSignOff.objects.filter(pk=signoff.pk).update(signed_values=edited)
    with pytest.raises(export.ExportError) as caught:
        export.workshop_bundle(workshop=rich_workshop)
    assert str(caught.value) == (
        "The sign-off of “Invoice Triage Agent” of 10 Dec 2026 no longer matches the SHA-256 "
        "recorded when it was signed: its stored values were changed by hand. Nothing was "
        "exported."
    )


def test_bundle_content_queries_do_not_grow_with_rows(facilitator, django_assert_num_queries):
    def build(agents: int):
        workshop = factories.make_workshop(facilitator=facilitator)
        table = factories.make_table(workshop=workshop)
        factories.make_participant(table=table)
        for _ in range(agents):
            factories.make_ready_agent(workshop=workshop, table=table)
        return workshop

    small, large = build(1), build(6)
    # One query per section: the no_evidence section adds one.
    with django_assert_num_queries(19):
        export.bundle_content(small)
    with django_assert_num_queries(19):
        export.bundle_content(large)
