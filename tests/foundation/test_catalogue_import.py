"""Importing a LiteLLM or genai-prices catalogue: parsing, the import itself, and the upload
page. A bad file changes nothing and says why."""

import datetime
import json
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from foundation import imports, services
from foundation.models import LLMModel, PricePoint
from tests import factories

pytestmark = pytest.mark.usefixtures("seeded")

IMPORT = reverse("foundation:catalogue_import")
TODAY = datetime.date(2026, 11, 28)

LITELLM = {
    "sample_spec": {"max_input_tokens": "max input tokens", "mode": "one of chat, embedding"},
    "gpt-4o-2024-08-06": {
        "litellm_provider": "openai",
        "mode": "chat",
        "input_cost_per_token": 2.5e-06,
        "output_cost_per_token": 1e-05,
        "cache_read_input_token_cost": 1.25e-06,
        "max_input_tokens": 128000,
    },
    "anthropic/claude-haiku-4-5": {
        "litellm_provider": "anthropic",
        "mode": "chat",
        "input_cost_per_token": 1e-06,
        "output_cost_per_token": 5e-06,
        "max_input_tokens": 200000,
    },
    "text-embedding-3-small": {
        "litellm_provider": "openai",
        "mode": "embedding",
        "input_cost_per_token": 2e-08,
        "output_cost_per_token": 0,
    },
    "ollama/llama3": {
        "litellm_provider": "ollama",
        "mode": "chat",
        "input_cost_per_token": 0,
        "output_cost_per_token": 0,
    },
}

GENAI = [
    {
        "id": "anthropic",
        "name": "Anthropic",
        "models": [
            {
                "id": "claude-sonnet-4-6",
                "context_window": 1000000,
                "prices": [
                    {
                        "prices": {
                            "input_mtok": {"base": 3, "tiers": [{"start": 200000, "price": 6}]},
                            "cache_read_mtok": 0.3,
                            "output_mtok": 15,
                        }
                    },
                    {
                        "constraint": {"start_date": "2026-03-13"},
                        "prices": {"input_mtok": 2.5, "output_mtok": 12},
                    },
                ],
            },
            {"id": "claude-3-haiku", "prices": {"input_mtok": 0.25, "output_mtok": 1.25}},
            {"id": "embed-only", "prices": {"input_mtok": 0.1}},
        ],
    },
    {
        "id": "deepseek",
        "name": "Deepseek",
        "models": [
            {
                "id": "deepseek-chat",
                "prices": [
                    {"prices": {"input_mtok": 0.27, "output_mtok": 1.1}},
                    {
                        "constraint": {"start_time": "16:30", "end_time": "00:30"},
                        "prices": {"input_mtok": 0.135, "output_mtok": 0.55},
                    },
                ],
            }
        ],
    },
]


def as_bytes(document) -> bytes:
    return json.dumps(document).encode()


# --- Parsing ---------------------------------------------------------------------------------


def test_parse_litellm_takes_chat_models_in_usd_per_million():
    parsed = imports.parse_catalogue(as_bytes(LITELLM))
    assert parsed.format == imports.LITELLM
    assert [
        (
            r.provider,
            r.name,
            r.input_per_mtok,
            r.output_per_mtok,
            r.cached_input_per_mtok,
            r.context_window,
        )
        for r in parsed.rows
    ] == [
        ("OpenAI", "gpt-4o-2024-08-06", D("2.5"), D(10), D("1.25"), 128000),
        ("Anthropic", "claude-haiku-4-5", D(1), D(5), None, 200000),
    ]
    assert parsed.skipped == {"not a chat model": 1, "free or self-hosted (price 0)": 1}
    assert parsed.errors == []


