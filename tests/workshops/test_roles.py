"""Roles that match the people: facilitators create and import workshops, finance reviewers
review only, catalogue administrators (staff) keep the price catalogue. Each refusal says why
and changes nothing."""

import datetime
import html
import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms import modelform_factory
from django.test import Client
from django.urls import reverse

from tests import factories
from workshops import roles, services
from workshops.admin import WorkshopAdminForm
from workshops.models import Workshop
from workshops.permissions import NOT_A_CATALOGUE_ADMIN, NOT_A_FACILITATOR

pytestmark = pytest.mark.django_db

NEW_WORKSHOP = {
    "client_organisation": "Finance Ltd",
    "title": "AI FinOps Workshop",
    "date": "2026-12-10",
    "venue": "",
    "currency": "USD",
    "usd_exchange_rate": "1",
    "status": "draft",
}


def browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def finance_only(workshop):
    user = factories.make_user(username="fran")
    workshop.finance_reviewers.add(user)
    return user


# --- What a finance-only account is refused -------------------------------------------------------


def test_finance_only_account_refused_new_workshop_with_message(finance_only):
    browser = browser_for(finance_only)
    page = browser.get(reverse("workshops:create"))
    assert page.status_code == 403
    assert NOT_A_FACILITATOR in html.unescape(page.text)
    before = Workshop.objects.count()
    assert browser.post(reverse("workshops:create"), NEW_WORKSHOP).status_code == 403
    assert Workshop.objects.count() == before
    assert list(finance_only.facilitated_workshops.all()) == []


def test_finance_only_account_refused_bundle_import(finance_only):
    browser = browser_for(finance_only)
    assert browser.get(reverse("bundles:import")).status_code == 403
    upload = io.BytesIO(b"{}")
    upload.name = "bundle.json"
    assert browser.post(reverse("bundles:import"), {"file": upload}).status_code == 403
    assert browser.post(reverse("bundles:import_confirm"), {"token": "x"}).status_code == 403


def test_finance_only_account_refused_catalogue_import(finance_only):
    page = browser_for(finance_only).get(reverse("foundation:catalogue_import"))
    assert page.status_code == 403
    assert NOT_A_CATALOGUE_ADMIN in html.unescape(page.text)


@pytest.mark.parametrize(
    "name",
    [
        "workshops:detail",
        "workshops:tables",
        "workshops:agenda",
        "workshops:presenter",
        "workshops:projector",
        "workshops:board",
        "agents:list",
        "agents:import",
        "targets:finance_status",
        "bundles:export_page",
        "reports:materials",
    ],
)
def test_finance_only_account_gets_404_on_console_pages(finance_only, workshop, name):
    url = reverse(name, kwargs={"workshop_id": workshop.pk})
    assert browser_for(finance_only).get(url).status_code == 404


def test_finance_only_account_list_offers_no_new_workshop(finance_only):
    page = browser_for(finance_only).get(reverse("workshops:list")).text
    assert reverse("workshops:create") not in page
    assert reverse("bundles:import") not in page
    assert "This account reviews workshops for finance; it does not run them." in page
    assert "Review and sign off targets" in page


def test_facilitator_list_offers_new_workshop_and_import(facilitator_client):
    page = facilitator_client.get(reverse("workshops:list")).text
    assert f'href="{reverse("workshops:create")}"' in page
    assert f'href="{reverse("bundles:import")}"' in page


# --- Facilitators and catalogue administrators ----------------------------------------------------


def test_facilitator_creates_a_workshop_and_runs_it(facilitator_client, facilitator):
    response = facilitator_client.post(reverse("workshops:create"), NEW_WORKSHOP)
    assert response.status_code == 302
    assert list(
        facilitator.facilitated_workshops.values_list("client_organisation", flat=True)
    ) == ["Finance Ltd"]


def test_facilitator_refused_catalogue_import(facilitator_client):
    page = facilitator_client.get(reverse("foundation:catalogue_import"))
    assert page.status_code == 403
    assert NOT_A_CATALOGUE_ADMIN in html.unescape(page.text)


def test_catalogue_admin_opens_catalogue_import_and_admin(db):
    keeper = factories.make_catalogue_admin(username="keeper")
    browser = browser_for(keeper)
    assert browser.get(reverse("foundation:catalogue_import")).status_code == 200
    assert browser.get(reverse("admin:foundation_pricepoint_changelist")).status_code == 200
    assert browser.get(reverse("admin:foundation_llmmodel_add")).status_code == 200
    # The catalogues only: no workshop, no account.
    assert browser.get(reverse("admin:workshops_workshop_changelist")).status_code == 403
    assert browser.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_catalogue_admin_alone_does_not_run_workshops(db):
    keeper = factories.make_catalogue_admin(username="keeper")
    assert browser_for(keeper).get(reverse("workshops:create")).status_code == 403


