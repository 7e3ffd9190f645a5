"""The seeded catalogues of Block 1: glossary, model prices, knowledge-check questions.

Loaded by data migrations and by `manage.py foundation_seed`; loading adds what is missing and
leaves rows that exist (possibly edited in the admin) as they are, so it can run any number of
times.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

PRICE_CSV = Path(__file__).resolve().parent / "data" / "llm-price-points.csv"

# (term, aliases, category, definition, worked example)
GLOSSARY = [
    ("Token", "tokens", "tokens",
     "The unit a language model reads and writes: a piece of a word. Models are priced per "
     "million tokens.",
     "English averages about 4 characters or 0.75 words per token: a 1,500-word report is "
     "about 2,000 tokens."),
    ("Input tokens", "prompt tokens, input token", "tokens",
     "Everything sent to the model in a call: instructions, retrieved documents, chat history "
     "and the question. Billed at the input price.",
     "A 3,000-token prompt at $3 per million input tokens costs 3,000 / 1,000,000 x $3 = $0.009."),
    ("Output tokens", "completion tokens, output token", "tokens",
     "The tokens the model writes back. Output is priced higher than input, typically 3 to 5 "
     "times, because it is generated one token at a time.",
     "500 output tokens at $15 per million cost $0.0075, almost as much as 3,000 input tokens "
     "at $3 ($0.009)."),
    ("Price per million tokens", "per Mtok, $/Mtok, price per Mtok", "tokens",
     "How API prices are quoted: US dollars for one million input or output tokens.",
     "$2.50 input / $10 output per Mtok: a call with 2,000 in and 400 out costs "
     "$0.005 + $0.004 = $0.009."),
    ("Context window", "context length", "tokens",
     "The most tokens a model can take in one call, prompt and history together. A bigger "
     "window allows more context but every token in it is paid for on every call.",
     "A 200,000-token window filled to 150,000 tokens at $3/Mtok costs $0.45 per call."),
    ("Cached input", "prompt caching, cached input tokens, cache read", "tokens",
     "Input the provider has seen recently (a fixed system prompt, a long document) and bills "
     "at a discount, often a tenth of the input price.",
     "A 10,000-token prompt with 8,000 tokens cached at $0.30 instead of $3 per Mtok costs "
     "$0.0024 + $0.006 = $0.0084 instead of $0.03."),
    ("Batch pricing", "batch API, batch discount", "tokens",
     "Sending work that can wait (up to 24 hours) through a batch API, usually at half price.",
     "Moving 60% of a $10,000 monthly bill to batch at 50% off saves $3,000 a month."),
    ("Reasoning tokens", "thinking tokens", "tokens",
     "Hidden tokens a reasoning model writes while it thinks before answering. They are billed "
     "as output tokens even though you never see them.",
     "A 200-token answer preceded by 3,000 reasoning tokens is billed as 3,200 output tokens."),
    ("Tokenizer", "tokeniser", "tokens",
     "The rule that splits text into tokens. It differs between model families, so the same "
     "text can be a different number of tokens on different models.", ""),
    ("Output verbosity", "verbosity", "tokens",
     "How much the model writes per answer. Because output is the expensive side, asking for "
     "concise answers is one of the cheapest savings.",
     "Cutting answers from 800 to 300 tokens at $10/Mtok output saves $0.005 per call: $5,000 "
     "a month at a million calls."),
    ("Model tier", "model tiers, tier", "models",
     "A rough class of capability and price: frontier (most capable, dearest), mid-tier "
     "(balanced) and efficient (small, fast, cheapest).",
     "The same task can cost 10 to 100 times more on a frontier model than on an efficient "
     "one."),
    ("Frontier model", "frontier", "models",
     "The most capable models of the day, for hard reasoning and open-ended work; the highest "
     "price per token.", ""),
    ("Mid-tier model", "mid-tier", "models",
     "Capable general models at a moderate price: the usual default for production work once a "
     "task is well understood.", ""),
    ("Efficient model", "efficient, small model", "models",
     "Small, fast, cheap models for classification, extraction and routing; good enough for "
     "many narrow tasks.", ""),
    ("Model routing", "router, routing", "models",
     "Sending each request to the cheapest model that can handle it, escalating to a bigger "
     "model only when needed.",
     "Routing 80% of calls to a model 20x cheaper cuts the bill by 76%."),
    ("Throughput", "tokens per second", "models",
     "How many tokens a model server produces per second across all requests. Sets how many "
     "GPUs a self-hosted workload needs.",
     "At 460 tokens/s one GPU handles about 460 x 3,600 x 730 = 1.2 billion tokens a month at "
     "full use."),
    ("Latency", "", "models",
     "How long a single request takes to answer. Bigger models and longer outputs are slower.",
     ""),
    ("Provisioned throughput", "PTU, reserved capacity", "models",
     "Capacity reserved from a cloud provider for a fixed hourly or monthly fee, whatever you "
     "use. Cheaper than pay-per-token only when kept busy.", ""),
    ("Self-hosting", "self-hosted, self host", "models",
     "Running an open-weight model on your own or rented GPUs instead of paying per token. "
     "The cost is GPUs plus the people who run them, paid whether busy or not.",
     "2 GPUs at $2.50/h for 730 h plus $8,000 engineering = $11,650 a month."),
    ("GPU-hour", "GPU hour", "models",
     "One graphics processor rented for one hour; the unit of self-hosting cost.",
     "An H100 at $2.50 per GPU-hour costs $1,825 for a 730-hour month."),
    ("Utilisation", "utilization", "finops",
     "The share of paid capacity doing useful work. Idle GPUs and reserved capacity still cost "
     "money, so low utilisation raises the real price per token.",
     "A GPU used 25% of the time costs 4 times more per token than one used fully."),
    ("Quantisation", "quantization, FP8, INT4", "models",
     "Storing a model's numbers with fewer bits (FP8, INT4) so it needs less GPU memory and "
     "runs faster, at a small loss of quality.",
     "A 70B model needs about 140 GB in 16-bit and about 70 GB in 8-bit: one 80 GB GPU "
     "instead of two."),
    ("Fine-tuning", "fine tuning", "agents",
     "Training an existing model further on your own examples so it follows your format or "
     "domain with shorter prompts. Costs a training run and often a higher price per token.",
     ""),
    ("Embeddings", "embedding", "agents",
     "Lists of numbers that represent the meaning of a text, used to search by meaning. Priced "
     "per input token, far below chat models.",
     "Embedding 10 million tokens of documents at $0.02/Mtok costs $0.20."),
    ("RAG", "retrieval-augmented generation, retrieval augmented generation", "agents",
     "Retrieval-augmented generation: search your documents and put the relevant passages in "
     "the prompt. Adds input tokens to every call.",
     "Five 400-token passages add 2,000 input tokens per question: $0.006 at $3/Mtok."),
    ("Agent", "AI agent", "agents",
     "Software that uses a model to decide and act over several steps: calling tools, reading "
     "results and deciding what to do next.", ""),
    ("Agent loop", "agent loops, loop iterations, model calls per task", "agents",
     "The repeated cycle of an agent: call the model, run a tool, add the result to the "
     "context, call again. Each call re-sends the growing context.",
     "5 calls of 2,000 tokens with 1,000 tokens added per call send 5 x 2,000 + 1,000 x 10 = "
     "20,000 input tokens, not 10,000."),
    ("Context growth", "growing context", "agents",
     "The tokens each agent step adds to the context (tool results, earlier answers). Because "
     "the whole context is re-sent, the input grows with the square of the number of calls.",
     ""),
    ("Guardrails", "guardrail", "agents",
     "Checks around a model: input filters, output validation, policy rules. They prevent harm "
     "and often add model calls of their own.",
     "A guardrail call of 1,000 tokens on an efficient model adds about $0.0002 per task."),
    ("Rate limits", "rate limit, TPM, RPM", "agents",
     "The most requests or tokens per minute a provider accepts from an account. They cap "
     "throughput and can force a higher tier or provisioned capacity.", ""),
    ("Hallucination", "", "agents",
     "A fluent answer that is not true. Checking and rework after hallucinations is a real "
     "cost of an agent.", ""),
    ("Unit economics", "", "finops",
     "Cost and value per unit of work (a ticket, an invoice, a quote), so the agent can be "
     "judged at any volume.",
     "$0.04 per invoice against $3.20 of clerk time per invoice."),
    ("Cost per task", "cost per transaction", "finops",
     "All the model cost of completing one task, every call of the agent loop included. The "
     "key economic KPI of an agent.",
     "4 calls x (3,000 in at $3 + 500 out at $15 per Mtok) = 4 x $0.0165 = $0.066 per task."),
    ("Showback", "", "finops",
     "Reporting AI costs to the teams that cause them, without billing them, to build cost "
     "awareness.", ""),
    ("Chargeback", "", "finops",
     "Billing AI costs to the budgets of the teams that cause them, so each team pays for its "
     "own use.", ""),
    ("TCO", "total cost of ownership", "finops",
     "Total cost of ownership: every cost of running an agent over its life: model usage, "
     "infrastructure, integration, monitoring, people and change management.",
     "$12,000 model cost + $30,000 build + $18,000 a year of support = $60,000 first-year TCO."),
    ("FOCUS", "FinOps Open Cost and Usage Specification", "finops",
     "The FinOps Open Cost and Usage Specification: a common format for cloud and AI billing "
     "data, so costs from different providers can be compared and allocated.", ""),
    ("FinOps", "cloud financial management", "finops",
     "The practice of making teams accountable for the cost and value of cloud and AI use: "
     "inform, optimise, operate.", ""),
    ("Cost allocation", "tagging", "finops",
     "Tagging every model call with the agent, team or use case it serves so its cost can be "
     "reported per unit.", ""),
    ("Forecast", "cost forecast", "finops",
     "An estimate of future spend from expected volume and price per task.",
     "20,000 tasks a month growing 10% a month at $0.05 costs about $21,400 over 12 months."),
    ("ROI", "return on investment, ROI ratio", "value",
     "Return on investment: value delivered divided by cost incurred. Above 1 the agent earns "
     "more than it costs.",
     "$180,000 of saved time a year for $60,000 of cost: ROI = 3.0."),
    ("Payback period", "payback", "value",
     "How long until the accumulated value covers the upfront cost.",
     "$40,000 to build, then $10,000 of net value a month: payback in 4 months."),
    ("Bottom line", "bottom-line, cost reduction", "value",
     "Agents that reduce cost: labour savings, fewer errors, shorter cycle times.",
     "An invoice agent saving 300 clerk hours a month at $45 per hour: $13,500 a month."),
    ("Top line", "top-line, revenue generation", "value",
     "Agents that generate revenue: new capacity, better conversion, faster time to market.",
     "A quote agent answering in minutes lifting conversion from 20% to 23% on 1,000 quotes of "
     "$5,000: $150,000 more revenue a month."),
    ("Value driver", "primary value driver", "value",
     "The mechanism by which an agent creates value: hours saved, errors avoided, throughput, "
     "conversion, speed.", ""),
    ("Economic thesis", "thesis statement", "value",
     "One sentence stating why an agent exists: \"This agent exists to reduce cost X / "
     "generate revenue Y by mechanism Z.\"", ""),
    ("KPI", "key performance indicator, KPIs", "value",
     "A measurable indicator with a definition, a data source and a baseline. \"Improve "
     "efficiency\" is not a KPI; \"hours of manual matching per week\" is.", ""),
    ("Baseline", "baseline metric", "value",
     "The measured current value of a KPI before the agent. Without a baseline no improvement "
     "can be proved.",
     "Today: 12 minutes per invoice, measured over 400 invoices in March."),
    ("Floor / target / stretch", "floor, target, stretch, value thresholds", "value",
     "Three levels of a value target: floor (minimum acceptable, for go/no-go), target "
     "(expected, for planning and budgets), stretch (optimistic upside, for incentives).",
     "Hours saved per month: floor 150, target 300, stretch 450."),
    ("Benchmark discount", "vendor case study discount", "value",
     "Reducing figures from vendor case studies by 30 to 50% before using them as targets, "
     "because published results are best cases.",
     "A vendor claims 60% faster handling; discounted by 40% that is a 36% target."),
]  # fmt: skip


# (key, concept, question, choices, correct position, explanation)
QUESTIONS = [
    ("output-price", "Input vs output tokens",
     "Which tokens usually cost more per million?",
     ["Input tokens", "Output tokens", "They cost the same", "Cached input tokens"], 1,
     "Output tokens are typically 3 to 5 times the input price, because the model generates "
     "them one at a time."),
    ("token-size", "Tokens",
     "Roughly how many tokens is a 750-word English text?",
     ["About 100", "About 1,000", "About 7,500", "About 75,000"], 1,
     "A token is about three quarters of a word in English: 750 words is about 1,000 tokens."),
    ("task-cost", "Cost per task",
     "A task sends 2,000 input tokens at $3 per million and gets 500 output tokens at $15 per "
     "million. What does one task cost?",
     ["$0.0135", "$0.0075", "$0.135", "$1.35"], 0,
     "2,000 x $3 / 1M = $0.006 plus 500 x $15 / 1M = $0.0075: $0.0135 per task."),
    ("agent-loop", "Agent loops",
     "An agent makes 5 model calls per task and re-sends its growing context each time. "
     "Compared with one call, its input cost is...",
     ["the same", "about 5 times", "more than 5 times", "less, thanks to caching"], 2,
     "Each call re-sends the whole context, which grows with each step, so input tokens grow "
     "faster than the number of calls."),
    ("model-tiers", "Model tiers",
     "For classifying support tickets into 8 categories, which tier is usually the sensible "
     "first choice?",
     ["Frontier", "Mid-tier", "Efficient", "A fine-tuned frontier model"], 2,
     "Narrow, well-defined tasks are usually handled well by efficient models at a small "
     "fraction of the frontier price; escalate only if quality falls short."),
    ("context-window", "Context window",
     "Doubling the documents placed in every prompt (RAG context) mostly increases...",
     ["Output cost", "Input cost", "Neither: context is free", "Only latency"], 1,
     "Everything in the context window is input and is billed on every call."),
    ("caching", "Cached input",
     "What does prompt caching discount?",
     ["Repeated input such as a fixed system prompt", "Output tokens",
      "Reasoning tokens", "Fine-tuning runs"], 0,
     "Cached input tokens, sent again unchanged, are billed at a fraction of the input price, "
     "often a tenth."),
    ("batch", "Batch pricing",
     "Which work suits a batch API at about half price?",
     ["A live customer chat", "Overnight classification of yesterday's invoices",
      "A voice assistant", "Fraud checks during card payment"], 1,
     "Batch APIs return results within hours; they suit work that can wait, not live "
     "conversations."),
    ("cost-evolution", "Cost evolution",
     "For the same capability, published studies find LLM prices have been falling by about...",
     ["10% a year", "2x a year", "10x a year or more", "They have been rising"], 2,
     "a16z measured about 10x a year for equal capability (\"LLMflation\"); Epoch AI found "
     "9x to 900x a year depending on the task."),
    ("break-even", "Break-even",
     "When does self-hosting a model usually beat paying an API?",
     ["Always: no per-token fees", "At high, steady volume that keeps the GPUs busy",
      "At low volume", "Never"], 1,
     "GPUs and operations are paid whether busy or idle; only a high, steady volume spreads "
     "that fixed cost thinly enough to beat the API price."),
    ("reasoning-tokens", "Reasoning tokens",
     "A reasoning model shows a 200-token answer. What are you billed for?",
     ["200 output tokens", "200 tokens plus its hidden reasoning tokens as output",
      "Only the input", "A flat fee per answer"], 1,
     "Reasoning tokens are generated and billed as output even though they are not shown."),
    ("roi", "ROI and payback",
     "An agent costs $50,000 a year and saves $150,000 a year. Its ROI ratio is...",
     ["0.33", "1.0", "3.0", "$100,000"], 2,
     "ROI ratio = value delivered / cost incurred = 150,000 / 50,000 = 3.0."),
]  # fmt: skip


def seed_glossary(GlossaryTerm) -> int:
    """Add glossary terms not there yet (matched case-insensitively). Returns how many."""
    existing = {t.lower() for t in GlossaryTerm.objects.values_list("term", flat=True)}
    new = [
        GlossaryTerm(
            term=term, aliases=aliases, category=category, definition=definition, example=example
        )
        for term, aliases, category, definition, example in GLOSSARY
        if term.lower() not in existing
    ]
    GlossaryTerm.objects.bulk_create(new)
    return len(new)


def seed_questions(Question) -> int:
    """Add knowledge-check questions not there yet (by key). Returns how many."""
    existing = set(Question.objects.values_list("key", flat=True))
    new = [
        Question(
            key=key,
            concept=concept,
            text=text,
            choices=choices,
            correct_choice=correct,
            explanation=explanation,
            position=position,
        )
        for position, (key, concept, text, choices, correct, explanation) in enumerate(
            QUESTIONS, start=1
        )
        if key not in existing
    ]
    Question.objects.bulk_create(new)
    return len(new)


# The bundled price list is a snapshot: nothing published after this date is in it
# (data/README: "As of 2026-08-21").
PRICES_AS_OF = datetime.date(2026, 8, 21)
# The price list bundled before, kept so a catalogue seeded from it can be cleaned up.
SUPERSEDED_CSV = (
    Path(__file__).resolve().parent / "data" / "superseded-llm-price-points-2025-09-05.csv"
)
# Names the earlier list gave models that the current list names by their API model id.
RENAMED = {
    ("DeepSeek", "deepseek-chat (V3)"): "deepseek-chat",
    ("DeepSeek", "deepseek-reasoner (R1)"): "deepseek-reasoner",
    ("OpenAI", "gpt-4-1106-preview (GPT-4 Turbo)"): "gpt-4-1106-preview",
    ("OpenAI", "gpt-4-0314"): "gpt-4",
    ("OpenAI", "gpt-4o-mini-2024-07-18"): "gpt-4o-mini",
}
# Gone from sale without a dated source saying when (data/README, "retired_date").
RETIRED_DATE_UNKNOWN = {
    ("Google", "gemini-1.5-flash"),
    ("Google", "gemini-1.5-flash-8b"),
    ("Google", "gemini-1.5-pro"),
}


def _optional_decimal(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if text else None


def _optional_date(text: str) -> datetime.date | None:
    text = (text or "").strip()
    return datetime.date.fromisoformat(text) if text else None


def price_rows(path: Path = PRICE_CSV) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {
                "provider": row["provider"].strip(),
                "model": row["model"].strip(),
                "tier": row["tier"].strip(),
                "effective_date": datetime.date.fromisoformat(row["effective_date"].strip()),
                "input": Decimal(row["input_usd_per_mtok"]),
                "cached_input": _optional_decimal(row.get("cached_input_usd_per_mtok", "")),
                "output": Decimal(row["output_usd_per_mtok"]),
                "retired": _optional_date(row.get("retired_date", "")),
                "source": row["source"].strip(),
            }
            for row in csv.DictReader(handle)
        ]


def _find(LLMModel, provider: str, name: str):
    return LLMModel.objects.filter(provider__iexact=provider, name__iexact=name).first()


def _references(LLMModel, PricePoint):
    """(model, field name) of every foreign key to the catalogue's models but the prices, found
    without naming them (the catalogue is a lower layer than the apps that use it)."""
    return [
        (field.related_model, field.field.name)
        for field in LLMModel._meta.get_fields(include_hidden=True)
        if field.auto_created
        and not field.concrete
        and field.one_to_many
        and field.related_model is not PricePoint
    ]


def _in_use(LLMModel, PricePoint, model) -> bool:
    return any(
        related._base_manager.filter(**{name: model.pk}).exists()
        for related, name in _references(LLMModel, PricePoint)
    )


def _merge_models(LLMModel, PricePoint, old, new) -> None:
    """Point everything that refers to `old` at `new`, then delete `old`."""
    for related, name in _references(LLMModel, PricePoint):
        related._base_manager.filter(**{name: old.pk}).update(**{name: new.pk})
    old.delete()


def _rename_superseded(LLMModel, PricePoint) -> None:
    """Give models of the earlier list their API model id; where both names exist, keep one."""
    for (provider, old_name), new_name in RENAMED.items():
        old = _find(LLMModel, provider, old_name)
        if old is None:
            continue
        new = _find(LLMModel, provider, new_name)
        if new is None:
            old.name = new_name
            old.save(update_fields=["name"])
            continue
        taken = set(new.price_points.values_list("effective_date", flat=True))
        PricePoint.objects.filter(model=old).exclude(effective_date__in=taken).update(model=new)
        _merge_models(LLMModel, PricePoint, old, new)


def _remove_superseded(LLMModel, PricePoint, current: set) -> int:
    """Delete the earlier list's prices that the current list does not hold (by model and date),
    unless edited since (their source changed), and its models left with no price and no use.
    Returns how many prices were deleted."""
    if not SUPERSEDED_CSV.exists():
        return 0
    deleted = 0
    emptied = set()
    for row in price_rows(SUPERSEDED_CSV):
        name = RENAMED.get((row["provider"], row["model"]), row["model"])
        key = (row["provider"].lower(), name.lower(), row["effective_date"])
        if key in current:
            continue
        model = _find(LLMModel, row["provider"], name)
        if model is None:
            continue
        count, _ = PricePoint.objects.filter(
            model=model, effective_date=row["effective_date"], source=row["source"]
        ).delete()
        deleted += count
        emptied.add(model.pk)
    for model in LLMModel.objects.filter(pk__in=emptied):
        if model.price_points.exists():
            continue
        if not _in_use(LLMModel, PricePoint, model):
            model.delete()
    return deleted


def seed_catalogue(LLMModel, PricePoint, path: Path = PRICE_CSV) -> int:
    """Bring the catalogue up to the bundled price list. Adds its models and dated prices,
    sets each listed model's tier and retirement date from it, updates a price the list holds
    when the catalogue still has an earlier list's version of it, and removes the earlier
    list's names and prices the current list replaced. Prices edited in the admin (another
    source) are kept. Running it again changes nothing. Returns how many prices were added."""
    rows = price_rows(path)
    _rename_superseded(LLMModel, PricePoint)
    superseded_sources = (
        {row["source"] for row in price_rows(SUPERSEDED_CSV)} if SUPERSEDED_CSV.exists() else set()
    )
    retired: dict[tuple[str, str], datetime.date] = {}
    for row in rows:
        if row["retired"]:
            key = (row["provider"], row["model"])
            retired[key] = max(row["retired"], retired.get(key, row["retired"]))
    added = 0
    seen_models = set()
    for row in rows:
        key = (row["provider"], row["model"])
        model = _find(LLMModel, *key)
        if model is None:
            model = LLMModel.objects.create(
                provider=row["provider"], name=row["model"], tier=row["tier"]
            )
        if key not in seen_models:
            seen_models.add(key)
            unknown = key in RETIRED_DATE_UNKNOWN
            if (model.tier, model.retired_on, model.retired_date_unknown) != (
                row["tier"],
                retired.get(key),
                unknown,
            ):
                model.tier, model.retired_on = row["tier"], retired.get(key)
                model.retired_date_unknown = unknown
                model.save(update_fields=["tier", "retired_on", "retired_date_unknown"])
        values = {
            "input_usd_per_mtok": row["input"],
            "output_usd_per_mtok": row["output"],
            "cached_input_usd_per_mtok": row["cached_input"],
            "source": row["source"],
            "listed_on": PRICES_AS_OF,
        }
        point = PricePoint.objects.filter(model=model, effective_date=row["effective_date"]).first()
        if point is None:
            PricePoint.objects.create(model=model, effective_date=row["effective_date"], **values)
            added += 1
        elif point.source in superseded_sources:
            for name, value in values.items():
                setattr(point, name, value)
            point.save(update_fields=list(values))
    current = {(r["provider"].lower(), r["model"].lower(), r["effective_date"]) for r in rows}
    _remove_superseded(LLMModel, PricePoint, current)
    return added
