"""Every write of actuals. A correction keeps the earlier record (marked replaced); a KPI below
its floor two months running opens an action for the agent's owner."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kpis.models import AgentKpi
from workshops import changes, zones
from workshops.models import ActionItem
from workshops.services import GeneratedAction, actions_generate, workshop_touch

from . import status as tracking_status
from .models import AgentActual, ApiToken, KpiActual, OwnerLink
from .selectors import kpi_months, months_of

# An action item's due date after the second month below the floor.
FOLLOW_UP_DAYS = 14


class ActualExists(Exception):
    """The month already has an actual; saving again must say it replaces it."""

    def __init__(self, current):
        super().__init__(f"{current.period:%b %Y} already has an actual")
        self.current = current


def _this_month(workshop, now: datetime.datetime) -> datetime.date:
    return timezone.localtime(now, zones.zone(workshop)).date().replace(day=1)


def period_problem(*, workshop, period: datetime.date, now: datetime.datetime, earliest=None):
    """Why `period` cannot hold an actual (a sentence), or None. Actuals start the month after
    the workshop's (its month is the baseline's, month 0) and not before the baseline."""
    if period.day != 1:
        return "Give the month (its first day), e.g. 2027-03-01 for March 2027."
    if period > _this_month(workshop, now):
        return f"{period:%B %Y} has not started yet; enter actuals for months that have."
    first = tracking_status.add_months(workshop.date.replace(day=1), 1)
    if period < first:
        return (
            f"Actuals start with {first:%B %Y}, the first month after the workshop "
            f"({workshop.date:%d %b %Y})."
        )
    if earliest is not None and period < earliest.replace(day=1):
        return (
            f"{period:%B %Y} is before the baseline ({earliest:%d %b %Y}); actuals start with "
            "the baseline's month."
        )
    return None


def _check_period(*, workshop, period, now, earliest=None):
    if problem := period_problem(workshop=workshop, period=period, now=now, earliest=earliest):
        raise ValidationError({"period": problem})


def _current_or_replace(model, *, replace: bool, now, **where):
    current = model.objects.select_for_update().filter(replaced_at__isnull=True, **where).first()
    if current is None:
        return
    if not replace:
        raise ActualExists(current)
    model.objects.filter(pk=current.pk).update(replaced_at=now)


@transaction.atomic
def kpi_actual_record(
    *,
    kpi: AgentKpi,
    period: datetime.date,
    value: Decimal,
    source: str,
    note: str = "",
    entered_by: str,
    now: datetime.datetime,
    replace: bool = False,
) -> KpiActual:
    """Record the KPI's actual for the month `period` (its first day). A month that has one
    raises ActualExists unless `replace`, which keeps the earlier one marked replaced. Refuses
    (ValidationError) a month not started yet or before the baseline's month. Opens an action
    for the agent's owner when the KPI is below its floor two months running. Bumps the
    workshop's revision."""
    workshop = kpi.agent.workshop
    _check_period(workshop=workshop, period=period, now=now, earliest=kpi.baseline_as_of)
    _current_or_replace(KpiActual, replace=replace, now=now, kpi=kpi, period=period)
    actual = KpiActual.objects.create(
        kpi=kpi,
        period=period,
        value=value,
        source=source,
        note=note,
        entered_by=entered_by,
        entered_at=now,
    )
    _below_floor_follow_up(kpi=kpi, now=now)
    workshop_touch(workshop_id=workshop.pk, scopes=changes.REVIEW)
    return actual


@transaction.atomic
def agent_actual_record(
    *,
    agent,
    period: datetime.date,
    run_cost: Decimal,
    tasks: int | None,
    source: str,
    note: str = "",
    entered_by: str,
    now: datetime.datetime,
    replace: bool = False,
) -> AgentActual:
    """Record the agent's actual run cost (workshop currency) and volume for the month, with
    the same month rules and replacement as `kpi_actual_record`. Bumps the revision."""
    _check_period(workshop=agent.workshop, period=period, now=now)
    _current_or_replace(AgentActual, replace=replace, now=now, agent=agent, period=period)
    actual = AgentActual.objects.create(
        agent=agent,
        period=period,
        run_cost=run_cost,
        tasks=tasks,
        source=source,
        note=note,
        entered_by=entered_by,
        entered_at=now,
    )
    workshop_touch(workshop_id=agent.workshop_id, scopes=changes.REVIEW)
    return actual


