import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import formats, timezone

from agents.models import Agent
from bundles import export, importer
from bundles.format import BundleError
from foundation.models import LLMModel, PricePoint
from kpis.models import AgentKpi
from targets.models import FinanceInvite, FinanceSignOff, NoComparableEvidence
from targets.selectors import agent_finance, workshop_finance
from tests import factories
from workshops.models import ActionItem, BreakoutTable, Participant, Workshop

from .conftest import SCRIPT
from .helpers import parse, row_counts, seal

NOW = datetime.datetime(2026, 12, 10, 17, 0, tzinfo=datetime.UTC)


def bundle_of(workshop) -> bytes:
    return export.workshop_bundle(workshop=workshop, now=NOW)[2]


def import_bytes(data: bytes, *, user=None, on_conflict=importer.REFUSE):
    return importer.workshop_bundle_import(
        bundle=importer.bundle_read(data), importer=user, on_conflict=on_conflict
    )


def refused(data: bytes, *, user=None) -> str:
    """The message an import of `data` is refused with; checks nothing changed."""
    before = row_counts()
    with pytest.raises(BundleError) as caught:
        import_bytes(data, user=user)
    assert row_counts() == before
    return caught.value.message


# --- Round trip -------------------------------------------------------------------------------


def test_import_round_trip_gives_the_same_bundle(rich_workshop, facilitator):
    content = export.bundle_content(rich_workshop)
    data = bundle_of(rich_workshop)
    old_agent_ids = set(Agent.objects.values_list("pk", flat=True))
    rich_workshop.delete()

    result = import_bytes(data, user=facilitator)

    assert export.bundle_content(result.workshop) == content
    assert bundle_of(result.workshop) == data
    assert result.warnings == []
    # New database ids, and the signed values still verify against them.
    assert set(Agent.objects.values_list("pk", flat=True)) & old_agent_ids == set()
    signed = Agent.objects.get(name="Invoice Triage Agent")
    finance = agent_finance(agent_id=signed.pk)
    assert finance.signoff is not None
    assert finance.changed_since_signoff is False
    assert finance.status == "signed"
    assert [s.status for s in finance.signoffs] == ["valid", "void"]
    assert [s.verification for s in finance.signoffs] == ["verified", "verified"]


