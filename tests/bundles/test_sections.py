import pytest

from bundles import format as bundle_format
from bundles import sections

from .helpers import as_version_1, minimal_bundle, refused, seal


def agenda_item(**overrides) -> dict:
    item = {
        "ref": "agenda-1",
        "block": 1,
        "position": 1,
        "title": "Welcome",
        "planned_minutes": 15,
        "facilitator_notes": "",
        "adjustment_seconds": 0,
        "elapsed_seconds": 0,
        "actual_started_at": None,
        "actual_ended_at": None,
    }
    item.update(overrides)
    return item


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"planned_minutes": "15"},
            "The bundle has a wrong value at agenda_items[0].planned_minutes: expected a whole "
            "number, found text.",
        ),
        (
            {"planned_minutes": 15.0},
            "The bundle has a wrong value at agenda_items[0].planned_minutes: expected a whole "
            "number, found a number with a fraction.",
        ),
        (
            {"planned_minutes": True},
            "The bundle has a wrong value at agenda_items[0].planned_minutes: expected a whole "
            "number, found true/false.",
        ),
        (
            {"planned_minutes": 10**12},
            "The bundle has a wrong value at agenda_items[0].planned_minutes: the number is far "
            "too large.",
        ),
        (
            {"planned_minutes": None},
            "The bundle has a wrong value at agenda_items[0].planned_minutes: a value is required.",
        ),
        (
            {"title": 42},
            "The bundle has a wrong value at agenda_items[0].title: expected text, found a whole "
            "number.",
        ),
        (
            {"title": "Wel\x00come"},
            "The bundle has a wrong value at agenda_items[0].title: the text contains a control "
            "character (U+0000) at position 4; remove it.",
        ),
        (
            {"actual_started_at": "yesterday"},
            "The bundle has a wrong value at agenda_items[0].actual_started_at: expected a "
            "moment in ISO 8601 form with its UTC offset.",
        ),
        (
            {"actual_started_at": "2026-12-10T09:00:00"},
            "The bundle has a wrong value at agenda_items[0].actual_started_at: expected a "
            "moment in ISO 8601 form with its UTC offset.",
        ),
        (
            {"ref": ""},
            "The bundle has a wrong value at agenda_items[0].ref: it is empty.",
        ),
    ],
)
def test_sections_refuse_wrong_types(overrides, message):
    bundle = minimal_bundle(agenda_items=[agenda_item(**overrides)])
    assert refused(seal(bundle)) == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.92, 'expected a number written as text, e.g. "1250.50".'),
        ("0,92", 'expected a number written as text, e.g. "1250.50".'),
        ("1e3", 'expected a number written as text, e.g. "1250.50".'),
        ("NaN", 'expected a number written as text, e.g. "1250.50".'),
        ("1" * 31, 'expected a number written as text, e.g. "1250.50".'),
        (None, "a value is required."),
    ],
)
def test_sections_refuse_decimals_not_written_as_text(value, message):
    bundle = minimal_bundle()
    bundle["workshop"]["usd_exchange_rate"] = value
    expected = f"The bundle has a wrong value at workshop.usd_exchange_rate: {message}"
    assert refused(seal(bundle)) == expected


def test_sections_refuse_a_missing_field():
    item = agenda_item()
    del item["title"]
    bundle = minimal_bundle(agenda_items=[item])
    assert refused(seal(bundle)) == "The bundle is incomplete: agenda_items[0] has no “title”."


def test_sections_refuse_an_unknown_field():
    bundle = minimal_bundle(agenda_items=[agenda_item(colour="red")])
    assert refused(seal(bundle)) == (
        "The bundle has a field this server does not know at agenda_items[0]: “colour”."
    )


def test_sections_refuse_a_missing_section():
    bundle = minimal_bundle()
    del bundle["kpis"]
    assert refused(seal(bundle)) == "The bundle is incomplete: it has no “kpis”."


def test_sections_refuse_an_unknown_section():
    bundle = minimal_bundle()
    bundle["secrets"] = []
    assert refused(seal(bundle)) == "The bundle has a part this server does not know: “secrets”."


def test_sections_refuse_a_section_that_is_not_a_list():
    bundle = minimal_bundle(tables={"ref": "table-1"})
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at tables: expected a list, found an object."
    )


def test_sections_refuse_a_missing_workshop():
    bundle = minimal_bundle()
    bundle["workshop"] = None
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at workshop: expected an object, found nothing (null)."
    )


def test_sections_refuse_a_ref_used_twice():
    items = [agenda_item(), agenda_item(position=2)]
    bundle = minimal_bundle(agenda_items=items)
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at agenda_items[1].ref: “agenda-1” is used twice."
    )


def test_sections_refuse_a_ref_to_nothing():
    bundle = minimal_bundle()
    bundle["workshop"]["current_item"] = "agenda-9"
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at workshop.current_item: “agenda-9” is not one of the "
        "agenda_items."
    )


def test_sections_refuse_a_username_twice_in_version_1():
    bundle = as_version_1(minimal_bundle(), facilitators=["ana", "ana"])
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at workshop.facilitators: a username appears twice."
    )


def test_sections_of_version_1_drop_usernames_and_have_no_signatures():
    bundle = as_version_1(minimal_bundle(), facilitators=["ana"], finance_reviewers=["fran"])
    parsed = sections.parse(bundle_format.loads(seal(bundle)))
    assert "facilitators" not in parsed["workshop"]
    assert "finance_reviewers" not in parsed["workshop"]


def test_sections_refuse_usernames_in_version_2():
    bundle = minimal_bundle()
    bundle["workshop"]["facilitators"] = ["ana"]
    assert refused(seal(bundle)) == (
        "The bundle has a field this server does not know at workshop: “facilitators”."
    )


def test_sections_refuse_a_bad_workshop_identity():
    bundle = minimal_bundle()
    bundle["workshop"]["uid"] = "workshop-1"
    assert refused(seal(bundle)) == (
        "The bundle has a wrong value at workshop.uid: expected a workshop identity (a UUID)."
    )
