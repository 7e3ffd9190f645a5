"""Export one workshop, with everything in it, as a bundle file (see bundles.format).

What stays behind: participants' session tokens, the tables' join codes and the finance invite
links (secrets of this server; the importing server makes its own), the revision and edit
versions (counters of this server's live screens) and every link to an account (people travel
as names). Each sign-off travels with the message its signer's server signed, that signature
and that server's public key; the whole bundle is sealed with this server's key.
"""

import base64
import datetime
import hashlib
import json

from django.utils import timezone
from django.utils.text import slugify

from agents.models import Agent
from common import signing
from foundation.models import Answer as QuizAnswer
from foundation.models import LLMModel, Question, QuestionRun, QuizRound
from kpis.models import AgentKpi, KpiDefinition
from targets.models import (
    AgentEconomics,
    BenchmarkEvidence,
    ConstraintAnalysis,
    FinanceChangeRequest,
    FinanceInvite,
    FinanceSignOff,
    NoComparableEvidence,
    ValueTarget,
)
from workshops.models import (
    ActionItem,
    AgendaItem,
    BreakoutTable,
    Narrative,
    Participant,
    Workshop,
)

from . import format as bundle_format
from . import sections, signed_values

# The prefix of each section's refs ("agent-3").
REF_PREFIXES = {
    "tables": "table",
    "participants": "participant",
    "agenda_items": "agenda",
    "prework_items": "prework",
    "agents": "agent",
    "kpis": "kpi",
    "benchmarks": "benchmark",
    "finance_invites": "invite",
    "change_requests": "request",
    "signoffs": "signoff",
    "actions": "action",
    "question_runs": "run",
}
SECTIONS = {section.name: section for section in sections.SECTIONS}


class ExportError(Exception):
    """The workshop cannot be exported as it is; the message says why."""


def _querysets(workshop: Workshop) -> dict:
    """Each section's rows of the workshop, in the order they were created."""
    return {
        "tables": BreakoutTable.objects.filter(workshop=workshop),
        "participants": Participant.objects.filter(table__workshop=workshop),
        "agenda_items": AgendaItem.objects.filter(workshop=workshop),
        "prework_items": workshop.prework_items.all(),
        "agents": Agent.objects.filter(workshop=workshop),
        "kpis": AgentKpi.objects.filter(agent__workshop=workshop),
        "benchmarks": BenchmarkEvidence.objects.filter(kpi__agent__workshop=workshop),
        "no_evidence": NoComparableEvidence.objects.filter(kpi__agent__workshop=workshop),
        "constraint_analyses": ConstraintAnalysis.objects.filter(kpi__agent__workshop=workshop),
        "value_targets": ValueTarget.objects.filter(kpi__agent__workshop=workshop),
        "agent_economics": AgentEconomics.objects.filter(agent__workshop=workshop),
        "finance_invites": FinanceInvite.objects.filter(workshop=workshop),
        "change_requests": FinanceChangeRequest.objects.filter(agent__workshop=workshop),
        "signoffs": FinanceSignOff.objects.filter(agent__workshop=workshop),
        "actions": ActionItem.objects.filter(workshop=workshop),
        "question_runs": QuestionRun.objects.filter(round__workshop=workshop),
        "answers": QuizAnswer.objects.filter(run__round__workshop=workshop),
    }


def _encode(kind: str, value):
    if kind == "decimal":
        return bundle_format.number(value)
    if kind == "date":
        return bundle_format.day(value)
    if kind == "datetime":
        return bundle_format.moment(value)
    if kind == "time":
        return value.strftime("%H:%M")
    return value


class _Writer:
    """Turns rows into bundle records, naming related rows by ref or natural key."""

    def __init__(self, rows: dict, *, definitions: dict, questions: dict):
        self.rows = rows
        self.definitions = definitions
        self.questions = questions
        self.refs = {
            name: {obj.pk: f"{prefix}-{i}" for i, obj in enumerate(rows[name], start=1)}
            for name, prefix in REF_PREFIXES.items()
        }

    def record(self, section_name: str, obj, **special) -> dict:
        record = {}
        for key, (kind, _) in SECTIONS[section_name].fields.items():
            if key in special:
                record[key] = special[key]
            elif key == "ref":
                record[key] = self.refs[section_name][obj.pk]
            elif kind.startswith("ref:"):
                record[key] = self.refs[kind.removeprefix("ref:")].get(getattr(obj, f"{key}_id"))
            else:
                record[key] = _encode(kind, getattr(obj, key))
        return record

    def section(self, name: str) -> list[dict]:
        return [self.record(name, obj) for obj in self.rows[name]]


def _signed_values(signoff: FinanceSignOff, writer: _Writer, agent_name: str) -> dict:
    """The sign-off's values with refs in place of ids, after checking the record is intact."""
    recorded = hashlib.sha256(signoff.signed_values.encode("utf-8")).hexdigest()
    if recorded != signoff.values_sha256:
        raise ExportError(
            f"The sign-off of “{agent_name}” of {signoff.signed_at:%d %b %Y} no longer matches "
            "the SHA-256 recorded when it was signed: its stored values were changed by hand. "
            "Nothing was exported."
        )
    values = signed_values.portable(
        json.loads(signoff.signed_values),
        agents=writer.refs["agents"],
        kpis=writer.refs["kpis"],
        benchmarks=writer.refs["benchmarks"],
    )
    if values["agent"]["id"] != writer.refs["agents"][signoff.agent_id]:
        raise ExportError(
            f"A sign-off of “{agent_name}” records the values of another agent. "
            "Nothing was exported."
        )
    return values


