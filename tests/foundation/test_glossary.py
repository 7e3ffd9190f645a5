"""The glossary page, its search, the `{% term %}` tag, and the catalogue page: results and query
counts that do not grow with rows."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from foundation import seeds
from foundation.models import GlossaryTerm, LLMModel
from tests import factories

pytestmark = pytest.mark.usefixtures("seeded")

GLOSSARY = reverse("foundation:glossary")
CATALOGUE = reverse("foundation:catalogue")


def test_seeded_glossary_has_the_issue_terms(db):
    names = {t.lower() for t in GlossaryTerm.objects.values_list("term", flat=True)}
    assert len(names) >= 40
    for required in [
        "token", "input tokens", "output tokens", "context window", "cached input", "batch pricing",
        "reasoning tokens", "agent loop", "model tier", "unit economics", "cost per task", "roi",
        "payback period", "showback", "chargeback", "tco", "focus", "utilisation", "throughput",
        "provisioned throughput", "self-hosting", "quantisation", "rag", "embeddings",
        "fine-tuning", "guardrails", "rate limits", "baseline", "floor / target / stretch",
        "value driver", "bottom line", "top line",
    ]:  # fmt: skip
        assert required in names


def test_glossary_seed_is_idempotent_and_keeps_edits(db):
    term = GlossaryTerm.objects.get(term="ROI")
    term.definition = "Edited in the admin."
    term.save()
    count = GlossaryTerm.objects.count()
    assert seeds.seed_glossary(GlossaryTerm) == 0
    assert GlossaryTerm.objects.count() == count
    assert GlossaryTerm.objects.get(term="ROI").definition == "Edited in the admin."


def test_glossary_search_matches_term_alias_and_definition(client, db):
    response = client.get(GLOSSARY, {"q": "return on investment"})
    assert [t.term for t in response.context["terms"]] == ["ROI"]
    response = client.get(GLOSSARY, {"q": "GPU"})
    assert "Self-hosting" in [t.term for t in response.context["terms"]]


def test_glossary_search_as_you_type_returns_the_results_partial(client, db):
    response = client.get(GLOSSARY, {"q": "payback"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="glossary-results"')
    assert "Payback period" in content
    assert "<form" not in content


def test_glossary_search_without_match_says_so_and_escapes(client, db):
    content = client.get(GLOSSARY, {"q": "<script>zz</script>"}).content.decode()
    assert "No term matches “&lt;script&gt;zz&lt;/script&gt;”." in content
    assert "<script>zz" not in content


def test_glossary_search_too_long_is_explained(client, db):
    response = client.get(GLOSSARY, {"q": "x" * 101})
    assert response.context["form"].errors["q"] == ["Search for at most 100 characters."]
    assert len(response.context["terms"]) == GlossaryTerm.objects.count()


@pytest.mark.parametrize("rows", [1, 30])
def test_glossary_page_query_count_does_not_grow(client, db, django_assert_num_queries, rows):
    GlossaryTerm.objects.all().delete()
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(term=f"Term {i}", category="tokens", definition="Words.") for i in range(rows)
    )
    with django_assert_num_queries(1):
        response = client.get(GLOSSARY)
    assert len(response.context["terms"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_catalogue_page_query_count_does_not_grow(client, db, django_assert_num_queries, rows):
    LLMModel.objects.all().delete()
    for i in range(rows):
        factories.make_llm_model(
            name=f"m{i}", prices=(("2024-01-01", "2", "8"), ("2025-01-01", "1", "4"))
        )
    # 3: the models, their prices and how old the newest price is
    with django_assert_num_queries(3):
        response = client.get(CATALOGUE)
    assert len(response.context["rows"]) == rows


def test_catalogue_shows_current_price_history_and_source(client, db):
    LLMModel.objects.all().delete()
    factories.make_llm_model(
        provider="Acme",
        name="alpha",
        tier="frontier",
        prices=(("2024-01-01", "10", "30"), ("2025-01-01", "2.5", "10")),
        source="Acme <b>pricing</b> page",
    )
    content = client.get(CATALOGUE).content.decode()
    assert '<td class="num">$2.50</td>' in content
    assert '<td class="num">$10.00</td>' in content
    assert "Price history (2 prices)" in content
    assert "Acme &lt;b&gt;pricing&lt;/b&gt; page" in content


def test_catalogue_is_seeded_from_the_bundled_price_list(db):
    model = LLMModel.objects.get(provider="OpenAI", name="o3")
    points = list(model.price_points.order_by("effective_date"))
    assert [
        (str(p.effective_date), str(p.input_usd_per_mtok), str(p.cached_input_usd_per_mtok))
        for p in points
    ] == [("2025-04-16", "10.000000", "2.500000"), ("2025-06-10", "2.000000", "0.500000")]
    assert points[1].source.startswith("pydantic/genai-prices prices/providers/openai.yml")
    assert LLMModel.objects.count() == 68  # 79 prices of 68 API model ids


def test_price_on_uses_prefetched_points(db, django_assert_num_queries):
    import datetime

    from foundation import selectors

    model = selectors.models_with_prices().get(provider="OpenAI", name="o3")
    with django_assert_num_queries(0):
        assert model.price_on(datetime.date(2025, 5, 1)).input_usd_per_mtok == 10
        assert model.price_on(datetime.date(2025, 7, 1)).input_usd_per_mtok == 2
        assert model.price_on(datetime.date(2024, 1, 1)) is None


def _render(source: str, request=None, **values) -> str:
    return Template("{% load glossary %}" + source).render(Context({"request": request, **values}))


def test_term_tag_renders_definition_as_tooltip(db):
    html = _render('{% term "ROI" %}', RequestFactory().get("/"))
    definition = GlossaryTerm.objects.get(term="ROI").definition
    assert html == (
        '<span class="term" tabindex="0" aria-describedby="term-tip-1">ROI'
        f'<span class="term-tip" role="tooltip" id="term-tip-1">{definition}</span></span>'
    )


def test_term_tag_alias_and_shown_text(db):
    html = _render('{% term "return on investment" "return" %}', RequestFactory().get("/"))
    assert html.startswith(
        '<span class="term" tabindex="0" aria-describedby="term-tip-1">return<span'
    )


def test_term_tag_unknown_term_is_plain_escaped_text(db):
    assert (
        _render("{% term name %}", RequestFactory().get("/"), name="<i>nope</i>")
        == "&lt;i&gt;nope&lt;/i&gt;"
    )


def test_term_tag_escapes_the_definition(db):
    GlossaryTerm.objects.create(term="Sneaky", category="tokens", definition="<script>x</script>")
    html = _render('{% term "Sneaky" %}', RequestFactory().get("/"))
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_term_tags_load_the_glossary_once_per_request(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        _render(
            '{% term "ROI" %} {% term "TCO" %} {% term "Token" %} {% term "Showback" %}', request
        )
        _render('{% term "FOCUS" %}', request)  # another template, same request


def test_overview_page_with_terms_is_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("foundation:index"))
    assert response.content.decode().count('class="term"') == 3


def test_glossary_examples_in_the_workshops_currency(facilitator_client, facilitator):
    workshop = factories.make_workshop(
        facilitator=facilitator, currency="EUR", usd_exchange_rate="0.92"
    )
    page = facilitator_client.get(f"{GLOSSARY}?workshop={workshop.pk}&q=input tokens").text
    assert "3,000 / 1,000,000 x €2.76 = €0.008280" in page
    assert "x $3" not in page


def test_glossary_examples_in_usd_without_a_workshop(client):
    page = client.get(f"{GLOSSARY}?q=input tokens").text
    assert "3,000 / 1,000,000 x $3 = $0.009" in page


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("$10,000 a month", "€9,200 a month"),
        ("$0.30 instead of $3", "€0.2760 instead of €2.76"),
        ("$2.50/h", "€2.30/h"),
        ("no amount", "no amount"),
        ("", ""),
    ],
)
def test_usd_amounts_filter(text, shown):
    from decimal import Decimal

    from foundation.currency import Currency
    from foundation.templatetags.money import usd_amounts

    assert usd_amounts(text, Currency(code="EUR", rate=Decimal("0.92"))) == shown
    assert usd_amounts(text, None) == text
