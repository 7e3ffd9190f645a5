"""What every browser test does the same way: a facilitator signs in, a laptop joins its
table. (The browser itself and `new_page` are in tests/conftest.py.)"""

from tests import factories


def sign_in(page, base, username):
    """Sign `username` in on the sign-in page, as a facilitator or finance reviewer would."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workshops/**")


def join(page, base, code, name):
    """Join a table with its code under `name`, as a laptop at the table would."""
    page.goto(f"{base}/join?code={code}")
    page.fill("#id_display_name", name)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/t/")
