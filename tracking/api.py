"""The actuals API: systems read and push a workshop's monthly KPI actuals with a per-workshop
token (`Authorization: Bearer <token>`).

- GET  /api/v1/actuals/  every current actual of the token's workshop (read or write token).
- POST /api/v1/actuals/  {"actuals": [{"kpi_id", "period": "YYYY-MM", "value", "source",
  "note"?, "replace"?}, ...]}: all or nothing (write token). A refused request names every
  problem by its index and saves nothing.

Tokens never appear in answers or logs; a wrong, revoked or another workshop's token gets 401
or a refusal that names no other workshop.
"""

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from common.uploads import content_length

from . import services
from .models import ApiToken, KpiActual

MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_DEPTH = 8
DEEP = "The JSON nests deeper than an actuals request does."
ROW_KEYS = {"kpi_id", "period", "value", "source", "note", "replace"}


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _token(request) -> ApiToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    token = (
        ApiToken.objects.select_related("workshop")
        .filter(token_hash=services.api_token_hash(value.strip()), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def _depth(value, limit: int) -> int:
    """How deep `value` nests, counting no further than `limit` + 1."""
    depth, level = 0, [value]
    while level and depth <= limit:
        depth += 1
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
    return depth + (1 if level else 0)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number this API takes")


def _read(request) -> tuple[dict | None, JsonResponse | None]:
    if content_length(request) > MAX_BODY_BYTES:
        return None, _error(413, f"The body is larger than {MAX_BODY_BYTES // 1024 // 1024} MB.")
    try:
        body = json.loads(
            request.body.decode("utf-8"),
            parse_float=Decimal,
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        return None, _error(400, DEEP)
    except (UnicodeDecodeError, ValueError):
        return None, _error(400, "The body is not JSON (UTF-8, no NaN or Infinity).")
    if _depth(body, MAX_DEPTH) > MAX_DEPTH:
        return None, _error(400, DEEP)
    if not isinstance(body, dict) or not isinstance(body.get("actuals"), list):
        return None, _error(400, 'The body must be an object with a list "actuals".')
    if len(body["actuals"]) > MAX_ROWS:
        return None, _error(400, f"Send at most {MAX_ROWS:,} actuals in one request.")
    return body, None


def _period(value) -> datetime.date | None:
    if not isinstance(value, str) or len(value) != 7 or value[4] != "-":
        return None
    try:
        year, month = int(value[:4]), int(value[5:])
        return datetime.date(year, month, 1) if year >= 2000 and 1 <= month <= 12 else None
    except ValueError:
        return None


def _value(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e16"):
        return None
    return number.quantize(Decimal("0.0001"))


def _rows(items: list) -> tuple[list[services.ActualRow], list[dict]]:
    rows, problems = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append({"index": index, "problem": "Each actual is an object."})
            continue
        unknown = sorted(set(item) - ROW_KEYS)
        kpi_id, period, value = item.get("kpi_id"), _period(item.get("period")), None
        source, note = item.get("source"), item.get("note", "")
        said = []
        if unknown:
            said.append(f"Unknown field “{unknown[0][:40]}”.")
        if isinstance(kpi_id, bool) or not isinstance(kpi_id, int):
            said.append('"kpi_id" must be a whole number.')
        if period is None:
            said.append('"period" must be a month written YYYY-MM.')
        value = _value(item.get("value"))
        if value is None:
            said.append('"value" must be a number (as a number or text), under 10^16.')
        if not isinstance(source, str) or not source.strip() or len(source) > 200:
            said.append('"source" must be text of 1 to 200 characters.')
        if not isinstance(note, str) or len(note) > 1000:
            said.append('"note" must be text of at most 1000 characters.')
        if not isinstance(item.get("replace", False), bool):
            said.append('"replace" must be true or false.')
        if said:
            problems.append({"index": index, "problem": " ".join(said)})
            continue
        rows.append(
            services.ActualRow(
                index=index,
                kpi_id=kpi_id,
                period=period,
                value=value,
                source=source.strip(),
                note=note,
                replace=item.get("replace", False),
            )
        )
    return rows, problems


@csrf_exempt
def actuals(request):
    token = _token(request)
    if token is None:
        return _error(401, "Send a valid token: Authorization: Bearer <token>.")
    if request.method == "GET":
        current = (
            KpiActual.objects.filter(kpi__agent__workshop=token.workshop, replaced_at__isnull=True)
            .select_related("kpi__agent")
            .order_by("kpi__agent__name", "kpi_id", "period")
        )
        return JsonResponse(
            {
                "workshop": str(token.workshop.uid),
                "actuals": [
                    {
                        "agent": actual.kpi.agent.name,
                        "kpi_id": actual.kpi_id,
                        "kpi": actual.kpi.name,
                        "unit": actual.kpi.unit,
                        "period": f"{actual.period:%Y-%m}",
                        "value": f"{actual.value.normalize():f}",
                        "source": actual.source,
                    }
                    for actual in current
                ],
            }
        )
    if request.method != "POST":
        return _error(405, "Use GET to read or POST to send actuals.")
    if token.scope != ApiToken.Scope.WRITE:
        return _error(403, "This token reads actuals only.")
    body, refused = _read(request)
    if refused is not None:
        return refused
    rows, problems = _rows(body["actuals"])
    if problems:
        return _error(422, "Nothing was saved.", problems=problems)
    try:
        saved = services.kpi_actuals_import(
            workshop=token.workshop,
            rows=rows,
            entered_by=f"API: {token.name}",
            now=timezone.now(),
        )
    except services.ImportRefused as refused_rows:
        return _error(422, "Nothing was saved.", problems=refused_rows.problems)
    return JsonResponse({"saved": saved}, status=201)
