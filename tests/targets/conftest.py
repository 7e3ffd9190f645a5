import pytest
from django.test import Client

from tests import factories
from workshops.models import Workshop


@pytest.fixture
def live_workshop(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.LIVE)
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def table(live_workshop):
    return factories.make_table(workshop=live_workshop, name="Table 1")


@pytest.fixture
def agent(table):
    return factories.classify_agent(factories.make_agent(table=table, name="Invoice matcher"))


@pytest.fixture
def kpi(agent):
    """Lower is better, baseline 120 hours a week."""
    return factories.make_agent_kpi(agent=agent, name="Hours spent matching invoices per week")


@pytest.fixture
def participant(table):
    return factories.make_participant(table=table, display_name="Sam")


@pytest.fixture
def table_client(client, participant):
    return factories.join_table(client, participant)


@pytest.fixture
def finance_user(live_workshop):
    user = factories.make_user(username="fran", first_name="Fran", last_name="Okafor")
    live_workshop.finance_reviewers.add(user)
    return user


@pytest.fixture
def finance_client(finance_user):
    """The finance representative's own browser (separate from `client`)."""
    browser = Client()
    browser.force_login(finance_user)
    return browser
