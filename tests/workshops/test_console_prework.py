"""Facilitator console: the pre-work checklist."""

import pytest

from workshops.models import PreworkItem, Workshop

pytestmark = pytest.mark.django_db


def finance(workshop) -> PreworkItem:
    return workshop.prework_items.get(key="invite-finance")


def edit_url(workshop, item):
    return f"/workshops/{workshop.pk}/prework/{item.pk}/"


def test_prework_page_lists_four_items_open(facilitator_client, workshop):
    response = facilitator_client.get(f"/workshops/{workshop.pk}/prework/")
    assert response.status_code == 200
    assert response.text.count('<span class="badge open">Open</span>') == 4
    assert "4 of 4 items still open." in response.text
    assert "Invite the finance stakeholder to Block 4" in response.text


def test_prework_mark_done_with_note(facilitator_client, workshop):
    item = finance(workshop)
    response = facilitator_client.post(
        edit_url(workshop, item), {"status": "done", "note": "CFO Ingrid Sørensen confirmed."}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.note) == ("done", "CFO Ingrid Sørensen confirmed.")
    page = facilitator_client.get(f"/workshops/{workshop.pk}/prework/").text
    assert "3 of 4 items still open." in page
    assert (
        "must be invited before Block 4"
        not in facilitator_client.get(f"/workshops/{workshop.pk}/").text
    )


def test_prework_all_done_says_so(facilitator_client, workshop):
    for item in workshop.prework_items.all():
        facilitator_client.post(edit_url(workshop, item), {"status": "done", "note": ""})
    assert (
        "All pre-work is done." in facilitator_client.get(f"/workshops/{workshop.pk}/prework/").text
    )


def test_prework_htmx_answers_checklist_partial(facilitator_client, workshop):
    item = finance(workshop)
    response = facilitator_client.post(
        edit_url(workshop, item), {"status": "done", "note": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="checklist"')
    assert "Saved" in response.text


def test_prework_note_script_shown_escaped(facilitator_client, workshop):
    item = finance(workshop)
    facilitator_client.post(
        edit_url(workshop, item), {"status": "open", "note": "<script>alert(1)</script>"}
    )
    text = facilitator_client.get(f"/workshops/{workshop.pk}/prework/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)</script>" not in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "finished", "note": ""}, "Choose open or done."),
        ({"status": "", "note": ""}, "Choose open or done."),
        ({"status": "done", "note": "x" * 2001}, "Keep the note to 2000 characters or fewer."),
    ],
)
def test_prework_bad_input_explains_and_changes_nothing(
    facilitator_client, workshop, data, message
):
    item = finance(workshop)
    revision = Workshop.objects.get(pk=workshop.pk).revision
    response = facilitator_client.post(edit_url(workshop, item), data)
    assert response.status_code == 422
    assert message in response.text
    item.refresh_from_db()
    assert (item.status, item.note) == ("open", "")
    assert Workshop.objects.get(pk=workshop.pk).revision == revision


def test_prework_query_count_fixed(facilitator_client, workshop, django_assert_num_queries):
    with django_assert_num_queries(5):
        assert facilitator_client.get(f"/workshops/{workshop.pk}/prework/").status_code == 200
