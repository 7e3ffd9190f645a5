"""Benchmark: the live regions of the presenter, the progress board and the projector (showing
the board) when something they show changed, for a full room: 10 tables x 8 agents x 3 KPIs
(every agent classified, every KPI with confirmed targets) and 6 people per table.

    uv run python bench/live_partials.py [--repeats 30]

Builds its own SQLite database in a temporary folder (migrations, then the room through the
test factories), signs a facilitator in through Django's test client and asks each region as
htmx does after a change (a stale `rev`), so the whole partial renders every time: session,
access check, queries, template. Before each timed request (untimed) one table's agent work
is announced, as in a room at work: the board recomputes that table's rows, the others are
kept from the render before. Each page is warmed up, then timed `--repeats` times; the
figures are server time in the same process, without network: wall clock, and the process's
CPU time (steadier while other programs share the machine). `cold` is the first render with
nothing kept (a fresh server process). Goal: under 30 ms each (median)
on the 2-core reference machine. Note the load average: other programs on the machine move it.
The last line:

    live_partials tables=10 agents=80 kpis=240 presenter_ms=X board_ms=X projector_ms=X
        presenter_cpu_ms=X board_cpu_ms=X projector_cpu_ms=X queries=N/N/N (one line)
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["FINOPS_DATA_DIR"] = tempfile.mkdtemp(prefix="finops-bench-live-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finops_workshop.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TABLES, AGENTS, KPIS, PEOPLE = 10, 8, 3, 6
PAGES = ("presenter", "board", "projector")
HX = {"HX-Request": "true"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    options = parser.parse_args()
    if not 3 <= options.repeats <= 1000:
        parser.error("--repeats 3..1000")

    from tests import factories, scenarios
    from workshops import changes, progress
    from workshops.services import workshop_touch

    call_command("migrate", verbosity=0)
    user = factories.make_user(username="bench-facilitator")
    workshop = scenarios.busy_room(
        facilitator=user, tables=TABLES, agents=AGENTS, kpis=KPIS, people=PEOPLE
    )
    table_ids = list(workshop.tables.values_list("pk", flat=True))
    client = Client()
    client.force_login(user)

    def work_at(n: int) -> None:
        workshop_touch(
            workshop_id=workshop.pk, scopes=changes.AGENT_WORK, table_ids=[table_ids[n % TABLES]]
        )

    medians, cpu_medians, queries = {}, {}, {}
    for page in PAGES:
        url = f"/workshops/{workshop.pk}/{page}/?rev=0&at={int(time.time())}"
        client.get(url, headers=HX)
        progress.rows_forget()
        started = time.perf_counter()
        client.get(url, headers=HX)
        cold = (time.perf_counter() - started) * 1000
        for n in range(3):
            work_at(n)
            assert client.get(url, headers=HX).status_code == 200
        work_at(0)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, headers=HX)
        queries[page] = len(captured)
        times, cpu = [], []
        for n in range(options.repeats):
            work_at(n)
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, headers=HX)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        times.sort()
        medians[page] = statistics.median(times)
        cpu_medians[page] = statistics.median(cpu)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(
            f"{page:9} median={medians[page]:.1f} ms p95={p95:.1f} ms min={times[0]:.1f} ms "
            f"cpu_median={cpu_medians[page]:.1f} ms cold={cold:.1f} ms "
            f"queries={queries[page]} bytes={len(response.content)}"
        )
    print("load average: " + " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    print(
        f"live_partials tables={TABLES} agents={TABLES * AGENTS} kpis={TABLES * AGENTS * KPIS} "
        + " ".join(f"{page}_ms={medians[page]:.1f}" for page in PAGES)
        + " "
        + " ".join(f"{page}_cpu_ms={cpu_medians[page]:.1f}" for page in PAGES)
        + " queries="
        + "/".join(str(queries[page]) for page in PAGES)
    )


if __name__ == "__main__":
    main()
