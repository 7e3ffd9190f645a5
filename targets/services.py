"""Block 4 writes: benchmark evidence, constraint analysis, value targets and economics inputs
(tables and facilitators); finance reviewers and invites (facilitators); change requests and
sign-offs (finance); reopening a signed-off agent (facilitators).

Every write runs in one transaction, refuses a signed-off agent's values (targets.locks) and
bumps the workshop's revision so every live screen refreshes.
"""

import datetime
import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from agents.models import Agent
from kpis.models import AgentKpi
from workshops.changes import AGENT_WORK, PRESENCE, REVIEW
from workshops.concurrency import EditConflict, versioned_update
from workshops.models import Workshop
from workshops.roles import facilitates
from workshops.services import workshop_touch

from . import economics, rules, selectors, signatures, signing
from .locks import refuse_if_locked
from .models import (
    AgentEconomics,
    BenchmarkEvidence,
    ConstraintAnalysis,
    FinanceChangeRequest,
    FinanceInvite,
    FinancePresence,
    FinanceSignOff,
    NoComparableEvidence,
    ValueTarget,
)
from .permissions import FinanceRole, reviewer_problem

BENCHMARK_FIELDS = [
    "kind",
    "description",
    "improvement_percent",
    "source",
    "discount_percent",
    "absolute_change",
]
CONSTRAINT_FIELDS = [
    "change_management",
    "data_readiness",
    "organisational_capacity",
    "other",
    "notes",
    "adoption_6m_percent",
    "adoption_12m_percent",
]
TARGET_FIELDS = [*rules.THRESHOLD_FIELDS, "assumptions"]
ECONOMICS_FIELDS = [
    "value_kpi",
    "value_per_unit",
    "value_basis",
    "period",
    "tasks_per_month",
    "model_cost_monthly",
    "other_monthly_cost",
    "build_cost",
]

FACILITATOR_CANNOT_SIGN = (
    "You run this workshop, so you cannot sign off its targets: finance signs off what the "
    "facilitators ran."
)
INVITE_DAYS_DEFAULT = 7
INVITE_DAYS_MAX = 30
STALE_VALUES = (
    "The table changed these values while you were reviewing them. Reload the page, review "
    "the latest values, then sign off."
)


def _tidy(text) -> str:
    return " ".join(str(text or "").split())


