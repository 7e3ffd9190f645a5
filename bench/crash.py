"""Crash safety: kill the server with SIGKILL in the middle of writes and lose nothing.

    uv run python bench/crash.py [--rounds 5] [--writers 4]

Prepares a temporary data folder with a known facilitator password and one workshop, then in
every round starts the real server (`manage.py serve` on a free local port, in its own process
group), lets several signed-in facilitator threads add agents through the console form, and
after a random 1-3 s kills the whole process group with SIGKILL. With the server dead, it opens
the database file with sqlite3 and checks `PRAGMA integrity_check` and that every agent whose
creation the server acknowledged (a redirect to the agent list) is there. The next round
restarts the server on the crashed database; after the last one the server is started once
more and must answer /healthz. Standard library only; traffic stays on 127.0.0.1.

Last line: `crash rounds=N acknowledged=N missing=N integrity=ok|failed`.
"""

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
USERNAME = "facilitator"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = """
import datetime
from django.contrib.auth import get_user_model
from workshops import services
user = get_user_model().objects.get(username=%(username)r)
workshop = services.workshop_create(
    facilitator=user, client_organisation="Crash test", date=datetime.date.today()
)
print("BENCH_WORKSHOP", workshop.pk)
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep a redirect as the answer: a 302 to the agent list is the acknowledgement."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Facilitator:
    """One signed-in browser: its own cookies, the console's forms, CSRF as a browser sends it."""

    def __init__(self, password: str):
        self.password = password
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )
        self.base = ""
        self.signed_in = False

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, Location header, body); a redirect is an answer, not an error."""
        body = urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=15) as response:
                return response.status, response.headers.get("Location", ""), response.read()
        except urllib.error.HTTPError as answer:
            with answer:
                return answer.code, answer.headers.get("Location", ""), answer.read()

    def csrf_token(self, path: str) -> str:
        status, _, body = self.request(path)
        match = CSRF_INPUT.search(body.decode())
        if status != 200 or not match:
            raise RuntimeError(f"GET {path} answered {status} without a form")
        return match.group(1)

    def sign_in(self) -> None:
        token = self.csrf_token("/accounts/login/")
        status, location, _ = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": USERNAME, "password": self.password},
        )
        if status != 302 or "/accounts/login/" in location:
            raise RuntimeError(f"sign-in failed: {status} {location}")
        self.signed_in = True

    def agent_create(self, workshop_id: int, name: str) -> bool:
        """Add an agent through the console form; True when the server acknowledged it."""
        path = f"/workshops/{workshop_id}/agents/"
        token = self.csrf_token(path + "new/")
        status, location, _ = self.request(
            path + "new/",
            {
                "csrfmiddlewaretoken": token,
                "name": name,
                "description": "Written by the crash test.",
                "table": "unassigned",
            },
        )
        return status == 302 and location.endswith(path)


class Round:
    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged: list[str] = []
        self.refused = 0  # an answer other than the acknowledgement
        self.cut_off = 0  # no answer: the server died mid-request, or was not there


def writer(
    browser: Facilitator, workshop_id: int, prefix: str, stop: threading.Event, result: Round
) -> None:
    n = 0
    while not stop.is_set():
        name = f"{prefix}-{n}"
        n += 1
        try:
            if not browser.signed_in:
                browser.sign_in()
            acknowledged = browser.agent_create(workshop_id, name)
        except RuntimeError:  # e.g. the form page sent us to sign in again
            browser.signed_in = False
            with result.lock:
                result.refused += 1
            stop.wait(0.05)
            continue
        except (OSError, http.client.HTTPException):  # refused, reset, or a half-sent answer
            with result.lock:
                result.cut_off += 1
            stop.wait(0.05)
            continue
        with result.lock:
            if acknowledged:
                result.acknowledged.append(name)
            else:
                result.refused += 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def clean_env(data_dir: Path, password: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FINOPS_") and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(FINOPS_DATA_DIR=str(data_dir), FINOPS_ADMIN_PASSWORD=password)
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def server_start(env: dict, log_path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    with log_path.open("a") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--host", HOST, "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn master and workers
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server, port
        except OSError:
            time.sleep(0.2)
    group_kill(server, signal.SIGKILL)
    sys.exit(f"the server did not answer /healthz within 120 s; see {log_path}")


def group_kill(server: subprocess.Popen, sig: int) -> None:
    """Send `sig` to the server's whole process group and wait until no member is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, sig)
    server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if not group_members(server.pid):
            return
        time.sleep(0.05)
    raise RuntimeError(f"process group {server.pid} is still alive")


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of the process group, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def database_check(path: Path, workshop_id: int) -> tuple[str, set[str]]:
    """(integrity_check result, names of the workshop's agents), read straight from the file."""
    db = sqlite3.connect(path)
    try:
        integrity = "\n".join(row[0] for row in db.execute("PRAGMA integrity_check"))
        names = {
            row[0]
            for row in db.execute(
                "SELECT name FROM agents_agent WHERE workshop_id = ?", (workshop_id,)
            )
        }
    finally:
        db.close()
    return integrity, names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=4, help="writer threads")
    parser.add_argument("--seed", type=int, help="seed for the kill times")
    options = parser.parse_args()
    if options.rounds < 1 or options.writers < 1:
        parser.error("--rounds and --writers must be 1 or more")
    rng = random.Random(options.seed)

    data_dir = Path(tempfile.mkdtemp(prefix="finops-crash-"))
    password = "crash-" + secrets.token_urlsafe(16)
    env = clean_env(data_dir, password)
    log_path = data_dir / "server.log"
    database = data_dir / "finops.sqlite3"
    manage(env, "serve", "--prepare-only")
    workshop_id = int(manage(env, "shell", "-c", SETUP % {"username": USERNAME}).split()[-1])
    print(f"data folder {data_dir}, workshop {workshop_id}, {options.writers} writers")

    browsers = [Facilitator(password) for _ in range(options.writers)]
    total_acknowledged = total_missing = 0
    integrity_ok = True
    for number in range(1, options.rounds + 1):
        server, port = server_start(env, log_path)
        result = Round()
        stop = threading.Event()
        threads = []
        for index, browser in enumerate(browsers):
            browser.base = f"http://{HOST}:{port}"
            prefix = f"crash-r{number}-w{index}"
            thread = threading.Thread(
                target=writer, args=(browser, workshop_id, prefix, stop, result), daemon=True
            )
            thread.start()
            threads.append(thread)
        delay = rng.uniform(1.0, 3.0)
        time.sleep(delay)
        group_kill(server, signal.SIGKILL)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        integrity, present = database_check(database, workshop_id)
        missing = [name for name in result.acknowledged if name not in present]
        # Saved, but the answer died with the server: allowed, the sender will retry.
        unanswered = {name for name in present if name.startswith(f"crash-r{number}-")}
        unanswered -= set(result.acknowledged)
        integrity_ok = integrity_ok and integrity == "ok"
        total_acknowledged += len(result.acknowledged)
        total_missing += len(missing)
        print(
            f"round {number}: killed after {delay:.2f}s acknowledged={len(result.acknowledged)} "
            f"missing={len(missing)} refused={result.refused} cut_off={result.cut_off} "
            f"saved_unanswered={len(unanswered)} "
            f"integrity={integrity}"
        )
        for name in missing[:10]:
            print(f"  missing: {name}")

    # The crashed database must still serve.
    server, port = server_start(env, log_path)
    group_kill(server, signal.SIGTERM)
    integrity, _ = database_check(database, workshop_id)
    integrity_ok = integrity_ok and integrity == "ok"
    print(f"restart after the last crash: /healthz ok, integrity={integrity}")

    all_ok = integrity_ok and total_missing == 0
    if all_ok:
        shutil.rmtree(data_dir)
    else:
        print(f"kept for inspection: {data_dir}")
    print(
        f"crash rounds={options.rounds} acknowledged={total_acknowledged} "
        f"missing={total_missing} integrity={'ok' if integrity_ok else 'failed'}"
    )
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
