"""Benchmark: a system sends a year of monthly actuals for 100 agents x 3 KPIs (3,600 values)
to the actuals API in one request.

    uv run python bench/actuals_api.py

Builds its own SQLite database in a temporary folder (DATABASE_URL is ignored), makes the
workshop through the test factories (which use the services), a write token through the
service, then times the POST through Django's test client (the whole request: middleware, token
check, JSON reading, checks, the bulk insert and the below-floor checks). Then the same values
again with "replace": true (each month kept as history). Goal on the 2-core machine: under 2 s.
The last line:

    actuals_api values=3600 seconds=X replace_seconds=X
"""

import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["FINOPS_DATA_DIR"] = tempfile.mkdtemp(prefix="finops-bench-actuals-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finops_workshop.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

AGENTS, KPIS, MONTHS = 100, 3, 12


def main() -> None:
    call_command("migrate", verbosity=0)
    from kpis.models import AgentKpi
    from tests import factories
    from tracking import services
    from tracking.models import KpiActual
    from workshops.models import Workshop

    # The workshop 13 months ago, so its first 12 months have all started.
    day = timezone.localdate() - datetime.timedelta(days=400)
    workshop = factories.make_workshop(client_organisation="Bench Freight", date=day)
    for number in range(AGENTS):
        factories.make_ready_agent(workshop=workshop, kpis=KPIS, name=f"Agent {number:03d}")
    AgentKpi.objects.filter(agent__workshop=workshop).update(baseline_as_of=day)
    workshop = Workshop.objects.get(pk=workshop.pk)
    _, token = services.api_token_create(
        workshop=workshop, name="Bench", scope="write", created_by="bench", now=timezone.now()
    )
    first = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    periods = []
    for _ in range(MONTHS):
        periods.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    kpi_ids = list(
        AgentKpi.objects.filter(agent__workshop=workshop)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

    def body(replace: bool) -> str:
        return json.dumps(
            {
                "actuals": [
                    {
                        "kpi_id": kpi_id,
                        "period": f"{period:%Y-%m}",
                        "value": "105.5",
                        "source": "bench",
                        **({"replace": True} if replace else {}),
                    }
                    for kpi_id in kpi_ids
                    for period in periods
                ]
            }
        )

    client = Client()
    timings = []
    for replace in (False, True):
        payload = body(replace)
        started = time.perf_counter()
        if os.environ.get("BENCH_PROFILE") and not replace:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        response = client.post(
            "/api/v1/actuals/",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        timings.append(time.perf_counter() - started)
        if os.environ.get("BENCH_PROFILE") and not replace:
            profiler.disable()
            profiler.dump_stats(os.environ["BENCH_PROFILE"])
        if response.status_code != 201:
            raise SystemExit(f"refused: {response.status_code} {response.content[:500]!r}")
    values = len(kpi_ids) * len(periods)
    assert KpiActual.objects.filter(replaced_at__isnull=True).count() == values
    print(f"actuals_api values={values} seconds={timings[0]:.3f} replace_seconds={timings[1]:.3f}")


if __name__ == "__main__":
    main()