def _check_fields(values: dict, allowed: list[str]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")


def _agent_for_write(*, agent_id: int, table_id: int | None) -> Agent:
    """The agent, locked for this transaction, if it is at `table_id` (when given) and not
    signed off. Agent.DoesNotExist / AgentLocked otherwise."""
    scope = {"table_id": table_id} if table_id is not None else {}
    agent = Agent.objects.select_for_update().select_related("workshop").get(pk=agent_id, **scope)
    refuse_if_locked(agent)
    return agent


def _kpi_for_write(*, kpi: AgentKpi, table_id: int | None) -> tuple[Agent, AgentKpi]:
    agent = _agent_for_write(agent_id=kpi.agent_id, table_id=table_id)
    return agent, AgentKpi.objects.get(pk=kpi.pk, agent=agent)


def _create_or_update(model, *, kpi: AgentKpi, version: int | None, values: dict):
    """Create the KPI's one record of `model` (version None) or update it from `version`.
    EditConflict when someone created or saved it first."""
    existing = model.objects.filter(kpi=kpi).first()
    if existing is None:
        try:
            with transaction.atomic():
                return model.objects.create(kpi=kpi, **values)
        except IntegrityError:
            existing = model.objects.get(kpi=kpi)
    if version is None:
        raise EditConflict(existing)
    versioned_update(model, pk=existing.pk, version=version, values=values, scope={"kpi": kpi})
    return model.objects.get(pk=existing.pk)


# --- Step 2: benchmark evidence ---------------------------------------------------------------


def _clean_benchmark(values: dict) -> dict:
    _check_fields(values, BENCHMARK_FIELDS)
    cleaned = {
        "kind": values.get("kind") or "",
        "description": _tidy(values.get("description")),
        "improvement_percent": values.get("improvement_percent"),
        "source": _tidy(values.get("source")),
        "discount_percent": values.get("discount_percent"),
        "absolute_change": values.get("absolute_change"),
    }
    for name in ("improvement_percent", "discount_percent", "absolute_change"):
        if cleaned[name] is not None and not isinstance(cleaned[name], Decimal):
            raise ValidationError({name: "Enter a number, e.g. 35."})
    errors = rules.benchmark_errors(**cleaned)
    if errors:
        raise ValidationError(errors)
    if cleaned["kind"] != economics.VENDOR or cleaned["discount_percent"] is None:
        cleaned["discount_percent"] = economics.DISCOUNT_DEFAULT
    return cleaned


@transaction.atomic
def benchmark_add(*, kpi: AgentKpi, values: dict, table_id: int | None = None) -> BenchmarkEvidence:
    """Add benchmark evidence to the KPI: a similar organisation's result, or a vendor claim
    with its discount (30-50 %). Withdraws the KPI's "no comparable evidence" statement, if
    any. Bumps the workshop revision."""
    cleaned = _clean_benchmark(values)
    agent, kpi = _kpi_for_write(kpi=kpi, table_id=table_id)
    benchmark = BenchmarkEvidence.objects.create(kpi=kpi, **cleaned)
    NoComparableEvidence.objects.filter(kpi=kpi).delete()
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return benchmark


@transaction.atomic
def benchmark_update(
    *, benchmark: BenchmarkEvidence, version: int, values: dict, table_id: int | None = None
) -> BenchmarkEvidence:
    """Change a piece of benchmark evidence (e.g. the discount) if nobody saved since
    `version` (else EditConflict). Bumps the workshop revision."""
    cleaned = _clean_benchmark(values)
    agent, kpi = _kpi_for_write(kpi=benchmark.kpi, table_id=table_id)
    versioned_update(
        BenchmarkEvidence, pk=benchmark.pk, version=version, values=cleaned, scope={"kpi": kpi}
    )
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return BenchmarkEvidence.objects.get(pk=benchmark.pk)


@transaction.atomic
def benchmark_delete(*, benchmark: BenchmarkEvidence, table_id: int | None = None) -> None:
    """Remove a piece of benchmark evidence. Bumps the workshop revision."""
    agent, kpi = _kpi_for_write(kpi=benchmark.kpi, table_id=table_id)
    BenchmarkEvidence.objects.filter(pk=benchmark.pk, kpi=kpi).delete()
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])


@transaction.atomic
def no_evidence_set(
    *, kpi: AgentKpi, version: int | None, reason: str, table_id: int | None = None
) -> NoComparableEvidence:
    """State that no comparable evidence exists for the KPI, and why: creates the statement
    (version None) or saves it if nobody saved since `version` (else EditConflict). Refused
    (ValidationError on "reason") without a reason or while the KPI has benchmark evidence.
    Bumps the workshop revision."""
    if not isinstance(reason, str):
        raise ValidationError({"reason": "Say why there is no comparable evidence."})
    reason = _tidy(reason)
    agent, kpi = _kpi_for_write(kpi=kpi, table_id=table_id)
    has_benchmarks = BenchmarkEvidence.objects.filter(kpi=kpi).exists()
    if problem := rules.no_evidence_error(reason, has_benchmarks=has_benchmarks):
        raise ValidationError({"reason": problem})
    statement = _create_or_update(
        NoComparableEvidence, kpi=kpi, version=version, values={"reason": reason}
    )
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return statement


@transaction.atomic
def no_evidence_clear(*, kpi: AgentKpi, table_id: int | None = None) -> None:
    """Withdraw the KPI's "no comparable evidence" statement. Bumps the workshop revision."""
    agent, kpi = _kpi_for_write(kpi=kpi, table_id=table_id)
    NoComparableEvidence.objects.filter(kpi=kpi).delete()
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])


