"""Block 2 writes: agent_classify."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agents.block2_services import agent_classify
from agents.models import Agent
from tests import factories
from workshops.concurrency import EditConflict
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

SUBJECT = "manual invoice matching hours in accounts payable"
MECHANISM = "matching invoices to purchase orders and routing exceptions"


def revision(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).revision


def classify(agent, **changes):
    values = {
        "agent": agent,
        "version": agent.version,
        "economic_class": "bottom_line",
        "value_driver": "labour_savings",
        "thesis_subject": SUBJECT,
        "thesis_mechanism": MECHANISM,
    }
    values.update(changes)
    return agent_classify(**values)


def test_agent_classify_saves_parts_and_thesis(workshop):
    agent = factories.make_agent(workshop=workshop)
    before = revision(workshop)
    saved = classify(agent)
    assert (saved.economic_class, saved.value_driver, saved.version) == (
        "bottom_line",
        "labour_savings",
        2,
    )
    assert saved.thesis == (
        "This agent exists to reduce the cost of manual invoice matching hours in accounts "
        "payable by matching invoices to purchase orders and routing exceptions."
    )
    assert saved.is_classified is True
    assert revision(workshop) == before + 1


def test_agent_classify_tidies_the_parts(workshop):
    agent = factories.make_agent(workshop=workshop)
    saved = classify(
        agent,
        economic_class="top_line",
        value_driver="other",
        value_driver_other="  Working   capital ",
        thesis_subject="  premium-tier upgrades  from key accounts. ",
        thesis_mechanism="by spotting accounts whose volumes grew.",
    )
    assert (saved.value_driver_other, saved.thesis_subject, saved.thesis_mechanism) == (
        "Working capital",
        "premium-tier upgrades from key accounts",
        "spotting accounts whose volumes grew",
    )
    assert saved.value_driver_label == "Working capital"


def test_agent_classify_clears_other_name_for_listed_driver(workshop):
    agent = factories.make_agent(workshop=workshop)
    saved = classify(agent, value_driver="cycle_time", value_driver_other="leftover")
    assert saved.value_driver_other == ""


def test_agent_classify_refuses_vague_thesis_and_saves_nothing(workshop):
    agent = factories.make_agent(workshop=workshop)
    before = revision(workshop)
    with pytest.raises(ValidationError) as error:
        classify(agent, thesis_subject="save money", thesis_mechanism="using AI")
    assert error.value.message_dict == {
        "thesis_subject": [
            "'save money' is too vague. Say which cost is reduced and where, e.g. 'manual "
            "invoice matching hours in accounts payable'."
        ],
        "thesis_mechanism": [
            "'using AI' is too vague. Say what the agent actually does, e.g. 'matching invoices "
            "to purchase orders and routing only the exceptions to a clerk'."
        ],
    }
    agent.refresh_from_db()
    assert (agent.economic_class, agent.thesis_subject, agent.version) == ("", "", 1)
    assert revision(workshop) == before


def test_agent_classify_refuses_driver_of_other_archetype(workshop):
    agent = factories.make_agent(workshop=workshop)
    with pytest.raises(ValidationError) as error:
        classify(agent, value_driver="conversion")
    assert list(error.value.message_dict) == ["value_driver"]
    assert Agent.objects.get(pk=agent.pk).value_driver == ""


def test_agent_classify_conflict_keeps_first_save(workshop):
    agent = factories.make_agent(workshop=workshop)
    classify(agent)
    with pytest.raises(EditConflict) as conflict:
        classify(agent, thesis_subject="customs broker fees on rejected declarations")
    assert conflict.value.current.thesis_subject == SUBJECT
    assert Agent.objects.get(pk=agent.pk).thesis_subject == SUBJECT


def test_agent_classify_table_scope_refuses_other_tables_agent(workshop):
    table, other = factories.make_table(workshop=workshop), factories.make_table(workshop=workshop)
    agent = factories.make_agent(workshop=workshop, table=other)
    with pytest.raises(Agent.DoesNotExist):
        classify(agent, table_id=table.pk)
    assert Agent.objects.get(pk=agent.pk).economic_class == ""


def test_agent_constraint_refuses_driver_that_does_not_fit_class(workshop):
    agent = factories.make_agent(workshop=workshop)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agent.objects.filter(pk=agent.pk).update(
            economic_class="bottom_line", value_driver="conversion"
        )


def test_agent_constraint_refuses_unnamed_other_driver(workshop):
    agent = factories.make_agent(workshop=workshop)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agent.objects.filter(pk=agent.pk).update(
            economic_class="top_line", value_driver="other", value_driver_other=""
        )


def test_agent_thesis_empty_until_classified(workshop):
    agent = factories.make_agent(workshop=workshop)
    assert (agent.thesis, agent.is_classified, agent.value_driver_label) == ("", False, "")
