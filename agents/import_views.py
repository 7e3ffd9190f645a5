"""Pillar 1 import pages: template download, upload with a preview of every row, confirm."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.downloads import export_response
from common.uploads import (
    PreviewTooLarge,
    accepts_upload,
    preview_drop,
    preview_fetch,
    preview_keep,
)
from workshops.permissions import workshop_for_facilitator

from . import imports
from .import_files import MAX_FILE_BYTES
from .import_forms import AgentImportForm
from .import_template import import_template

EXPIRED = (
    "This import is no longer waiting to be confirmed (it was confirmed already, or a newer "
    "upload replaced it). Upload the file again."
)
RACED = "The agents changed while you were importing. Nothing was saved; upload the file again."


def _session_key(workshop_id: int) -> str:
    return f"agents_import:{workshop_id}"


def _owner(request, workshop_id: int) -> str:
    return f"agents:{request.user.pk}:{workshop_id}"


@login_required
@require_GET
def import_template_download(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    return export_response(import_template(workshop=workshop))


@login_required
@require_http_methods(["GET", "POST"])
@accepts_upload(field_name="file", max_bytes=MAX_FILE_BYTES)
def agent_import(request, workshop_id: int):
    """Upload a spreadsheet and see every row, its problems and what it would change. Rows
    that can be imported wait in the cache for this account (never on disk) for the confirm
    step; the session holds which upload is the latest."""
    workshop = workshop_for_facilitator(request, workshop_id)
    context = {"workshop": workshop, "columns": imports.COLUMNS, "max_rows": imports.MAX_ROWS}
    context["max_megabytes"] = MAX_FILE_BYTES // (1024 * 1024)
    if request.method == "GET":
        context["form"] = AgentImportForm()
        return render(request, "agents/import_upload.html", context)

    form = AgentImportForm(request.POST, request.FILES, body_too_large=request.upload_too_large)
    if earlier := request.session.pop(_session_key(workshop.pk), None):
        preview_drop(owner=_owner(request, workshop.pk), token=earlier["id"])
    if not form.is_valid():
        context["form"] = form
        return render(request, "agents/import_upload.html", context, status=422)

    preview = imports.import_preview(
        workshop=workshop, rows=form.rows, ignored_headers=form.ignored_headers
    )
    context.update(preview=preview, filename=form.cleaned_data["file"].name)
    if preview.can_confirm:
        rows = json.dumps([row.values for row in preview.rows]).encode()
        try:
            context["import_id"] = preview_keep(owner=_owner(request, workshop.pk), content=rows)
        except PreviewTooLarge as error:
            form.add_error("file", str(error))
            context["form"] = form
            return render(request, "agents/import_upload.html", context, status=422)
        request.session[_session_key(workshop.pk)] = {"id": context["import_id"]}
    else:
        context["form"] = AgentImportForm()
    return render(request, "agents/import_preview.html", context)


@login_required
@require_POST
def agent_import_confirm(request, workshop_id: int):
    """Save the rows previewed in this session, all or none, then go to the workshop."""
    workshop = workshop_for_facilitator(request, workshop_id)
    pending = request.session.get(_session_key(workshop.pk))
    if not pending or not constant_time_compare(pending["id"], request.POST.get("import_id", "")):
        messages.error(request, EXPIRED)
        return redirect("agents:import", workshop_id=workshop.pk)
    kept = preview_fetch(owner=_owner(request, workshop.pk), token=pending["id"])
    if kept is None:
        del request.session[_session_key(workshop.pk)]
        messages.error(request, EXPIRED)
        return redirect("agents:import", workshop_id=workshop.pk)
    try:
        result = imports.agents_import(workshop=workshop, rows=json.loads(kept))
    except IntegrityError:
        messages.error(request, RACED)
        return redirect("agents:import", workshop_id=workshop.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agents:import", workshop_id=workshop.pk)
    del request.session[_session_key(workshop.pk)]
    preview_drop(owner=_owner(request, workshop.pk), token=pending["id"])
    noun = "agent" if result.total == 1 else "agents"
    messages.success(
        request,
        f"Imported {result.total} {noun} ({result.created} new, {result.updated} updated)",
    )
    return redirect("workshops:detail", workshop.pk)