def test_parse_genai_prices_dict_list_and_dated_prices():
    parsed = imports.parse_catalogue(as_bytes(GENAI))
    assert parsed.format == imports.GENAI_PRICES
    assert [
        (
            r.provider,
            r.name,
            r.input_per_mtok,
            r.output_per_mtok,
            r.cached_input_per_mtok,
            r.effective_date,
        )
        for r in parsed.rows
    ] == [
        ("Anthropic", "claude-sonnet-4-6", D(3), D(15), D("0.3"), None),
        ("Anthropic", "claude-sonnet-4-6", D("2.5"), D(12), None, datetime.date(2026, 3, 13)),
        ("Anthropic", "claude-3-haiku", D("0.25"), D("1.25"), None, None),
        ("DeepSeek", "deepseek-chat", D("0.27"), D("1.1"), None, None),
    ]
    assert parsed.skipped == {
        "no input or output price": 1,
        "price with a condition other than a start date": 1,
    }


def test_parse_keeps_only_chosen_providers():
    parsed = imports.parse_catalogue(as_bytes(LITELLM), providers=["anthropic"])
    assert [r.name for r in parsed.rows] == ["claude-haiku-4-5"]
    assert parsed.skipped["provider not selected"] == 1


def _litellm_with(**entry):
    prices = {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06, **entry}
    return as_bytes({"bad-model": {"litellm_provider": "openai", "mode": "chat", **prices}})


NOT_A_CATALOGUE = (
    "This is JSON, but not a price catalogue this page reads: expected LiteLLM's "
    "model_prices_and_context_window.json (an object of models) or genai-prices' data.json "
    "(a list of providers with their models)."
)
BAD_JSON = (
    "The file is not valid JSON (line 1, column 2: "
    "Expecting property name enclosed in double quotes)."
)
OVER = "bad-model (output_cost_per_token): the output price is over $10,000 per million tokens."
INPUT = "bad-model (input_cost_per_token)"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"   \n", "The file is empty."),
        (b"{not json", BAD_JSON),
        (b"\xff\xfe\x00{}", "The file is not UTF-8 text (unreadable byte at position 0)."),
        (b"[" * 5000 + b"]" * 5000, "The file is nested too deeply to be a price catalogue."),
        (
            b'{"a": ' * 30 + b"1" + b"}" * 30,
            "The file is nested too deeply to be a price catalogue.",
        ),
        (b"[1, 2, 3]", NOT_A_CATALOGUE),
        (b'"just a string"', NOT_A_CATALOGUE),
        (b'{"m": "x"}', NOT_A_CATALOGUE),
        (
            b'{"m": {"mode": "embedding"}}',
            "The file has no chat model with an input and output price.",
        ),
    ],
)
def test_malformed_file_is_refused_with_reason(content, message):
    with pytest.raises(imports.CatalogueFileError) as refused:
        imports.parse_catalogue(content)
    assert str(refused.value) == message


def test_file_over_20_mb_is_refused():
    with pytest.raises(imports.CatalogueFileError) as refused:
        imports.parse_catalogue(b" " * (20 * 1024 * 1024 + 1))
    assert str(refused.value) == "The file is larger than 20 MB; a price catalogue is far smaller."


@pytest.mark.parametrize(
    "entry, error",
    [
        ({"input_cost_per_token": -1e-06}, f"{INPUT}: the input price is negative."),
        ({"output_cost_per_token": 1e300}, OVER),
        ({"input_cost_per_token": "cheap"}, f"{INPUT}: the input price is not a number."),
        ({"input_cost_per_token": True}, f"{INPUT}: the input price is not a number."),
        ({"input_cost_per_token": [1]}, f"{INPUT}: the input price is not a number."),
        (
            {"cache_read_input_token_cost": -1},
            "bad-model (cache_read_input_token_cost): the cached input price is negative.",
        ),
    ],
)
def test_bad_prices_are_listed_per_model(entry, error):
    parsed = imports.parse_catalogue(_litellm_with(**entry))
    assert parsed.errors == [error]


def test_genai_prices_bad_start_date_is_listed():
    document = [
        {
            "id": "x",
            "models": [
                {
                    "id": "m",
                    "prices": [
                        {
                            "constraint": {"start_date": "soon"},
                            "prices": {"input_mtok": 1, "output_mtok": 2},
                        }
                    ],
                }
            ],
        }
    ]
    parsed = imports.parse_catalogue(as_bytes(document))
    assert parsed.errors == ["m: the start date is not a date (YYYY-MM-DD)."]