def test_import_into_an_emptied_database_keeps_signoffs_verifying(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    statuses = {e.agent.name: e.status for e in workshop_finance(workshop=rich_workshop).agents}
    Workshop.objects.all().delete()
    get_user_model().objects.exclude(pk=facilitator.pk).delete()

    result = import_bytes(data, user=facilitator)

    after = {e.agent.name: e.status for e in workshop_finance(workshop=result.workshop).agents}
    assert after == statuses
    assert after["Invoice Triage Agent"] == "signed"
    for signoff in FinanceSignOff.objects.all():
        assert signoff.signer_user is None  # a bundle never links an account
    assert result.facilitators == ["facilitator"]
    assert list(result.workshop.facilitators.all()) == [facilitator]
    assert list(result.workshop.finance_reviewers.all()) == []


def test_import_keeps_what_the_workshop_was_doing(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    uid, current = rich_workshop.uid, rich_workshop.current_item.title
    rich_workshop.delete()

    workshop = import_bytes(data, user=facilitator).workshop

    assert workshop.uid == uid
    assert workshop.status == "live"
    assert workshop.current_item.title == current
    assert workshop.projector_view == "board"
    assert workshop.quiz_round.current_run.is_open
    assert workshop.quiz_round.current_run.answers.get().participant.display_name == "Sam"
    baseline = ActionItem.objects.get(workshop=workshop, status="open", origin="baseline")
    kpi = AgentKpi.objects.get(name="Qualified leads per month")
    assert baseline.origin_key == kpi.baseline_action_key
    assert (
        ActionItem.objects.get(workshop=workshop, status="done", origin="baseline").origin_key == ""
    )


def test_import_gives_new_join_codes_tokens_and_dead_invite_links(rich_workshop, facilitator):
    codes = set(BreakoutTable.objects.values_list("join_code", flat=True))
    tokens = set(Participant.objects.values_list("token", flat=True))
    hashes = set(FinanceInvite.objects.values_list("token_hash", flat=True))
    data = bundle_of(rich_workshop)
    rich_workshop.delete()

    workshop = import_bytes(data, user=facilitator).workshop

    new_codes = set(
        BreakoutTable.objects.filter(workshop=workshop).values_list("join_code", flat=True)
    )
    assert len(new_codes) == 2 and new_codes & codes == set()
    new_tokens = set(Participant.objects.values_list("token", flat=True))
    assert len(new_tokens) == 4 and new_tokens & tokens == set()
    new_hashes = set(FinanceInvite.objects.values_list("token_hash", flat=True))
    assert len(new_hashes) == 1 and new_hashes & hashes == set()


def test_import_keeps_html_as_text(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    rich_workshop.delete()
    import_bytes(data, user=facilitator)
    agent = Agent.objects.get(table=None)
    assert agent.name == f"Agent {SCRIPT}"
    assert agent.description == SCRIPT


def test_import_keeps_the_bundles_prices_when_this_catalogue_differs(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    rich_workshop.delete()
    PricePoint.objects.filter(model__name="swift-2").update(input_usd_per_mtok=Decimal("9"))

    result = import_bytes(data, user=facilitator)

    agent = Agent.objects.get(name="Invoice Triage Agent")
    assert (agent.workload_price_date, agent.workload_input_usd_per_mtok) == (
        datetime.date(2025, 1, 1),
        Decimal("3"),
    )
    assert result.warnings == []


# --- Conflicts --------------------------------------------------------------------------------


def test_import_refuses_a_workshop_that_is_here_by_default(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    when = formats.date_format(
        timezone.localtime(importer.workshop_last_changed(rich_workshop)), "j M Y, H:i T"
    )
    before = row_counts()
    with pytest.raises(importer.BundleConflict) as caught:
        import_bytes(data, user=facilitator)
    assert caught.value.message == (
        f"This workshop already exists here (last changed {when}): replace it, import it as a "
        "copy, or cancel."
    )
    assert caught.value.existing == rich_workshop
    assert row_counts() == before


def test_workshop_last_changed_is_the_latest_change(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(
        updated_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    )
    agent = factories.make_agent(workshop=workshop)
    Agent.objects.filter(pk=agent.pk).update(
        updated_at=datetime.datetime(2026, 11, 3, 14, 5, tzinfo=datetime.UTC)
    )
    workshop.refresh_from_db()
    assert importer.workshop_last_changed(workshop) == datetime.datetime(
        2026, 11, 3, 14, 5, tzinfo=datetime.UTC
    )


def test_import_replace_swaps_the_workshop(rich_workshop, facilitator):
    content = export.bundle_content(rich_workshop)
    data = bundle_of(rich_workshop)
    Agent.objects.filter(name="Upsell Lead Finder").update(name="Renamed since")

    result = import_bytes(data, user=facilitator, on_conflict=importer.REPLACE)

    assert result.replaced is True
    assert Workshop.objects.count() == 1
    assert not Workshop.objects.filter(pk=rich_workshop.pk).exists()
    assert result.workshop.uid == rich_workshop.uid
    assert export.bundle_content(result.workshop) == content
    assert Agent.objects.filter(name="Renamed since").exists() is False


def test_import_replace_only_by_a_facilitator_of_the_workshop_here(rich_workshop):
    data = bundle_of(rich_workshop)
    stranger = factories.make_user(username="stranger")
    before = row_counts()
    with pytest.raises(BundleError) as caught:
        import_bytes(data, user=stranger, on_conflict=importer.REPLACE)
    assert caught.value.message == (
        "This workshop already exists here and you are not one of its facilitators, so you "
        "cannot replace it. Import it as a copy instead."
    )
    assert row_counts() == before


def test_import_copy_gets_a_new_identity_and_title(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    stranger = factories.make_user(username="stranger")

    result = import_bytes(data, user=stranger, on_conflict=importer.COPY)

    copy = result.workshop
    assert result.copied is True
    assert Workshop.objects.count() == 2
    assert copy.uid != rich_workshop.uid
    assert copy.title == "AI FinOps Workshop (copy)"
    assert copy.client_organisation == "Acme Freight"
    # The importer is the only facilitator: the bundle links no account.
    assert list(copy.facilitators.values_list("username", flat=True)) == ["stranger"]
    statuses = {e.agent.name: e.status for e in workshop_finance(workshop=copy).agents}
    assert statuses["Invoice Triage Agent"] == "signed"
    # Importing the copy again is a conflict with the copy no more.
    assert import_bytes(data, user=stranger, on_conflict=importer.COPY).workshop.uid not in {
        copy.uid,
        rich_workshop.uid,
    }


def test_import_copy_keeps_a_long_title_within_its_limit(workshop, facilitator):
    Workshop.objects.filter(pk=workshop.pk).update(title="T" * 200)
    workshop.refresh_from_db()
    copy = import_bytes(bundle_of(workshop), user=facilitator, on_conflict=importer.COPY).workshop
    assert copy.title == "T" * 193 + " (copy)"


def test_import_refuses_an_unknown_conflict_choice(workshop):
    with pytest.raises(ValueError):
        import_bytes(bundle_of(workshop), on_conflict="merge")


def test_bundle_preview_changes_nothing(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    before = row_counts()
    preview = importer.bundle_preview(bundle=importer.bundle_read(data), importer=facilitator)
    assert row_counts() == before
    assert preview.existing == rich_workshop
    assert preview.can_replace is True
    assert preview.bundle.counts == {
        "tables": 2,
        "participants": 4,
        "agents": 3,
        "kpis": 3,
        "value_targets": 2,
        "signoffs": 2,
        "signoffs_valid": 1,
        "signoffs_void": 1,
        "actions": 7,
        "question_runs": 2,
        "answers": 3,
    }


# --- Bad bundles ------------------------------------------------------------------------------


@pytest.fixture
def bundle(rich_workshop, facilitator):
    """The rich workshop's bundle, as a dict, with the workshop gone from the database."""
    data = parse(bundle_of(rich_workshop))
    rich_workshop.delete()
    return data


def test_import_refuses_an_edited_bundle(bundle):
    bundle["agents"][0]["name"] = "Edited by hand"
    import json

    assert refused(json.dumps(bundle).encode()) == (
        "The bundle was changed after it was exported: its checksum does not match its "
        "contents. Export it again from the original server."
    )


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.77, 0.9, 0.999])
def test_import_refuses_a_truncated_bundle(rich_workshop, keep):
    data = bundle_of(rich_workshop)
    assert refused(data[: int(len(data) * keep)]) == (
        "The bundle is incomplete: the file ends too early. It was probably cut off while it "
        "was copied; export it again."
    )


def test_import_refuses_a_bundle_of_a_newer_version(bundle):
    bundle["version"] = 3
    assert refused(seal(bundle)) == (
        "This bundle was made by a newer version of the app (bundle version 3); this server "
        "reads version 2. Update this server, then import again."
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda b: b["agents"][0].pop("name"),
            "The bundle is incomplete: agents[0] has no “name”.",
        ),
        (
            lambda b: b["agents"][0].update(priority_rank="first"),
            "The bundle has a wrong value at agents[0].priority_rank: expected a whole number, "
            "found text.",
        ),
        (
            lambda b: b["agents"][0].update(priority_rank=-1),
            "The bundle has a wrong value at agents[0].priority_rank: The priority rank starts "
            "at 1 (the highest priority).",
        ),
        (
            lambda b: b["agents"][0].update(tasks_per_month=2**40),
            "The bundle has a wrong value at agents[0].tasks_per_month: the number is far too "
            "large.",
        ),
        (
            lambda b: b["agenda_items"][0].update(planned_minutes=0),
            "The bundle has a wrong value at agenda_items[0]: Constraint "
            "“agenda_item_duration_positive” is violated.",
        ),
        (
            lambda b: b["value_targets"][0].update(floor_6m="1" + "0" * 25),
            "The bundle has a wrong value at value_targets[0].floor_6m: That number is too large "
            "for the 6-month floor. Check the unit and the digits.",
        ),
        (
            lambda b: b["value_targets"][0].update(floor_6m=110),
            "The bundle has a wrong value at value_targets[0].floor_6m: expected a number "
            'written as text, e.g. "1250.50".',
        ),
        (
            lambda b: b["benchmarks"][0].update(discount_percent="-10"),
            "The bundle has a wrong value at benchmarks[0].discount_percent: Discount vendor "
            "claims by 30 to 50 % (you chose -10 %).",
        ),
        (
            lambda b: b["constraint_analyses"][0].update(adoption_12m_percent="150"),
            "The bundle has a wrong value at constraint_analyses[0].adoption_12m_percent: The "
            "expected adoption at 12 months cannot be above 100 % (you entered 150).",
        ),
        (
            lambda b: b["workshop"].update(status="archived"),
            "The bundle has a wrong value at workshop.status: Value 'archived' is not a valid "
            "choice.",
        ),
        (
            lambda b: b["workshop"].update(currency="XXQ"),
            "The bundle has a wrong value at workshop.currency: Value 'XXQ' is not a valid choice.",
        ),
        (
            lambda b: b["workshop"].update(client_organisation="A" * 201),
            "The bundle has a wrong value at workshop.client_organisation: Ensure this value "
            "has at most 200 characters (it has 201).",
        ),
        (
            lambda b: b["workshop"].update(client_organisation=""),
            "The bundle has a wrong value at workshop.client_organisation: This field cannot "
            "be blank.",
        ),
        (
            lambda b: b["agents"][0].update(owner_email="not an address"),
            "The bundle has a wrong value at agents[0].owner_email: Enter the owner's email "
            "address, like name@example.com.",
        ),
        (
            lambda b: b["kpis"][0].update(definition="no-such-kpi"),
            "The bundle uses a KPI from the library that this server does not have: "
            "“no-such-kpi”. Load the KPI library (uv run manage.py load_catalogues) or add it "
            "in the admin, then import again.",
        ),
        (
            lambda b: b["question_runs"][0].update(question="no-such-question"),
            "The bundle's knowledge check asked a question this server does not have: "
            "“no-such-question”. Load the catalogues (uv run manage.py load_catalogues) or add "
            "it in the admin, then import again.",
        ),
        (
            lambda b: b["agents"][0].update(workload_model={"provider": "Acme AI", "name": "x9"}),
            "The bundle prices an agent's workload with “Acme AI x9”, which this server's model "
            "catalogue does not have. Add the model and its prices to the catalogue, then "
            "import again.",
        ),
        (
            lambda b: b["kpis"][0].update(agent="agent-99"),
            "The bundle has a wrong value at kpis[0].agent: “agent-99” is not one of the agents.",
        ),
        (
            lambda b: b["tables"][1].update(name=b["tables"][0]["name"]),
            "The bundle has tables that clash with each other (for example two with the same "
            "name), so it cannot be imported.",
        ),
        (
            lambda b: b["agent_economics"][0].update(value_kpi="kpi-3"),
            "The bundle has a wrong value at agent_economics[0].value_kpi: the KPI that carries "
            "the value must be one of the agent's own KPIs.",
        ),
        (
            lambda b: b["answers"][0].update(choice=9),
            "The bundle has a wrong value at answers[0].choice: the question has 4 answers.",
        ),
        (
            lambda b: b["actions"][5].update(origin_key="baseline:kpi:1"),
            "The bundle has a wrong value at actions[5].origin_key: a baseline task's key is "
            "made from its KPI, so it must be empty.",
        ),
        (
            lambda b: b["signoffs"][1]["signed_values"]["economics"].update(build_cost="1"),
            "The bundle was changed: signoffs[1].signed_values no longer match the SHA-256 "
            "recorded with them.",
        ),
        (
            lambda b: b["signoffs"][1]["signed_values"]["agent"].update(id="agent-2"),
            "The bundle was changed: signoffs[1].signed_values no longer match the SHA-256 "
            "recorded with them.",
        ),
        (
            lambda b: (
                b["signoffs"][1].update(status="valid") or b["signoffs"][0].update(status="valid")
            ),
            "The bundle has a wrong value at signoffs[1].status: the agent has another valid "
            "sign-off (signoffs[0]); an agent has at most one.",
        ),
        (
            lambda b: b.update(quiz=None),
            "The bundle is incomplete: it has knowledge-check questions but no “quiz”.",
        ),
    ],
)
def test_import_refuses_a_crafted_bundle(bundle, edit, message):
    edit(bundle)
    assert refused(seal(bundle)) == message


def test_import_refuses_signed_values_of_another_agent_even_when_resealed(bundle):
    from bundles import format as bundle_format

    signed = bundle["signoffs"][1]["signed_values"]
    signed["agent"]["id"] = "agent-2"
    bundle["signoffs"][1]["signed_values_sha256"] = bundle_format.sha256(signed)
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at signoffs[1].signed_values.agent.id: the values signed "
        "are of another agent."
    )


def test_import_refuses_a_signed_value_naming_a_stranger(bundle):
    from bundles import format as bundle_format

    signed = bundle["signoffs"][1]["signed_values"]
    signed["kpis"][0]["id"] = "kpi-77"
    bundle["signoffs"][1]["signed_values_sha256"] = bundle_format.sha256(signed)
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at signoffs[1].signed_values.kpis.id: “kpi-77” is not a "
        "record of this bundle."
    )


def test_import_refuses_a_model_missing_here(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    rich_workshop.delete()
    LLMModel.objects.filter(name="swift-2").delete()
    assert refused(data, user=facilitator).startswith(
        "The bundle prices an agent's workload with “Acme AI swift-2”"
    )


def test_import_refuses_a_huge_file(db):
    assert refused(b"{" + b" " * (25 * 1024 * 1024) + b"}") == (
        "The file is larger than 20 MB; a workshop bundle is far smaller."
    )


def test_import_refuses_deeply_nested_json(db):
    assert refused(b'{"a":' * 50_000 + b"1" + b"}" * 50_000) == (
        "This file is not a workshop bundle: its contents are nested far too deeply."
    )


def test_import_refuses_what_is_not_json(db):
    assert refused(b"Client,Agent\nAcme,Triage\n") == (
        "This file is not a workshop bundle: it is not valid JSON (line 1, column 1)."
    )


# --- "No comparable evidence" ----------------------------------------------------------------


def test_import_carries_no_comparable_evidence(rich_workshop, facilitator):
    data = bundle_of(rich_workshop)
    rich_workshop.delete()

    workshop = import_bytes(data, user=facilitator).workshop

    kpi = AgentKpi.objects.get(agent__workshop=workshop, name="Qualified leads per month")
    assert kpi.no_evidence.reason == "No similar firm sells a premium tier like ours."


def test_import_reads_a_bundle_without_no_comparable_evidence(rich_workshop, facilitator):
    bundle = parse(bundle_of(rich_workshop))
    del bundle["no_evidence"]
    rich_workshop.delete()

    workshop = import_bytes(seal(bundle), user=facilitator).workshop

    kpi = AgentKpi.objects.get(agent__workshop=workshop, name="Qualified leads per month")
    assert NoComparableEvidence.objects.filter(kpi=kpi).exists() is False


def test_number_format_and_exchange_rate_source_travel(rich_workshop, facilitator):
    Workshop.objects.filter(pk=rich_workshop.pk).update(
        number_format="point-comma",
        usd_rate_date=datetime.date(2026, 12, 1),
        usd_rate_source="ECB reference rate",
    )
    rich_workshop.refresh_from_db()
    data = bundle_of(rich_workshop)
    rich_workshop.delete()
    moved = import_bytes(data, user=facilitator).workshop
    assert (moved.number_format, moved.usd_rate_date, moved.usd_rate_source) == (
        "point-comma",
        datetime.date(2026, 12, 1),
        "ECB reference rate",
    )


def test_bundle_from_before_the_number_format_imports_with_the_defaults(rich_workshop, facilitator):
    bundle = parse(bundle_of(rich_workshop))
    for key in ("number_format", "usd_rate_date", "usd_rate_source"):
        del bundle["workshop"][key]
    rich_workshop.delete()
    moved = import_bytes(seal(bundle), user=facilitator).workshop
    assert (moved.number_format, moved.usd_rate_date, moved.usd_rate_source) == (
        "comma-point",
        None,
        "",
    )


def test_bundle_with_an_unknown_number_format_is_refused(rich_workshop, facilitator):
    bundle = parse(bundle_of(rich_workshop))
    bundle["workshop"]["number_format"] = "1'234.56"
    rich_workshop.delete()
    assert refused(seal(bundle), user=facilitator) == (
        "The bundle has a wrong value at workshop.number_format: "
        'Value "1\'234.56" is not a valid choice.'
    )
