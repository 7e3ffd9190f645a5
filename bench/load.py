"""Load test of the live room: a full room of laptops against a real server.

    uv run python bench/load.py [--mix room|busy|full] [--participants 60] [--seconds 60]
                                [--database-url URL] [--server granian|waitress|gunicorn]
                                [--pdfs 5] [--pdf-every 60]

Starts its own server (`manage.py serve` on a free local port, a temporary data folder),
creates a live workshop with 10 tables and their agents, then simulates the room.

`--mix room` (the default): every participant joins its table with the code, polls its live
region every 2 s and saves its own field of an agent every 10 s (a 409 is not an error: it
reloads the agent and saves again over the new version); the facilitator's presenter,
projector (showing the progress board) and board poll every 2 s; /healthz is timed alongside.
At the end the database must hold the last acknowledged value of every field.

`--mix busy`: a room at work (bench/load_busy.py): two laptops per agent each save their own
field of its Block 2 thesis every 10 s, every laptop polls every 2 s, six facilitator screens
(presenter, projector, board, twice) poll every 2 s; the share of polls answered 204 is
printed as well (`polls_204_pct`).

`--mix full`: the whole workshop (bench/load_full.py): Block 2-4 edits and quiz answers through
the real forms, the quiz opened by the facilitator, five register PDFs asked for at once every
minute (timed apart, outside the main percentiles). It runs twice, without and with the PDFs,
and the last line gives both p95s (`p95_ms`, `p95_no_pdf_ms`). Standard library only; traffic
stays on 127.0.0.1.
"""

import argparse
import html
import math
import os
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

import load_busy
import load_full
import load_full_data
from loadkit import (
    ADMIN,
    Browser,
    Stats,
    free_port,
    manage,
    marked,
    percentile,
    print_kinds,
    server_cpu_seconds,
    server_start,
    server_stop,
    wait_healthy,
)

TABLES = 10
FIELDS = ["description", "business_process", "owner_name"]  # one writer per field
FORM_FIELDS = ["name", "description", "business_process", "priority_rank", "owner_name"]
POLL_SECONDS = 2.0
SAVE_SECONDS = 10.0
PDF_SECONDS = 60.0
PDFS = 5

SETUP = """
import datetime, json
from django.contrib.auth import get_user_model
from agents.models import Agent
from workshops import live, services
user = get_user_model().objects.get(username=%(username)r)
workshop = services.workshop_create(
    facilitator=user, client_organisation="Load test", date=datetime.date.today()
)
tables = []
for t in range(%(tables)d):
    table = services.table_create(workshop=workshop, name=f"Table {t + 1}")
    agents = [
        Agent.objects.create(
            workshop=workshop, table=table, name=f"Agent {t + 1}.{a + 1}",
            description="Reads invoices.", business_process="Accounts payable",
            priority_rank=a + 1, owner_name="Dana", owner_email="dana@example.com",
        ).pk
        for a in range(%(agents)d)
    ]
    tables.append({"code": table.join_code, "agents": agents})
live.run_start(workshop=workshop)
live.projector_show(workshop=workshop, view="board")
print("BENCH_SETUP " + json.dumps({"workshop": workshop.pk, "tables": tables}))
"""

CHECK = """
import json
from agents.models import Agent
rows = Agent.objects.filter(workshop_id=%(workshop)d).values("pk", *%(fields)r)
print("BENCH_CHECK " + json.dumps({str(r["pk"]): r for r in rows}))
"""

REV = re.compile(r'hx-get="[^"]*\?rev=(\d+)&amp;at=(\d+)')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def form_values(text: str) -> dict:
    """The agent form's current values, as a person's browser would submit them."""
    values = {}
    for name in FORM_FIELDS:
        textarea = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', text, re.S)
        if textarea:
            values[name] = html.unescape(textarea.group(1))
            continue
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', text)
        value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
        values[name] = html.unescape(value.group(1)) if value else ""
    email = re.search(r'<input[^>]*name="owner_email"[^>]*value="([^"]*)"', text)
    values["owner_email"] = html.unescape(email.group(1)) if email else ""
    version = VERSION.search(text)
    values["version"] = version.group(1) if version else ""
    return values


# --- The people in the room -------------------------------------------------------------------