def test_catalogue_page_offers_import_only_to_catalogue_admins(facilitator_client):
    assert (
        reverse("foundation:catalogue_import")
        not in facilitator_client.get(reverse("foundation:catalogue")).text
    )
    keeper = browser_for(factories.make_catalogue_admin(username="keeper"))
    assert (
        reverse("foundation:catalogue_import") in keeper.get(reverse("foundation:catalogue")).text
    )


def test_facilitator_role_grant_is_the_group_with_the_permission(db):
    user = factories.make_user(username="new")
    assert roles.is_facilitator(user) is False
    services.facilitator_role_grant(user=user)
    assert roles.is_facilitator(user) is True
    assert list(user.groups.values_list("name", flat=True)) == ["Facilitators"]
    assert list(
        Group.objects.get(name="Facilitators").permissions.values_list("codename", flat=True)
    ) == ["add_workshop"]


def test_inactive_facilitator_is_no_facilitator(db):
    user = factories.make_facilitator(username="gone", is_active=False)
    assert roles.is_facilitator(user) is False


# --- A workshop's facilitators and finance reviewers never overlap --------------------------------


def test_facilitator_add_refuses_the_finance_reviewer(workshop, finance_only):
    services.facilitator_role_grant(user=finance_only)
    before = Workshop.objects.get(pk=workshop.pk).revision
    with pytest.raises(ValidationError) as refused:
        services.facilitator_add(workshop=workshop, user=finance_only)
    assert refused.value.messages == [
        "fran reviews this workshop for finance, so it cannot also facilitate it: finance signs "
        "off what the facilitators ran."
    ]
    assert list(workshop.facilitators.values_list("username", flat=True)) == ["facilitator"]
    assert Workshop.objects.get(pk=workshop.pk).revision == before


def test_facilitator_add_refuses_an_account_without_the_role(workshop):
    plain = factories.make_user(username="plain")
    with pytest.raises(ValidationError) as refused:
        services.facilitator_add(workshop=workshop, user=plain)
    assert refused.value.messages == [
        "plain is not a facilitator account. A catalogue administrator can make it one first."
    ]
    assert list(workshop.facilitators.values_list("username", flat=True)) == ["facilitator"]


def test_facilitator_add_adds_and_bumps_the_revision(workshop):
    co_host = factories.make_facilitator(username="co-host")
    before = Workshop.objects.get(pk=workshop.pk).revision
    services.facilitator_add(workshop=workshop, user=co_host)
    assert sorted(workshop.facilitators.values_list("username", flat=True)) == [
        "co-host",
        "facilitator",
    ]
    assert Workshop.objects.get(pk=workshop.pk).revision == before + 1


ADMIN_FIELDS = ["client_organisation", "title", "date", "currency", "usd_exchange_rate"]


def admin_form(workshop, *, facilitators, reviewers):
    form_class = modelform_factory(
        Workshop,
        form=WorkshopAdminForm,
        fields=[*ADMIN_FIELDS, "status", "facilitators", "finance_reviewers"],
    )
    data = {name: getattr(workshop, name) for name in ADMIN_FIELDS}
    data.update(
        status="draft",
        facilitators=[u.pk for u in facilitators],
        finance_reviewers=[u.pk for u in reviewers],
    )
    return form_class(data=data, instance=workshop)


def test_admin_refuses_a_facilitator_as_finance_reviewer(workshop, facilitator):
    form = admin_form(workshop, facilitators=[facilitator], reviewers=[facilitator])
    assert form.errors == {
        "finance_reviewers": [
            "facilitator facilitate this workshop, so they cannot also review it for finance."
        ]
    }


def test_admin_refuses_a_reviewer_as_facilitator_without_the_role(workshop, facilitator):
    fran = factories.make_user(username="fran")
    form = admin_form(workshop, facilitators=[facilitator, fran], reviewers=[])
    assert form.errors == {
        "facilitators": [
            "fran do not have the facilitator role: add them to the Facilitators group first."
        ]
    }


def test_admin_refuses_a_superuser_as_finance_reviewer(workshop, facilitator):
    root = factories.make_user(username="root", superuser=True)
    form = admin_form(workshop, facilitators=[facilitator], reviewers=[root])
    assert form.errors == {
        "finance_reviewers": [
            "root can run every workshop (superuser), so they cannot review one for finance."
        ]
    }


def test_admin_accepts_separate_facilitators_and_reviewers(workshop, facilitator):
    fran = factories.make_user(username="fran")
    form = admin_form(workshop, facilitators=[facilitator], reviewers=[fran])
    assert form.errors == {}


# --- Existing accounts keep what they did ---------------------------------------------------------


