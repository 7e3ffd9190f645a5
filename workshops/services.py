"""Every write to a workshop, its tables, agenda, pre-work and actions."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from common import pdffile

from . import changes, codes, guide, progress, roles, zones
from .concurrency import versioned_update
from .models import ActionItem, AgendaItem, BreakoutTable, Narrative, PreworkItem, Workshop


def workshop_touch(
    *,
    workshop_id: int,
    scopes: frozenset[changes.Scope] = changes.EVERYTHING,
    table_ids: Iterable[int | None] | None = None,
) -> None:
    """Bump the workshop's revision and those of the scopes the change reaches (one of the
    kinds in `workshops.changes`), so exactly the live regions that show it refresh.
    `table_ids` are the tables whose own things changed (None: every table; an unseated
    agent's None is skipped). BOARD with TABLE bumps the named tables' summaries; MARKS bumps
    the board and a named table's summary when the digest of what they show of its agents
    changed, and stores the new digest.

    Call inside the transaction of the change it announces.
    """
    # The workshop's row first: it orders concurrent changes in one workshop, so two saves at
    # one table digest it in turn.
    bumps = {field: F(field) + 1 for field in ["revision", *changes.workshop_bumps(scopes)]}
    Workshop.objects.filter(pk=workshop_id).update(**bumps)
    tables = BreakoutTable.objects.filter(workshop_id=workshop_id)
    if table_ids is not None:
        tables = tables.filter(pk__in=[pk for pk in table_ids if pk is not None])
    if not scopes & {changes.Scope.TABLE, changes.Scope.MARKS}:
        return
    if changes.Scope.BOARD in scopes:
        tables.update(revision=F("revision") + 1, summary_revision=F("summary_revision") + 1)
        return
    tables.update(revision=F("revision") + 1)
    if changes.Scope.MARKS not in scopes:
        return
    moved = []
    for table_id, digest in tables.values_list("pk", "summary_digest"):
        fresh = progress.table_digest(table_id=table_id)
        if fresh != digest:
            BreakoutTable.objects.filter(pk=table_id).update(summary_digest=fresh)
            moved.append(table_id)
    if moved:
        BreakoutTable.objects.filter(pk__in=moved).update(
            summary_revision=F("summary_revision") + 1
        )
        Workshop.objects.filter(pk=workshop_id).update(board_revision=F("board_revision") + 1)


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
    usd_rate_date: datetime.date | None = None,
    usd_rate_source: str = "",
    number_format: str = "comma-point",
    pricing_date: datetime.date | None = None,
    why_now: str = "",
    narrative_url: str = "",
    start_time: datetime.time | None = None,
    time_zone: str = "",
) -> Workshop:
    """Create a workshop facilitated by `facilitator`, with the guide's agenda, pre-work
    checklist and post-workshop actions (due dates counted from the workshop date). Model
    prices are those in force on `pricing_date` (default: the workshop date)."""
    workshop = Workshop.objects.create(
        client_organisation=client_organisation,
        title=title,
        date=date,
        pricing_date=pricing_date or date,
        venue=venue,
        currency=currency,
        usd_exchange_rate=usd_exchange_rate,
        usd_rate_date=usd_rate_date,
        usd_rate_source=usd_rate_source,
        number_format=number_format,
        why_now=why_now,
        narrative_url=narrative_url,
        start_time=start_time or datetime.time(9, 0),
        time_zone=time_zone or zones.default_name(),
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
    ActionItem.objects.bulk_create(
        ActionItem(
            workshop=workshop,
            origin_key=key,
            owner=owner,
            action=action,
            due_date=date + datetime.timedelta(days=days),
            origin=ActionItem.Origin.GUIDE,
        )
        for key, owner, action, days in guide.POST_WORKSHOP_ACTIONS
    )
    workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)
    return workshop


@transaction.atomic
def facilitator_role_grant(*, user: User) -> User:
    """Give the account the facilitator role (the Facilitators group): it may create and
    import workshops. Changes no workshop."""
    user.groups.add(roles.facilitators_group())
    roles.forget_cached_permissions(user)
    return user


@transaction.atomic
def catalogue_admin_grant(*, user: User) -> User:
    """Make the account a catalogue administrator: staff (the admin, price catalogue imports)
    with the Catalogue administrators group. Changes no workshop."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(roles.catalogue_admins_group())
    roles.forget_cached_permissions(user)
    return user


def facilitator_problem(*, workshop: Workshop, user: User) -> str | None:
    """Why the account cannot facilitate the workshop, or None."""
    if not roles.is_facilitator(user):
        return (
            f"{user.get_username()} is not a facilitator account. A catalogue administrator can "
            "make it one first."
        )
    if workshop.finance_reviewers.filter(pk=user.pk).exists():
        return (
            f"{user.get_username()} reviews this workshop for finance, so it cannot also "
            "facilitate it: finance signs off what the facilitators ran."
        )
    return None


@transaction.atomic
def facilitator_add(*, workshop: Workshop, user: User) -> None:
    """Make the account a facilitator of the workshop. Refused (ValidationError, nothing
    changed) for an account without the facilitator role or one that reviews the workshop for
    finance. Bumps the revision."""
    if problem := facilitator_problem(workshop=workshop, user=user):
        raise ValidationError(problem)
    workshop.facilitators.add(user)
    workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)


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
    workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)


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
    workshop_touch(workshop_id=workshop.pk, scopes=changes.SEATING, table_ids=[table.pk])
    return table


