"""A world of two workshops with every role that can knock on the app's doors; one browser
(test client) that takes on any role's session; a snapshot of every row to prove that a
refused request changed nothing.

The world is built once per test module (tests/module_data.py); each test gets its own copy of
the world's objects."""

import copy
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from foundation.models import Question
from targets import services as target_services
from targets.permissions import INVITE_SESSION_KEY
from tests import factories
from tests.module_data import built_once_per_module
from tracking import services as tracking_services
from workshops import services as workshop_services
from workshops.models import Workshop
from workshops.permissions import PARTICIPANT_SESSION_KEY

# The workshop's Pillar 5 narrative, uploaded as a PDF.
NARRATIVE_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"

# Every role, from the least trusted to the most.
ROLES = (
    "anonymous",
    "participant_other_workshop",
    "participant_other_table",
    "participant",
    "finance_other_workshop",
    "finance",
    "finance_invite",
    "catalogue_admin",
    "facilitator_reviewer",
    "other_facilitator",
    "facilitator",
    "superuser",
)


@dataclass
class World:
    """The facilitator's live workshop with two tables, an agent at the first table with a KPI
    carrying the whole of Block 4, and a rival workshop with its own people."""

    workshop: Workshop
    other_workshop: Workshop
    table: object
    other_table: object
    agent: object
    kpi: object
    benchmark: object
    agenda_item: object
    prework_item: object
    action: object
    question: object
    participant: object
    participant_other_table: object
    participant_other_workshop: object
    users: dict = field(default_factory=dict)
    used_invite: object = None
    open_invite: object = None
    open_invite_token: str = ""
    bundle_token: str = ""
    session_keys: dict = field(default_factory=dict)
    api_token: object = None
    owner_link_token: str = ""


@pytest.fixture(autouse=True)
def _cache_table(db):
    """Throttles count in the database cache; its table lives in the test database."""
    call_command("createcachetable", verbosity=0)
    cache.clear()


def build_world() -> World:
    facilitator = factories.make_facilitator(username="facilitator", first_name="Fay")
    other_facilitator = factories.make_facilitator(username="rival")
    # Finance-only accounts: they review, and run nothing.
    finance = factories.make_user(username="fran", first_name="Fran", last_name="Okafor")
    finance_other = factories.make_user(username="otto")
    # Staff that keeps the price catalogue and runs no workshop.
    catalogue_admin = factories.make_catalogue_admin(username="keeper")
    # Runs the rival workshop and reviews the facilitator's for finance.
    facilitator_reviewer = factories.make_facilitator(username="cross")
    superuser = factories.make_user(username="root", superuser=True)

    workshop = factories.make_workshop(
        facilitator=facilitator, client_organisation="Acme Freight", status="live"
    )
    other_workshop = factories.make_workshop(
        facilitator=other_facilitator, client_organisation="Rival Corp", status="live"
    )
    workshop.finance_reviewers.add(finance, facilitator_reviewer)
    workshop_services.narrative_upload(
        workshop=workshop, filename="pillar-5.pdf", content=NARRATIVE_PDF, now=timezone.now()
    )
    other_workshop.finance_reviewers.add(finance_other)
    other_workshop.facilitators.add(facilitator_reviewer)

    table = factories.make_table(workshop=workshop, name="Table 1")
    other_table = factories.make_table(workshop=workshop, name="Table 2")
    rival_table = factories.make_table(workshop=other_workshop, name="Rival table")
    agent = factories.make_ready_agent(table=table, kpis=2, name="Invoice matcher")
    kpi = agent.kpis.order_by("pk").first()
    benchmark = factories.make_benchmark(kpi=kpi)
    factories.make_ready_agent(table=other_table, kpis=2, name="Claims triage")
    factories.make_ready_agent(table=rival_table, kpis=2, name="Rival agent")

    used_invite, used_token = factories.make_finance_invite(workshop=workshop)
    target_services.invite_redeem(token=used_token)
    used_invite.refresh_from_db()
    open_invite, open_token = factories.make_finance_invite(workshop=workshop, name="Ola Nwosu")
    api_token, _ = tracking_services.api_token_create(
        workshop=workshop, name="Pipeline", scope="write", created_by="Fac", now=timezone.now()
    )
    _link, owner_link_token = tracking_services.owner_link_create(
        agent=agent, name="Rita Ops", created_by="Fac", now=timezone.now()
    )

    return World(
        workshop=workshop,
        other_workshop=other_workshop,
        table=table,
        other_table=other_table,
        agent=agent,
        kpi=kpi,
        benchmark=benchmark,
        agenda_item=workshop.agenda_items.order_by("position").first(),
        prework_item=workshop.prework_items.order_by("position").first(),
        action=workshop.actions.order_by("pk").first(),
        question=Question.objects.filter(active=True).order_by("position").first(),
        participant=factories.make_participant(table=table, display_name="Sam"),
        participant_other_table=factories.make_participant(table=other_table, display_name="Kim"),
        participant_other_workshop=factories.make_participant(
            table=rival_table, display_name="Rex"
        ),
        users={
            "facilitator": facilitator,
            "other_facilitator": other_facilitator,
            "finance": finance,
            "finance_other_workshop": finance_other,
            "catalogue_admin": catalogue_admin,
            "facilitator_reviewer": facilitator_reviewer,
            "superuser": superuser,
        },
        used_invite=used_invite,
        open_invite=open_invite,
        open_invite_token=open_token,
        api_token=api_token,
        owner_link_token=owner_link_token,
    )