def _below_floor_action(*, kpi: AgentKpi, rows, now: datetime.datetime):
    """The action for the agent's owner when the KPI is below its floor two months running
    (None otherwise)."""
    if rows is None or tracking_status.below_floor_run(rows) < 2:
        return None
    latest = next(row for row in reversed(rows) if row.status != tracking_status.NO_DATA)
    agent = kpi.agent
    return GeneratedAction(
        origin_key=f"tracking:floor:kpi:{kpi.pk}:{latest.period:%Y-%m}",
        owner=agent.owner_name or "Agent owner",
        action=(
            f"{agent.name}: “{kpi.name}” has been below its floor for two months running "
            f"(latest {latest.period:%b %Y}). Find the cause and agree the next step."
        ),
        due_date=timezone.localtime(now, zones.zone(agent.workshop)).date()
        + datetime.timedelta(days=FOLLOW_UP_DAYS),
    )


def _below_floor_follow_up(*, kpi: AgentKpi, now: datetime.datetime) -> None:
    action = _below_floor_action(kpi=kpi, rows=kpi_months(kpi=kpi, now=now), now=now)
    if action is not None:
        actions_generate(
            workshop=kpi.agent.workshop, origin=ActionItem.Origin.TRACKING, items=[action]
        )


# --- Systems: API tokens and bulk actuals ---------------------------------------------------

TOKEN_PREFIX = "fwt_"  # noqa: S105 - marks our tokens, not a secret


def api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(
    *, workshop, name: str, scope: str, created_by: str, now: datetime.datetime
) -> tuple[ApiToken, str]:
    """A new token for the workshop's actuals; returns it with the token itself, which is
    shown once and never stored (only its SHA-256). Bumps the revision."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        workshop=workshop,
        name=name,
        scope=scope,
        token_hash=api_token_hash(token),
        prefix=token[:10],
        created_by=created_by,
        created_at=now,
    )
    workshop_touch(workshop_id=workshop.pk, scopes=changes.REVIEW)
    return record, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, now: datetime.datetime) -> bool:
    """Stop the token working at once; False when it was revoked already."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        workshop_touch(workshop_id=token.workshop_id, scopes=changes.REVIEW)
    return bool(revoked)


@dataclass(frozen=True)
class ActualRow:
    index: int
    kpi_id: int
    period: datetime.date
    value: Decimal
    source: str
    note: str = ""
    replace: bool = False


class ImportRefused(Exception):
    """Rows that cannot be saved; `problems` is [{"index", "problem"}] and nothing was saved."""

    def __init__(self, problems: list[dict]):
        super().__init__(f"{len(problems)} actuals refused")
        self.problems = problems