@transaction.atomic
def table_rotate_code(*, table: BreakoutTable) -> BreakoutTable:
    """Give the table a new join code; the old one stops working at once."""
    table.join_code = _unused_code()
    table.save(update_fields=["join_code"])
    workshop_touch(workshop_id=table.workshop_id, scopes=changes.OVERVIEW)
    return table


# --- Facilitator console: workshop details, tables, agenda, pre-work, actions ---------------

WORKSHOP_FIELDS = [
    "start_time",
    "time_zone",
    "why_now",
    "narrative_url",
    "client_organisation",
    "title",
    "date",
    "venue",
    "currency",
    "usd_exchange_rate",
    "usd_rate_date",
    "usd_rate_source",
    "number_format",
    "status",
]


@transaction.atomic
def workshop_update(*, workshop: Workshop, values: dict) -> Workshop:
    """Change the workshop's details (client, title, date, venue, currency, exchange rate
    with its date and source, number format, status). A new date re-dates the guide's
    post-workshop actions that are not done. Bumps the revision. Returns the workshop as saved."""
    unknown = set(values) - set(WORKSHOP_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    date_changed = "date" in values and values["date"] != workshop.date
    for name, value in values.items():
        setattr(workshop, name, value)
    workshop.save(update_fields=[*values, "updated_at"])
    if date_changed:
        actions_schedule_guide(workshop=workshop)
    workshop_touch(workshop_id=workshop.pk, scopes=changes.EVERYTHING)
    workshop.refresh_from_db()
    return workshop


@transaction.atomic
def narrative_upload(
    *, workshop: Workshop, filename: str, content: bytes, now: datetime.datetime
) -> Narrative:
    """Keep `content` as the workshop's Pillar 5 narrative PDF, replacing the one before (its
    name cleaned by `common.pdffile.pdf_filename`). Raises ValueError with the reason when the
    bytes are not a PDF the app keeps (`common.pdffile.pdf_problem`). Bumps the revision."""
    if problem := pdffile.pdf_problem(content):
        raise ValueError(problem)
    narrative, _ = Narrative.objects.update_or_create(
        workshop=workshop,
        defaults={
            "filename": pdffile.pdf_filename(filename),
            "size": len(content),
            "content": content,
            "uploaded_at": now,
        },
    )
    workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)
    return narrative


@transaction.atomic
def narrative_remove(*, workshop: Workshop) -> bool:
    """Delete the workshop's narrative PDF; False when there was none. Bumps the revision
    when one was deleted."""
    deleted, _ = Narrative.objects.filter(workshop=workshop).delete()
    if deleted:
        workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)
    return bool(deleted)


