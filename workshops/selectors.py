"""The reads the workshop pages need, with a query count that does not grow with rows."""

import datetime

from django.db.models import Count, Q, QuerySet, Sum

from . import agenda_times, zones
from .models import ActionItem, AgendaItem, BreakoutTable, Narrative, PreworkItem, Workshop


def workshops_for_facilitator(*, user) -> QuerySet[Workshop]:
    return (
        Workshop.objects.filter(facilitators=user)
        .annotate(
            agent_count=Count("agents", distinct=True),
            table_count=Count("tables", distinct=True),
            open_prework=Count(
                "prework_items", filter=Q(prework_items__status="open"), distinct=True
            ),
        )
        .order_by("-date", "client_organisation")
    )


# --- Facilitator console ----------------------------------------------------------------------

FINANCE_PREWORK_KEY = "invite-finance"


def workshop_overview(*, workshop: Workshop, today: datetime.date) -> dict:
    """What the workshop page shows besides the workshop itself: tables with their agent
    counts, agent totals, open pre-work, agenda length, action counts. Five queries."""
    tables = list(tables_for_console(workshop=workshop))
    agent_totals = workshop.agents.aggregate(
        total=Count("pk"), unassigned=Count("pk", filter=Q(table__isnull=True))
    )
    prework = list(workshop.prework_items.all())
    open_prework = [item for item in prework if item.status == PreworkItem.Status.OPEN]
    agenda = workshop.agenda_items.aggregate(minutes=Sum("planned_minutes"), count=Count("pk"))
    actions = workshop.actions.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status=ActionItem.Status.DONE)),
    )
    return {
        "rate_display": format(workshop.usd_exchange_rate.normalize(), "f"),
        "zone_label": zones.label(workshop),
        "tables": tables,
        "agent_count": agent_totals["total"],
        "unassigned_count": agent_totals["unassigned"],
        "prework": prework,
        "open_prework": open_prework,
        # The guide: finance presence in Block 4 is non-negotiable for target validation.
        "finance_invite_open": any(item.key == FINANCE_PREWORK_KEY for item in open_prework),
        "agenda_minutes": agenda["minutes"] or 0,
        "agenda_clock": agenda_times.clock(agenda["minutes"] or 0),
        "agenda_count": agenda["count"],
        "actions": actions,
    }


def tables_for_console(*, workshop: Workshop) -> QuerySet[BreakoutTable]:
    """The workshop's tables with how many agents sit at each and how many people joined."""
    return workshop.tables.annotate(
        agent_count=Count("agents", distinct=True),
        participant_count=Count(
            "participants", filter=Q(participants__removed=False), distinct=True
        ),
    ).order_by("position", "name")


def agenda_for_console(*, workshop: Workshop) -> dict:
    """The agenda as the guide prints it: the four blocks, each activity with its start and
    end time counted from 0:00 and on the venue's clock from the workshop's start, block
    lengths and the total. One query."""
    items = list(workshop.agenda_items.order_by("position"))
    slots = agenda_times.time_slots([item.planned_minutes for item in items])
    opening = zones.starts_at(workshop)
    blocks = {
        number: {"number": number, "label": label, "minutes": 0, "rows": []}
        for number, label in AgendaItem.Block.choices
    }
    for item, (start, end) in zip(items, slots, strict=True):
        block = blocks[item.block]
        block["minutes"] += item.planned_minutes
        block["rows"].append(
            {
                "item": item,
                "slot": agenda_times.slot_label(start, end),
                "at": agenda_times.wall_label(opening, (start, end)),
            }
        )
    total = slots[-1][1] if slots else 0
    return {
        "blocks": [block for block in blocks.values() if block["rows"]],
        "total_minutes": total,
        "total_clock": agenda_times.clock(total),
        "opening": opening,
        "closing": agenda_times.at(opening, total),
        "zone_label": zones.label(workshop),
    }


def actions_for_console(*, workshop: Workshop, today: datetime.date) -> list[ActionItem]:
    """The workshop's post-workshop actions by due date, each marked `is_overdue` (due before
    today and not done)."""
    actions = list(workshop.actions.order_by("due_date", "pk"))
    for action in actions:
        action.is_overdue = action.due_date < today and action.status != ActionItem.Status.DONE
    return actions


def narrative_meta(*, workshop: Workshop) -> Narrative | None:
    """The workshop's uploaded narrative PDF (name, size, when; not its bytes), or None. One
    query."""
    return (
        Narrative.objects.filter(workshop_id=workshop.pk)
        .only("filename", "size", "uploaded_at", "workshop_id")
        .first()
    )
