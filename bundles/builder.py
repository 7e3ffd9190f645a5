"""Creating a bundle's records: each checked by its model's `full_clean`, saved in bulk, with
the moments the bundle recorded kept (which `auto_now` fields would otherwise overwrite).
Refs are resolved to the objects just created, catalogue keys to this server's catalogue rows.
No record is linked to an account of this server: people stay names.

A sign-off is imported as verified only when its signature is sound and trusted and the
bundle's seal is too (see `Builder._verification`); otherwise as "imported, not verified"."""

import json
import secrets
import uuid

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from agents.block2_services import workloads_pin
from agents.models import Agent
from foundation.models import Answer as QuizAnswer
from foundation.models import LLMModel, Question, QuestionRun, QuizRound
from kpis.models import AgentKpi, KpiDefinition
from targets import signatures, signing
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
from targets.services import token_hash
from workshops import codes
from workshops.models import (
    ActionItem,
    AgendaItem,
    BreakoutTable,
    Narrative,
    Participant,
    PreworkItem,
    Workshop,
)

from . import form_checks, sections, signed_values
from . import format as bundle_format
from .format import BundleError

SECTIONS = {section.name: section for section in sections.SECTIONS}
# Bundle keys that are not plain model fields (relations, resolved by the builder).
_RELATION_KINDS = ("ref:", "key", "model", "object")


def _invalid(where: str, error: ValidationError) -> BundleError:
    if hasattr(error, "error_dict"):
        messages = error.message_dict
        key = next((k for k in messages if k != NON_FIELD_ERRORS), NON_FIELD_ERRORS)
        at = where if key == NON_FIELD_ERRORS else f"{where}.{key}"
        return BundleError(f"The bundle has a wrong value at {at}: {messages[key][0]}")
    return BundleError(f"The bundle has a wrong value at {where}: {error.messages[0]}")


def _plain(section_name: str, record: dict) -> dict:
    """The record's values that are plain model fields."""
    return {
        key: value
        for key, value in record.items()
        if key != "ref" and not SECTIONS[section_name].fields[key][0].startswith(_RELATION_KINDS)
    }


def _stamp_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


