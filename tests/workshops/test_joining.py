import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from workshops import joining, services
from workshops.models import Participant, Workshop
from workshops.permissions import PARTICIPANT_SESSION_KEY

ROOM_WIFI = "198.51.100.10"


def join(client, code, name="Sam", ip=ROOM_WIFI):
    return client.post("/join", {"code": code, "display_name": name}, REMOTE_ADDR=ip)


@pytest.fixture
def live_workshop(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status="live")
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def table(live_workshop):
    return factories.make_table(workshop=live_workshop, name="Table A")


@pytest.mark.django_db
def test_join_good_code_opens_the_workspace(client, table):
    response = join(client, table.join_code)
    assert response.status_code == 302
    assert response.url == "/t/"
    participant = Participant.objects.get()
    assert participant.table == table
    assert participant.display_name == "Sam"
    assert client.session[PARTICIPANT_SESSION_KEY] == participant.token
    page = client.get("/t/")
    assert page.status_code == 200
    assert "Table A" in page.text


@pytest.mark.django_db
def test_join_code_typed_loosely_is_accepted(client, table):
    typed = " " + table.join_code_display.lower() + " "
    assert join(client, typed).status_code == 302
    assert Participant.objects.count() == 1


@pytest.mark.django_db
def test_join_session_cookie_lasts_the_day(client, table, settings):
    join(client, table.join_code)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_join_wrong_code_refused_with_message(client, table):
    wrong = "23456" + "23456" if table.join_code != "2345623456" else "3456734567"
    response = join(client, wrong)
    assert response.status_code == 400
    assert joining.UNKNOWN_CODE in response.text
    assert Participant.objects.count() == 0


@pytest.mark.django_db
def test_join_code_of_wrong_length_refused(client, table):
    response = join(client, "ABC")
    assert response.status_code == 422
    assert "A table code has 10 letters and digits" in response.text
    assert Participant.objects.count() == 0


@pytest.mark.django_db
def test_join_locked_table_refused(client, table):
    joining.table_lock(table=table, locked=True)
    response = join(client, table.join_code)
    assert response.status_code == 403
    assert "This table is locked; ask the facilitator." in response.text
    assert Participant.objects.count() == 0


@pytest.mark.django_db
def test_join_unlocked_table_accepted_again(client, table):
    joining.table_lock(table=table, locked=True)
    joining.table_lock(table=table, locked=False)
    assert join(client, table.join_code).status_code == 302


@pytest.mark.django_db
def test_join_rotated_code_old_refused_new_accepted(client, table):
    old = table.join_code
    services.table_rotate_code(table=table)
    table.refresh_from_db()
    assert table.join_code != old
    assert join(client, old).status_code == 400
    assert join(client, table.join_code).status_code == 302


@pytest.mark.django_db
def test_join_closed_workshop_refused(client, table):
    Workshop.objects.filter(pk=table.workshop_id).update(status="closed")
    response = join(client, table.join_code)
    assert response.status_code == 403
    assert "This workshop is closed" in response.text
    assert Participant.objects.count() == 0


@pytest.mark.django_db
def test_join_draft_workshop_allowed_read_only(client):
    table = factories.make_table(name="Table A")
    assert table.workshop.status == "draft"
    assert join(client, table.join_code).status_code == 302
    page = client.get("/t/")
    assert "The workshop has not started yet" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Type your name, so your table knows who is here."),
        ("   ", "Type your name, so your table knows who is here."),
        ("x" * 61, "Keep your name to 60 characters or fewer."),
    ],
)
def test_join_bad_name_refused(client, table, name, message):
    response = join(client, table.join_code, name=name)
    assert response.status_code == 422
    assert message in response.text
    assert Participant.objects.count() == 0


@pytest.mark.django_db
def test_join_empty_code_refused(client, table):
    response = join(client, "")
    assert response.status_code == 422
    assert "Type your table&#x27;s code from the projector." in response.text


@pytest.mark.django_db
def test_join_unicode_name_kept(client, table):
    join(client, table.join_code, name="Zoë  Ñúñez 山田")
    assert Participant.objects.get().display_name == "Zoë Ñúñez 山田"


