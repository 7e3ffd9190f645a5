"""Moving a workshop between servers: download its bundle; upload a bundle, check the preview,
confirm. The upload waits for the confirm step compressed in the cache (never on disk)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from common.downloads import export_response
from common.uploads import (
    PreviewTooLarge,
    accepts_upload,
    preview_drop,
    preview_fetch,
    preview_keep,
)
from workshops.permissions import facilitator_required, workshop_for_facilitator

from . import export
from . import format as bundle_format
from .forms import BundleConfirmForm, BundleUploadForm
from .importer import (
    BundleConflict,
    BundleError,
    bundle_preview,
    bundle_read,
    workshop_bundle_import,
)

EXPIRED = (
    "This import is no longer waiting to be confirmed (it was confirmed or cancelled already, "
    "or an hour has passed). Upload the bundle again."
)


# --- Export -----------------------------------------------------------------------------------


@login_required
@require_GET
def export_page(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    context = {
        "workshop": workshop,
        "counts": export.workshop_counts(workshop),
        "filename": export.bundle_filename(workshop),
    }
    return render(request, "bundles/export.html", context)


@login_required
@require_GET
def export_download(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    try:
        bundle = export.workshop_bundle(workshop=workshop)
    except export.ExportError as error:
        messages.error(request, str(error))
        return redirect("bundles:export_page", workshop_id=workshop.pk)
    return export_response(bundle)


# --- Import -----------------------------------------------------------------------------------


def _owner(request) -> str:
    """Whose pending import it is: only the account that uploaded it may confirm it."""
    return f"bundles:{request.user.pk}"


def _upload_page(request, form, *, status: int = 200, page_error: str = ""):
    context = {
        "form": form,
        "page_error": page_error,
        "max_megabytes": bundle_format.MAX_MEGABYTES,
    }
    return render(request, "bundles/import_upload.html", context, status=status)


@facilitator_required
@accepts_upload(field_name="file", max_bytes=bundle_format.MAX_BYTES)
def import_upload(request):
    """Upload a bundle and see what importing it would do; nothing is saved yet."""
    if request.method != "POST":
        return _upload_page(request, BundleUploadForm())
    form = BundleUploadForm(request.POST, request.FILES, too_large=request.upload_too_large)
    if not form.is_valid():
        return _upload_page(request, form, status=422)
    try:
        preview = bundle_preview(bundle=form.bundle, importer=request.user)
        token = preview_keep(owner=_owner(request), content=form.content)
    except BundleError as error:
        form.add_error("file", error.message)
        return _upload_page(request, form, status=422)
    except PreviewTooLarge as error:
        form.add_error("file", str(error))
        return _upload_page(request, form, status=422)
    return _preview_page(request, preview, token=token, filename=form.cleaned_data["file"].name)


def _preview_page(request, preview, *, token: str, filename: str, error: str = "", status=200):
    context = {
        "preview": preview,
        "bundle": preview.bundle,
        "counts": preview.bundle.counts,
        "token": token,
        "filename": filename,
        "error": error,
    }
    return render(request, "bundles/import_preview.html", context, status=status)


@facilitator_required
@require_POST
def import_confirm(request):
    """Import the bundle previewed in this browser (all or nothing), or cancel it."""
    form = BundleConfirmForm(request.POST)
    if not form.is_valid() and "token" in form.errors:
        return _upload_page(request, BundleUploadForm(), status=422, page_error=EXPIRED)
    pending = {"owner": _owner(request), "token": form.cleaned_data["token"]}
    if form.cleaned_data.get("action") == "cancel":
        preview_drop(**pending)
        messages.info(request, "Import cancelled; nothing was imported.")
        return redirect("bundles:import")
    content = preview_fetch(**pending)
    if content is None:
        return _upload_page(request, BundleUploadForm(), status=422, page_error=EXPIRED)
    bundle = bundle_read(content)
    filename = request.POST.get("filename", "")[:200]
    if not form.is_valid():
        preview = bundle_preview(bundle=bundle, importer=request.user)
        message = " ".join(error for errors in form.errors.values() for error in errors)
        return _preview_page(
            request,
            preview,
            token=form.cleaned_data["token"],
            filename=filename,
            error=message,
            status=422,
        )
    try:
        result = workshop_bundle_import(
            bundle=bundle, importer=request.user, on_conflict=form.on_conflict_choice()
        )
    except BundleConflict as conflict:
        # The workshop arrived here after the preview: show the choice.
        preview = bundle_preview(bundle=bundle, importer=request.user)
        return _preview_page(
            request,
            preview,
            token=form.cleaned_data["token"],
            filename=filename,
            error=conflict.message,
            status=409,
        )
    except BundleError as error:
        preview_drop(**pending)
        return _upload_page(request, BundleUploadForm(), status=422, page_error=error.message)
    preview_drop(**pending)
    workshop = result.workshop
    how = "replaced the one that was here" if result.replaced else "imported"
    if result.copied:
        how = "imported as a copy"
    messages.success(request, f"Workshop {how}: {workshop.client_organisation}, {workshop.title}.")
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect("workshops:detail", workshop_id=workshop.pk)
