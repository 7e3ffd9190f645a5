"""What the load test's mixes share: the measurements, a browser (one keep-alive connection with
its cookies), reading HTML forms as a browser submits them, and the server's lifecycle.
Standard library only."""

import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
ADMIN = ("facilitator", "bench-load-password-1")
OK_STATUSES = frozenset({200, 204, 286, 302, 409})


# --- Measurements -----------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        # (kind, wall-clock start, ms) of every answered request, to see what overlapped what.
        self.samples: list[tuple[str, float, float]] = []
        self.errors: list[str] = []
        self.conflicts = 0
        self.counts: dict[str, int] = {}
        # The last value the server acknowledged, and values whose answer never arrived.
        self.acked: dict[tuple, object] = {}
        self.unknown: dict[tuple, object] = {}

    def record(self, kind: str, ms: float, started: float = 0.0) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(ms)
            self.samples.append((kind, started, ms))

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def count(self, what: str) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def latencies_except(self, *kinds: str) -> list[float]:
        return [ms for kind, values in self.latencies.items() if kind not in kinds for ms in values]


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def print_kinds(stats: Stats) -> None:
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        print(
            f"  {kind:<12} n={len(values):>6}  p50={percentile(values, 50):7.1f} ms  "
            f"p95={percentile(values, 95):7.1f} ms  p99={percentile(values, 99):7.1f} ms  "
            f"max={max(values):7.1f} ms"
        )


# --- A browser: one keep-alive connection and its cookies -------------------------------------


class Browser:
    def __init__(self, port: int, stats: Stats, kind: str):
        self.port = port
        self.stats = stats
        self.kind = kind
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, *, data=None, htmx=False, kind=None, ok=OK_STATUSES):
        """(status, text, headers); None when the request failed twice (counted as an error).
        A keep-alive connection the server closed is reopened once without counting. A status
        outside `ok` is counted as an error (and returned)."""
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        for attempt in (1, 2):
            wall = time.time()
            started = time.perf_counter()
            try:
                conn = self._connect()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if attempt == 2:
                    self.stats.error(f"{method} {path}: {exc!r}")
                    return None
                continue
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                self.stats.error(f"{method} {path}: {exc!r}")
                return None
            elapsed = (time.perf_counter() - started) * 1000
            self.stats.record(kind or self.kind, elapsed, wall)
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            if response.status not in ok:
                self.stats.error(f"{method} {path}: HTTP {response.status}")
            content_type = response.headers.get("Content-Type", "")
            text = raw.decode("utf-8", "replace") if "text" in content_type else ""
            return response.status, text, response.headers
        return None


# --- HTML forms, as a browser submits them ----------------------------------------------------


@dataclass
class Form:
    action: str
    attrs: dict
    # (name, value) in document order: what the browser would submit as it stands.
    pairs: list = field(default_factory=list)
    # name -> the values a select or a radio group offers, in order.
    options: dict = field(default_factory=dict)

    def get(self, name: str, default=None):
        return next((value for key, value in self.pairs if key == name), default)

    def set(self, name: str, value) -> None:
        """Type `value` into `name` (a checkbox: True ticks it, False unticks it)."""
        others = [(key, v) for key, v in self.pairs if key != name]
        if value is False or value is None:
            self.pairs = others
            return
        value = "on" if value is True else str(value)
        index = next((i for i, (key, _v) in enumerate(self.pairs) if key == name), len(others))
        others.insert(min(index, len(others)), (name, value))
        self.pairs = others

    def choose_first(self, name: str) -> None:
        """Pick the first real choice of a select or radio group left empty."""
        if not self.get(name):
            choices = [value for value in self.options.get(name, []) if value]
            if choices:
                self.set(name, choices[0])


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.disabled_depth = 0
        self.textarea: tuple[str, list] | None = None
        self.select: tuple[str, list, list] | None = None  # name, [(value, selected)], disabled

    def handle_starttag(self, tag, attrs):
        attributes = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self.form = Form(action=attributes.get("action", ""), attrs=attributes)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        if tag == "fieldset" and "disabled" in attributes:
            self.disabled_depth += 1
        disabled = "disabled" in attributes or self.disabled_depth > 0
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file") or disabled:
                return
            if kind in ("checkbox", "radio"):
                value = attributes.get("value", "on")
                self.form.options.setdefault(name, []).append(value)
                if "checked" in attributes:
                    self.form.pairs.append((name, value))
            else:
                self.form.pairs.append((name, attributes.get("value", "")))
        elif tag == "textarea" and name and not disabled:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = (name, [], disabled)
        elif tag == "option" and self.select is not None:
            self.select[1].append((attributes.get("value", ""), "selected" in attributes))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
            self.disabled_depth = 0
        elif tag == "fieldset" and self.disabled_depth:
            self.disabled_depth -= 1
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            name, parts = self.textarea
            text = "".join(parts)
            # A newline right after <textarea> is not part of the value.
            self.form.pairs.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, options, disabled = self.select
            self.form.options[name] = [value for value, _selected in options]
            chosen = [value for value, selected in options if selected] or [
                value for value, _selected in options[:1]
            ]
            if chosen and not disabled:
                self.form.pairs.append((name, chosen[-1]))
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)


def forms_in(text: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(text)
    parser.close()
    return parser.forms


def form_with(text: str, action_part: str, *, exclude: str = "") -> Form | None:
    """The first form whose action contains `action_part` (and not `exclude`)."""
    for form in forms_in(text):
        if action_part in form.action and not (exclude and exclude in form.action):
            return form
    return None


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def marked(output: str, mark: str) -> dict:
    for line in output.splitlines():
        if line.startswith(mark + " "):
            return json.loads(line[len(mark) + 1 :])
    sys.exit(f"no {mark} line in:\n{output}")


def wait_healthy(port: int, server: subprocess.Popen, timeout: float = 90) -> None:
    stop = time.time() + timeout
    while time.time() < stop:
        if server.poll() is not None:
            sys.exit("the server stopped while starting; see its log")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit("the server did not become healthy in time")


def server_start(
    env: dict, port: int, log_path: Path, *args: str
) -> tuple[subprocess.Popen, object]:
    """`manage.py serve` on `port` (with `args`) in its own process group, logging to
    `log_path`."""
    log = open(log_path, "w")  # noqa: SIM115 - kept open for the server's lifetime
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", HOST, "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return server, log


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by the server's process group: the master and its
    workers. Steadier than latencies when other programs share the machine."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == server.pid:  # fields[2] is the process group
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def server_stop(server: subprocess.Popen, log) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    log.close()


def sign_in(browser: Browser, stats: Stats, who: str) -> bool:
    got = browser.request("GET", "/accounts/login/", kind="page")
    forms = forms_in(got[1]) if got else []
    form = next((f for f in forms if f.get("username") is not None), None)
    if form is None:
        stats.error(f"{who}: no login form")
        return False
    form.set("username", ADMIN[0])
    form.set("password", ADMIN[1])
    got = browser.request("POST", "/accounts/login/", data=form.pairs, kind="page")
    if not got or got[0] != 302:
        stats.error(f"{who}: sign-in failed")
        return False
    return True