@pytest.mark.django_db
def test_join_script_name_shown_escaped(client, table):
    join(client, table.join_code, name="<script>alert(1)</script>")
    page = client.get("/t/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


@pytest.mark.django_db
def test_join_again_same_browser_keeps_one_participant(client, table):
    join(client, table.join_code, name="Sam")
    join(client, table.join_code, name="Sam K.")
    assert list(Participant.objects.values_list("display_name", flat=True)) == ["Sam K."]


@pytest.mark.django_db
def test_join_link_with_own_code_returns_to_the_table(client, table):
    join(client, table.join_code)
    response = client.get(f"/join?code={table.join_code}")
    assert response.status_code == 302
    assert response.url == "/t/"


@pytest.mark.django_db
def test_join_link_prefills_code(client, table):
    response = client.get(f"/join?code={table.join_code}")
    assert response.status_code == 200
    assert f'value="{table.join_code_display}"' in response.text


def wrong_code_for(table) -> str:
    return "2345623456" if table.join_code != "2345623456" else "3456734567"


def near_miss_of(code: str) -> str:
    """The code with its last character mistyped."""
    last = "2" if code[-1] != "2" else "3"
    return code[:-1] + last


@pytest.mark.slow
@pytest.mark.django_db
def test_join_wrong_codes_from_one_address_refused_with_message(client, table):
    wrong = wrong_code_for(table)
    for _ in range(joining.join_limits()[0]):
        assert join(client, wrong).status_code == 400
    response = join(client, wrong)
    assert response.status_code == 429
    assert joining.BLOCKED_ADDRESS in response.text
    assert Participant.objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db
def test_join_correct_code_never_refused_after_many_wrong_codes_from_the_same_address(table):
    guesser = Client()
    for _ in range(joining.join_limits()[0] + 20):
        join(guesser, wrong_code_for(table))
    assert join(guesser, wrong_code_for(table)).status_code == 429
    assert join(Client(), table.join_code, name="Same address").status_code == 302
    assert join(Client(), table.join_code, name="Other", ip="192.0.2.50").status_code == 302
    assert sorted(Participant.objects.values_list("display_name", flat=True)) == [
        "Other",
        "Same address",
    ]


@pytest.mark.slow
@pytest.mark.django_db
def test_join_flood_of_wrong_codes_from_everyone_blocks_no_correct_code(table):
    for n in range(11):
        for _ in range(joining.join_limits()[0]):
            with pytest.raises(joining.JoinRefused):
                joining.participant_join(
                    code=wrong_code_for(table), display_name="X", address=f"203.0.113.{n}"
                )
    assert join(Client(), table.join_code, ip="203.0.113.200").status_code == 302
    fresh = join(Client(), wrong_code_for(table), ip="203.0.113.201")
    assert fresh.status_code == 400
    assert joining.UNKNOWN_CODE in fresh.text


@pytest.mark.django_db
def test_join_near_miss_codes_counted_per_workshop(table, settings):
    settings.JOIN_FAILURES_PER_WORKSHOP = 5
    near = near_miss_of(table.join_code)
    assert joining.near_miss_workshops(near) == [table.workshop_id]
    for n in range(5):
        assert join(Client(), near, ip=f"192.0.2.{n}").status_code == 400
    response = join(Client(), near, ip="192.0.2.77")
    assert response.status_code == 429
    assert joining.BLOCKED_WORKSHOP in response.text
    # A code near no workshop, and the right code, are not held up.
    assert join(Client(), wrong_code_for(table), ip="192.0.2.77").status_code == 400
    assert join(Client(), table.join_code, ip="192.0.2.77").status_code == 302


@pytest.mark.django_db
def test_join_near_miss_of_one_workshop_leaves_another_workshop_free(table, settings):
    settings.JOIN_FAILURES_PER_WORKSHOP = 3
    other = factories.make_table(workshop=factories.make_workshop(status="live"))
    for n in range(4):
        join(Client(), near_miss_of(table.join_code), ip=f"192.0.2.{n}")
    response = join(Client(), near_miss_of(other.join_code), ip="192.0.2.90")
    assert response.status_code == 400


@pytest.mark.parametrize("code", ["", "ABC", "2345623456X", "\u00c9" * 10, "0000000000"], ids=repr)
def test_join_near_miss_of_a_code_of_another_shape_is_nobody(code, db):
    assert joining.near_miss_workshops(code) == []


@pytest.mark.slow
@pytest.mark.django_db
def test_join_behind_proxy_counts_each_forwarded_address(table, settings):
    settings.BEHIND_PROXY = True

    def via_proxy(code, forwarded):
        return Client().post(
            "/join",
            {"code": code, "display_name": "Sam"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for n in range(joining.join_limits()[0]):
        # Whatever the client writes on the left, the proxy's entry is the address counted.
        assert via_proxy(wrong_code_for(table), f"192.0.2.{n}, 203.0.113.7").status_code == 400
    assert via_proxy(wrong_code_for(table), "203.0.113.7").status_code == 429
    assert via_proxy(wrong_code_for(table), "203.0.113.8").status_code == 400
    assert via_proxy(table.join_code, "203.0.113.7").status_code == 302


@pytest.mark.slow
@pytest.mark.django_db
def test_join_sixty_laptops_behind_one_address_all_join(table, live_workshop):
    other = factories.make_table(workshop=live_workshop, name="Table B")
    wrong = wrong_code_for(table)
    # A few typos in the room first: still under the limit.
    for _ in range(joining.join_limits()[0] - 1):
        join(Client(), wrong)
    for n in range(60):
        code = (table if n % 2 else other).join_code
        assert join(Client(), code, name=f"Person {n}").status_code == 302
    assert Participant.objects.count() == 60


@pytest.mark.django_db
def test_removed_participant_sent_back_to_join(client, table):
    join(client, table.join_code)
    joining.participant_remove(participant=Participant.objects.get())
    response = client.get("/t/")
    assert response.status_code == 302
    assert response.url == "/join"
    poll = client.get("/t/?rev=1&at=0", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == "/join"


@pytest.mark.django_db
def test_leave_forgets_the_table(client, table):
    join(client, table.join_code)
    response = client.post("/join/leave")
    assert response.status_code == 302
    assert PARTICIPANT_SESSION_KEY not in client.session
    assert client.get("/t/").status_code == 302


@pytest.mark.django_db
def test_participant_join_bumps_revision(table):
    before = Workshop.objects.get(pk=table.workshop_id).revision
    joining.participant_join(code=table.join_code, display_name="Ana", address=ROOM_WIFI)
    assert Workshop.objects.get(pk=table.workshop_id).revision == before + 1


def test_presence_due_at_most_every_thirty_seconds():
    now = timezone.now()
    assert joining.presence_due(None, now) is True
    assert joining.presence_due(now - datetime.timedelta(seconds=29), now) is False
    assert joining.presence_due(now - datetime.timedelta(seconds=30), now) is True
    # A clock that went backwards writes again rather than never.
    assert joining.presence_due(now + datetime.timedelta(seconds=60), now) is True


@pytest.mark.django_db
def test_presence_touch_writes_only_when_due(table, django_assert_num_queries):
    participant = factories.make_participant(table=table)
    now = timezone.now()
    with django_assert_num_queries(1):
        assert joining.presence_touch(participant_id=participant.pk, last_seen_at=None, now=now)
    participant.refresh_from_db()
    assert participant.last_seen_at == now
    later = now + datetime.timedelta(seconds=10)
    with django_assert_num_queries(0):
        assert not joining.presence_touch(
            participant_id=participant.pk, last_seen_at=participant.last_seen_at, now=later
        )
    participant.refresh_from_db()
    assert participant.last_seen_at == now


@pytest.mark.django_db
def test_presence_polling_writes_once_per_thirty_seconds(client, table):
    join(client, table.join_code)
    participant = Participant.objects.get()
    seen = participant.last_seen_at
    revision = Workshop.objects.get(pk=table.workshop_id).revision
    at = int(timezone.now().timestamp())
    for _ in range(5):
        response = client.get(f"/t/?rev={revision}&at={at}", headers={"HX-Request": "true"})
        assert response.status_code == 204
    participant.refresh_from_db()
    assert participant.last_seen_at == seen
    # Half a minute later the next poll records presence once.
    Participant.objects.filter(pk=participant.pk).update(
        last_seen_at=seen - datetime.timedelta(seconds=31)
    )
    client.get(f"/t/?rev={revision}&at={at}", headers={"HX-Request": "true"})
    participant.refresh_from_db()
    assert participant.last_seen_at > seen - datetime.timedelta(seconds=1)
    written = participant.last_seen_at
    client.get(f"/t/?rev={revision}&at={at}", headers={"HX-Request": "true"})
    participant.refresh_from_db()
    assert participant.last_seen_at == written
    # Presence does not bump the revision: other screens are not re-rendered for it.
    assert Workshop.objects.get(pk=table.workshop_id).revision == revision


@pytest.mark.django_db
def test_is_present_within_a_minute(table):
    participant = factories.make_participant(table=table)
    now = timezone.now()
    participant.last_seen_at = now - datetime.timedelta(seconds=59)
    assert joining.is_present(participant, now) is True
    participant.last_seen_at = now - datetime.timedelta(seconds=61)
    assert joining.is_present(participant, now) is False
