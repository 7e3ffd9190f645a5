"""Facilitator console: the agenda page."""

import pytest

from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def item_at(workshop, position) -> AgendaItem:
    return workshop.agenda_items.get(position=position)


def edit_url(workshop, item):
    return f"/workshops/{workshop.pk}/agenda/{item.pk}/"


def test_agenda_shows_four_blocks_with_guide_times(facilitator_client, workshop):
    response = facilitator_client.get(f"/workshops/{workshop.pk}/agenda/")
    text = response.text
    assert response.status_code == 200
    for label in [
        "Block 1: Foundation &amp; Education",
        "Block 2: Economic Classification",
        "Block 3: KPI Development",
        "Block 4: Value Target Setting",
    ]:
        assert label in text
    for slot in ["0:00-0:15", "0:15-0:45", "1:30-1:45", "1:45-2:15", "3:00-3:15", "3:50-4:00"]:
        assert slot in text
    assert "Total duration: <strong>4:00</strong>" in text
    assert "90 minutes" in text


def test_agenda_item_save_moves_later_times(facilitator_client, workshop):
    item = item_at(workshop, 1)
    response = facilitator_client.post(
        edit_url(workshop, item), {"planned_minutes": "20", "facilitator_notes": "Start sharp."}
    )
    assert response.status_code == 302
    assert response.url == f"/workshops/{workshop.pk}/agenda/#item-{item.pk}"
    item.refresh_from_db()
    assert (item.planned_minutes, item.facilitator_notes) == (20, "Start sharp.")
    text = facilitator_client.get(f"/workshops/{workshop.pk}/agenda/").text
    assert "0:00-0:20" in text
    assert "0:20-0:50" in text
    assert "Total duration: <strong>4:05</strong>" in text


def test_agenda_item_save_htmx_answers_the_agenda_partial(facilitator_client, workshop):
    item = item_at(workshop, 13)
    response = facilitator_client.post(
        edit_url(workshop, item),
        {"planned_minutes": "25", "facilitator_notes": "Finance signs."},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="agenda"')
    assert "3:50-4:15" in response.text
    assert "Saved" in response.text
    assert "<html" not in response.text


def test_agenda_item_notes_unicode_and_script_escaped(facilitator_client, workshop):
    item = item_at(workshop, 1)
    notes = "Café ☕ break <script>alert('x')</script>"
    facilitator_client.post(
        edit_url(workshop, item), {"planned_minutes": "15", "facilitator_notes": notes}
    )
    assert AgendaItem.objects.get(pk=item.pk).facilitator_notes == notes
    text = facilitator_client.get(f"/workshops/{workshop.pk}/agenda/").text
    assert "Café ☕ break &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert "<script>alert" not in text


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("", "Enter the planned minutes, for example 15."),
        ("abc", "Enter the planned minutes as a whole number, for example 15."),
        ("12.5", "Enter the planned minutes as a whole number, for example 15."),
        ("0", "Plan at least 1 minute for an activity."),
        ("-10", "Plan at least 1 minute for an activity."),
        ("241", "Plan at most 240 minutes (4 hours) for one activity."),
        ("99999999999999999999", "Plan at most 240 minutes (4 hours) for one activity."),
    ],
)
def test_agenda_item_bad_minutes_explain_and_change_nothing(
    facilitator_client, workshop, minutes, message
):
    item = item_at(workshop, 2)
    revision = Workshop.objects.get(pk=workshop.pk).revision
    response = facilitator_client.post(
        edit_url(workshop, item), {"planned_minutes": minutes, "facilitator_notes": "Changed"}
    )
    assert response.status_code == 422
    assert message in response.text
    item.refresh_from_db()
    assert (item.planned_minutes, item.facilitator_notes[:26]) == (30, "Interactive education modu")
    assert Workshop.objects.get(pk=workshop.pk).revision == revision


def test_agenda_item_bad_minutes_keep_typed_notes(facilitator_client, workshop):
    item = item_at(workshop, 2)
    response = facilitator_client.post(
        edit_url(workshop, item), {"planned_minutes": "0", "facilitator_notes": "My new notes"}
    )
    assert ">My new notes</textarea>" in response.text


def test_agenda_item_bad_minutes_htmx_answers_partial_422(facilitator_client, workshop):
    item = item_at(workshop, 2)
    response = facilitator_client.post(
        edit_url(workshop, item),
        {"planned_minutes": "-1", "facilitator_notes": ""},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<div id="agenda"')
    assert "Plan at least 1 minute for an activity." in response.text


def test_agenda_item_notes_too_long_explains(facilitator_client, workshop):
    item = item_at(workshop, 2)
    response = facilitator_client.post(
        edit_url(workshop, item), {"planned_minutes": "30", "facilitator_notes": "x" * 5001}
    )
    assert response.status_code == 422
    assert "Keep the facilitator notes to 5000 characters or fewer." in response.text


def test_agenda_item_edit_refuses_get(facilitator_client, workshop):
    item = item_at(workshop, 1)
    assert facilitator_client.get(edit_url(workshop, item)).status_code == 405


def test_agenda_item_of_other_workshop_404(facilitator_client, workshop, facilitator):
    from tests import factories

    other = factories.make_workshop()
    foreign = other.agenda_items.get(position=1)
    response = facilitator_client.post(
        edit_url(workshop, foreign), {"planned_minutes": "50", "facilitator_notes": ""}
    )
    assert response.status_code == 404
    assert AgendaItem.objects.get(pk=foreign.pk).planned_minutes == 15


def test_agenda_query_count_fixed(facilitator_client, workshop, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert facilitator_client.get(f"/workshops/{workshop.pk}/agenda/").status_code == 200
