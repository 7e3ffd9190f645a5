"""Facilitator console: post-workshop actions."""

import datetime

import pytest
import time_machine

from tests import factories
from workshops import services
from workshops.models import ActionItem, Workshop

# The guide's actions fall due after the workshop (10 Dec 2026): none is overdue yet.
BEFORE_THE_WORKSHOP = datetime.datetime(2026, 12, 8, 9, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db

VALID = {"owner": "Client IT", "action": "Share the API usage export", "due_date": "2026-12-20"}


def list_url(workshop):
    return f"/workshops/{workshop.pk}/actions/"


def edit_url(workshop, item):
    return f"/workshops/{workshop.pk}/actions/{item.pk}/edit/"


@time_machine.travel(BEFORE_THE_WORKSHOP, tick=False)
def test_action_list_shows_guide_actions(facilitator_client, workshop):
    text = facilitator_client.get(list_url(workshop)).text
    assert "Compile Agent Economics Register" in text
    assert "OAIO Team" in text
    assert "13 Dec 2026" in text
    assert "Facilitator guide" in text
    assert "Overdue" not in text


@time_machine.travel(BEFORE_THE_WORKSHOP, tick=False)
def test_action_list_highlights_overdue(facilitator_client, workshop):
    late = workshop.actions.get(origin_key="guide:register")
    ActionItem.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 3, 1))
    done_late = workshop.actions.get(origin_key="guide:leadership")
    ActionItem.objects.filter(pk=done_late.pk).update(
        due_date=datetime.date(2020, 3, 2), status="done"
    )
    text = facilitator_client.get(list_url(workshop)).text
    assert f'<tr id="action-{late.pk}" class="overdue">' in text
    assert f'<tr id="action-{done_late.pk}">' in text
    assert text.count('<span class="badge bad">Overdue</span>') == 1


def test_action_add_creates_manual_action(facilitator_client, workshop):
    response = facilitator_client.post(
        f"/workshops/{workshop.pk}/actions/new/", dict(VALID, status="in_progress")
    )
    assert response.status_code == 302
    item = workshop.actions.get(origin="manual")
    assert (item.owner, item.action, item.due_date, item.status) == (
        "Client IT",
        "Share the API usage export",
        datetime.date(2026, 12, 20),
        "in_progress",
    )


def test_action_add_unicode_and_script_escaped(facilitator_client, workshop):
    facilitator_client.post(
        f"/workshops/{workshop.pk}/actions/new/",
        dict(VALID, owner="Søren Ødegård", action="<script>alert(1)</script>", status="open"),
    )
    text = facilitator_client.get(list_url(workshop)).text
    assert "Søren Ødegård" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)</script>" not in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"owner": ""}, "Enter the owner."),
        ({"owner": "x" * 201}, "Keep the owner to 200 characters or fewer."),
        ({"action": "  "}, "Enter the action."),
        ({"action": "x" * 501}, "Keep the action to 500 characters or fewer."),
        ({"due_date": ""}, "Enter the due date."),
        ({"due_date": "soon"}, "Enter the due date as a date, for example 2026-12-10."),
        ({"due_date": "1999-12-31"}, "Enter a due date between the years 2000 and 2999."),
        ({"due_date": "9999-12-31"}, "Enter a due date between the years 2000 and 2999."),
        ({"due_date": "99999-01-01"}, "Enter the due date as a date, for example 2026-12-10."),
        ({"status": "blocked"}, "Choose open, in progress or done."),
    ],
)
def test_action_add_bad_input_explains_and_adds_nothing(
    facilitator_client, workshop, changes, message
):
    data = dict(VALID, status="open")
    data.update(changes)
    response = facilitator_client.post(f"/workshops/{workshop.pk}/actions/new/", data)
    assert response.status_code == 422
    assert message in response.text
    assert workshop.actions.count() == 4


def test_action_edit_saves(facilitator_client, workshop):
    item = workshop.actions.get(origin_key="guide:register")
    response = facilitator_client.post(
        edit_url(workshop, item),
        {
            "owner": "OAIO Team",
            "action": item.action,
            "due_date": "2026-12-14",
            "status": "done",
            "version": "1",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.due_date, item.version) == ("done", datetime.date(2026, 12, 14), 2)


def test_action_edit_stale_version_answers_409_with_both_values(facilitator_client, workshop):
    item = workshop.actions.get(origin_key="guide:register")
    services.action_update(item=item, version=1, values={"owner": "Finance Ops"})
    response = facilitator_client.post(
        edit_url(workshop, item),
        {"owner": "Mine Ltd", "action": item.action, "due_date": "2026-12-13", "status": "open",
         "version": "1"},
    )  # fmt: skip
    assert response.status_code == 409
    assert "Someone at your table saved this first" in response.text
    assert "<td>Finance Ops</td><td>Mine Ltd</td>" in response.text
    assert 'value="Mine Ltd"' in response.text
    assert '<input type="hidden" name="version" value="2"' in response.text
    item.refresh_from_db()
    assert item.owner == "Finance Ops"


def test_action_edit_keep_mine_after_conflict_saves(facilitator_client, workshop):
    item = workshop.actions.get(origin_key="guide:register")
    services.action_update(item=item, version=1, values={"owner": "Finance Ops"})
    data = {"owner": "Mine Ltd", "action": item.action, "due_date": "2026-12-13", "status": "open"}
    facilitator_client.post(edit_url(workshop, item), dict(data, version="1"))
    response = facilitator_client.post(
        edit_url(workshop, item), dict(data, version="2", resolve="mine")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner, item.version) == ("Mine Ltd", 3)


@pytest.mark.parametrize("version", ["", "abc", "0"])
def test_action_edit_bad_version_asks_to_reload(facilitator_client, workshop, version):
    item = workshop.actions.get(origin_key="guide:register")
    response = facilitator_client.post(
        edit_url(workshop, item), dict(VALID, status="open", version=version)
    )
    assert response.status_code == 422
    assert "Reload the page and edit again." in response.text
    item.refresh_from_db()
    assert item.owner == "OAIO Team"


def test_action_edit_of_other_workshop_404(facilitator_client, workshop):
    foreign = factories.make_workshop().actions.first()
    response = facilitator_client.post(edit_url(workshop, foreign), dict(VALID, version="1"))
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_action_list_query_count_does_not_grow(
    facilitator_client, workshop, extra, django_assert_num_queries
):
    for n in range(extra):
        services.action_create(
            workshop=workshop, owner=f"Owner {n}", action="Act", due_date=datetime.date(2026, 1, 1)
        )
    with django_assert_num_queries(4):
        assert facilitator_client.get(list_url(workshop)).status_code == 200
    assert Workshop.objects.get(pk=workshop.pk).actions.count() == 4 + extra
