"""The bundled price list: every row seeded with its source, one name per model, retired models
kept in the history but not offered, and an earlier list's catalogue cleaned up."""

import csv
import datetime
from decimal import Decimal as D

from foundation import seeds, selectors
from foundation.models import LLMModel, PricePoint
from tests import factories


def _csv_rows():
    with seeds.PRICE_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _optional(text):
    return D(text) if text else None


def test_seed_loads_every_row_of_the_price_list_with_its_source(db):
    rows = _csv_rows()
    assert len(rows) == 79
    stored = {
        (p.model.provider, p.model.name, p.effective_date): p
        for p in PricePoint.objects.select_related("model")
    }
    assert len(stored) == 79
    for row in rows:
        point = stored[
            (row["provider"], row["model"], datetime.date.fromisoformat(row["effective_date"]))
        ]
        assert point.input_usd_per_mtok == D(row["input_usd_per_mtok"])
        assert point.output_usd_per_mtok == D(row["output_usd_per_mtok"])
        assert point.cached_input_usd_per_mtok == _optional(row["cached_input_usd_per_mtok"])
        assert point.source == row["source"]
        assert point.listed_on == datetime.date(2026, 8, 21)
        assert point.model.tier == row["tier"]


def test_seed_again_changes_nothing(db):
    before = sorted(
        PricePoint.objects.values_list("model__name", "effective_date", "input_usd_per_mtok")
    )
    assert seeds.seed_catalogue(LLMModel, PricePoint) == 0
    after = sorted(
        PricePoint.objects.values_list("model__name", "effective_date", "input_usd_per_mtok")
    )
    assert after == before
    assert LLMModel.objects.count() == 68


def test_no_model_appears_under_two_names(db):
    names = list(LLMModel.objects.values_list("name", flat=True))
    assert len(names) == len({n.lower() for n in names}) == 68
    assert not [n for n in names if "(" in n]  # no "deepseek-chat (V3)" beside "deepseek-chat"
    deepseek = LLMModel.objects.get(name="deepseek-chat")
    assert [
        (str(p.effective_date), p.input_usd_per_mtok, p.cached_input_usd_per_mtok)
        for p in deepseek.price_points.order_by("effective_date")
    ] == [("2024-12-26", D("0.14"), None), ("2025-02-08", D("0.27"), D("0.07"))]


def test_retirement_dates_come_from_the_list(db):
    opus = LLMModel.objects.get(name="claude-3-opus-20240229")
    assert opus.retired_on == datetime.date(2026, 1, 5)
    assert not opus.on_sale(datetime.date(2026, 1, 5))
    assert opus.on_sale(datetime.date(2026, 1, 4))
    # Gone, with no dated source: kept in the history, never offered.
    flash = LLMModel.objects.get(name="gemini-1.5-flash")
    assert (flash.retired_on, flash.retired_date_unknown) == (None, True)
    assert not flash.on_sale(datetime.date(2024, 6, 1))


def test_retired_models_are_not_offered_but_stay_in_the_history(db):
    day = datetime.date(2026, 12, 7)
    offered = {row.model.name for row in selectors.priced_models(today=day)}
    for name in ("claude-3-opus-20240229", "claude-2.1", "gemini-2.0-flash", "gemini-1.5-pro"):
        assert name not in offered
    assert {"gpt-5-nano", "deepseek-v4-pro", "claude-opus-5"} <= offered
    history = {row.model.name for row in selectors.catalogue(today=day)}
    assert "claude-3-opus-20240229" in history
    dated = {p.model for p in selectors.dated_prices()}
    assert "Anthropic claude-3-opus-20240229" in dated
    # Before its shutdown the model is offered.
    assert "claude-3-opus-20240229" in {
        row.model.name for row in selectors.priced_models(today=datetime.date(2025, 6, 1))
    }


def _seed_superseded_list():
    """A catalogue as the earlier bundled list left it."""
    PricePoint.objects.all().delete()
    LLMModel.objects.all().delete()
    for row in seeds.price_rows(seeds.SUPERSEDED_CSV):
        model, _ = LLMModel.objects.get_or_create(
            provider=row["provider"], name=row["model"], defaults={"tier": row["tier"]}
        )
        PricePoint.objects.create(
            model=model,
            effective_date=row["effective_date"],
            input_usd_per_mtok=row["input"],
            output_usd_per_mtok=row["output"],
            source=row["source"],
        )


def test_seed_replaces_the_earlier_lists_names_and_prices(db):
    _seed_superseded_list()
    old_v3 = LLMModel.objects.get(name="deepseek-chat (V3)")
    agent = factories.make_agent(name="Support")
    type(agent).objects.filter(pk=agent.pk).update(workload_model=old_v3)
    edited = PricePoint.objects.get(model__name="o3", effective_date=datetime.date(2025, 6, 10))
    edited.source = "Checked on the vendor page"
    edited.save()

    seeds.seed_catalogue(LLMModel, PricePoint)

    assert not LLMModel.objects.filter(name__contains="(").exists()
    deepseek = LLMModel.objects.get(name="deepseek-chat")
    agent.refresh_from_db()
    assert agent.workload_model_id == deepseek.pk
    # The 2025-09-05 price of the earlier list is not in the current one: gone.
    assert [str(d) for d in deepseek.price_points.values_list("effective_date", flat=True)] == [
        "2024-12-26",
        "2025-02-08",
    ]
    # The earlier list's models the current one does not hold, unused, are gone.
    assert not LLMModel.objects.filter(name__in=["gpt-4-32k", "gpt-3.5-turbo-0301"]).exists()
    # Claude 3.5 Sonnet takes the list's tier; its price gains the cached price and source.
    sonnet = LLMModel.objects.get(name="claude-3-5-sonnet-20240620")
    assert sonnet.tier == "mid-tier"
    assert sonnet.price_points.get().cached_input_usd_per_mtok == D("0.3")
    # A price edited since keeps its edit.
    edited.refresh_from_db()
    assert edited.source == "Checked on the vendor page"
    assert PricePoint.objects.count() == 79
    assert LLMModel.objects.count() == 68
    assert seeds.seed_catalogue(LLMModel, PricePoint) == 0


def test_agent_workload_offers_models_on_sale_and_keeps_the_agents_own(db):
    from agents.block2_forms import WorkloadForm

    workshop = factories.make_workshop(pricing_date=datetime.date(2026, 12, 7))
    agent = factories.make_agent(workshop=workshop)
    offered = {m.name for m in WorkloadForm(agent=agent).fields["workload_model"].queryset}
    assert "claude-3-opus-20240229" not in offered
    assert "gemini-1.5-flash" not in offered
    assert "claude-opus-5" in offered
    opus = LLMModel.objects.get(name="claude-3-opus-20240229")
    type(agent).objects.filter(pk=agent.pk).update(workload_model=opus)
    agent.refresh_from_db()
    kept = {m.name for m in WorkloadForm(agent=agent).fields["workload_model"].queryset}
    assert "claude-3-opus-20240229" in kept