@transaction.atomic
def kpi_actuals_import(
    *, workshop, rows: list[ActualRow], entered_by: str, now: datetime.datetime
) -> int:
    """Save many KPI actuals of one workshop at once, all or nothing: each row's KPI must be
    the workshop's, its month one that takes actuals (`period_problem`), not twice in the
    rows, and a month that has an actual needs `replace` (the earlier one is kept, marked
    replaced). Raises ImportRefused naming every problem. Opens the below-floor actions as
    `kpi_actual_record` does; bumps the revision once. Returns how many were saved."""
    kpis = {
        kpi.pk: kpi
        for kpi in AgentKpi.objects.filter(agent__workshop=workshop).select_related(
            "agent__workshop", "value_target"
        )
    }
    problems, seen = [], set()
    for row in rows:
        kpi = kpis.get(row.kpi_id)
        if kpi is None:
            problem = f"There is no KPI {row.kpi_id} in this workshop."
        elif (row.kpi_id, row.period) in seen:
            problem = f"KPI {row.kpi_id} has {row.period:%Y-%m} twice in this request."
        else:
            problem = period_problem(
                workshop=workshop, period=row.period, now=now, earliest=kpi.baseline_as_of
            )
        seen.add((row.kpi_id, row.period))
        if problem:
            problems.append({"index": row.index, "problem": problem})
    existing = {
        (actual.kpi_id, actual.period): actual.pk
        for actual in KpiActual.objects.filter(
            kpi_id__in={row.kpi_id for row in rows},
            period__in={row.period for row in rows},
            replaced_at__isnull=True,
        ).only("pk", "kpi_id", "period")
    }
    for row in rows:
        if (row.kpi_id, row.period) in existing and not row.replace:
            problems.append(
                {
                    "index": row.index,
                    "problem": f"KPI {row.kpi_id} has an actual for {row.period:%Y-%m} already; "
                    'send "replace": true to replace it (the earlier one is kept).',
                }
            )
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p["index"]))
    replaced = [existing[(r.kpi_id, r.period)] for r in rows if (r.kpi_id, r.period) in existing]
    if replaced:
        KpiActual.objects.filter(pk__in=replaced).update(replaced_at=now)
    KpiActual.objects.bulk_create(
        KpiActual(
            kpi_id=row.kpi_id,
            period=row.period,
            value=row.value,
            source=row.source,
            note=row.note,
            entered_by=entered_by,
            entered_at=now,
        )
        for row in rows
    )
    _follow_ups(kpis=[kpis[pk] for pk in {row.kpi_id for row in rows}], now=now)
    workshop_touch(workshop_id=workshop.pk, scopes=changes.REVIEW)
    return len(rows)


def _follow_ups(*, kpis: list[AgentKpi], now: datetime.datetime) -> None:
    """The below-floor check of many KPIs, reading their current actuals in one query."""
    current: dict[int, list] = {kpi.pk: [] for kpi in kpis}
    for actual in KpiActual.objects.filter(kpi__in=kpis, replaced_at__isnull=True):
        current[actual.kpi_id].append(actual)
    actions = [
        _below_floor_action(kpi=kpi, rows=months_of(kpi, current[kpi.pk], now), now=now)
        for kpi in kpis
    ]
    items = [action for action in actions if action is not None]
    if items:
        actions_generate(
            workshop=kpis[0].agent.workshop, origin=ActionItem.Origin.TRACKING, items=items
        )


# --- Agent owners: a link to enter the agent's actuals each month ---------------------------

OWNER_LINK_DAYS = 120


class OwnerLinkRefused(Exception):
    """The link does not open: the message says why, without naming the agent."""


@transaction.atomic
def owner_link_create(
    *, agent, name: str, created_by: str, now: datetime.datetime, days: int = OWNER_LINK_DAYS
) -> tuple[OwnerLink, str]:
    """A link for the agent's owner to enter its actuals, valid `days` days; returns it with
    its token (shown once; only the SHA-256 is kept). Bumps the revision."""
    token = secrets.token_urlsafe(32)
    link = OwnerLink.objects.create(
        agent=agent,
        name=name,
        token_hash=api_token_hash(token),
        created_by=created_by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    workshop_touch(workshop_id=agent.workshop_id, scopes=changes.NOT_LIVE)
    return link, token


def owner_link_open(*, token: str, now: datetime.datetime) -> OwnerLink:
    """The link for `token` if it works now (its use recorded); OwnerLinkRefused otherwise."""
    link = (
        OwnerLink.objects.select_related("agent__workshop")
        .filter(token_hash=api_token_hash(token))
        .first()
    )
    if link is None:
        raise OwnerLinkRefused("This link is not valid. Ask the workshop's facilitator for one.")
    state = link.state(now)
    if state == "revoked":
        raise OwnerLinkRefused(
            "This link was revoked. Ask the workshop's facilitator for a new one."
        )
    if state == "expired":
        raise OwnerLinkRefused(
            "This link has expired. Ask the workshop's facilitator for a new one."
        )
    OwnerLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return link


@transaction.atomic
def owner_link_revoke(*, link: OwnerLink, now: datetime.datetime) -> bool:
    revoked = OwnerLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        workshop_touch(workshop_id=link.agent.workshop_id, scopes=changes.NOT_LIVE)
    return bool(revoked)