def bundle_content(workshop: Workshop) -> dict:
    """Every section of the bundle of `workshop` (no format, version, checksum or time)."""
    rows = {name: list(queryset.order_by("pk")) for name, queryset in _querysets(workshop).items()}
    quiz_round = QuizRound.objects.filter(workshop=workshop).first()
    writer = _Writer(
        rows,
        definitions=dict(
            KpiDefinition.objects.filter(
                pk__in={kpi.definition_id for kpi in rows["kpis"]}
            ).values_list("pk", "key")
        ),
        questions=dict(
            Question.objects.filter(
                pk__in={run.question_id for run in rows["question_runs"]}
            ).values_list("pk", "key")
        ),
    )
    models = {
        model.pk: {"provider": model.provider, "name": model.name}
        for model in LLMModel.objects.filter(
            pk__in={agent.workload_model_id for agent in rows["agents"]}
        )
    }
    agent_names = {agent.pk: agent.name for agent in rows["agents"]}
    baseline_keys = {kpi.baseline_action_key: writer.refs["kpis"][kpi.pk] for kpi in rows["kpis"]}
    baseline_keys.update(
        {kpi.instrument_action_key: writer.refs["kpis"][kpi.pk] for kpi in rows["kpis"]}
    )
    content = {
        "workshop": writer.record("workshop", workshop, uid=str(workshop.uid)),
        "quiz": writer.record("quiz", quiz_round) if quiz_round else None,
        "narrative": _narrative(workshop),
        "agents": [
            writer.record("agents", agent, workload_model=models.get(agent.workload_model_id))
            for agent in rows["agents"]
        ],
        "kpis": [
            writer.record("kpis", kpi, definition=writer.definitions.get(kpi.definition_id))
            for kpi in rows["kpis"]
        ],
        "question_runs": [
            writer.record("question_runs", run, question=writer.questions[run.question_id])
            for run in rows["question_runs"]
        ],
        "signoffs": [
            _signoff(writer, signoff, agent_names[signoff.agent_id]) for signoff in rows["signoffs"]
        ],
        "actions": [_action(writer, action, baseline_keys) for action in rows["actions"]],
    }
    return {name: content[name] if name in content else writer.section(name) for name in SECTIONS}


def _narrative(workshop: Workshop) -> dict | None:
    narrative = Narrative.objects.filter(workshop=workshop).first()
    if narrative is None:
        return None
    return {
        "filename": narrative.filename,
        "content": base64.b64encode(bytes(narrative.content)).decode("ascii"),
        "uploaded_at": bundle_format.moment(narrative.uploaded_at),
    }


def _signoff(writer: _Writer, signoff: FinanceSignOff, agent_name: str) -> dict:
    values = _signed_values(signoff, writer, agent_name)
    return writer.record(
        "signoffs",
        signoff,
        signed_values=values,
        signed_values_sha256=bundle_format.sha256(values),
    )


def _seal(message: bytes) -> dict[str, str]:
    signature, public_key = signing.sign(message)
    return {"public_key": public_key, "signature": signature}


def _action(writer: _Writer, action: ActionItem, baseline_keys: dict[str, str]) -> dict:
    """A baseline or instrumentation task names its KPI by ref; the key, which holds a
    database id, is rebuilt on import. A key left by a KPI deleted since links to nothing and
    is dropped."""
    kpi_ref = baseline_keys.get(action.origin_key)
    origin_key = action.origin_key
    if kpi_ref is not None or origin_key.startswith(("baseline:kpi:", "instrument:kpi:")):
        origin_key = ""
    return writer.record("actions", action, origin_key=origin_key, kpi=kpi_ref)


def workshop_counts(workshop: Workshop) -> dict[str, int]:
    """What the bundle of `workshop` will hold, for the export page."""
    signoffs = FinanceSignOff.objects.filter(agent__workshop=workshop)
    return {
        "tables": BreakoutTable.objects.filter(workshop=workshop).count(),
        "participants": Participant.objects.filter(table__workshop=workshop).count(),
        "agents": Agent.objects.filter(workshop=workshop).count(),
        "kpis": AgentKpi.objects.filter(agent__workshop=workshop).count(),
        "signoffs_valid": signoffs.filter(status=FinanceSignOff.Status.VALID).count(),
        "signoffs_void": signoffs.filter(status=FinanceSignOff.Status.VOID).count(),
    }


def bundle_filename(workshop: Workshop) -> str:
    client = slugify(workshop.client_organisation)[:60].strip("-") or "workshop"
    return f"{client}-{workshop.date:%Y-%m-%d}{bundle_format.FILE_SUFFIX}"


def workshop_bundle(
    *, workshop: Workshop, now: datetime.datetime | None = None
) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the bundle of `workshop`. ExportError when a
    sign-off's stored values no longer match their recorded SHA-256."""
    content = bundle_content(workshop)
    data = bundle_format.dumps(content, exported_at=now or timezone.now(), seal=_seal)
    return bundle_filename(workshop), bundle_format.CONTENT_TYPE, data
