"""A catalogue administrator imports a price catalogue: upload, preview, confirm. The file is
read in memory and never stored; the parsed prices wait for the confirm step in the cache, for
the account that uploaded them only (common.uploads)."""

import datetime
import json
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from common.forms import Form
from common.uploads import (
    PreviewTooLarge,
    accepts_upload,
    preview_drop,
    preview_fetch,
    preview_keep,
)
from workshops.permissions import catalogue_admin_required

from .. import imports, services

PREVIEW_ROWS = 200
# What waits for the confirm step is capped at this many models and compressed bytes.
PENDING_MAX_ROWS = 10_000
PENDING_MAX_BYTES = 2 * 1024 * 1024
PENDING_TOO_LARGE = (
    "This catalogue lists {rows:,} models to import, more than can wait for the confirm step "
    f"(at most {PENDING_MAX_ROWS:,} models and 2 MB). "
    "Choose only the providers you need and upload it again. Nothing was imported."
)


class CatalogueUploadForm(Form):
    file = forms.FileField(
        label="Catalogue file (JSON)",
        help_text="LiteLLM model_prices_and_context_window.json or genai-prices data.json.",
        error_messages={
            "required": "Choose the catalogue file to import.",
            "empty": "The file is empty.",
        },
    )
    providers = forms.CharField(
        label="Only these providers (optional)",
        required=False,
        max_length=500,
        help_text="Separated by commas, e.g. OpenAI, Anthropic. Empty: every provider.",
    )
    effective_date = forms.DateField(
        label="Prices effective from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: today. Prices the file dates itself keep their own date.",
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    source = forms.CharField(
        label="Source note (optional)",
        required=False,
        max_length=200,
        help_text="Shown beside each imported price, e.g. where and when the file was taken.",
    )

    def clean_effective_date(self):
        day = self.cleaned_data.get("effective_date")
        if day and not datetime.date(
            2015, 1, 1
        ) <= day <= timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError("Choose a date between 2015 and a year from now.")
        return day


def _owner(request) -> str:
    """Whose pending import it is: only the account that uploaded it may confirm it."""
    return f"catalogue:{request.user.pk}"


def _pack(rows: list[imports.ImportRow], import_date: datetime.date, source: str) -> bytes:
    payload = {
        "date": import_date.isoformat(),
        "source": source,
        "rows": [
            [
                r.provider,
                r.name,
                str(r.input_per_mtok),
                str(r.output_per_mtok),
                None if r.cached_input_per_mtok is None else str(r.cached_input_per_mtok),
                r.context_window,
                r.effective_date.isoformat() if r.effective_date else None,
            ]
            for r in rows
        ],
    }
    return json.dumps(payload).encode()


def _unpack(content: bytes):
    payload = json.loads(content)
    rows = [
        imports.ImportRow(
            provider=p,
            name=n,
            input_per_mtok=Decimal(i),
            output_per_mtok=Decimal(o),
            cached_input_per_mtok=None if c is None else Decimal(c),
            context_window=w,
            effective_date=datetime.date.fromisoformat(d) if d else None,
        )
        for p, n, i, o, c, w, d in payload["rows"]
    ]
    return rows, datetime.date.fromisoformat(payload["date"]), payload["source"]


@catalogue_admin_required
@accepts_upload(field_name="file", max_bytes=imports.MAX_BYTES)
def catalogue_import(request):
    """The shared price catalogue: catalogue administrators (staff) only."""
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request)
    if request.method != "POST":
        return render(request, "foundation/catalogue_import.html", {"form": CatalogueUploadForm()})
    form = CatalogueUploadForm(request.POST, request.FILES)
    context = {"form": form}
    if request.upload_too_large:  # the form only knows the file is missing
        form.is_valid()
        message = "The file is larger than 20 MB; a price catalogue is far smaller."
        form.errors["file"] = form.error_class([f"{message} Nothing was imported."])
        return render(request, "foundation/catalogue_import.html", context, status=422)
    if not form.is_valid():
        return render(request, "foundation/catalogue_import.html", context, status=422)
    providers = [p for p in form.cleaned_data["providers"].split(",") if p.strip()]
    upload = form.cleaned_data["file"]
    try:
        parsed = imports.parse_catalogue(upload.read(), providers=providers)
    except imports.CatalogueFileError as error:
        form.add_error("file", f"{error} Nothing was imported.")
        return render(request, "foundation/catalogue_import.html", context, status=422)
    context["parsed"] = parsed
    if parsed.errors:
        context["errors"] = parsed.errors[:50]
        return render(request, "foundation/catalogue_import.html", context, status=422)
    import_date = form.cleaned_data["effective_date"] or timezone.localdate()
    source = form.cleaned_data["source"].strip() or (
        f"{parsed.format_label} ({upload.name[:80]}), imported {timezone.localdate():%Y-%m-%d}"
    )
    too_large = PENDING_TOO_LARGE.format(rows=len(parsed.rows))
    if len(parsed.rows) > PENDING_MAX_ROWS:
        form.add_error("file", too_large)
        return render(request, "foundation/catalogue_import.html", context, status=422)
    content = _pack(parsed.rows, import_date, source)
    try:
        token = preview_keep(owner=_owner(request), content=content, max_bytes=PENDING_MAX_BYTES)
    except PreviewTooLarge:
        form.add_error("file", too_large)
        return render(request, "foundation/catalogue_import.html", context, status=422)
    plan = services.catalogue_import_plan(rows=parsed.rows, import_date=import_date)
    context.update(
        plan=plan,
        preview=(plan.new_points + plan.updated_points)[:PREVIEW_ROWS],
        import_date=import_date,
        source=source,
        token=token,
    )
    return render(request, "foundation/catalogue_import.html", context)


def _confirm(request):
    pending = {"owner": _owner(request), "token": request.POST.get("token", "")[:100]}
    content = preview_fetch(**pending)
    if content is None:
        context = {
            "form": CatalogueUploadForm(),
            "page_error": (
                "The preview has expired or was changed. Upload the file again; "
                "nothing was imported."
            ),
        }
        return render(request, "foundation/catalogue_import.html", context, status=422)
    rows, import_date, source = _unpack(content)
    plan = services.catalogue_import(rows=rows, import_date=import_date, source=source)
    preview_drop(**pending)
    messages.success(
        request,
        f"Imported {len(plan.new_models)} new models, {len(plan.new_points)} new prices and "
        f"{len(plan.updated_points)} updated prices; {plan.unchanged} prices were unchanged.",
    )
    return redirect("foundation:catalogue")
