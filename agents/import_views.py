"""Pillar 1 import pages: template download, upload with a preview of every row, confirm."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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


@login_required
@require_GET
def import_template_download(request, workshop_id: int):
    workshop = workshop_for_facilitator(request, workshop_id)
    filename, content_type, content = import_template(workshop=workshop)
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agent_import(request, workshop_id: int):
    """Upload a spreadsheet and see every row, its problems and what it would change. Rows
    that can be imported wait in the session (never on disk) for the confirm step."""
    workshop = workshop_for_facilitator(request, workshop_id)
    context = {"workshop": workshop, "columns": imports.COLUMNS, "max_rows": imports.MAX_ROWS}
    context["max_megabytes"] = MAX_FILE_BYTES // (1024 * 1024)
    if request.method == "GET":
        context["form"] = AgentImportForm()
        return render(request, "agents/import_upload.html", context)

    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    form = AgentImportForm(request.POST, request.FILES, body_too_large=too_large)
    request.session.pop(_session_key(workshop.pk), None)
    if not form.is_valid():
        context["form"] = form
        return render(request, "agents/import_upload.html", context, status=422)

    preview = imports.import_preview(
        workshop=workshop, rows=form.rows, ignored_headers=form.ignored_headers
    )
    context.update(preview=preview, filename=form.cleaned_data["file"].name)
    if preview.can_confirm:
        context["import_id"] = secrets.token_urlsafe(16)
        request.session[_session_key(workshop.pk)] = {
            "id": context["import_id"],
            "rows": [row.values for row in preview.rows],
        }
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
    try:
        result = imports.agents_import(workshop=workshop, rows=pending["rows"])
    except IntegrityError:
        messages.error(request, RACED)
        return redirect("agents:import", workshop_id=workshop.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agents:import", workshop_id=workshop.pk)
    del request.session[_session_key(workshop.pk)]
    noun = "agent" if result.total == 1 else "agents"
    messages.success(
        request,
        f"Imported {result.total} {noun} ({result.created} new, {result.updated} updated)",
    )
    return redirect("workshops:detail", workshop.pk)
