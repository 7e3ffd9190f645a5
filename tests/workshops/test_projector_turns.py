"""The presenter turns the projector's page: a counter the projector's poll compares, so the
projector re-renders and no other screen does."""

import pytest

from tests import factories
from workshops import live
from workshops.models import Workshop


@pytest.fixture
def room(facilitator):
    workshop = factories.make_workshop(facilitator=facilitator, status="live")
    factories.make_table(workshop=workshop, name="Table A")
    return workshop


def turns(workshop) -> tuple[int, int, int]:
    saved = Workshop.objects.get(pk=workshop.pk)
    return saved.projector_turns, saved.revision, saved.room_revision


def test_presenter_turns_the_page_forward_and_back(facilitator_client, room):
    _, revision, room_revision = turns(room)
    url = f"/workshops/{room.pk}/presenter/page-next/"
    assert facilitator_client.post(url).status_code == 302
    assert turns(room) == (1, revision + 1, room_revision)
    facilitator_client.post(f"/workshops/{room.pk}/presenter/page-previous/")
    facilitator_client.post(f"/workshops/{room.pk}/presenter/page-previous/")
    assert turns(room) == (-1, revision + 3, room_revision)


def test_turn_step_must_be_one_page(room):
    with pytest.raises(live.RunError, match="Turn the page forward or back."):
        live.projector_turn(workshop=room, step=5)
    assert turns(room)[0] == 0


def test_a_get_turns_nothing(facilitator_client, room):
    assert facilitator_client.get(f"/workshops/{room.pk}/presenter/page-next/").status_code == 405
    assert turns(room)[0] == 0


def test_another_facilitator_cannot_turn(client, room):
    client.force_login(factories.make_facilitator(username="rival"))
    assert client.post(f"/workshops/{room.pk}/presenter/page-next/").status_code == 404
    assert turns(room)[0] == 0


def test_projector_poll_renders_after_a_turn_only(facilitator_client, room):
    page = facilitator_client.get(f"/workshops/{room.pk}/projector/")
    rev = page.context["rev"]
    poll = f"/workshops/{room.pk}/projector/?rev={rev}&view=agenda&turns=0"
    headers = {"HX-Request": "true"}
    assert facilitator_client.get(poll, headers=headers).status_code == 204
    live.projector_turn(workshop=room, step=1)
    answer = facilitator_client.get(poll, headers=headers)
    assert answer.status_code == 200
    assert 'data-turns="1"' in answer.text
    poll_after = f"/workshops/{room.pk}/projector/?rev={rev}&view=agenda&turns=1"
    assert facilitator_client.get(poll_after, headers=headers).status_code == 204


def test_presenter_shows_the_page_buttons(facilitator_client, room):
    html = facilitator_client.get(f"/workshops/{room.pk}/presenter/").text
    assert ">Previous page</button>" in html and ">Next page</button>" in html