# --- The import ------------------------------------------------------------------------------


def _rows(document=LITELLM):
    return imports.parse_catalogue(as_bytes(document)).rows


def test_import_adds_models_and_prices_then_reimport_changes_nothing(db):
    models_before, points_before = LLMModel.objects.count(), PricePoint.objects.count()
    plan = services.catalogue_import(rows=_rows(), import_date=TODAY, source="LiteLLM test")
    # gpt-4o-2024-08-06 exists, seeded at $2.50/$10 with cached $1.25: the same price
    assert [r.name for r in plan.new_models] == ["claude-haiku-4-5"]
    assert (len(plan.new_points), plan.unchanged) == (1, 1)
    assert LLMModel.objects.count() == models_before + 1
    assert PricePoint.objects.count() == points_before + 1
    haiku = LLMModel.objects.get(name="claude-haiku-4-5")
    assert (haiku.provider, haiku.tier, haiku.context_window) == ("Anthropic", "mid-tier", 200000)
    point = haiku.price_points.get()
    assert (point.effective_date, point.input_usd_per_mtok, point.source) == (
        TODAY,
        D(1),
        "LiteLLM test",
    )
    assert LLMModel.objects.get(name="gpt-4o-2024-08-06").context_window == 128000

    again = services.catalogue_import(
        rows=_rows(), import_date=TODAY + datetime.timedelta(days=3), source="again"
    )
    assert (again.changes, again.unchanged, len(again.new_models)) == (0, 2, 0)
    assert PricePoint.objects.count() == points_before + 1


def test_import_same_day_new_price_updates_in_place(db):
    services.catalogue_import(rows=_rows(), import_date=TODAY, source="first")
    cheaper = json.loads(json.dumps(LITELLM))
    cheaper["anthropic/claude-haiku-4-5"]["input_cost_per_token"] = 8e-07
    count = PricePoint.objects.count()
    plan = services.catalogue_import(rows=_rows(cheaper), import_date=TODAY, source="second")
    assert len(plan.updated_points) == 1
    assert PricePoint.objects.count() == count
    point = PricePoint.objects.get(model__name="claude-haiku-4-5")
    assert (point.input_usd_per_mtok, point.source) == (D("0.8"), "second")


def test_import_genai_prices_keeps_the_files_dates(db):
    services.catalogue_import(rows=_rows(GENAI), import_date=TODAY, source="genai")
    model = LLMModel.objects.get(name="claude-sonnet-4-6")
    assert [
        (p.effective_date, p.input_usd_per_mtok)
        for p in model.price_points.order_by("effective_date")
    ] == [
        (datetime.date(2026, 3, 13), D("2.5")),
        (TODAY, D(3)),
    ]
    assert model.tier == "frontier"


# --- The upload page -------------------------------------------------------------------------


def _upload(client, content: bytes, name="prices.json", **fields):
    return client.post(
        IMPORT, {"file": SimpleUploadedFile(name, content, "application/json"), **fields}
    )


def test_import_page_needs_a_login(client, db):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    before = PricePoint.objects.count()
    assert _upload(client, as_bytes(LITELLM)).status_code == 302
    assert PricePoint.objects.count() == before


@pytest.fixture
def catalogue_admin_client(client, db):
    client.force_login(factories.make_catalogue_admin(username="keeper"))
    return client


