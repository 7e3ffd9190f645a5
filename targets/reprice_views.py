"""The facilitator re-prices a workshop: a preview of every figure and sign-off that changes
as of a day (default today), then a confirmation that applies it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from workshops.permissions import workshop_for_facilitator

from .reprice_forms import RepriceForm
from .reprice_selectors import reprice_preview
from .reprice_services import workshop_reprice

TEMPLATE = "targets/reprice.html"


@login_required
@require_http_methods(["GET", "POST"])
def reprice(request, workshop_id: int):
    """GET: what re-pricing as of `?as_of=` (default today) would change. POST: apply it."""
    workshop = workshop_for_facilitator(request, workshop_id)
    today = timezone.localdate()
    confirming = request.method == "POST"
    data = request.POST if confirming else {"as_of": request.GET.get("as_of") or today}
    form = RepriceForm(data, today=today, confirming=confirming)
    context = {"workshop": workshop, "form": form, "today": today, "preview": None}
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=422)
    as_of = form.cleaned_data["as_of"]
    if confirming:
        try:
            applied = workshop_reprice(
                workshop=workshop,
                as_of=as_of,
                seen_fingerprint=form.cleaned_data["fingerprint"],
                voided_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            voided = len(applied.signoffs)
            messages.success(
                request,
                f"Re-priced as of {as_of:%Y-%m-%d}: {len(applied.changes)} "
                f"agent{'s' if len(applied.changes) != 1 else ''} priced anew, {voided} "
                f"sign-off{'s' if voided != 1 else ''} voided.",
            )
            return redirect("workshops:detail", workshop_id=workshop.pk)
    context["preview"] = reprice_preview(workshop=workshop, as_of=as_of)
    return render(request, TEMPLATE, context, status=422 if form.errors else 200)
