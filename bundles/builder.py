"""Creating a bundle's records: each checked by its model's `full_clean`, saved in bulk, with
the moments the bundle recorded kept (which `auto_now` fields would otherwise overwrite).
Refs are resolved to the objects just created, usernames to accounts here, catalogue keys to
this server's catalogue rows."""

import secrets
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from agents.models import Agent
from foundation.models import Answer as QuizAnswer
from foundation.models import LLMModel, Question, QuestionRun, QuizRound
from kpis.models import AgentKpi, KpiDefinition
from targets import signing
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
    Participant,
    PreworkItem,
    Workshop,
)

from . import format as bundle_format
from . import sections, signed_values
from .format import BundleError

SECTIONS = {section.name: section for section in sections.SECTIONS}
# Bundle keys that are not plain model fields (relations, resolved by the builder).
_RELATION_KINDS = ("ref:", "username", "key", "model", "usernames", "object")


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

    def __init__(self, sections: dict, *, importer):
        self.sections = sections
        self.importer = importer
        self.objects: dict[str, dict[str, object]] = {}  # section -> {ref: saved object}
        self.unknown_users: set[str] = set()
        self.users = self._users()

    # --- lookups ------------------------------------------------------------------------------

    def _users(self) -> dict:
        names = set()
        for name, section in SECTIONS.items():
            records = self.sections[name]
            if section.single:
                records = [records] if records else []
            for record in records:
                for key, (kind, _) in section.fields.items():
                    if kind == "username" and record[key]:
                        names.add(record[key])
                    elif kind == "usernames":
                        names.update(record[key])
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        self.unknown_users = names - set(users)
        return users

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

    def user(self, username: str | None):
        return self.users.get(username) if username else None

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
        workshop = Workshop(**{**_plain("workshop", values), "uid": uid, "title": title})
        (workshop,) = self.create("workshop", Workshop, [(workshop, values)])
        facilitators = [self.users[n] for n in values["facilitators"] if n in self.users]
        if self.importer is not None:
            facilitators.append(self.importer)
        workshop.facilitators.set(facilitators)
        workshop.finance_reviewers.set(
            [self.users[n] for n in values["finance_reviewers"] if n in self.users]
        )
        self._room(workshop)
        self._agents(workshop)
        self._finance(workshop)
        self._actions(workshop)
        self._quiz(workshop)
        return workshop

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
        def agent(r: dict) -> Agent:
            model = r["workload_model"]
            return Agent(
                workshop=workshop,
                table=self.ref("tables", r["table"]),
                workload_model=self.models[(model["provider"], model["name"])] if model else None,
                **_plain("agents", r),
            )

        self.create("agents", Agent, self._records("agents", agent))
        self.create(
            "kpis",
            AgentKpi,
            self._records(
                "kpis",
                lambda r: AgentKpi(
                    agent=self.ref("agents", r["agent"]),
                    definition=self.definitions[r["definition"]] if r["definition"] else None,
                    **_plain("kpis", r),
                ),
            ),
        )
        self.create(
            "benchmarks",
            BenchmarkEvidence,
            self._records(
                "benchmarks",
                lambda r: BenchmarkEvidence(
                    kpi=self.ref("kpis", r["kpi"]), **_plain("benchmarks", r)
                ),
            ),
        )
        for section, model in (
            ("no_evidence", NoComparableEvidence),
            ("constraint_analyses", ConstraintAnalysis),
            ("value_targets", ValueTarget),
        ):
            self.create(
                section,
                model,
                self._records(
                    section,
                    lambda r, model=model, section=section: model(
                        kpi=self.ref("kpis", r["kpi"]), **_plain(section, r)
                    ),
                ),
            )

        def economics(index: int, r: dict) -> AgentEconomics:
            agent, value_kpi = self.ref("agents", r["agent"]), self.ref("kpis", r["value_kpi"])
            if value_kpi is not None and value_kpi.agent_id != agent.pk:
                raise BundleError(
                    f"The bundle has a wrong value at agent_economics[{index}].value_kpi: "
                    "the KPI that carries the value must be one of the agent's own KPIs."
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
                    created_by=self.user(r["created_by"]),
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
                    reviewer_user=self.user(r["reviewer_user"]),
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
            del plain["signed_values_sha256"]
            return FinanceSignOff(
                agent=self.ref("agents", r["agent"]),
                signer_user=self.user(r["signer_user"]),
                invite=self.ref("finance_invites", r["invite"]),
                voided_by=self.user(r["voided_by"]),
                values_sha256=signing.values_sha256(values),
                signed_values=signing.canonical_json(values),
                **plain,
            )

        built = [(signoff(i, r), r) for i, r in enumerate(self.sections["signoffs"])]
        self.create("signoffs", FinanceSignOff, built)

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
                plain["origin_key"] = kpi.baseline_action_key
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