def participant(
    port: int,
    stats: Stats,
    code: str,
    agent_id: int,
    field: str,
    name: str,
    poll_agent: bool,
    start_at: float,
    deadline: float,
    save_offset: float,
) -> None:
    browser = Browser(port, stats, "participant")
    time.sleep(max(0, start_at - time.time()))
    got = browser.request("GET", f"/join?code={code}", kind="join")
    token = CSRF_INPUT.search(got[1]) if got else None
    if not token:
        stats.error(f"{name}: no join form")
        return
    got = browser.request(
        "POST",
        "/join",
        data={"csrfmiddlewaretoken": token.group(1), "code": code, "display_name": name},
        kind="join",
    )
    if not got or got[0] != 302:
        stats.error(f"{name}: join refused ({got[0] if got else 'no answer'})")
        return
    region = f"/t/agents/{agent_id}/" if poll_agent else "/t/"
    got = browser.request("GET", region, kind="page")
    agent = browser.request("GET", f"/t/agents/{agent_id}/", kind="page")
    if not got or not agent or got[0] != 200 or agent[0] != 200:
        stats.error(f"{name}: could not open the table's pages")
        return
    rev, at = REV.search(got[1]).groups()
    values = form_values(agent[1])
    seen = values["version"]
    next_poll = time.time() + POLL_SECONDS
    next_save = time.time() + save_offset
    writes = 0
    while time.time() < deadline:
        now = time.time()
        if now >= next_save:
            next_save += SAVE_SECONDS
            writes += 1
            value = f"{name} write {writes}"
            saved = save(browser, stats, agent_id, field, value, values)
            if saved is not None:
                values = saved
                seen = values["version"]
            continue
        if now >= next_poll:
            next_poll += POLL_SECONDS
            query = f"?rev={rev}&at={at}" + (f"&seen={seen}" if poll_agent else "")
            got = browser.request("GET", region + query, htmx=True, kind="poll")
            if got and got[0] in (200, 286):
                found = REV.search(got[1])
                if found:
                    rev, at = found.groups()
            continue
        time.sleep(max(0.0, min(next_poll, next_save, deadline) - time.time()))
    browser.close()


def save(browser: Browser, stats: Stats, agent_id: int, field: str, value: str, values: dict):
    """Save `field` = `value` over the version last seen; on 409 reload and try again. Returns
    the form values after the save, or None if it did not happen."""
    key = (agent_id, field)
    for _attempt in range(6):
        data = {**values, field: value}
        with stats.lock:
            stats.unknown[key] = value
        got = browser.request("POST", f"/t/agents/{agent_id}/", data=data, htmx=True, kind="save")
        if got is None:
            return None  # outcome unknown: the check accepts either value
        status, text, _headers = got
        if status == 200:
            with stats.lock:
                stats.acked[key] = value
                stats.unknown.pop(key, None)
            return form_values(text)
        with stats.lock:
            stats.unknown.pop(key, None)
        if status != 409:
            return None
        with stats.lock:
            stats.conflicts += 1
        fresh = browser.request("GET", f"/t/agents/{agent_id}/", kind="page")
        if fresh is None or fresh[0] != 200:
            return None
        values = form_values(fresh[1])
    stats.error(f"save {agent_id}.{field}: still conflicting after 6 tries")
    return None


def facilitator(port: int, stats: Stats, workshop_id: int, deadline: float) -> None:
    browser = Browser(port, stats, "facilitator")
    got = browser.request("GET", "/accounts/login/", kind="page")
    token = CSRF_INPUT.search(got[1]) if got else None
    if not token:
        stats.error("facilitator: no login form")
        return
    got = browser.request(
        "POST",
        "/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": ADMIN[0], "password": ADMIN[1]},
        kind="page",
    )
    if not got or got[0] != 302:
        stats.error("facilitator: sign-in failed")
        return
    regions = {}
    for page in ("presenter", "projector", "board"):
        got = browser.request("GET", f"/workshops/{workshop_id}/{page}/", kind="page")
        if got:
            regions[page] = REV.search(got[1]).groups()
    next_poll = time.time()
    while time.time() < deadline:
        for page, (rev, at) in list(regions.items()):
            got = browser.request(
                "GET",
                f"/workshops/{workshop_id}/{page}/?rev={rev}&at={at}",
                htmx=True,
                kind="poll",
            )
            if got and got[0] in (200, 286):
                found = REV.search(got[1])
                if found:
                    regions[page] = found.groups()
        next_poll += POLL_SECONDS
        time.sleep(max(0, next_poll - time.time()))
    browser.close()


def healthz(port: int, stats: Stats, deadline: float) -> None:
    browser = Browser(port, stats, "healthz")
    while time.time() < deadline:
        browser.request("GET", "/healthz", kind="healthz")
        time.sleep(0.5)
    browser.close()