def test_data_migration_gives_the_role_to_facilitators_and_staff_only(db):
    migration = importlib.import_module("workshops.migrations.0004_facilitators_group")
    runner = factories.make_user(username="runner")
    workshop = Workshop.objects.create(
        client_organisation="Old",
        date=datetime.date(2026, 1, 5),
        pricing_date=datetime.date(2026, 1, 5),
    )
    workshop.facilitators.add(runner)
    staff = factories.make_user(username="staff", is_staff=True)
    reviewer = factories.make_user(username="reviewer")
    workshop.finance_reviewers.add(reviewer)
    migration.forwards(django_apps, None)
    migration.forwards(django_apps, None)  # idempotent
    for user in (runner, staff, reviewer):
        roles.forget_cached_permissions(user)
    assert [roles.is_facilitator(u) for u in (runner, staff, reviewer)] == [True, True, False]
    assert Group.objects.filter(name="Facilitators").count() == 1


# --- add_facilitator ------------------------------------------------------------------------------


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("add_facilitator", *args, stdout=out)
    return out.getvalue()


def test_add_facilitator_creates_the_account_and_prints_its_password_once(db):
    output = run_command("dana")
    user = django_apps.get_model("auth", "User").objects.get(username="dana")
    password = output.split("password: ")[1].split()[0]
    assert "Account dana created as facilitator." in output
    assert user.check_password(password)
    assert (roles.is_facilitator(user), user.is_staff) == (True, False)


def test_add_facilitator_gives_the_role_to_an_existing_finance_account(finance_only):
    output = run_command("fran")
    assert output == (
        "fran is now a facilitator.\n"
        "  No full name: the register will show fran. Add one with --name.\n"
    )
    roles.forget_cached_permissions(finance_only)
    assert roles.is_facilitator(finance_only) is True
    assert finance_only.check_password(factories.PASSWORD)


def test_add_facilitator_catalogue_admin_makes_staff(db):
    output = run_command("keeper", "--catalogue-admin")
    user = django_apps.get_model("auth", "User").objects.get(username="keeper")
    assert "Account keeper created as facilitator and catalogue administrator." in output
    assert (roles.is_facilitator(user), user.is_staff, user.is_superuser) == (True, True, False)
    assert sorted(user.groups.values_list("name", flat=True)) == [
        "Catalogue administrators",
        "Facilitators",
    ]


@pytest.mark.parametrize(
    "username", ["", "two words", "<script>", "a" * 151, "nul\x00", "\u202eevil"], ids=repr
)
def test_add_facilitator_refuses_a_bad_username_and_saves_nothing(db, username):
    users = django_apps.get_model("auth", "User")
    before = users.objects.count()
    with pytest.raises(CommandError):
        run_command(username)
    assert users.objects.count() == before


def test_add_facilitator_records_the_full_name(db):
    output = run_command("ana", "--name", "  Ana   María Ruiz ")
    user = django_apps.get_model("auth", "User").objects.get(username="ana")
    assert (user.first_name, user.last_name, user.get_full_name()) == (
        "Ana María",
        "Ruiz",
        "Ana María Ruiz",
    )
    assert "No full name" not in output


def test_add_facilitator_names_an_existing_account(finance_only):
    run_command("fran", "--name", "Fran")
    finance_only.refresh_from_db()
    assert (finance_only.first_name, finance_only.last_name) == ("Fran", "")


def test_add_facilitator_without_a_name_says_the_register_shows_the_username(db):
    output = run_command("dana")
    assert "No full name: the register will show dana. Add one with --name." in output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Ana\x00Ruiz", "The name "),
        ("Ana\u200bRuiz", "invisible formatting character"),
        ("x" * 151, "Keep the name shorter: at most 150 characters per part."),
    ],
)
def test_add_facilitator_refuses_a_bad_name(db, name, message):
    with pytest.raises(CommandError) as caught:
        run_command("ana", "--name", name)
    assert message in str(caught.value)
    assert not django_apps.get_model("auth", "User").objects.filter(username="ana").exists()


@pytest.mark.parametrize(
    ("full", "parts"),
    [("Ana Ruiz", ("Ana", "Ruiz")), ("Ana", ("Ana", "")), ("Jean-Luc de la Croix", (
        "Jean-Luc de la", "Croix")), ("  Kim   Lee ", ("Kim", "Lee")), ("李 小龍", ("李", "小龍"))],
)  # fmt: skip
def test_full_name_parts(full, parts):
    assert roles.full_name_parts(full) == parts


def test_register_names_facilitators_by_full_name(db):
    from reports.selectors import person_name

    user = factories.make_user(username="ana", first_name="Ana", last_name="Ruiz")
    bare = factories.make_user(username="bo")
    assert (person_name(user), person_name(bare)) == ("Ana Ruiz", "bo")