# --- Step 3: constraint analysis --------------------------------------------------------------


@transaction.atomic
def constraints_set(
    *, kpi: AgentKpi, version: int | None, values: dict, table_id: int | None = None
) -> ConstraintAnalysis:
    """Record what limits adoption and the adoption expected at 6 and 12 months: creates the
    analysis (version None) or saves it if nobody saved since `version` (else EditConflict).
    Bumps the workshop revision."""
    _check_fields(values, CONSTRAINT_FIELDS)
    cleaned = {name: bool(values.get(name)) for name in CONSTRAINT_FIELDS[:4]}
    cleaned["notes"] = (values.get("notes") or "").strip()
    for name in ("adoption_6m_percent", "adoption_12m_percent"):
        value = values.get(name)
        if value is not None and not isinstance(value, Decimal):
            raise ValidationError({name: "Enter the adoption as a number from 0 to 100."})
        cleaned[name] = value
    errors = rules.adoption_errors(
        adoption_6m_percent=cleaned["adoption_6m_percent"],
        adoption_12m_percent=cleaned["adoption_12m_percent"],
        constraints=cleaned,
        notes=cleaned["notes"],
    )
    if errors:
        raise ValidationError(errors)
    agent, kpi = _kpi_for_write(kpi=kpi, table_id=table_id)
    analysis = _create_or_update(ConstraintAnalysis, kpi=kpi, version=version, values=cleaned)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return analysis


# --- Step 4: value thresholds -----------------------------------------------------------------


@transaction.atomic
def targets_set(
    *, kpi: AgentKpi, version: int | None, values: dict, table_id: int | None = None
) -> ValueTarget:
    """Confirm the KPI's floor, target and stretch at 6 and 12 months with their assumptions.

    Refuses (ValidationError by field, naming the numbers) anything breaking the rules in
    targets.rules.target_errors, including a KPI without a baseline. Creates the targets
    (version None) or saves them if nobody saved since `version` (else EditConflict). Bumps
    the workshop revision.
    """
    _check_fields(values, TARGET_FIELDS)
    agent, kpi = _kpi_for_write(kpi=kpi, table_id=table_id)
    thresholds = {}
    for horizon in economics.HORIZONS:
        for level in economics.LEVELS:
            value = values.get(rules.field_name(horizon, level))
            if value is not None and not isinstance(value, Decimal):
                raise ValidationError(
                    {rules.field_name(horizon, level): f"Enter the {horizon}-month {level}."}
                )
            thresholds[(horizon, level)] = value
    assumptions = (values.get("assumptions") or "").strip()
    errors = rules.target_errors(
        kpi_name=kpi.name,
        direction=kpi.direction,
        baseline=kpi.baseline_value,
        values=thresholds,
        assumptions=assumptions,
    )
    if errors:
        raise ValidationError(errors)
    cleaned = {rules.field_name(h, level): v for (h, level), v in thresholds.items()}
    cleaned["assumptions"] = assumptions
    target = _create_or_update(ValueTarget, kpi=kpi, version=version, values=cleaned)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return target


# --- Economics --------------------------------------------------------------------------------