def room_people(port: int, stats: Stats, setup: dict, participants: int, start, deadline):
    """The threads of the live-room mix (the facilitator's screens are added by main)."""
    threads = []
    for n in range(participants):
        table = setup["tables"][n % TABLES]
        seat = n // TABLES
        agent_id = table["agents"][seat // len(FIELDS) % len(table["agents"])]
        threads.append(
            threading.Thread(
                target=participant,
                daemon=True,
                kwargs={
                    "port": port,
                    "stats": stats,
                    "code": table["code"],
                    "agent_id": agent_id,
                    "field": FIELDS[seat % len(FIELDS)],
                    "name": f"t{n % TABLES + 1}p{seat + 1}",
                    "poll_agent": n % 2 == 1,
                    "start_at": start + 4 * n / participants,
                    "deadline": deadline,
                    "save_offset": SAVE_SECONDS * ((n * 7) % 10) / 10 + 1,
                },
            )
        )
    return threads


def room_lost_writes(stats: Stats, saved: dict) -> list[str]:
    lost = []
    for (agent_id, field), value in stats.acked.items():
        now = saved[str(agent_id)][field]
        if now != value and now != stats.unknown.get((agent_id, field)):
            lost.append(f"agent {agent_id} {field}: acknowledged {value!r}, stored {now!r}")
    return lost


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mix", choices=["room", "busy", "full"], default="room")
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database-url", default="", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--server", default="", help="the web server `serve` runs (default: its own default)"
    )
    parser.add_argument(
        "--pdf-every", type=float, default=PDF_SECONDS, help="seconds between register PDFs"
    )
    parser.add_argument(
        "--pdfs", type=int, default=PDFS, help="register PDFs started at once (full mix)"
    )
    options = parser.parse_args()
    if not 1 <= options.participants <= 400 or not 5 <= options.seconds <= 900:
        parser.error("--participants 1..400 and --seconds 5..900")
    if options.mix != "full":
        print(run(options, pdfs=0)["line"])
        return
    # The same room twice on fresh servers: without PDFs, then with them, so the cost of the
    # documents to everyone else is one comparison.
    quiet = run(options, pdfs=0)
    busy = run(options, pdfs=options.pdfs)
    print(
        f"{busy['line']} p95_no_pdf_ms={quiet['p95']:.1f} "
        f"no_pdf_errors={quiet['errors']} no_pdf_lost_writes={quiet['lost']}"
    )


