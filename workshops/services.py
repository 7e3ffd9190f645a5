"""Every write to a workshop, its tables, agenda, pre-work and actions."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from . import codes, guide
from .models import ActionItem, AgendaItem, BreakoutTable, PreworkItem, Workshop


def workshop_touch(*, workshop_id: int) -> None:
    """Bump the workshop's revision so every live screen polling it refreshes.

    Call inside the transaction of the change it announces.
    """
    Workshop.objects.filter(pk=workshop_id).update(revision=F("revision") + 1)


@transaction.atomic
def workshop_create(
    *,
    facilitator: User,
    client_organisation: str,
    date: datetime.date,
    title: str = "AI FinOps Workshop",
    venue: str = "",
    currency: str = "USD",
    usd_exchange_rate: Decimal = Decimal("1"),
) -> Workshop:
    """Create a workshop facilitated by `facilitator`, with the guide's agenda, pre-work
    checklist and post-workshop actions (due dates counted from the workshop date)."""
    workshop = Workshop.objects.create(
        client_organisation=client_organisation,
        title=title,
        date=date,
        venue=venue,
        currency=currency,
        usd_exchange_rate=usd_exchange_rate,
    )
    workshop.facilitators.add(facilitator)
    AgendaItem.objects.bulk_create(
        AgendaItem(
            workshop=workshop,
            block=block,
            position=position,
            title=item_title,
            planned_minutes=minutes,
            facilitator_notes=notes,
        )
        for position, (block, item_title, minutes, notes) in enumerate(guide.AGENDA, start=1)
    )
    PreworkItem.objects.bulk_create(
        PreworkItem(workshop=workshop, key=key, title=item_title, description=text, position=i)
        for i, (key, item_title, text) in enumerate(guide.PREWORK, start=1)
    )
    actions_schedule_guide(workshop=workshop)
    return workshop


@transaction.atomic
def actions_schedule_guide(*, workshop: Workshop) -> None:
    """Create or re-date the guide's four post-workshop actions from the workshop date.

    Actions already done keep their date; the rest follow the workshop date.
    """
    for key, owner, action, days in guide.POST_WORKSHOP_ACTIONS:
        due = workshop.date + datetime.timedelta(days=days)
        item, created = ActionItem.objects.get_or_create(
            workshop=workshop,
            origin_key=key,
            defaults={
                "owner": owner,
                "action": action,
                "due_date": due,
                "origin": ActionItem.Origin.GUIDE,
            },
        )
        if not created and item.status != ActionItem.Status.DONE and item.due_date != due:
            ActionItem.objects.filter(pk=item.pk).update(due_date=due, version=F("version") + 1)
    workshop_touch(workshop_id=workshop.pk)


def _unused_code() -> str:
    while True:
        code = codes.new_code()
        if not BreakoutTable.objects.filter(join_code=code).exists():
            return code


@transaction.atomic
def table_create(*, workshop: Workshop, name: str) -> BreakoutTable:
    """Add a breakout table with a fresh join code at the end of the workshop's tables."""
    position = workshop.tables.count() + 1
    table = BreakoutTable.objects.create(
        workshop=workshop, name=name, join_code=_unused_code(), position=position
    )
    workshop_touch(workshop_id=workshop.pk)
    return table


@transaction.atomic
def table_rotate_code(*, table: BreakoutTable) -> BreakoutTable:
    """Give the table a new join code; the old one stops working at once."""
    table.join_code = _unused_code()
    table.save(update_fields=["join_code"])
    workshop_touch(workshop_id=table.workshop_id)
    return table
