"""Every write of actuals. A correction keeps the earlier record (marked replaced); a KPI below
its floor two months running opens an action for the agent's owner."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kpis.models import AgentKpi
from workshops import changes, zones
from workshops.models import ActionItem
from workshops.services import action_generate, workshop_touch

from . import status as tracking_status
from .models import AgentActual, KpiActual
from .selectors import kpi_months

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
    workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)
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
    workshop_touch(workshop_id=agent.workshop_id, scopes=changes.NOT_LIVE)
    return actual


def _below_floor_follow_up(*, kpi: AgentKpi, now: datetime.datetime) -> None:
    rows = kpi_months(kpi=kpi, now=now)
    if rows is None or tracking_status.below_floor_run(rows) < 2:
        return
    latest = next(row for row in reversed(rows) if row.status != tracking_status.NO_DATA)
    agent = kpi.agent
    action_generate(
        workshop=agent.workshop,
        origin=ActionItem.Origin.TRACKING,
        origin_key=f"tracking:floor:kpi:{kpi.pk}:{latest.period:%Y-%m}",
        owner=agent.owner_name or "Agent owner",
        action=(
            f"{agent.name}: “{kpi.name}” has been below its floor for two months running "
            f"(latest {latest.period:%b %Y}). Find the cause and agree the next step."
        )[:500],
        due_date=timezone.localtime(now, zones.zone(agent.workshop)).date()
        + datetime.timedelta(days=FOLLOW_UP_DAYS),
    )