class Builder:
    """Creates the workshop of a checked bundle, section by section, in one transaction."""

    def __init__(self, sections: dict, *, importer, sealed: bool):
        """`sealed`: the bundle's seal verifies against a key this server trusts."""
        self.sections = sections
        self.importer = importer
        self.sealed = sealed
        self.objects: dict[str, dict[str, object]] = {}  # section -> {ref: saved object}

    # --- lookups ------------------------------------------------------------------------------

    def _catalogue(self) -> None:
        """Resolve the KPI definitions, LLM models and questions the bundle names, refusing
        the bundle when this server lacks one."""
        keys = {kpi["definition"] for kpi in self.sections["kpis"]} - {None}
        self.definitions = {d.key: d for d in KpiDefinition.objects.filter(key__in=keys)}
        if missing := sorted(keys - set(self.definitions)):
            raise BundleError(
                f"The bundle uses a KPI from the library that this server does not have: "
                f"“{missing[0]}”. Load the KPI library (uv run manage.py load_catalogues) or "
                "add it in the admin, then import again."
            )
        keys = {run["question"] for run in self.sections["question_runs"]}
        self.questions = {q.key: q for q in Question.objects.filter(key__in=keys)}
        if missing := sorted(keys - set(self.questions)):
            raise BundleError(
                f"The bundle's knowledge check asked a question this server does not have: "
                f"“{missing[0]}”. Load the catalogues (uv run manage.py load_catalogues) or "
                "add it in the admin, then import again."
            )
        self.models = {}
        for agent in self.sections["agents"]:
            wanted = agent["workload_model"]
            if wanted is None:
                continue
            found = LLMModel.objects.filter(
                provider__iexact=wanted["provider"], name__iexact=wanted["name"]
            ).first()
            if found is None:
                raise BundleError(
                    f"The bundle prices an agent's workload with “{wanted['provider']} "
                    f"{wanted['name']}”, which this server's model catalogue does not have. "
                    "Add the model and its prices to the catalogue, then import again."
                )
            self.models[(wanted["provider"], wanted["name"])] = found

    def ref(self, section: str, ref: str | None):
        return self.objects[section][ref] if ref is not None else None

    # --- writing ------------------------------------------------------------------------------

    def create(self, section: str, model, built: list[tuple[object, dict]]) -> list:
        """Check and save one section's objects, keeping the moments the bundle recorded
        (which `auto_now` fields would otherwise overwrite)."""
        for index, (obj, _) in enumerate(built):
            where = section if SECTIONS[section].single else f"{section}[{index}]"
            try:
                obj.full_clean()
            except ValidationError as error:
                raise _invalid(where, error) from None
        objects = [obj for obj, _ in built]
        try:
            with transaction.atomic():
                model.objects.bulk_create(objects)
        except IntegrityError:
            if section == "workshop":  # imported by someone else at the same moment
                raise BundleError(
                    "This workshop arrived here while it was being imported. Import it again "
                    "to choose whether to replace it or make a copy."
                ) from None
            raise BundleError(
                f"The bundle has {section.replace('_', ' ')} that clash with each other (for "
                "example two with the same name), so it cannot be imported."
            ) from None
        stamps = _stamp_fields(model)
        if stamps:
            for obj, record in built:
                for name in stamps:
                    setattr(obj, name, record[name])
            model.objects.bulk_update(objects, stamps)
        if "ref" in SECTIONS[section].fields:
            self.objects[section] = {record["ref"]: obj for obj, record in built}
        return objects

    def build(self, *, uid: uuid.UUID, title: str) -> Workshop:
        self._catalogue()
        values = self.sections["workshop"]
        # A version 1 bundle has no pricing date: it is priced as of its workshop date.
        workshop = Workshop(
            **{
                "pricing_date": values["date"],
                **_plain("workshop", values),
                "uid": uid,
                "title": title,
            }
        )
        (workshop,) = self.create("workshop", Workshop, [(workshop, values)])
        # The importing facilitator is the only one; finance reviewers are added here.
        if self.importer is not None:
            workshop.facilitators.set([self.importer])
        self._room(workshop)
        self._narrative(workshop)
        self._agents(workshop)
        workloads_pin(workshop=workshop)
        self._finance(workshop)
        self._actions(workshop)
        self._quiz(workshop)
        return workshop

    def _narrative(self, workshop: Workshop) -> None:
        values = self.sections["narrative"]
        if values is not None:
            narrative = Narrative(
                workshop=workshop, size=len(values["content"]), **_plain("narrative", values)
            )
            self.create("narrative", Narrative, [(narrative, values)])

    def _records(self, section: str, make) -> list[tuple[object, dict]]:
        return [(make(record), record) for record in self.sections[section]]

    def _room(self, workshop: Workshop) -> None:
        taken = set()

        def join_code() -> str:
            while True:
                code = codes.new_code()
                if code not in taken and not BreakoutTable.objects.filter(join_code=code).exists():
                    taken.add(code)
                    return code

        self.create(
            "tables",
            BreakoutTable,
            self._records(
                "tables",
                lambda r: BreakoutTable(
                    workshop=workshop, join_code=join_code(), **_plain("tables", r)
                ),
            ),
        )
        self.create(
            "participants",
            Participant,
            self._records(
                "participants",
                lambda r: Participant(
                    table=self.ref("tables", r["table"]),
                    # A new secret: the old one belongs to a browser session on the old server.
                    token=secrets.token_urlsafe(32),
                    **_plain("participants", r),
                ),
            ),
        )
        self.create(
            "agenda_items",
            AgendaItem,
            self._records(
                "agenda_items",
                lambda r: AgendaItem(workshop=workshop, **_plain("agenda_items", r)),
            ),
        )
        self.create(
            "prework_items",
            PreworkItem,
            self._records(
                "prework_items",
                lambda r: PreworkItem(workshop=workshop, **_plain("prework_items", r)),
            ),
        )
        current = self.sections["workshop"]["current_item"]
        if current is not None:
            workshop.current_item = self.ref("agenda_items", current)
            Workshop.objects.filter(pk=workshop.pk).update(current_item=workshop.current_item)

    def _agents(self, workshop: Workshop) -> None:
        """Agents, KPIs and Block 4 records, each checked by the form the pages use first."""

        def agent(index: int, r: dict) -> Agent:
            model = r["workload_model"]
            model = self.models[(model["provider"], model["name"])] if model else None
            form_checks.agent_check(
                r, where=f"agents[{index}]", workshop=workshop, workload_model=model
            )
            return Agent(
                workshop=workshop,
                table=self.ref("tables", r["table"]),
                workload_model=model,
                **_plain("agents", r),
            )

        def kpi(index: int, r: dict) -> AgentKpi:
            definition = self.definitions[r["definition"]] if r["definition"] else None
            form_checks.kpi_check(r, where=f"kpis[{index}]", definition=definition)
            return AgentKpi(
                agent=self.ref("agents", r["agent"]), definition=definition, **_plain("kpis", r)
            )

        def benchmark(index: int, r: dict) -> BenchmarkEvidence:
            form_checks.benchmark_check(r, where=f"benchmarks[{index}]")
            return BenchmarkEvidence(kpi=self.ref("kpis", r["kpi"]), **_plain("benchmarks", r))

        def no_evidence(index: int, r: dict) -> NoComparableEvidence:
            form_checks.no_evidence_check(r, where=f"no_evidence[{index}]")
            return NoComparableEvidence(kpi=self.ref("kpis", r["kpi"]), **_plain("no_evidence", r))

        def constraints(index: int, r: dict) -> ConstraintAnalysis:
            form_checks.constraint_check(r, where=f"constraint_analyses[{index}]")
            return ConstraintAnalysis(
                kpi=self.ref("kpis", r["kpi"]), **_plain("constraint_analyses", r)
            )

        def targets(index: int, r: dict) -> ValueTarget:
            kpi = self.ref("kpis", r["kpi"])
            form_checks.target_check(r, where=f"value_targets[{index}]", kpi=kpi)
            return ValueTarget(kpi=kpi, **_plain("value_targets", r))

        for section, model, make in (
            ("agents", Agent, agent),
            ("kpis", AgentKpi, kpi),
            ("benchmarks", BenchmarkEvidence, benchmark),
            ("no_evidence", NoComparableEvidence, no_evidence),
            ("constraint_analyses", ConstraintAnalysis, constraints),
            ("value_targets", ValueTarget, targets),
        ):
            built = [(make(i, r), r) for i, r in enumerate(self.sections[section])]
            self.create(section, model, built)

        def economics(index: int, r: dict) -> AgentEconomics:
            agent, value_kpi = self.ref("agents", r["agent"]), self.ref("kpis", r["value_kpi"])
            if value_kpi is not None and value_kpi.agent_id != agent.pk:
                raise BundleError(
                    f"The bundle has a wrong value at agent_economics[{index}].value_kpi: "
                    "the KPI that carries the value must be one of the agent's own KPIs."
                )
            form_checks.economics_check(
                r, where=f"agent_economics[{index}]", agent=agent, value_kpi=value_kpi
            )
            return AgentEconomics(agent=agent, value_kpi=value_kpi, **_plain("agent_economics", r))

        built = [(economics(i, r), r) for i, r in enumerate(self.sections["agent_economics"])]
        self.create("agent_economics", AgentEconomics, built)

    def _finance(self, workshop: Workshop) -> None:
        self.create(
            "finance_invites",
            FinanceInvite,
            self._records(
                "finance_invites",
                lambda r: FinanceInvite(
                    workshop=workshop,
                    # The link does not travel: nobody holds the token of this hash.
                    token_hash=token_hash(secrets.token_urlsafe(32)),
                    **_plain("finance_invites", r),
                ),
            ),
        )
        self.create(
            "change_requests",
            FinanceChangeRequest,
            self._records(
                "change_requests",
                lambda r: FinanceChangeRequest(
                    agent=self.ref("agents", r["agent"]),
                    invite=self.ref("finance_invites", r["invite"]),
                    **_plain("change_requests", r),
                ),
            ),
        )
        ids = {
            name: {ref: obj.pk for ref, obj in self.objects[name].items()}
            for name in ("agents", "kpis", "benchmarks")
        }

        def signoff(index: int, r: dict) -> FinanceSignOff:
            where = f"signoffs[{index}].signed_values"
            if bundle_format.sha256(r["signed_values"]) != r["signed_values_sha256"]:
                raise BundleError(
                    f"The bundle was changed: {where} no longer match the SHA-256 recorded "
                    "with them."
                )
            values = signed_values.local(
                r["signed_values"], where=where, agent_ref=r["agent"], **ids
            )
            plain = _plain("signoffs", r)
            del plain["signed_values_sha256"], plain["verification"]
            return FinanceSignOff(
                agent=self.ref("agents", r["agent"]),
                invite=self.ref("finance_invites", r["invite"]),
                values_sha256=signing.values_sha256(values),
                signed_values=signing.canonical_json(values),
                verification=self._verification(r),
                **plain,
            )

        valid = {}
        for index, r in enumerate(self.sections["signoffs"]):
            if r["status"] != FinanceSignOff.Status.VALID:
                continue
            if (other := valid.setdefault(r["agent"], index)) != index:
                raise BundleError(
                    f"The bundle has a wrong value at signoffs[{index}].status: the agent has "
                    f"another valid sign-off (signoffs[{other}]); an agent has at most one."
                )
        built = [(signoff(i, r), r) for i, r in enumerate(self.sections["signoffs"])]
        self.create("signoffs", FinanceSignOff, built)

    def _verification(self, r: dict) -> str:
        """VERIFIED when the bundle is sealed by a trusted server that held the sign-off as
        verified, and the sign-off's signature verifies against a trusted key over a message
        that names this sign-off's signer, moment and workshop and the values the bundle
        carries (up to ids); else UNVERIFIED."""
        unverified = FinanceSignOff.Verification.UNVERIFIED
        # The exporting server vouches, under its seal, for whether it had verified the
        # sign-off: one it held as unverified cannot come back verified by a new export.
        if not self.sealed or r["verification"] != FinanceSignOff.Verification.VERIFIED:
            return unverified
        if not r["signed_message"]:
            return unverified
        parts = signatures.message_parts(r["signed_message"])
        if parts is None or not signatures.signature_trusted(
            signed_message=r["signed_message"], signature=r["signature"], public_key=r["public_key"]
        ):
            return unverified
        recorded = (r["signer_name"], r["signer_title"], r["signed_at"])
        signed = (parts["signer_name"], parts["signer_title"], parts["signed_at"])
        if recorded != signed or parts["workshop_uid"] != str(self.sections["workshop"]["uid"]):
            return unverified
        try:
            signed_values_object = json.loads(parts["signed_values"])
        except ValueError:
            return unverified
        if not signed_values.signed_as_carried(
            signed_values_object, r["signed_values"], agent_ref=r["agent"]
        ):
            return unverified
        return FinanceSignOff.Verification.VERIFIED

    def _actions(self, workshop: Workshop) -> None:
        def action(index: int, r: dict) -> ActionItem:
            plain = _plain("actions", r)
            kpi = self.ref("kpis", r["kpi"])
            if kpi is not None:
                if plain["origin_key"]:
                    raise BundleError(
                        f"The bundle has a wrong value at actions[{index}].origin_key: a "
                        "baseline task's key is made from its KPI, so it must be empty."
                    )
                plain["origin_key"] = (
                    kpi.instrument_action_key
                    if plain["origin"] == ActionItem.Origin.INSTRUMENTATION
                    else kpi.baseline_action_key
                )
            return ActionItem(workshop=workshop, **plain)

        built = [(action(i, r), r) for i, r in enumerate(self.sections["actions"])]
        self.create("actions", ActionItem, built)

    def _quiz(self, workshop: Workshop) -> None:
        values = self.sections["quiz"]
        if values is None:
            if self.sections["question_runs"]:
                raise BundleError(
                    "The bundle is incomplete: it has knowledge-check questions but no “quiz”."
                )
            return
        quiz_round = QuizRound(workshop=workshop, **_plain("quiz", values))
        (quiz_round,) = self.create("quiz", QuizRound, [(quiz_round, values)])
        self.create(
            "question_runs",
            QuestionRun,
            self._records(
                "question_runs",
                lambda r: QuestionRun(
                    round=quiz_round,
                    question=self.questions[r["question"]],
                    **_plain("question_runs", r),
                ),
            ),
        )

        def answer(index: int, r: dict) -> QuizAnswer:
            run = self.ref("question_runs", r["run"])
            if not 0 <= r["choice"] < len(run.question.choices):
                raise BundleError(
                    f"The bundle has a wrong value at answers[{index}].choice: the question "
                    f"has {len(run.question.choices)} answers."
                )
            return QuizAnswer(
                run=run, participant=self.ref("participants", r["participant"]), choice=r["choice"]
            )

        built = [(answer(i, r), r) for i, r in enumerate(self.sections["answers"])]
        self.create("answers", QuizAnswer, built)
        if values["current_run"] is not None:
            quiz_round.current_run = self.ref("question_runs", values["current_run"])
            QuizRound.objects.filter(pk=quiz_round.pk).update(current_run=quiz_round.current_run)
