import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tests import factories
from workshops.signin import SIGNIN_REFUSED

pytestmark = pytest.mark.django_db

REFUSED = SIGNIN_REFUSED
URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def cache_table(db, settings):
    """A fast hasher keeps the many sign-in attempts quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("createcachetable", verbosity=0)
    cache.clear()


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_correct_password_signs_in(client, facilitator):
    response = sign_in(client, "facilitator", factories.PASSWORD)
    assert response.status_code == 302
    assert response.url == "/workshops/"
    assert is_signed_in(client)


def test_login_wrong_password_explains_and_counts(client, facilitator):
    response = sign_in(client, "facilitator", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert not is_signed_in(client)


def test_login_five_wrong_passwords_then_refused_with_429(client, facilitator):
    for _ in range(4):
        assert sign_in(client, "facilitator", "wrong").status_code == 200
    response = sign_in(client, "facilitator", "wrong")
    assert response.status_code == 429
    assert REFUSED in response.text
    assert sign_in(client, "facilitator", "wrong").status_code == 429


def test_login_correct_password_refused_from_the_guessing_address(client, facilitator):
    for _ in range(5):
        sign_in(client, "facilitator", "wrong")
    response = sign_in(client, "facilitator", factories.PASSWORD)
    assert response.status_code == 429
    assert REFUSED in response.text
    assert not is_signed_in(client)


def test_login_owner_signs_in_from_another_address_after_failures_from_one(client, facilitator):
    for _ in range(12):
        sign_in(client, "facilitator", "wrong", ip="10.0.0.1")
    owner = Client()
    response = sign_in(owner, "facilitator", factories.PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    assert is_signed_in(owner)


def test_login_refusal_ends_after_the_wait(client, facilitator):
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)) as clock:
        for _ in range(5):
            sign_in(client, "facilitator", "wrong")
        assert sign_in(client, "facilitator", factories.PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(seconds=301))
        assert sign_in(client, "facilitator", factories.PASSWORD).status_code == 302


def test_login_refused_attempts_do_not_push_the_wait_further(client, facilitator):
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)) as clock:
        for _ in range(5):
            sign_in(client, "facilitator", "wrong")
        clock.shift(datetime.timedelta(seconds=200))
        assert sign_in(client, "facilitator", "wrong").status_code == 429
        clock.shift(datetime.timedelta(seconds=101))
        assert sign_in(client, "facilitator", factories.PASSWORD).status_code == 302


def test_login_counts_username_case_and_spaces_alike(client, facilitator):
    for name in ["facilitator", "FACILITATOR", " Facilitator ", "facilitator", "faciLitator"]:
        sign_in(client, name, "wrong")
    assert sign_in(client, "facilitator", factories.PASSWORD).status_code == 429


def test_login_refusal_of_one_user_leaves_another_user_free(client, facilitator):
    factories.make_user(username="colleague")
    for _ in range(5):
        sign_in(client, "facilitator", "wrong")
    response = sign_in(client, "colleague", factories.PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_login_four_failures_then_success_resets_count(client, facilitator):
    for _ in range(4):
        sign_in(client, "facilitator", "wrong")
    assert sign_in(client, "facilitator", factories.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "facilitator", "wrong")
    assert sign_in(client, "facilitator", factories.PASSWORD).status_code == 302


def test_login_many_usernames_from_one_address_do_not_refuse_a_colleague_there(client, db):
    """A participant on the venue Wi-Fi typing wrong passwords for many names cannot keep the
    facilitator, behind the same address, from signing in."""
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong", ip="10.9.9.9")
    factories.make_user(username="fresh")
    assert sign_in(Client(), "fresh", factories.PASSWORD, ip="10.9.9.9").status_code == 302


def test_login_behind_proxy_counts_the_forwarded_address(client, facilitator, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        client.post(
            URL,
            {"username": "facilitator", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    owner = Client()
    response = owner.post(
        URL,
        {"username": "facilitator", "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302
    refused = client.post(
        URL,
        {"username": "facilitator", "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert refused.status_code == 429
