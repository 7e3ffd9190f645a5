"""Re-pricing a workshop: its AI workloads move to the list prices in force on a new pricing
date, and the sign-offs of the agents whose prices change are voided with that reason."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agents.block2_services import workloads_price
from workshops.models import Workshop
from workshops.services import workshop_touch

from .reprice_selectors import RepricePreview, reprice_preview
from .services import signoff_reopen

STALE_PREVIEW = (
    "The prices or sign-offs changed since this page was loaded. Review the new list of "
    "changes before re-pricing."
)
NOTHING_TO_REPRICE = "No price changes as of that day, so there is nothing to re-price."


@transaction.atomic
def workshop_reprice(
    *,
    workshop: Workshop,
    as_of: datetime.date,
    seen_fingerprint: str,
    voided_by,
    now: datetime.datetime | None = None,
) -> RepricePreview:
    """Re-price the workshop as of `as_of`: voids the valid sign-off of every agent whose list
    price changes (reason "Re-priced as of <date>", by `voided_by`, kept in the history),
    copies the new list prices onto the agents' workloads and makes `as_of` the workshop's
    pricing date. Bumps the workshop revision.

    Refused (ValidationError) when nothing would change, or when the changes differ from the
    preview the facilitator saw (`seen_fingerprint`). Returns what was applied."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    preview = reprice_preview(workshop=workshop, as_of=as_of)
    if not preview.has_changes:
        raise ValidationError(NOTHING_TO_REPRICE)
    if seen_fingerprint != preview.fingerprint:
        raise ValidationError(STALE_PREVIEW)
    now = now or timezone.now()
    for change in preview.changes:
        if change.signoff is not None:
            signoff_reopen(
                agent=change.agent, reason=preview.void_reason, voided_by=voided_by, now=now
            )
    workloads_price(workshop=workshop, day=as_of)
    Workshop.objects.filter(pk=workshop.pk).update(pricing_date=as_of)
    workshop_touch(workshop_id=workshop.pk)
    return preview
