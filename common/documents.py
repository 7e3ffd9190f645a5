"""Documents rendered by the task worker and cached under a key derived from what they show.

A download URL asks for a document of a kind (the register as PDF, the infographic...) with the
parts its content depends on (`key_parts`: the workshop's revision, the pricing date...). The
key is a hash of the kind and those parts, so:

- a document already rendered under the key is answered at once from the cache;
- otherwise one render is queued for the task worker (`manage.py db_worker`, started by `serve`),
  however many people ask, and the page shows its progress until the file is ready;
- any change to what the document shows gives a new key, hence a new render.

Each person (account, session or address) has at most one render under way at a time; a second
document waits until the first is done. A failed render says so and can be started again.

Apps add their kinds with `register_kind` from `AppConfig.ready()`; the cache table lives in the
`reports` app, which hands its model over with `use_store` (this layer has no models).
"""

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.tasks import task
from django.utils import timezone

from .addresses import client_address
from .downloads import download_response

logger = logging.getLogger(__name__)

QUEUE = "documents"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting for the document worker"
    RENDERING = "rendering", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Rendered(NamedTuple):
    filename: str
    content_type: str
    content: bytes


class Progress:
    """Handed to a kind's render: `step(label, percent)` records how far it got, at most once a
    second (each is a write, which the room's own writes wait for on SQLite; the page polls
    every 2 s anyway)."""

    MIN_INTERVAL = 1.0

    def __init__(self, document_id: int | None):
        self.document_id = document_id
        self._last = 0.0

    def step(self, label: str, percent: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.document_id is None or (not force and now - self._last < self.MIN_INTERVAL):
            return
        self._last = now
        _store().objects.filter(pk=self.document_id).update(
            progress_label=label[:80], progress_percent=max(0, min(100, int(percent)))
        )


NO_PROGRESS = Progress(None)


@dataclass(frozen=True)
class DocumentKind:
    """A document the worker renders. `render(params, progress)` returns a Rendered; `title`
    names it in "Preparing <title>"; bump `version` when its layout changes, so documents
    cached by an older version are rendered again."""

    name: str
    title: str
    render: Callable[[dict, Progress], Rendered]
    version: int = 1


_kinds: dict[str, DocumentKind] = {}
_store_model = None


def register_kind(kind: DocumentKind) -> None:
    _kinds[kind.name] = kind


def kind_for(name: str) -> DocumentKind:
    return _kinds[name]


def use_store(model) -> None:
    """The model that keeps rendered documents (reports.Document)."""
    global _store_model
    _store_model = model


def _store():
    if _store_model is None:
        raise RuntimeError("No document store: is the reports app installed?")
    return _store_model


def document_key(kind: DocumentKind, key_parts: Any) -> str:
    """The cache key: a hash of the kind, its version and what the document shows."""
    canonical = json.dumps(
        [kind.name, kind.version, key_parts], sort_keys=True, default=str, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def requester(request) -> str:
    """Who asks, for the one-render-at-a-time rule: the account, else the browser's session,
    else its address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    session_key = request.session.session_key
    if session_key:
        return "session:" + hashlib.sha256(session_key.encode()).hexdigest()[:40]
    return f"address:{client_address(request)}"


def _lost_before():
    return timezone.now() - timedelta(seconds=settings.DOCUMENT_RENDER_TIMEOUT)


def _is_lost(document) -> bool:
    """A render whose worker stopped (killed, machine asleep) before it finished."""
    return (
        document.status == Status.RENDERING
        and document.started_at is not None
        and document.started_at < _lost_before()
    )


@dataclass
class Request:
    """What a person asked for: a kind, what its render needs and what its content shows."""

    kind: DocumentKind
    params: dict
    key_parts: Any
    workshop_id: int | None = None
    # The key of a document already asked for (a retry from its page).
    known_key: str = ""

    @property
    def key(self) -> str:
        return self.known_key or document_key(self.kind, self.key_parts)


@dataclass
class State:
    """Where a document stands for the person asking: `document` is None while the person's
    other render is still under way (`waiting`)."""

    document: Any
    waiting: bool = False

    @property
    def token(self) -> str:
        """Changes whenever what the progress region shows changes (htmx polls with it)."""
        if self.document is None:
            return "waiting"
        d = self.document
        return f"{d.pk}-{d.status}-{d.progress_percent}-{d.progress_label}"


def _busy_elsewhere(who: str, exclude_pk: int | None) -> bool:
    busy = (
        _store()
        .objects.filter(requested_by=who)
        .filter(
            models.Q(status=Status.QUEUED)
            | models.Q(status=Status.RENDERING, started_at__gte=_lost_before())
        )
    )
    if exclude_pk is not None:
        busy = busy.exclude(pk=exclude_pk)
    return busy.exists()


def document_state(asked: Request, *, who: str, retry: bool = False) -> State:
    """The cached document for `asked`, starting its render when none is ready or under way
    (or when `retry` and the last render failed), unless `who` has another one under way."""
    store = _store()
    key = asked.key
    found = store.objects.defer("content").filter(kind=asked.kind.name, key=key).first()
    if found is not None and not _needs_render(found, retry=retry):
        return State(found)
    with transaction.atomic():
        found = store.objects.defer("content").filter(kind=asked.kind.name, key=key).first()
        if found is not None and not _needs_render(found, retry=retry):
            return State(found)
        if _busy_elsewhere(who, found.pk if found else None):
            return State(None, waiting=True)
        fresh = {
            "status": Status.QUEUED,
            "requested_by": who,
            "progress_label": "",
            "progress_percent": 0,
            "error": "",
            "queued_at": timezone.now(),
            "started_at": None,
            "finished_at": None,
        }
        try:
            with transaction.atomic():
                if found is None:
                    found = store.objects.create(
                        kind=asked.kind.name,
                        key=key,
                        workshop_id=asked.workshop_id,
                        params=asked.params,
                        **fresh,
                    )
                else:
                    for field, value in fresh.items():
                        setattr(found, field, value)
                    found.save(update_fields=list(fresh))
        except IntegrityError:
            # Someone else asked for the same document at the same moment: theirs is queued.
            return State(store.objects.defer("content").get(kind=asked.kind.name, key=key))
        result = render_document.enqueue(found.pk)
        store.objects.filter(pk=found.pk).update(task_id=str(result.id))
    return State(found)


def _needs_render(document, *, retry: bool) -> bool:
    if document.status == Status.FAILED:
        return retry
    return _is_lost(document)


@task(queue_name=QUEUE)
def render_document(document_id: int) -> int:
    """Render the queued document `document_id` and keep it; the number of bytes."""
    store = _store()
    document = store.objects.defer("content").filter(pk=document_id).first()
    if document is None or document.status == Status.READY:
        return 0
    kind = kind_for(document.kind)
    store.objects.filter(pk=document_id).update(
        status=Status.RENDERING, started_at=timezone.now(), progress_percent=0
    )
    try:
        rendered = kind.render(document.params, Progress(document_id))
    except Exception as error:
        store.objects.filter(pk=document_id).update(
            status=Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        store.objects.filter(pk=document_id).update(
            status=Status.READY,
            filename=rendered.filename,
            content_type=rendered.content_type,
            content=rendered.content,
            size=len(rendered.content),
            progress_percent=100,
            progress_label="",
            finished_at=now,
        )
        _prune(store, document, now)
    return len(rendered.content)


def _prune(store, document, now) -> None:
    """Drop what the new document replaces: the same kind for the same workshop under an older
    key (kept a while for the people still about to download it), and documents of no
    workshop unused for a day."""
    finished = store.objects.filter(kind=document.kind, status__in=[Status.READY, Status.FAILED])
    if document.workshop_id is not None:
        finished.filter(
            workshop_id=document.workshop_id, finished_at__lt=now - timedelta(minutes=10)
        ).exclude(pk=document.pk).delete()
    else:
        finished.filter(workshop_id=None, finished_at__lt=now - timedelta(days=1)).delete()


# --- The download view ----------------------------------------------------------------------


def document_response(request, asked: Request, *, back_url: str = "") -> HttpResponse:
    """The answer of a document's download URL.

    GET: the file when it is ready; else the progress page (its htmx polls get the progress
    region, or 204 while it is unchanged). The page follows the document it started
    (`?document=<key>`), so a workshop that keeps changing meanwhile does not start a new render
    at every poll. POST: start a failed render again.
    The caller has checked that the person may read the document.
    """
    who = requester(request)
    page_query = request.GET.copy()
    for name in ("state", "document"):
        page_query.pop(name, None)
    page = request.path + (f"?{page_query.urlencode()}&" if page_query else "?")
    if request.method == "POST":
        failed = _followed(request, asked, failed=True)
        if failed is not None:
            asked = replace(asked, params=failed.params, known_key=failed.key)
        state = document_state(asked, who=who, retry=True)
        if state.document is None:
            return HttpResponseRedirect(page.rstrip("?&"))
        return HttpResponseRedirect(f"{page}document={state.document.key}")
    state = _followed(request, asked) or document_state(asked, who=who)
    document = state.document
    polling = bool(getattr(request, "htmx", False))
    if document is not None and document.status == Status.READY and not polling:
        content = _store().objects.values_list("content", flat=True).get(pk=document.pk)
        if content is not None and document.workshop_id == asked.workshop_id:
            return download_response(
                filename=document.filename,
                content_type=document.content_type,
                content=bytes(content),
            )
    if polling and request.GET.get("state") == state.token:
        return HttpResponse(status=204)
    followed = f"{page}document={document.key}" if document is not None else page.rstrip("?&")
    context = {
        "title": asked.kind.title,
        "state": state,
        "document": document,
        "status": Status,
        "url": followed,
        "poll_url": followed + ("&" if "?" in followed else "?"),
        "back_url": back_url,
        "slow_worker": _worker_seems_absent(document),
    }
    template = "documents/progress.html#status" if polling else "documents/progress.html"
    return render(request, template, context)


def _followed(request, asked: Request, *, failed: bool = False):
    """The document the progress page started (`?document=<key>`), while it is kept: a State
    (or, with `failed`, the document if its render failed). Only one of this kind for this
    workshop, so a key from elsewhere finds nothing."""
    key = request.GET.get("document", "")
    if len(key) != 64:
        return None
    found = (
        _store()
        .objects.defer("content")
        .filter(kind=asked.kind.name, key=key, workshop_id=asked.workshop_id)
        .first()
    )
    if failed:
        return found if found is not None and found.status == Status.FAILED else None
    if found is None or found.status == Status.FAILED or _is_lost(found):
        return None
    return State(found)


def _worker_seems_absent(document) -> bool:
    return (
        document is not None
        and document.status == Status.QUEUED
        and document.queued_at is not None
        and document.queued_at < timezone.now() - timedelta(seconds=30)
    )


# --- Running the worker in this process ------------------------------------------------------


def run_queued_documents(*, worker_id: str = "in-process") -> int:
    """Run every queued document task here and now, with the database backend's own worker
    code (claim, run, record); the number run. For tests and benchmarks."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=[QUEUE],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with transaction.atomic():
            queued = (
                DBTaskResult.objects.ready()
                .filter(backend_name="default", queue_name=QUEUE)
                .get_locked()
            )
            if queued is None:
                return count
            queued.claim(worker_id)
        worker.run_task(queued)
        count += 1
