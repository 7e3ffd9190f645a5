"""A bundle cannot carry what the pages' forms would refuse: one bad field per record kind,
refused with the record and field named, nothing imported."""

import copy

import pytest
import time_machine

from bundles import export, importer
from bundles.format import BundleError
from tests import factories
from tests.module_data import built_once_per_module

from .conftest import build_rich_workshop
from .helpers import NOW, parse, row_counts, seal

ESC, BELL = "\x1b", "\x07"


def _exported_room() -> dict:
    """The rich workshop's facilitator and bundle (as a dict), the workshop deleted."""
    facilitator = factories.make_facilitator(username="facilitator")
    workshop = build_rich_workshop(facilitator)
    data = parse(export.workshop_bundle(workshop=workshop, now=NOW)[2])
    workshop.delete()
    return {"facilitator": facilitator, "bundle": data}


@pytest.fixture(scope="module")
def _exported(django_db_setup, django_db_blocker):
    yield from built_once_per_module(django_db_blocker, _exported_room)


@pytest.fixture
def facilitator(_exported, db):
    return copy.deepcopy(_exported["facilitator"])


@pytest.fixture
def bundle(_exported, db) -> dict:
    return copy.deepcopy(_exported["bundle"])


def refused(data: bytes, user) -> str:
    before = row_counts()
    with pytest.raises(BundleError) as caught:
        importer.workshop_bundle_import(bundle=importer.bundle_read(data), importer=user)
    assert row_counts() == before
    return caught.value.message


@pytest.mark.parametrize(
    ("section", "index", "changes", "message"),
    [
        ("agents", 0, {"name": ""}, "agents[0].name: Enter the agent's name."),
        (
            "agents",
            0,
            {"thesis_subject": f"Invoice{ESC}[31m matching"},
            "agents[0].thesis_subject: the text contains a control character (U+001B) at "
            "position 8; remove it.",
        ),
        (
            "agents",
            0,
            {"value_driver": "world peace"},
            "agents[0].value_driver: Choose one of the value drivers listed.",
        ),
        (
            "agents",
            0,
            {"input_tokens_per_call": -5},
            "agents[0].input_tokens_per_call: Enter a whole number from 0 to 2,000,000.",
        ),
        (
            "kpis",
            0,
            {"data_source_system": f"ERP{BELL}"},
            "kpis[0].data_source_system: the text contains a control character (U+0007) at "
            "position 4; remove it.",
        ),
        (
            "kpis",
            0,
            {"measurement_frequency": "hourly"},
            "kpis[0].measurement_frequency: Say how often the KPI will be measured.",
        ),
        (
            "kpis",
            0,
            {"baseline_as_of": "2026-12-11"},
            "kpis[0].baseline_as_of: The baseline date cannot be in the future.",
        ),
        (
            "benchmarks",
            0,
            {"description": ""},
            "benchmarks[0].description: Say who achieved it, e.g. 'Mid-size European freight "
            "forwarder'.",
        ),
        (
            "constraint_analyses",
            0,
            {"notes": f"Retraining{ESC}"},
            "constraint_analyses[0].notes: the text contains a control character (U+001B) at "
            "position 11; remove it.",
        ),
        (
            "value_targets",
            0,
            {"assumptions": ""},
            "value_targets[0].assumptions: Write down the assumptions behind these targets "
            "(volumes, adoption, what must be true): every target needs its assumptions "
            "documented for future reference.",
        ),
        (
            "value_targets",
            0,
            {"floor_6m": "500"},
            "value_targets[0].floor_6m: The 6-month floor (500) must be at most the baseline "
            "(120.5): for 'Hours spent matching invoices per week' lower is better.",
        ),
        (
            "agent_economics",
            0,
            {"value_basis": f"Hourly cost{BELL}"},
            "agent_economics[0].value_basis: the text contains a control character (U+0007) at "
            "position 12; remove it.",
        ),
        (
            "agent_economics",
            0,
            {"build_cost": "-1"},
            "agent_economics[0].build_cost: The build cost cannot be negative.",
        ),
    ],
)
def test_import_refuses_what_a_form_would_refuse(
    bundle, facilitator, section, index, changes, message
):
    bundle[section][index].update(changes)
    # The import runs on the workshop's day: a baseline of the day after is in the future.
    with time_machine.travel(NOW, tick=False):
        assert refused(seal(bundle), facilitator) == (f"The bundle has a wrong value at {message}")
