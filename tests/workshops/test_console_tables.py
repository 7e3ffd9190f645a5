"""Facilitator console: breakout tables."""

import pytest

from tests import factories
from workshops.models import BreakoutTable, Workshop

pytestmark = pytest.mark.django_db


def url(workshop, tail=""):
    return f"/workshops/{workshop.pk}/tables/{tail}"


def test_table_list_shows_formatted_join_code(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    response = facilitator_client.get(url(workshop))
    assert response.status_code == 200
    assert table.join_code_display in response.text
    assert len(table.join_code_display) == 11


def test_table_list_empty_explains(facilitator_client, workshop):
    assert "No tables yet." in facilitator_client.get(url(workshop)).text


def test_table_add_creates_table_with_code(facilitator_client, workshop):
    response = facilitator_client.post(url(workshop), {"name": "Table A"}, follow=True)
    table = workshop.tables.get()
    assert table.name == "Table A"
    assert f"Table A added. Its join code is {table.join_code_display}." in response.text


def test_table_add_unicode_name_ok_and_script_escaped(facilitator_client, workshop):
    name = "Tisch Ü <script>x()</script>"
    response = facilitator_client.post(url(workshop), {"name": name}, follow=True)
    assert workshop.tables.get().name == name
    assert "Tisch Ü &lt;script&gt;x()&lt;/script&gt;" in response.text
    assert "<script>x()</script>" not in response.text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the table name."),
        ("    ", "Enter the table name."),
        ("x" * 81, "Keep the table name to 80 characters or fewer."),
        (
            "table a",
            "There is already a table called “table a” in this workshop. Choose another name.",
        ),
    ],
)
def test_table_add_bad_name_explains_and_adds_nothing(facilitator_client, workshop, name, message):
    factories.make_table(workshop=workshop, name="Table A")
    revision = Workshop.objects.get(pk=workshop.pk).revision
    response = facilitator_client.post(url(workshop), {"name": name})
    assert response.status_code == 422
    assert message in response.text
    assert list(workshop.tables.values_list("name", flat=True)) == ["Table A"]
    assert Workshop.objects.get(pk=workshop.pk).revision == revision


def test_table_add_same_name_as_other_workshops_table_ok(facilitator_client, workshop):
    factories.make_table(workshop=factories.make_workshop(), name="Table A")
    facilitator_client.post(url(workshop), {"name": "Table A"})
    assert workshop.tables.count() == 1


@pytest.mark.parametrize("count", [1, 20])
def test_table_list_query_count_does_not_grow(
    facilitator_client, workshop, count, django_assert_num_queries
):
    for _ in range(count):
        table = factories.make_table(workshop=workshop)
        factories.make_agent(table=table)
        factories.make_participant(table=table)
    with django_assert_num_queries(4):
        assert facilitator_client.get(url(workshop)).status_code == 200


# --- Rename -------------------------------------------------------------------------------------


def test_table_rename_keeps_code(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    response = facilitator_client.post(url(workshop, f"{table.pk}/rename/"), {"name": "Harbour"})
    assert response.status_code == 302
    renamed = BreakoutTable.objects.get(pk=table.pk)
    assert (renamed.name, renamed.join_code) == ("Harbour", table.join_code)


def test_table_rename_to_own_name_in_other_case_ok(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    facilitator_client.post(url(workshop, f"{table.pk}/rename/"), {"name": "TABLE A"})
    assert BreakoutTable.objects.get(pk=table.pk).name == "TABLE A"


def test_table_rename_to_taken_name_explains_and_changes_nothing(facilitator_client, workshop):
    factories.make_table(workshop=workshop, name="Table A")
    table = factories.make_table(workshop=workshop, name="Table B")
    response = facilitator_client.post(url(workshop, f"{table.pk}/rename/"), {"name": "Table A"})
    assert response.status_code == 422
    assert (
        "There is already a table called “Table A” in this workshop. Choose another name."
        in response.text
    )
    assert BreakoutTable.objects.get(pk=table.pk).name == "Table B"


def test_table_rename_empty_explains(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    response = facilitator_client.post(url(workshop, f"{table.pk}/rename/"), {"name": ""})
    assert "Enter the table name." in response.text
    assert BreakoutTable.objects.get(pk=table.pk).name == "Table A"


def test_table_rename_other_workshops_table_404(facilitator_client, workshop):
    foreign = factories.make_table(workshop=factories.make_workshop(), name="Foreign")
    response = facilitator_client.post(url(workshop, f"{foreign.pk}/rename/"), {"name": "Mine"})
    assert response.status_code == 404
    assert BreakoutTable.objects.get(pk=foreign.pk).name == "Foreign"


# --- Delete -------------------------------------------------------------------------------------


def test_table_delete_confirm_warns_about_seated_agents(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    for _ in range(3):
        factories.make_agent(table=table)
    response = facilitator_client.get(url(workshop, f"{table.pk}/delete/"))
    assert response.status_code == 200
    assert "3 agents sit at this table; they will become unassigned." in response.text


def test_table_delete_confirm_one_agent_sentence(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    factories.make_agent(table=table)
    response = facilitator_client.get(url(workshop, f"{table.pk}/delete/"))
    assert "1 agent sits at this table; it will become unassigned." in response.text


def test_table_delete_confirm_empty_table(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    response = facilitator_client.get(url(workshop, f"{table.pk}/delete/"))
    assert "No agents sit at this table and nobody has joined it." in response.text


def test_table_delete_get_changes_nothing(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    facilitator_client.get(url(workshop, f"{table.pk}/delete/"))
    assert BreakoutTable.objects.filter(pk=table.pk).exists()


def test_table_delete_unassigns_agents(facilitator_client, workshop):
    table = factories.make_table(workshop=workshop, name="Table A")
    agents = [factories.make_agent(table=table) for _ in range(2)]
    response = facilitator_client.post(url(workshop, f"{table.pk}/delete/"), follow=True)
    assert "Table A deleted. 2 agents now unassigned." in response.text
    assert not BreakoutTable.objects.filter(pk=table.pk).exists()
    assert list(workshop.agents.values_list("table_id", flat=True)) == [None, None]
    assert len(agents) == workshop.agents.count()


def test_table_delete_other_workshops_table_404(facilitator_client, workshop):
    foreign = factories.make_table(workshop=factories.make_workshop())
    response = facilitator_client.post(url(workshop, f"{foreign.pk}/delete/"))
    assert response.status_code == 404
    assert BreakoutTable.objects.filter(pk=foreign.pk).exists()
