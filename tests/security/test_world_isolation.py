"""The world is built once per module: what a test writes, in the database or on its copy of
the world's objects, is gone when the next test starts."""

import pytest

from agents.models import Agent
from tests.security.conftest import client_for, db_snapshot, snapshot_diff
from tests.security.test_access_matrix import url_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built_snapshot(_module_world, django_db_blocker):
    with django_db_blocker.unblock():
        return db_snapshot()


@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_world_each_test_starts_as_built_after_a_deleting_post(attempt, world, built_snapshot):
    assert snapshot_diff(built_snapshot, db_snapshot()) == []
    assert world.agent.name == "Invoice matcher"

    response = client_for("facilitator", world).post(url_for("agents:delete", world))
    world.agent.name = "Renamed on this test's copy"

    assert response.status_code == 302
    assert Agent.objects.filter(pk=world.agent.pk).exists() is False
    assert snapshot_diff(built_snapshot, db_snapshot()) != []


@pytest.mark.parametrize("attempt", [1, 2])
def test_world_each_test_starts_signed_in_after_a_sign_out(attempt, world):
    detail = url_for("workshops:detail", world)
    assert client_for("facilitator", world).get(detail).status_code == 200

    response = client_for("facilitator", world).post("/accounts/logout/")

    assert response.status_code == 302
    assert client_for("facilitator", world).get(detail).status_code == 302