@transaction.atomic
def economics_set(
    *,
    agent: Agent,
    version: int | None,
    values: dict,
    workload_known: bool = False,
    table_id: int | None = None,
) -> AgentEconomics:
    """Save which KPI carries the agent's value, what a unit is worth, the monthly run cost
    inputs and the one-off build cost. Creates them (version None) or saves them if nobody
    saved since `version` (else EditConflict). Bumps the workshop revision."""
    _check_fields(values, ECONOMICS_FIELDS)
    agent = _agent_for_write(agent_id=agent.pk, table_id=table_id)
    value_kpi = values.get("value_kpi")
    if value_kpi is not None and value_kpi.agent_id != agent.pk:
        raise ValidationError({"value_kpi": "Choose one of this agent's KPIs."})
    cleaned = {
        "value_kpi": value_kpi,
        "value_per_unit": values.get("value_per_unit"),
        "value_basis": _tidy(values.get("value_basis")),
        "period": values.get("period") or "",
        "tasks_per_month": values.get("tasks_per_month"),
        "model_cost_monthly": values.get("model_cost_monthly"),
        "other_monthly_cost": values.get("other_monthly_cost")
        if values.get("other_monthly_cost") is not None
        else Decimal(0),
        "build_cost": values.get("build_cost"),
    }
    errors = rules.economics_errors(
        value_kpi_chosen=value_kpi is not None,
        value_per_unit=cleaned["value_per_unit"],
        period=cleaned["period"],
        build_cost=cleaned["build_cost"],
        other_monthly_cost=cleaned["other_monthly_cost"],
        model_cost_monthly=cleaned["model_cost_monthly"],
        tasks_per_month=cleaned["tasks_per_month"],
        workload_known=workload_known,
        value_basis=cleaned["value_basis"],
    )
    if errors:
        raise ValidationError(errors)
    existing = AgentEconomics.objects.filter(agent=agent).first()
    if existing is None:
        try:
            with transaction.atomic():
                saved = AgentEconomics.objects.create(agent=agent, **cleaned)
        except IntegrityError:
            raise EditConflict(AgentEconomics.objects.get(agent=agent)) from None
    elif version is None:
        raise EditConflict(existing)
    else:
        versioned_update(
            AgentEconomics, pk=existing.pk, version=version, values=cleaned, scope={"agent": agent}
        )
        saved = AgentEconomics.objects.get(pk=existing.pk)
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return saved


# --- Finance reviewers and invites (facilitator) ----------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def reviewer_add(*, workshop: Workshop, user) -> None:
    """Give an existing account the finance role on the workshop. Refused (ValidationError,
    nothing changed) for an account that facilitates it. Bumps the revision."""
    if problem := reviewer_problem(workshop=workshop, user=user):
        raise ValidationError(problem)
    workshop.finance_reviewers.add(user)
    workshop_touch(workshop_id=workshop.pk, scopes=REVIEW)


@transaction.atomic
def reviewer_create(
    *, workshop: Workshop, username: str, full_name: str, email: str, password: str
):
    """Create an account for a finance representative and give it the finance role on the
    workshop. The caller has validated the username and password."""
    first, _, last = full_name.strip().partition(" ")
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password, first_name=first, last_name=last
    )
    workshop.finance_reviewers.add(user)
    workshop_touch(workshop_id=workshop.pk, scopes=REVIEW)
    return user


@transaction.atomic
def reviewer_remove(*, workshop: Workshop, user) -> None:
    """Take the finance role on the workshop away from the account (sign-offs stay)."""
    workshop.finance_reviewers.remove(user)
    workshop_touch(workshop_id=workshop.pk, scopes=REVIEW)


@transaction.atomic
def invite_create(
    *,
    workshop: Workshop,
    name: str,
    title: str,
    created_by,
    valid_days: int = INVITE_DAYS_DEFAULT,
    now: datetime.datetime | None = None,
) -> tuple[FinanceInvite, str]:
    """Create a one-time finance invite valid for `valid_days`; returns it with the token
    (shown once in the link; only its SHA-256 is stored)."""
    if not 1 <= valid_days <= INVITE_DAYS_MAX:
        raise ValueError(f"An invite is valid for 1 to {INVITE_DAYS_MAX} days.")
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    invite = FinanceInvite.objects.create(
        workshop=workshop,
        name=_tidy(name),
        title=_tidy(title),
        token_hash=token_hash(token),
        created_by=created_by,
        expires_at=now + datetime.timedelta(days=valid_days),
    )
    workshop_touch(workshop_id=workshop.pk, scopes=REVIEW)
    return invite, token