@transaction.atomic
def table_rename(*, table: BreakoutTable, name: str) -> BreakoutTable:
    """Give the table a new name (unique in its workshop); its join code stays."""
    table.name = name
    table.save(update_fields=["name"])
    workshop_touch(workshop_id=table.workshop_id, scopes=changes.SEATING, table_ids=[table.pk])
    return table


@transaction.atomic
def table_delete(*, table: BreakoutTable) -> int:
    """Delete the table and its participants' seats; its agents stay in the workshop,
    unassigned. Returns how many agents were unassigned."""
    unassigned = table.agents.update(table=None)
    workshop_id = table.workshop_id
    table.delete()
    workshop_touch(workshop_id=workshop_id, scopes=changes.SEATING, table_ids=[])
    return unassigned


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, planned_minutes: int, facilitator_notes: str
) -> AgendaItem:
    """Change an activity's planned minutes and facilitator notes; later start times move."""
    if planned_minutes < 1:
        raise ValueError("Planned minutes must be at least 1.")
    item.planned_minutes = planned_minutes
    item.facilitator_notes = facilitator_notes
    item.save(update_fields=["planned_minutes", "facilitator_notes"])
    workshop_touch(workshop_id=item.workshop_id, scopes=changes.RUN)
    return item


@transaction.atomic
def prework_update(*, item: PreworkItem, status: str, note: str) -> PreworkItem:
    """Mark a pre-work item open or done, with the facilitator's note."""
    if status not in PreworkItem.Status.values:
        raise ValueError(f"Unknown pre-work status: {status}")
    item.status = status
    item.note = note
    item.save(update_fields=["status", "note"])
    workshop_touch(workshop_id=item.workshop_id, scopes=changes.NOT_LIVE)
    return item


ACTION_FIELDS = ["owner", "action", "due_date", "status"]


@transaction.atomic
def action_create(
    *,
    workshop: Workshop,
    owner: str,
    action: str,
    due_date: datetime.date,
    status: str = ActionItem.Status.OPEN,
) -> ActionItem:
    """Add a post-workshop action by hand."""
    item = ActionItem.objects.create(
        workshop=workshop,
        owner=owner,
        action=action,
        due_date=due_date,
        status=status,
        origin=ActionItem.Origin.MANUAL,
    )
    workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)
    return item


@dataclass(frozen=True)
class GeneratedAction:
    origin_key: str  # e.g. "tracking:floor:kpi:12:2027-03"
    owner: str
    action: str
    due_date: datetime.date


@transaction.atomic
def actions_generate(*, workshop: Workshop, origin: str, items: list[GeneratedAction]) -> int:
    """Create, open, each action of `items` whose origin key the workshop does not have yet;
    an existing one (even done) is left as it is. Two queries whatever the number; bumps the
    revision when any was created. Returns how many were."""
    if not items:
        return 0
    keys = {item.origin_key for item in items}
    have = set(
        ActionItem.objects.filter(workshop=workshop, origin_key__in=keys).values_list(
            "origin_key", flat=True
        )
    )
    new, seen = [], set(have)
    for item in items:
        if item.origin_key in seen:
            continue
        seen.add(item.origin_key)
        new.append(
            ActionItem(
                workshop=workshop,
                origin_key=item.origin_key,
                owner=item.owner[:200],
                action=item.action[:500],
                due_date=item.due_date,
                origin=origin,
            )
        )
    ActionItem.objects.bulk_create(new)
    if new:
        workshop_touch(workshop_id=workshop.pk, scopes=changes.NOT_LIVE)
    return len(new)


@transaction.atomic
def action_update(*, item: ActionItem, version: int, values: dict) -> ActionItem:
    """Save owner, action, due date or status if nobody saved since `version` (else
    EditConflict). Returns the action as saved."""
    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}")
    versioned_update(
        ActionItem,
        pk=item.pk,
        version=version,
        values=values,
        scope={"workshop_id": item.workshop_id},
    )
    workshop_touch(workshop_id=item.workshop_id, scopes=changes.NOT_LIVE)
    return ActionItem.objects.get(pk=item.pk)
