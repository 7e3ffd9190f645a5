"""What tests/workshops/test_login.py and test_joining.py leave out: sign-in and join limits
hold for hostile input, say why, and spend nothing on refusals that guess nothing.

Covered there already: 5 failures per username and address, then 429 with a message, the owner
elsewhere unaffected; username case and spaces; a success resets the count; wrong join codes
limited per address and per workshop with their messages, a correct code never refused; 60
laptops behind one address all join."""

import pytest
from django.test import Client

from tests import factories
from tests.security.test_hostile_input import HUGE, NUL, XSS
from workshops import joining
from workshops.models import Participant
from workshops.signin import SIGNIN_REFUSED

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


def sign_in(browser, username, password=WRONG, ip="10.0.0.1"):
    return browser.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_nul_username_is_refused_before_any_password_is_tried(world):
    browser = Client()
    for _ in range(6):
        response = sign_in(browser, NUL)
        assert response.status_code == 200
        assert "Null characters are not allowed." in response.text
    assert "_auth_user_id" not in browser.session


@pytest.mark.parametrize("username", [HUGE, XSS, "\u202egnp.exe\u200b"], ids=repr)
def test_login_hostile_username_is_counted_and_refused_like_any_other(world, username):
    browser = Client()
    for _ in range(4):
        assert sign_in(browser, username).status_code == 200
    response = sign_in(browser, username)
    assert response.status_code == 429
    assert SIGNIN_REFUSED in response.text
    assert XSS not in response.text


def test_login_refusal_says_why_and_signs_nobody_in(world):
    browser = Client()
    for _ in range(5):
        sign_in(browser, "facilitator", ip="10.9.9.9")
    response = sign_in(browser, "facilitator", factories.PASSWORD, ip="10.9.9.9")
    assert response.status_code == 429
    assert SIGNIN_REFUSED in response.text
    assert "_auth_user_id" not in browser.session


def test_login_spoofed_forwarded_address_does_not_buy_a_fresh_count(world, settings):
    """Behind one proxy, entries the client writes on the left of X-Forwarded-For are ignored."""
    settings.BEHIND_PROXY = True
    browser = Client()
    for n in range(5):
        browser.post(
            "/accounts/login/",
            {"username": "facilitator", "password": WRONG},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
        )
    response = browser.post(
        "/accounts/login/",
        {"username": "facilitator", "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
    )
    assert response.status_code == 429


def test_login_characters_beyond_a_username_do_not_start_a_fresh_count(world):
    """A username has at most 150 characters: varying what comes after them cannot buy a
    new allowance for the same name."""
    browser = Client()
    for n in range(5):
        sign_in(browser, "a" * 150 + "xyzwv"[n], ip="10.0.0.2")
    assert sign_in(browser, "a" * 150 + "y", ip="10.0.0.2").status_code == 429
    assert sign_in(browser, "facilitator", factories.PASSWORD, ip="10.0.0.4").status_code == 302


@pytest.mark.slow
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
