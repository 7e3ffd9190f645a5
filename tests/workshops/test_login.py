import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests import factories

pytestmark = pytest.mark.django_db

BLOCKED = "Too many failed sign-in attempts. Wait a few minutes and try again."
URL = "/accounts/login/"


@pytest.fixture(autouse=True)
def cache_table(db, settings):
    """The login throttle counts in the database cache; its table lives in the test database.
    A fast hasher keeps the many sign-in attempts quick."""
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


def test_login_five_wrong_passwords_then_blocked_with_429(client, facilitator):
    for _ in range(5):
        assert sign_in(client, "facilitator", "wrong").status_code == 200
    response = sign_in(client, "facilitator", "wrong")
    assert response.status_code == 429
    assert BLOCKED in response.text


def test_login_correct_password_refused_while_blocked(client, facilitator):
    for _ in range(5):
        sign_in(client, "facilitator", "wrong")
    response = sign_in(client, "facilitator", factories.PASSWORD)
    assert response.status_code == 429
    assert BLOCKED in response.text
    assert not is_signed_in(client)


def test_login_block_counts_username_case_and_spaces_alike(client, facilitator):
    for name in ["facilitator", "FACILITATOR", " Facilitator ", "facilitator", "faciLitator"]:
        sign_in(client, name, "wrong")
    assert sign_in(client, "facilitator", factories.PASSWORD).status_code == 429


def test_login_block_holds_from_another_address(client, facilitator):
    for _ in range(5):
        sign_in(client, "facilitator", "wrong", ip="10.0.0.1")
    assert sign_in(client, "facilitator", factories.PASSWORD, ip="10.0.0.2").status_code == 429


def test_login_block_of_one_user_leaves_another_user_free(client, facilitator):
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


def test_login_one_address_blocked_after_twenty_failures_across_users(client, db):
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong", ip="10.9.9.9")
    factories.make_user(username="fresh")
    assert sign_in(client, "fresh", factories.PASSWORD, ip="10.9.9.9").status_code == 429
    assert sign_in(client, "fresh", factories.PASSWORD, ip="10.9.9.10").status_code == 302
