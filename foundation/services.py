"""Writes to the model catalogue. (The knowledge check's writes are in quiz_services.)"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from .imports import ImportRow, tier_from_price
from .models import LLMModel, PricePoint
from .selectors import models_with_prices


@dataclass
class PlannedPoint:
    row: ImportRow
    effective_date: datetime.date
    model: LLMModel | None  # None: a model new to the catalogue
    previous: PricePoint | None  # the price it replaces (same date: updated in place)


@dataclass
class ImportPlan:
    new_models: list[ImportRow] = field(default_factory=list)
    new_points: list[PlannedPoint] = field(default_factory=list)
    updated_points: list[PlannedPoint] = field(default_factory=list)
    unchanged: int = 0
    # Prices in force that the file confirms unchanged: known as of the import date now.
    confirmed: list[PricePoint] = field(default_factory=list)
    # Existing models without a known context window, and the window the file gives.
    context_fills: dict[int, int] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return len(self.new_points) + len(self.updated_points)


def _same_price(point: PricePoint, row: ImportRow) -> bool:
    cached_same = (
        row.cached_input_per_mtok is None
        or point.cached_input_usd_per_mtok == row.cached_input_per_mtok
    )
    return (
        point.input_usd_per_mtok == row.input_per_mtok
        and point.output_usd_per_mtok == row.output_per_mtok
        and cached_same
    )


def catalogue_import_plan(*, rows: list[ImportRow], import_date: datetime.date) -> ImportPlan:
    """What importing `rows` would change: a price point only where the price differs from the
    one in force on its date, so importing the same file again changes nothing. Reads only."""
    models = {(m.provider.lower(), m.name.lower()): m for m in models_with_prices()}
    plan = ImportPlan()
    new_keys: set[tuple[str, str]] = set()
    for row in rows:
        day = row.effective_date or import_date
        key = (row.provider.lower(), row.name.lower())
        model = models.get(key)
        if model is None:
            if key not in new_keys:
                new_keys.add(key)
                plan.new_models.append(row)
            plan.new_points.append(PlannedPoint(row, day, None, None))
            continue
        if row.context_window and model.context_window is None:
            plan.context_fills.setdefault(model.pk, row.context_window)
        in_force = model.price_on(day)
        if in_force is not None and _same_price(in_force, row):
            plan.unchanged += 1
            plan.confirmed.append(in_force)
        elif in_force is not None and in_force.effective_date == day:
            plan.updated_points.append(PlannedPoint(row, day, model, in_force))
        else:
            plan.new_points.append(PlannedPoint(row, day, model, in_force))
    return plan


@transaction.atomic
def catalogue_import(
    *, rows: list[ImportRow], import_date: datetime.date, source: str
) -> ImportPlan:
    """Add the models new to the catalogue (tier guessed from the output price) and the price
    points that differ from the prices in force, all or nothing. Existing price points dated
    the same day are updated in place. Every price the file holds is marked as known on the
    import date, so the catalogue's "prices as of" moves forward. Returns what was done."""
    plan = catalogue_import_plan(rows=rows, import_date=import_date)
    created = LLMModel.objects.bulk_create(
        LLMModel(
            provider=row.provider,
            name=row.name,
            tier=tier_from_price(row.output_per_mtok),
            context_window=row.context_window,
        )
        for row in plan.new_models
    )
    by_key = {(m.provider.lower(), m.name.lower()): m for m in created}
    if any(m.pk is None for m in created):  # backends that do not return ids
        by_key = {
            (m.provider.lower(), m.name.lower()): m
            for m in LLMModel.objects.filter(name__in=[r.name for r in plan.new_models])
        }
    source = source[:300]
    PricePoint.objects.bulk_create(
        PricePoint(
            model=planned.model or by_key[(planned.row.provider.lower(), planned.row.name.lower())],
            effective_date=planned.effective_date,
            input_usd_per_mtok=planned.row.input_per_mtok,
            output_usd_per_mtok=planned.row.output_per_mtok,
            cached_input_usd_per_mtok=planned.row.cached_input_per_mtok,
            source=source,
            listed_on=import_date,
        )
        for planned in plan.new_points
    )
    # A price the file repeats is known to hold up to the import date.
    PricePoint.objects.filter(pk__in=[p.pk for p in plan.confirmed]).filter(
        Q(listed_on__isnull=True) | Q(listed_on__lt=import_date)
    ).update(listed_on=import_date)
    for planned in plan.updated_points:
        point = planned.previous
        point.input_usd_per_mtok = planned.row.input_per_mtok
        point.output_usd_per_mtok = planned.row.output_per_mtok
        if planned.row.cached_input_per_mtok is not None:
            point.cached_input_usd_per_mtok = planned.row.cached_input_per_mtok
        point.source = source
        point.listed_on = import_date
        point.save(
            update_fields=[
                "listed_on",
                "input_usd_per_mtok",
                "output_usd_per_mtok",
                "cached_input_usd_per_mtok",
                "source",
            ]
        )
    # A known context window fills a gap; it never overwrites what is there.
    for model_pk, window in plan.context_fills.items():
        LLMModel.objects.filter(pk=model_pk, context_window__isnull=True).update(
            context_window=window
        )
    return plan