def _world_with_sessions() -> World:
    call_command("createcachetable", verbosity=0)
    built = build_world()
    built.session_keys = {role: _session_key(role, built) for role in ROLES}
    return built


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The world of this module's tests, with a session per role, built once and thrown away
    (rolled back) when the module's last test has run."""
    yield from built_once_per_module(django_db_blocker, _world_with_sessions)


@pytest.fixture
def world(_module_world, db) -> World:
    """The module's world; the test's own copy of its objects, in the test's savepoint."""
    return copy.deepcopy(_module_world)


_SHARED = {}


def shared_client() -> Client:
    """One test client for the whole run: a new client loads the middleware again (WhiteNoise
    scans every static file then), which would cost more than the request itself."""
    if "client" not in _SHARED:
        _SHARED["client"] = Client()
    return _SHARED["client"]


def _session_key(role: str, world: World) -> str | None:
    if role == "anonymous":
        return None
    browser = shared_client()
    browser.cookies.clear()
    if role in world.users:
        browser.force_login(world.users[role])
        return browser.cookies[settings.SESSION_COOKIE_NAME].value
    session = SessionStore()
    if role.startswith("participant"):
        session[PARTICIPANT_SESSION_KEY] = getattr(world, role).token
    elif role == "finance_invite":
        session[INVITE_SESSION_KEY] = {str(world.workshop.pk): world.used_invite.pk}
    session.create()
    return session.session_key


def client_for(role: str, world: World) -> Client:
    """The browser, holding `role` in `world` (a session of its own per role and world)."""
    if role not in world.session_keys:
        world.session_keys[role] = _session_key(role, world)
    browser = shared_client()
    browser.cookies.clear()
    if key := world.session_keys[role]:
        browser.cookies[settings.SESSION_COOKIE_NAME] = key
    return browser


# Rows that change on every request whatever the rights (sessions, caches, presence).
_VOLATILE_FIELDS = {"last_seen_at", "last_login", "updated_at"}
_VOLATILE_MODELS = {"sessions.session", "admin.logentry", "contenttypes.contenttype"}


def db_snapshot() -> dict:
    """Every row of every model (volatile columns left out), to prove nothing changed."""
    snapshot = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in _VOLATILE_MODELS or model._meta.auto_created:
            continue
        names = sorted(
            f.attname for f in model._meta.concrete_fields if f.attname not in _VOLATILE_FIELDS
        )
        snapshot[label] = sorted(map(repr, model.objects.order_by().values_list(*names)))
    for through in (Workshop.facilitators.through, Workshop.finance_reviewers.through):
        rows = through.objects.order_by().values_list("workshop_id", "user_id")
        snapshot[through._meta.label_lower] = sorted(rows)
    return snapshot


def snapshot_diff(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]
