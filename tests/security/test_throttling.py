"""What tests/workshops/test_login.py and test_joining.py leave out: sign-in and join limits
hold for hostile input, say why, and spend nothing on refusals that guess nothing.

Covered there already: 5 failures per username and 20 per address, then 429 with a message;
username case and spaces; a success resets the count; wrong join codes limited per address and
overall with their messages; 60 laptops behind one address all join."""

import pytest
from django.test import Client

from tests import factories
from tests.security.test_hostile_input import HUGE, NUL, XSS
from workshops import joining
from workshops.models import Participant

pytestmark = pytest.mark.django_db

BLOCKED = "Too many failed sign-in attempts. Wait a few minutes and try again."


WRONG = "not-the-password"


def sign_in(browser, username, password=WRONG, ip="10.0.0.1"):
    return browser.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.parametrize("username", [NUL, HUGE, XSS, "\u202egnp.exe\u200b"], ids=repr)
def test_login_hostile_username_is_counted_and_blocked_like_any_other(world, username):
    browser = Client()
    for _ in range(5):
        assert sign_in(browser, username).status_code == 200
    response = sign_in(browser, username)
    assert response.status_code == 429
    assert BLOCKED in response.text
    assert XSS not in response.text


def test_login_address_block_says_why(world):
    browser = Client()
    for n in range(20):
        sign_in(browser, f"guess{n}", ip="10.9.9.9")
    response = sign_in(browser, "facilitator", factories.PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert BLOCKED in response.text
    assert "_auth_user_id" not in browser.session


def test_login_characters_beyond_a_username_do_not_start_a_fresh_count(world):
    """A username has at most 150 characters: varying what comes after them cannot buy a
    new allowance for the same name."""
    browser = Client()
    for _ in range(5):
        sign_in(browser, "a" * 150 + "x", ip="10.0.0.2")
    assert sign_in(browser, "a" * 150 + "y", ip="10.0.0.3").status_code == 429
    assert sign_in(browser, "facilitator", factories.PASSWORD, ip="10.0.0.4").status_code == 302


def test_join_refusals_that_guess_nothing_do_not_spend_the_address_limit(world):
    """A locked table's right code, or a code that is not even code-shaped, guesses nothing:
    the room's address keeps its full allowance for typing mistakes."""
    table = world.table
    joining.table_lock(table=table, locked=True)
    browser = Client()
    for _ in range(joining.join_limits()[0] + 5):
        locked = browser.post("/join", {"code": table.join_code, "display_name": "Sam"})
        assert locked.status_code == 403
        malformed = browser.post("/join", {"code": NUL, "display_name": "Sam"})
        assert malformed.status_code == 422
    joining.table_lock(table=table, locked=False)
    before = Participant.objects.count()
    joined = Client().post("/join", {"code": table.join_code, "display_name": "Sam"})
    assert joined.status_code == 302
    assert Participant.objects.count() == before + 1
