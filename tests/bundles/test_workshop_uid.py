import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories
from workshops.models import Workshop

BEFORE = [("workshops", "0001_initial")]
AFTER = [("workshops", "0002_workshop_uid")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_workshops_their_own_uid():
    try:
        executor = _migrate(BEFORE)
        old_state = executor.loader.project_state(BEFORE).apps
        OldWorkshop = old_state.get_model("workshops", "Workshop")
        for client in ("Acme", "Beta"):
            OldWorkshop.objects.create(client_organisation=client, date=datetime.date(2026, 12, 10))
        _migrate(AFTER)
        uids = list(Workshop.objects.values_list("uid", flat=True))
    finally:
        _migrate()  # back to the latest schema, for the tests that follow
    assert len(uids) == 2
    assert len(set(uids)) == 2
    assert None not in uids


def test_new_workshops_get_a_uid(facilitator):
    first = factories.make_workshop(facilitator=facilitator)
    second = factories.make_workshop(facilitator=facilitator)
    assert first.uid != second.uid
    assert Workshop.objects.get(uid=first.uid) == first