@transaction.atomic
def invite_revoke(*, invite: FinanceInvite, now: datetime.datetime | None = None) -> None:
    """Revoke the invite: the link stops working, and so does a browser that opened it."""
    FinanceInvite.objects.filter(pk=invite.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    workshop_touch(workshop_id=invite.workshop_id, scopes=REVIEW)


class InviteRefused(Exception):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


INVITE_UNKNOWN = (
    "This finance invite link is not valid. Check that you copied the whole link, or ask the "
    "facilitator for a new one."
)
INVITE_REVOKED = "This finance invite was revoked by the facilitator. Ask them for a new link."
INVITE_USED = (
    "This finance invite link has already been used. Each link opens once, in one browser: "
    "ask the facilitator for a new one."
)


def invite_expired_message(invite: FinanceInvite) -> str:
    when = formats.date_format(timezone.localtime(invite.expires_at), "j M Y, H:i T")
    return f"This finance invite expired on {when}. Ask the facilitator for a new link."


def invite_check(*, token: str, now: datetime.datetime | None = None) -> FinanceInvite:
    """The invite the token opens, if it can still be used (InviteRefused otherwise)."""
    now = now or timezone.now()
    invite = (
        FinanceInvite.objects.select_related("workshop")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invite is None:
        raise InviteRefused(INVITE_UNKNOWN, status=404)
    state = invite.state(now)
    if state == "revoked":
        raise InviteRefused(INVITE_REVOKED)
    if state == "expired":
        raise InviteRefused(invite_expired_message(invite))
    if state == "used":
        raise InviteRefused(INVITE_USED)
    return invite


@transaction.atomic
def invite_redeem(*, token: str, now: datetime.datetime | None = None) -> FinanceInvite:
    """Use the invite (once): marks it used. InviteRefused when unknown, revoked, expired or
    used already; two browsers racing for one link: only the first gets it."""
    now = now or timezone.now()
    invite = invite_check(token=token, now=now)
    claimed = FinanceInvite.objects.filter(pk=invite.pk, used_at__isnull=True).update(used_at=now)
    if not claimed:
        raise InviteRefused(INVITE_USED)
    invite.used_at = now
    workshop_touch(workshop_id=invite.workshop_id, scopes=REVIEW)
    return invite


# --- Who of finance is in the room --------------------------------------------------------------

# A presence is stored at most this often per person (finance pages are opened again and again).
PRESENCE_REFRESH = datetime.timedelta(minutes=1)


def finance_seen(*, role: FinanceRole, now: datetime.datetime | None = None) -> FinancePresence:
    """Note that `role` has the workshop's finance pages open now (written at most once a
    minute; a fresher presence costs one read). Announces the change (presenter, projector,
    finance status) only when the person was not present before."""
    now = now or timezone.now()
    key = f"user:{role.user.pk}" if role.user is not None else f"invite:{role.invite.pk}"
    presence = FinancePresence.objects.filter(workshop=role.workshop, key=key).first()
    if presence is not None and now - presence.last_seen_at < PRESENCE_REFRESH:
        return presence
    return _finance_presence_store(role=role, key=key, presence=presence, now=now)


@transaction.atomic
def _finance_presence_store(
    *, role: FinanceRole, key: str, presence: FinancePresence | None, now: datetime.datetime
) -> FinancePresence:
    was_present = presence is not None and now - presence.last_seen_at < datetime.timedelta(
        minutes=FinancePresence.PRESENT_MINUTES
    )
    values = {"name": role.name, "title": role.title, "last_seen_at": now}
    if presence is None:
        presence, _created = FinancePresence.objects.update_or_create(
            workshop=role.workshop, key=key, defaults=values
        )
    else:
        FinancePresence.objects.filter(pk=presence.pk).update(**values)
        for name, value in values.items():
            setattr(presence, name, value)
    if not was_present:
        workshop_touch(workshop_id=role.workshop.pk, scopes=PRESENCE)
    return presence


# --- Finance review: change requests and sign-off ---------------------------------------------


def _agent_for_finance(*, agent: Agent, role: FinanceRole) -> Agent:
    if role.workshop.pk != agent.workshop_id:
        raise PermissionError("Finance of one workshop cannot act on another.")
    return Agent.objects.select_for_update().select_related("workshop").get(pk=agent.pk)


@transaction.atomic
def changes_request(*, agent: Agent, role: FinanceRole, comment: str) -> FinanceChangeRequest:
    """Send the agent's targets back to its table with a comment (shown on the table's
    screen). Refused while the agent is signed off. Bumps the workshop revision."""
    comment = (comment or "").strip()
    if problem := rules.comment_error(comment):
        raise ValidationError({"comment": problem})
    agent = _agent_for_finance(agent=agent, role=role)
    refuse_if_locked(agent)
    request = FinanceChangeRequest.objects.create(
        agent=agent,
        reviewer_name=role.name,
        reviewer_title=role.title,
        reviewer_user=role.user,
        invite=role.invite,
        comment=comment,
    )
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return request


@transaction.atomic
def signoff_record(
    *,
    agent: Agent,
    role: FinanceRole,
    title: str,
    seen_sha256: str,
    now: datetime.datetime | None = None,
) -> FinanceSignOff:
    """Sign the agent off: records the signer's name and role or title, the time, the
    SHA-256 of the canonical values finance saw (which lock them for the table) and this
    server's signature of them (generating the server's key on first use). Refused when
    already signed off, while an item of the sign-off checklist (targets.checklist) is open
    (its reasons are the error), or when the values changed since the reviewer loaded them
    (`seen_sha256`). Resolves open change requests. Bumps the workshop revision."""
    # Whoever runs the workshop (a facilitator of it, or a superuser) never signs it off.
    if facilitates(role.user, role.workshop):
        raise ValidationError(FACILITATOR_CANNOT_SIGN)
    title = _tidy(title or role.title)
    if not title:
        raise ValidationError({"title": "Give your role or title, e.g. 'CFO' or 'Finance lead'."})
    if problem := rules.text_error(title, "the role or title", limit=120):
        raise ValidationError({"title": problem})
    agent = _agent_for_finance(agent=agent, role=role)
    refuse_if_locked(agent)
    finance = selectors.agent_finance(agent_id=agent.pk)
    if missing := finance.missing_for_signoff:
        raise ValidationError(missing)
    if seen_sha256 != finance.sha256:
        raise ValidationError(STALE_VALUES)
    now = now or timezone.now()
    signed_values = signing.canonical_json(finance.values)
    signoff = FinanceSignOff.objects.create(
        agent=agent,
        signer_name=role.name,
        signer_title=title,
        signer_user=role.user,
        invite=role.invite,
        signed_at=now,
        values_sha256=finance.sha256,
        signed_values=signed_values,
        **signatures.signoff_signature(
            workshop_uid=agent.workshop.uid,
            signer_name=role.name,
            signer_title=title,
            signed_at=now,
            values_sha256=finance.sha256,
            signed_values=signed_values,
        ),
    )
    FinanceChangeRequest.objects.filter(agent=agent, resolved_at__isnull=True).update(
        resolved_at=now
    )
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    return signoff


@transaction.atomic
def signoff_reopen(
    *, agent: Agent, reason: str, voided_by, now: datetime.datetime | None = None
) -> FinanceSignOff:
    """Reopen a signed-off agent for its table: voids the valid sign-off with the reason (it
    stays in the history). Bumps the workshop revision."""
    reason = _tidy(reason)
    if problem := rules.reason_error(reason):
        raise ValidationError({"reason": problem})
    agent = Agent.objects.select_for_update().get(pk=agent.pk)
    signoff = FinanceSignOff.objects.in_force().filter(agent=agent).first()
    if signoff is None:
        raise ValidationError("This agent is not signed off, so there is nothing to reopen.")
    FinanceSignOff.objects.filter(pk=signoff.pk).update(
        status=FinanceSignOff.Status.VOID,
        void_reason=reason,
        voided_at=now or timezone.now(),
        voided_by=voided_by,
    )
    workshop_touch(workshop_id=agent.workshop_id, scopes=AGENT_WORK, table_ids=[agent.table_id])
    signoff.refresh_from_db()
    return signoff