def run(options, *, pdfs: int) -> dict:
    """One run on a fresh server and data folder; prints its details, returns its figures."""
    full = options.mix == "full"
    busy = options.mix == "busy"

    data_dir = tempfile.mkdtemp(prefix="finops-load-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        FINOPS_DATA_DIR=data_dir,
        FINOPS_ADMIN_USERNAME=ADMIN[0],
        FINOPS_ADMIN_PASSWORD=ADMIN[1],
        FINOPS_DEBUG="0",
        FINOPS_LOG_LEVEL="WARNING",
    )
    if options.database_url:
        env["DATABASE_URL"] = options.database_url
    per_table = math.ceil(options.participants / TABLES)
    agents_per_table = math.ceil(per_table / len(load_busy.FIELDS if busy else FIELDS))

    manage(env, "serve", "--prepare-only")
    if full:
        script = load_full_data.setup_script(ADMIN[0], TABLES, agents_per_table)
    elif busy:
        script = load_busy.setup_script(ADMIN[0], TABLES, agents_per_table)
    else:
        script = SETUP % {"username": ADMIN[0], "tables": TABLES, "agents": agents_per_table}
    setup = marked(manage(env, "shell", "-c", script), "BENCH_SETUP")
    port = free_port()
    log_path = Path(data_dir) / "server.log"
    server_args = ("--server", options.server) if options.server else ()
    server, log = server_start(env, port, log_path, *server_args)
    try:
        wait_healthy(port, server)
        stats = Stats()
        load_before = load_average()
        cpu_before = server_cpu_seconds(server)
        start = time.time() + 1
        deadline = start + 5 + options.seconds
        if full:
            threads = load_full.people(
                port,
                stats,
                setup,
                options.participants,
                start,
                deadline,
                options.pdf_every,
                pdfs,
            )
        elif busy:
            threads = load_busy.people(port, stats, setup, options.participants, start, deadline)
        else:
            threads = room_people(port, stats, setup, options.participants, start, deadline)
        if not busy:  # the busy mix has its six screens
            threads.append(
                threading.Thread(
                    target=facilitator,
                    args=(port, stats, setup["workshop"], deadline),
                    daemon=True,
                )
            )
        threads.append(threading.Thread(target=healthz, args=(port, stats, deadline), daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1, deadline - time.time() + 90))
        load_after = load_average()
        cpu = server_cpu_seconds(server) - cpu_before
    finally:
        server_stop(server, log)

    if full:
        check = load_full_data.check_script(setup["workshop"])
        saved = marked(manage(env, "shell", "-c", check), "BENCH_CHECK")
        lost = load_full_data.lost_writes(stats, saved)
    elif busy:
        saved = marked(
            manage(env, "shell", "-c", load_busy.check_script(setup["workshop"])), "BENCH_CHECK"
        )
        lost = load_busy.lost_writes(stats, saved)
    else:
        check = CHECK % {"workshop": setup["workshop"], "fields": FIELDS}
        saved = marked(manage(env, "shell", "-c", check), "BENCH_CHECK")
        lost = room_lost_writes(stats, saved)
    locked = log_path.read_text().count("database is locked")

    app = stats.latencies_except("healthz", "pdf", "pdf_ready")
    health = stats.latencies.get("healthz", [])
    pdf = stats.latencies.get("pdf", [])
    ready = stats.latencies.get("pdf_ready", [])
    print(f"server log: {log_path} ({pdfs} register PDFs at once every {options.pdf_every:g} s)")
    print_kinds(stats)
    print(
        f"app:     requests={len(app)} p50={percentile(app, 50):.1f} ms "
        f"p95={percentile(app, 95):.1f} ms p99={percentile(app, 99):.1f} ms "
        f"mean={statistics.fmean(app) if app else 0:.1f} ms"
        + (" (without /healthz and the register downloads)" if full else "")
    )
    print(
        f"healthz: requests={len(health)} p50={percentile(health, 50):.1f} ms "
        f"p95={percentile(health, 95):.1f} ms p99={percentile(health, 99):.1f} ms"
    )
    if full and pdfs:
        print(
            f"pdf:     files={len(ready)} ready after p50={percentile(ready, 50):.1f} ms "
            f"p95={percentile(ready, 95):.1f} ms; download and progress requests "
            f"requests={len(pdf)} p95={percentile(pdf, 95):.1f} ms (timed apart)"
        )
        windows = [(t, t + ms / 1000) for kind, t, ms in stats.samples if kind == "pdf_ready"]
        during, apart = [], []
        for kind, t, ms in stats.samples:
            if kind not in ("healthz", "pdf", "pdf_ready"):
                overlaps = any(t < end and t + ms / 1000 > begin for begin, end in windows)
                (during if overlaps else apart).append(ms)
        for label, values in (("while a PDF renders", during), ("while no PDF renders", apart)):
            print(
                f"app {label}: requests={len(values)} p50={percentile(values, 50):.1f} ms "
                f"p95={percentile(values, 95):.1f} ms p99={percentile(values, 99):.1f} ms"
            )
    if full or busy:
        for what in sorted(stats.counts):
            print(f"  {what}: {stats.counts[what]}")
    print(
        f"saves acknowledged={len(stats.acked)} fields, conflicts answered 409={stats.conflicts}, "
        f"'database is locked' in server log={locked}"
    )
    requests = len(app) + len(health) + len(pdf)
    print(
        f"server CPU: {cpu:.1f} s ({1000 * cpu / max(1, requests):.1f} ms per request); "
        f"load average (1, 5, 15 min): before {load_before}, after {load_after}"
    )
    for line in stats.errors[:10] + lost[:10]:
        print(f"  ! {line}")
    last = (
        f"load participants={options.participants} seconds={options.seconds} "
        f"requests={requests} errors={len(stats.errors)} "
        f"lost_writes={len(lost)} p50_ms={percentile(app, 50):.1f} "
        f"p95_ms={percentile(app, 95):.1f} p99_ms={percentile(app, 99):.1f} "
        f"healthz_p95_ms={percentile(health, 95):.1f}"
    )
    if full and pdfs:
        last += f" pdfs={pdfs} pdf_ready_p95_ms={percentile(ready, 95):.1f}"
    if busy:
        last += f" polls_204_pct={load_busy.polls_204_pct(stats):.1f}"
    if options.server:
        last += f" server={options.server}"
    print(last)
    return {
        "line": last,
        "p95": percentile(app, 95),
        "errors": len(stats.errors),
        "lost": len(lost),
    }


if __name__ == "__main__":
    main()
