"""Rows built once for a test module instead of once per test.

The rows are built inside a transaction held open until the module's last test has run, then
rolled back. Each test (through pytest-django's `db`) runs in a savepoint of it, rolled back
when the test ends, so what one test writes never reaches the next; a test that changes the
built objects in Python should take a copy of them (copy.deepcopy).
"""

from django.db import transaction
from django.test import override_settings

from tests import factories


def built_once_per_module(django_db_blocker, build):
    """Yields what `build()` returns; for a module-scoped fixture to `yield from`."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=factories.FAST_HASHERS),
        ):
            built = build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