def test_import_preview_then_confirm(catalogue_admin_client):
    before = PricePoint.objects.count()
    response = _upload(catalogue_admin_client, as_bytes(LITELLM), effective_date="2026-11-01")
    assert response.status_code == 200
    content = response.content.decode()
    assert "claude-haiku-4-5" in content
    assert PricePoint.objects.count() == before  # a preview changes nothing
    token = response.context["token"]
    response = catalogue_admin_client.post(IMPORT, {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert PricePoint.objects.count() == before + 1
    assert PricePoint.objects.get(model__name="claude-haiku-4-5").effective_date == datetime.date(
        2026, 11, 1
    )
    page = catalogue_admin_client.get(response.url).content.decode()
    assert (
        "Imported 1 new models, 1 new prices and 0 updated prices; 1 prices were unchanged." in page
    )


def test_import_tampered_preview_changes_nothing(catalogue_admin_client):
    token = _upload(catalogue_admin_client, as_bytes(LITELLM)).context["token"]
    before = PricePoint.objects.count()
    response = catalogue_admin_client.post(IMPORT, {"confirm": "1", "token": token[:-3] + "abc"})
    assert response.status_code == 422
    assert (
        "The preview has expired or was changed. Upload the file again; nothing was imported."
        in response.content.decode()
    )
    assert PricePoint.objects.count() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b"<html>not json</html>",
            "The file is not valid JSON (line 1, column 1: Expecting value). Nothing was imported.",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "The file is not UTF-8 text (unreadable byte at position 0). Nothing was imported.",
        ),
        (
            b"[" * 3000,
            "The file is nested too deeply to be a price catalogue. Nothing was imported.",
        ),
    ],
)
def test_import_malformed_upload_says_why_and_changes_nothing(
    catalogue_admin_client, content, message
):
    before = (LLMModel.objects.count(), PricePoint.objects.count())
    response = _upload(catalogue_admin_client, content)
    assert response.status_code == 422
    assert response.context["form"].errors["file"] == [message]
    assert (LLMModel.objects.count(), PricePoint.objects.count()) == before


def test_import_bad_prices_listed_and_nothing_changes(catalogue_admin_client):
    before = (LLMModel.objects.count(), PricePoint.objects.count())
    document = {
        **LITELLM,
        "evil": {
            "litellm_provider": "x",
            "mode": "chat",
            "input_cost_per_token": -5,
            "output_cost_per_token": 1,
        },
    }
    response = _upload(catalogue_admin_client, as_bytes(document))
    assert response.status_code == 422
    content = response.content.decode()
    assert "evil (input_cost_per_token): the input price is negative." in content
    assert "token" not in response.context
    assert (LLMModel.objects.count(), PricePoint.objects.count()) == before


def test_import_file_over_20_mb_is_refused(catalogue_admin_client):
    before = PricePoint.objects.count()
    response = _upload(catalogue_admin_client, b" " * (20 * 1024 * 1024 + 10))
    assert response.status_code == 422
    assert (
        response.context["form"].errors["file"][0]
        == "The file is larger than 20 MB; a price catalogue is far smaller. Nothing was imported."
    )
    assert PricePoint.objects.count() == before


def test_import_without_file_and_with_bad_date(catalogue_admin_client):
    response = catalogue_admin_client.post(IMPORT, {"effective_date": "yesterday"})
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "file": ["Choose the catalogue file to import."],
        "effective_date": ["Enter the date as YYYY-MM-DD."],
    }


def test_import_model_names_are_escaped_in_the_preview(catalogue_admin_client):
    document = {
        "<script>x</script>": {
            "litellm_provider": "openai",
            "mode": "chat",
            "input_cost_per_token": 1e-06,
            "output_cost_per_token": 2e-06,
        }
    }
    content = _upload(catalogue_admin_client, as_bytes(document)).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in content
    assert "<script>x</script>" not in content


def test_factories_model_builder(db):
    model = factories.make_llm_model(name="zz", prices=(("2025-02-02", "1", "2"),))
    assert model.price_on(datetime.date(2025, 3, 1)).output_usd_per_mtok == D(2)


def test_import_moves_the_catalogues_prices_as_of_forward(db):
    from foundation import selectors

    assert selectors.prices_as_of() == datetime.date(2026, 8, 21)
    plan = services.catalogue_import(
        rows=_rows(), import_date=datetime.date(2026, 12, 1), source="LiteLLM test"
    )
    assert selectors.prices_as_of() == datetime.date(2026, 12, 1)
    # The unchanged gpt-4o-2024-08-06 price is confirmed as of the import date.
    (confirmed,) = plan.confirmed
    confirmed.refresh_from_db()
    assert (confirmed.model.name, confirmed.listed_on) == (
        "gpt-4o-2024-08-06",
        datetime.date(2026, 12, 1),
    )
