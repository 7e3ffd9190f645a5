"""Numbers a catalogue file should never hold (1e999999999, NaN, Infinity, 5,000 digits):
refused with the model and key named, 422, and nothing imported; never a server error."""

import json
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from foundation import imports
from foundation.models import LLMModel, PricePoint
from tests import factories

pytestmark = pytest.mark.usefixtures("seeded")

IMPORT = reverse("foundation:catalogue_import")
HUGE_INT = "9" * 5000


def _litellm(value: str, key: str = "input_cost_per_token") -> bytes:
    """A LiteLLM file whose one model has `value` (raw JSON text) under `key`."""
    prices = {"input_cost_per_token": "1e-06", "output_cost_per_token": "2e-06", key: value}
    body = ", ".join(f'"{k}": {v}' for k, v in prices.items())
    return ('{"gpt-x": {"litellm_provider": "openai", "mode": "chat", ' + body + "}}").encode()


def _genai(value: str, key: str = "input_mtok") -> bytes:
    prices = {"input_mtok": "1", "output_mtok": "2", key: value}
    body = ", ".join(f'"{k}": {v}' for k, v in prices.items())
    return (
        '{"providers": [{"id": "openai", "models": [{"id": "gpt-y", "prices": {' + body + "}}]}]}"
    ).encode()


OVER = "the input price is over $10,000 per million tokens."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e999999999", f"gpt-x (input_cost_per_token): {OVER}"),
        ("-1e999999999", "gpt-x (input_cost_per_token): the input price is negative."),
        ("NaN", "gpt-x (input_cost_per_token): the input price is NaN, not a number."),
        ("Infinity", "gpt-x (input_cost_per_token): the input price is Infinity, not a number."),
        ("-Infinity", "gpt-x (input_cost_per_token): the input price is -Infinity, not a number."),
        (HUGE_INT, f"gpt-x (input_cost_per_token): {OVER}"),
        ("-" + HUGE_INT, "gpt-x (input_cost_per_token): the input price is negative."),
        ('"1e999999999"', f"gpt-x (input_cost_per_token): {OVER}"),
        ('"sNaN"', "gpt-x (input_cost_per_token): the input price is not a number."),
        ("1" + "0" * 40 + ".5", f"gpt-x (input_cost_per_token): {OVER}"),
    ],
)
def test_litellm_number_refused_with_model_and_key(value, message):
    parsed = imports.parse_catalogue(_litellm(value))
    assert (parsed.errors, parsed.rows) == ([message], [])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "1e999999999",
            "gpt-y (output_mtok): the output price is over $10,000 per million tokens.",
        ),
        ("-1e999999999", "gpt-y (output_mtok): the output price is negative."),
        ("NaN", "gpt-y (output_mtok): the output price is NaN, not a number."),
        ("Infinity", "gpt-y (output_mtok): the output price is Infinity, not a number."),
        (HUGE_INT, "gpt-y (output_mtok): the output price is over $10,000 per million tokens."),
        (
            '{"base": 1e999999999}',
            "gpt-y (output_mtok): the output price is over $10,000 per million tokens.",
        ),
    ],
)
def test_genai_prices_number_refused_with_model_and_key(value, message):
    parsed = imports.parse_catalogue(_genai(value, key="output_mtok"))
    assert (parsed.errors, parsed.rows) == ([message], [])


def test_price_with_more_digits_than_a_price_keeps_six_places():
    parsed = imports.parse_catalogue(_litellm("0.000001234567890123456789012345678901234567"))
    assert (parsed.errors, [row.input_per_mtok for row in parsed.rows]) == ([], [D("1.234568")])


def test_price_far_below_a_cent_rounds_to_zero():
    parsed = imports.parse_catalogue(_litellm("1e-999999999"))
    assert (parsed.errors, [row.input_per_mtok for row in parsed.rows]) == ([], [D("0.000000")])


@pytest.mark.parametrize("value", ["1e999999999", "-1e999999999", "NaN", "Infinity", HUGE_INT])
def test_absurd_context_window_is_left_empty(value):
    parsed = imports.parse_catalogue(_litellm(value, key="max_input_tokens"))
    assert (parsed.errors, [row.context_window for row in parsed.rows]) == ([], [None])


def test_huge_integer_model_id_is_skipped():
    content = (
        '{"providers": [{"id": "openai", "models": [{"id": '
        + HUGE_INT
        + ', "prices": {"input_mtok": 1, "output_mtok": 2}}]}]}'
    ).encode()
    with pytest.raises(imports.CatalogueFileError) as refused:
        imports.parse_catalogue(content)
    assert str(refused.value) == "The file has no chat model with an input and output price."


def test_huge_start_date_is_listed():
    content = (
        '{"providers": [{"id": "openai", "models": [{"id": "gpt-z", "prices": [{"constraint": '
        '{"start_date": ' + HUGE_INT + '}, "prices": {"input_mtok": 1, "output_mtok": 2}}]}]}]}'
    ).encode()
    parsed = imports.parse_catalogue(content)
    assert parsed.errors == ["gpt-z: the start date is not a date (YYYY-MM-DD)."]


def test_nan_outside_a_price_is_ignored():
    document = {"gpt-x": {"litellm_provider": "openai", "mode": "chat"}}
    content = (
        json.dumps(document)
        .encode()
        .replace(
            b'"mode": "chat"',
            b'"mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, '
            b'"max_output_tokens": NaN',
        )
    )
    parsed = imports.parse_catalogue(content)
    assert (parsed.errors, [row.name for row in parsed.rows]) == ([], ["gpt-x"])


# --- Through the upload page -----------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    """A catalogue administrator: staff, and a facilitator of a workshop."""
    user = factories.make_user(is_staff=True)
    factories.make_workshop(facilitator=user)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_litellm("1e999999999"), f"gpt-x (input_cost_per_token): {OVER}"),
        (_litellm("-1e999999999"), "gpt-x (input_cost_per_token): the input price is negative."),
        (_litellm("NaN"), "gpt-x (input_cost_per_token): the input price is NaN, not a number."),
        (
            _litellm("Infinity"),
            "gpt-x (input_cost_per_token): the input price is Infinity, not a number.",
        ),
        (_litellm(HUGE_INT), f"gpt-x (input_cost_per_token): {OVER}"),
        (_genai("1e999999999"), f"gpt-y (input_mtok): {OVER}"),
        (_genai(HUGE_INT), f"gpt-y (input_mtok): {OVER}"),
    ],
)
def test_upload_with_absurd_number_answers_422_and_imports_nothing(admin_client, content, message):
    before = (LLMModel.objects.count(), PricePoint.objects.count())
    response = admin_client.post(
        IMPORT, {"file": SimpleUploadedFile("prices.json", content, "application/json")}
    )
    assert response.status_code == 422
    assert response.context["errors"] == [message]
    assert message in response.content.decode()
    assert "token" not in response.context
    assert (LLMModel.objects.count(), PricePoint.objects.count()) == before
