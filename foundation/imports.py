"""Reading a price catalogue a facilitator uploads: LiteLLM's
`model_prices_and_context_window.json` (USD per token) or pydantic genai-prices' `data.json`
(USD per million tokens). Parsing only; nothing is written here (see services.catalogue_import).

A hostile file is refused whole, with a sentence saying why: too big, not UTF-8, not JSON,
nested too deep, the wrong shape, or prices that are negative, not a number or absurdly high.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException, InvalidOperation, Underflow, localcontext

from common.text import name_problem

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 20
MAX_ENTRIES = 50_000
# The dearest list price seen is a few hundred dollars per million tokens; far above is an error.
MAX_PRICE_PER_MTOK = Decimal(10_000)
MAX_CONTEXT_WINDOW = 100_000_000
MILLION = Decimal(1_000_000)

LITELLM = "litellm"
GENAI_PRICES = "genai-prices"
FORMAT_LABELS = {LITELLM: "LiteLLM model prices", GENAI_PRICES: "genai-prices data.json"}

# Display names for common provider ids; others are kept as written.
PROVIDER_NAMES = {
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "deepseek": "DeepSeek",
    "mistral": "Mistral",
    "gemini": "Google",
    "google": "Google",
    "cohere": "Cohere",
    "cohere_chat": "Cohere",
    "xai": "xAI",
    "x-ai": "xAI",
    "groq": "Groq",
    "meta": "Meta",
    "aws": "AWS Bedrock",
    "bedrock": "AWS Bedrock",
    "bedrock_converse": "AWS Bedrock",
    "azure": "Azure OpenAI",
    "vertex_ai": "Google Vertex AI",
    "together_ai": "Together AI",
    "fireworks_ai": "Fireworks AI",
    "perplexity": "Perplexity",
}


class CatalogueFileError(ValueError):
    """The file cannot be imported at all; the message says why in plain words."""


@dataclass(frozen=True)
class ImportRow:
    provider: str
    name: str
    input_per_mtok: Decimal
    output_per_mtok: Decimal
    cached_input_per_mtok: Decimal | None
    context_window: int | None
    effective_date: datetime.date | None  # None: the date chosen for the import

    @property
    def tier_guess(self) -> str:
        return tier_from_price(self.output_per_mtok)


@dataclass
class ParsedCatalogue:
    format: str
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # entries with bad prices: block the import
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS[self.format]


def provider_name(raw: str) -> str:
    raw = raw.strip()
    key = raw.lower()
    if key in PROVIDER_NAMES:
        return PROVIDER_NAMES[key]
    for prefix, name in PROVIDER_NAMES.items():
        if key.startswith(prefix + "-") or key.startswith(prefix + "_"):
            return name
    return raw[:100]


@dataclass(frozen=True)
class NotANumber:
    """NaN, Infinity or -Infinity where the file has one: refused where a price is read, so
    the error names the model and the key."""

    text: str


# Integers longer than this are read as Decimal: Python refuses to read very long ones as int,
# and nothing in a catalogue needs more digits.
MAX_INT_DIGITS = 30
# Beyond this magnitude no price or context window is plausible: refused before any arithmetic
# (scaling 1e999999999, or making an int of it, would overflow or take minutes).
MAX_MAGNITUDE = 10


def _parse_int(text: str) -> int | Decimal:
    return Decimal(text) if len(text) > MAX_INT_DIGITS else int(text)


def _depth(value, limit: int) -> int:
    """Nesting depth, stopping as soon as it passes `limit` (iterative: no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def load_json(content: bytes):
    """The decoded JSON document, or CatalogueFileError with the reason."""
    if len(content) > MAX_BYTES:
        raise CatalogueFileError("The file is larger than 20 MB; a price catalogue is far smaller.")
    if not content.strip():
        raise CatalogueFileError("The file is empty.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CatalogueFileError(
            f"The file is not UTF-8 text (unreadable byte at position {error.start})."
        ) from None
    # No name holds a NUL character, and the database cannot store one in text.
    if "\x00" in text or "\\u0000" in text.lower():
        raise CatalogueFileError(
            "The file contains a NUL character (\\u0000), which no name holds."
        )
    # Cheap guard before parsing: count brackets that open before any closes.
    level = peak = 0
    for char in text[:2_000_000]:
        if char in "[{":
            level += 1
            peak = max(peak, level)
            if peak > MAX_DEPTH * 5:
                raise CatalogueFileError("The file is nested too deeply to be a price catalogue.")
        elif char in "]}":
            level -= 1
    try:
        document = json.loads(
            text, parse_float=Decimal, parse_int=_parse_int, parse_constant=NotANumber
        )
    except RecursionError:
        raise CatalogueFileError("The file is nested too deeply to be a price catalogue.") from None
    except json.JSONDecodeError as error:
        raise CatalogueFileError(
            f"The file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    if _depth(document, MAX_DEPTH) > MAX_DEPTH:
        raise CatalogueFileError("The file is nested too deeply to be a price catalogue.")
    return document


def _number(value, what: str, name: str, errors: list[str], *, key: str, scale=Decimal(1)):
    """A non-negative, finite, plausible price in USD per Mtok, or None (and an error naming
    the model and the key)."""
    if value is None:
        return None
    where = f"{name} ({key})"
    if isinstance(value, NotANumber):
        errors.append(f"{where}: the {what} is {value.text}, not a number.")
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        errors.append(f"{where}: the {what} is not a number.")
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        errors.append(f"{where}: the {what} is not a number.")
        return None
    if not number.is_finite():
        errors.append(f"{where}: the {what} is not a number.")
    elif number < 0:
        errors.append(f"{where}: the {what} is negative.")
    elif number.adjusted() > MAX_MAGNITUDE:
        errors.append(f"{where}: the {what} is over $10,000 per million tokens.")
    else:
        try:
            with localcontext() as context:
                context.traps[Underflow] = False
                scaled = (number * scale).quantize(Decimal("0.000001"))
        except DecimalException:
            errors.append(f"{where}: the {what} has too many digits to be a price.")
            return None
        if scaled > MAX_PRICE_PER_MTOK:
            errors.append(f"{where}: the {what} is over $10,000 per million tokens.")
            return None
        return scaled
    return None


def _context(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    if isinstance(value, Decimal) and (not value.is_finite() or value.adjusted() > MAX_MAGNITUDE):
        return None
    if value != int(value) or not 0 < value <= MAX_CONTEXT_WINDOW:
        return None
    return int(value)


def _name(value, limit: int = 200) -> str:
    return str(value).strip()[:limit] if isinstance(value, str | int) else ""


def detect_format(document) -> str:
    if isinstance(document, dict) and isinstance(document.get("providers"), list):
        return GENAI_PRICES
    if isinstance(document, list):
        if all(isinstance(p, dict) and isinstance(p.get("models"), list) for p in document[:50]):
            return GENAI_PRICES
    elif isinstance(document, dict) and document:
        values = [v for k, v in list(document.items())[:200] if k != "sample_spec"]
        if values and all(isinstance(v, dict) for v in values):
            return LITELLM
    raise CatalogueFileError(
        "This is JSON, but not a price catalogue this page reads: expected LiteLLM's "
        "model_prices_and_context_window.json (an object of models) or genai-prices' data.json "
        "(a list of providers with their models)."
    )


def parse_litellm(document: dict) -> ParsedCatalogue:
    parsed = ParsedCatalogue(format=LITELLM)
    for key, entry in document.items():
        if key == "sample_spec":
            continue
        if not isinstance(entry, dict):
            parsed.errors.append(f"{_name(key) or 'An entry'}: not a model description.")
            continue
        if entry.get("mode") != "chat":
            parsed.skip("not a chat model")
            continue
        raw_provider = _name(entry.get("litellm_provider"), 100)
        name = _name(key)
        if not raw_provider or not name:
            parsed.skip("no provider or name")
            continue
        if name.lower().startswith(raw_provider.lower() + "/"):
            name = name[len(raw_provider) + 1 :]
        errors: list[str] = []
        prices = [
            _number(entry.get(field), what, name, errors, key=field, scale=MILLION)
            for field, what in (
                ("input_cost_per_token", "input price"),
                ("output_cost_per_token", "output price"),
                ("cache_read_input_token_cost", "cached input price"),
            )
        ]
        if errors:
            parsed.errors.extend(errors)
            continue
        _add(
            parsed,
            provider_name(raw_provider),
            name,
            *prices,
            _context(entry.get("max_input_tokens")),
            None,
        )
    return parsed


def _price_value(value):
    """genai-prices gives a number, or {"base": n, "tiers": [...]} for long-context tiers."""
    if isinstance(value, dict):
        return value.get("base")
    return value


def parse_genai_prices(document) -> ParsedCatalogue:
    parsed = ParsedCatalogue(format=GENAI_PRICES)
    providers = document["providers"] if isinstance(document, dict) else document
    for provider in providers:
        if not isinstance(provider, dict) or not isinstance(provider.get("models"), list):
            parsed.errors.append("A provider entry has no list of models.")
            continue
        provider_label = provider_name(_name(provider.get("name") or provider.get("id"), 100))
        for model in provider["models"]:
            if not isinstance(model, dict):
                parsed.errors.append(f"{provider_label}: a model entry is not an object.")
                continue
            name = _name(model.get("id"))
            if not name:
                parsed.skip("no model id")
                continue
            prices = model.get("prices")
            variants = prices if isinstance(prices, list) else [{"prices": prices}]
            for variant in variants:
                if not isinstance(variant, dict) or not isinstance(variant.get("prices"), dict):
                    parsed.errors.append(
                        f"{name}: prices are neither an object nor a list of them."
                    )
                    continue
                constraint = variant.get("constraint") or {}
                if not isinstance(constraint, dict) or set(constraint) - {"start_date"}:
                    parsed.skip("price with a condition other than a start date")
                    continue
                start = None
                if "start_date" in constraint:
                    try:
                        start = datetime.date.fromisoformat(str(constraint["start_date"])[:10])
                    except ValueError:
                        parsed.errors.append(f"{name}: the start date is not a date (YYYY-MM-DD).")
                        continue
                values = variant["prices"]
                errors: list[str] = []
                numbers = [
                    _number(_price_value(values.get(field)), what, name, errors, key=field)
                    for field, what in (
                        ("input_mtok", "input price"),
                        ("output_mtok", "output price"),
                        ("cache_read_mtok", "cached input price"),
                    )
                ]
                if errors:
                    parsed.errors.extend(errors)
                    continue
                _add(
                    parsed,
                    provider_label,
                    name,
                    *numbers,
                    _context(model.get("context_window")),
                    start,
                )
    return parsed


def _shown(name: str) -> str:
    """A name fit to quote in a message: characters that cannot be shown become U+FFFD."""
    return "".join("\ufffd" if name_problem(char) else char for char in name)


def _add(parsed, provider, name, input_price, output_price, cached, context, start) -> None:
    for what, value in (("provider", provider), ("model name", name)):
        if problem := name_problem(value):
            parsed.errors.append(f"“{_shown(name)}”: the {what} {problem}.")
            return
    if input_price is None or output_price is None:
        parsed.skip("no input or output price")
        return
    if input_price == 0 and output_price == 0:
        parsed.skip("free or self-hosted (price 0)")
        return
    if len(parsed.rows) >= MAX_ENTRIES:
        raise CatalogueFileError(f"The file lists more than {MAX_ENTRIES:,} models.")
    parsed.rows.append(
        ImportRow(
            provider=provider,
            name=name,
            input_per_mtok=input_price,
            output_per_mtok=output_price,
            cached_input_per_mtok=cached,
            context_window=context,
            effective_date=start,
        )
    )


def parse_catalogue(content: bytes, *, providers: list[str] | None = None) -> ParsedCatalogue:
    """Read an uploaded catalogue; keep only `providers` (case-insensitive) when given."""
    document = load_json(content)
    kind = detect_format(document)
    parsed = parse_litellm(document) if kind == LITELLM else parse_genai_prices(document)
    if providers:
        wanted = {p.strip().lower() for p in providers if p.strip()}
        kept = [r for r in parsed.rows if r.provider.lower() in wanted]
        for _ in range(len(parsed.rows) - len(kept)):
            parsed.skip("provider not selected")
        parsed.rows = kept
    # The same model twice on the same date: the first wins, as in the file.
    seen, unique = set(), []
    for row in parsed.rows:
        key = (row.provider.lower(), row.name.lower(), row.effective_date)
        if key in seen:
            parsed.skip("listed twice")
            continue
        seen.add(key)
        unique.append(row)
    parsed.rows = unique
    if not parsed.rows and not parsed.errors:
        raise CatalogueFileError("The file has no chat model with an input and output price.")
    return parsed


def tier_from_price(output_per_mtok: Decimal) -> str:
    """A first guess of tier for a model new to the catalogue, from its output price; the
    facilitator can correct it in the admin."""
    if output_per_mtok >= 10:
        return "frontier"
    if output_per_mtok >= 1:
        return "mid-tier"
    return "efficient"
