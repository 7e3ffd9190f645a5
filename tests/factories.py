"""Test data builders, one place for all tests. Plain functions with sensible defaults."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from agents.models import Agent
from workshops import services
from workshops.models import BreakoutTable, Participant, Workshop

_seq = itertools.count(1)

PASSWORD = "correct-horse-battery-staple"


def make_user(*, username: str | None = None, superuser: bool = False, **extra):
    username = username or f"user{next(_seq)}"
    model = get_user_model()
    if superuser:
        return model.objects.create_superuser(username=username, password=PASSWORD, **extra)
    return model.objects.create_user(username=username, password=PASSWORD, **extra)


def make_workshop(*, facilitator=None, **fields) -> Workshop:
    facilitator = facilitator or make_user()
    defaults = {
        "client_organisation": f"Client {next(_seq)}",
        "date": datetime.date(2026, 12, 10),
        "venue": "Room 1",
        "currency": "EUR",
    }
    defaults.update(fields)
    status = defaults.pop("status", None)
    workshop = services.workshop_create(facilitator=facilitator, **defaults)
    if status:
        Workshop.objects.filter(pk=workshop.pk).update(status=status)
        workshop.refresh_from_db()
    return workshop


def make_table(*, workshop: Workshop | None = None, name: str | None = None) -> BreakoutTable:
    workshop = workshop or make_workshop()
    return services.table_create(workshop=workshop, name=name or f"Table {next(_seq)}")


def make_agent(*, workshop: Workshop | None = None, table=None, **fields) -> Agent:
    if workshop is None:
        workshop = table.workshop if table else make_workshop()
    defaults = {
        "name": f"Agent {next(_seq)}",
        "description": "Reads invoices and routes exceptions.",
        "business_process": "Accounts payable",
        "priority_rank": 1,
        "owner_name": "Dana Whitfield",
        "owner_email": "dana@example.com",
    }
    defaults.update(fields)
    return Agent.objects.create(workshop=workshop, table=table, **defaults)


def make_participant(*, table: BreakoutTable, display_name: str = "Sam") -> Participant:
    return Participant.objects.create(
        table=table, display_name=display_name, token=f"token-{next(_seq)}-{table.pk}"
    )
