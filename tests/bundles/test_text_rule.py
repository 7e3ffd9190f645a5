"""Bundles follow the text rule (common.text) everywhere, inside sign-offs' signed values too."""

import pytest

from bundles import export
from bundles.format import BundleError
from bundles.importer import bundle_read

from .helpers import parse, seal

pytestmark = pytest.mark.django_db


def _refusal(document: dict) -> str:
    with pytest.raises(BundleError) as refused:
        bundle_read(seal(document))
    return refused.value.message


def test_bundle_signed_values_with_a_control_character_are_refused(rich_workshop):
    document = parse(export.workshop_bundle(workshop=rich_workshop)[2])
    signed = document["signoffs"][0]["signed_values"]
    signed["agent"]["name"] = "Invoice\x1b matcher"

    assert _refusal(document) == (
        "The bundle has a wrong value at signoffs[0].signed_values.agent.name: the text "
        "contains a control character (U+001B) at position 8; remove it."
    )


def test_bundle_signer_name_with_a_bidi_override_is_refused(rich_workshop):
    document = parse(export.workshop_bundle(workshop=rich_workshop)[2])
    document["signoffs"][0]["signer_name"] = "Fran \u202eOFC"

    assert _refusal(document) == (
        "The bundle has a wrong value at signoffs[0].signer_name: the text contains an "
        "invisible formatting character (U+202E, right-to-left override) at position 6, "
        "which can make one name look like another; remove it."
    )


def test_bundle_username_with_a_zero_width_character_is_refused(rich_workshop):
    document = parse(export.workshop_bundle(workshop=rich_workshop)[2])
    document["workshop"]["facilitators"][0] = "fac\u200bilitator"

    assert _refusal(document) == (
        "The bundle has a wrong value at workshop.facilitators[0]: the text contains an "
        "invisible formatting character (U+200B, zero width space) at position 4, which can "
        "make one name look like another; remove it."
    )


def test_bundle_free_text_may_hold_tabs_newlines_and_bidi(rich_workshop):
    document = parse(export.workshop_bundle(workshop=rich_workshop)[2])
    document["agents"][0]["description"] = "Line\tone\nline \u202btwo\u202c"

    bundle = bundle_read(seal(document))

    assert bundle.sections["agents"][0]["description"] == "Line\tone\nline \u202btwo\u202c"
