"""`manage.py serve` as a newcomer runs it: a real process, a real port, a fresh data folder."""

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(data_dir: Path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FINOPS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.pop("DATABASE_URL", None)  # a fresh laptop: SQLite in the data folder
    env.update(FINOPS_DATA_DIR=str(data_dir), **extra)
    return env


@pytest.mark.slow
def test_serve_starts_and_answers_healthz(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.loads(r.read())
            except OSError:
                time.sleep(0.3)
        assert body == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
            assert r.status == 200
            assert "Facilitator sign-in" in r.read().decode()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "First facilitator account created." in output
    assert "username: facilitator" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert f"Tables join at http://127.0.0.1:{port}/join" in output
    assert (tmp_path / "finops.sqlite3").exists()
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def run_prepare(data_dir: Path, *args: str, **env) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "serve", "--prepare-only", *args],
        cwd=ROOT,
        env=clean_env(data_dir, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def demo_prepared(tmp_path_factory) -> tuple[Path, str, str]:
    """A data folder prepared twice with the demo, and what each run printed (each run is a
    fresh interpreter migrating a database: the tests that only read share one)."""
    data_dir = tmp_path_factory.mktemp("demo")
    first = run_prepare(data_dir, "--demo")
    second = run_prepare(data_dir, "--demo")
    return data_dir, first, second


@pytest.fixture(scope="module")
def lead_prepared(tmp_path_factory) -> tuple[Path, str]:
    """A data folder prepared with the first facilitator's login and name from the environment,
    and what the run printed."""
    data_dir = tmp_path_factory.mktemp("lead")
    output = run_prepare(
        data_dir,
        FINOPS_ADMIN_USERNAME="lead",
        FINOPS_ADMIN_PASSWORD="a-long-venue-password",
        FINOPS_ADMIN_NAME="Ana María Ruiz",
    )
    return data_dir, output


@pytest.mark.slow
def test_serve_prepare_prints_login_once_and_is_idempotent(demo_prepared):
    _data_dir, first, second = demo_prepared
    assert "password: " in first
    assert "Created the demo workshop" in first
    assert "First facilitator account created." not in second
    assert "Kept the demo workshop" in second


@pytest.mark.slow
def test_serve_first_account_is_facilitator_and_catalogue_admin(demo_prepared):
    data_dir, _first, _second = demo_prepared
    with sqlite3.connect(data_dir / "finops.sqlite3") as db:
        user = db.execute("SELECT id, is_staff FROM auth_user WHERE username = 'facilitator'")
        user_id, is_staff = user.fetchone()
        groups = db.execute(
            "SELECT g.name FROM auth_group g JOIN auth_user_groups ug ON ug.group_id = g.id "
            "WHERE ug.user_id = ? ORDER BY g.name",
            [user_id],
        ).fetchall()
        demo = db.execute(
            "SELECT count(*) FROM workshops_workshop_facilitators WHERE user_id = ?", [user_id]
        ).fetchone()
    assert is_staff == 1
    assert groups == [("Catalogue administrators",), ("Facilitators",)]
    assert demo == (1,)


@pytest.mark.slow
def test_serve_takes_login_from_environment(lead_prepared):
    _data_dir, output = lead_prepared
    assert "username: lead" in output
    assert "password: from FINOPS_ADMIN_PASSWORD" in output
    assert "a-long-venue-password" not in output


@pytest.mark.slow
def test_serve_refuses_bad_port(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "serve", "--port", "70000"],
        cwd=ROOT,
        env=clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "--port must be between 1 and 65535." in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("https", ["0", "1"])
def test_check_deploy_is_clean_under_production_defaults(tmp_path, https):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(tmp_path, FINOPS_HTTPS=https),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_serve_takes_the_first_facilitators_name_from_environment(lead_prepared):
    data_dir, output = lead_prepared
    assert "  name: Ana María Ruiz" in output
    with sqlite3.connect(data_dir / "finops.sqlite3") as db:
        names = db.execute("SELECT first_name, last_name FROM auth_user").fetchall()
    assert names == [("Ana María", "Ruiz")]


@pytest.mark.slow
def test_serve_without_a_name_says_where_to_add_it(tmp_path):
    output = run_prepare(tmp_path)
    assert "name: none yet; add it in the admin (the register prints it)" in output


def _children(pid: int) -> set[int]:
    """The child processes of `pid` (Linux: /proc)."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("stop", "server"), [("ctrl+c", None), ("terminate", None), ("ctrl+c", "waitress")]
)
def test_serve_renders_documents_with_its_worker_and_stops_it(tmp_path, stop, server):
    """The document worker starts beside the server, renders a download, and goes when the
    server is stopped (Ctrl+C, or a terminate request)."""
    import signal

    port = free_port()
    chosen = ["--server", server] if server else []
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)] + chosen,
        cwd=ROOT,
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    workers: set[int] = set()
    try:
        response = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and response is None:
            try:
                response = urllib.request.urlopen(f"{base}/foundation/evolution.pdf", timeout=10)
            except OSError:
                time.sleep(0.3)
        assert response is not None
        assert b'id="document-status"' in response.read()
        # Beside the web server's own processes, one document worker.
        workers = {pid for pid in _children(process.pid) if "db_worker" in _cmdline(pid)}
        assert len(workers) == 1
        content_type = ""
        while time.monotonic() < deadline and content_type != "application/pdf":
            time.sleep(0.3)
            with urllib.request.urlopen(f"{base}/foundation/evolution.pdf", timeout=10) as r:
                content_type = r.headers["Content-Type"]
                body = r.read()
        assert content_type == "application/pdf"
        assert body.startswith(b"%PDF-")
    finally:
        if stop == "ctrl+c":
            # What the terminal does on Ctrl+C: SIGINT to the server and its worker.
            for pid in (process.pid, *workers):
                os.kill(pid, signal.SIGINT)
        else:
            process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            # Leave nothing running behind a failed test.
            for pid in (*_children(process.pid), *workers):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            process.kill()
            raise
    assert process.returncode == 0, output
    assert "Stopped." in output
    assert [pid for pid in workers if _alive(pid)] == []


def test_serve_says_what_to_install_when_weasyprint_cannot_load(monkeypatch):
    import builtins

    from django.core.management.base import CommandError

    from workshops.management.commands import serve

    real_import = builtins.__import__

    def without_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: no such file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pango)
    with pytest.raises(CommandError) as refused:
        serve.check_document_libraries()
    message = str(refused.value)
    assert "WeasyPrint did not find the Pango libraries" in message
    assert "sudo apt install libpango-1.0-0 libpangoft2-1.0-0" in message
    assert "brew install pango" in message
    assert "pacman -S mingw-w64-ucrt-x86_64-pango" in message


def test_document_worker_stops_with_the_server():
    from workshops.worker import NICENESS, DocumentWorker

    worker = DocumentWorker([sys.executable, "-c", "import time; time.sleep(120)"]).start()
    assert worker.running is True
    if hasattr(os, "getpriority"):  # renders give way to the web server's requests
        assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == (
            os.getpriority(os.PRIO_PROCESS, 0) + NICENESS
        )
    worker.stop()
    assert worker.running is False
    assert worker.starts == 1


def test_document_worker_is_started_again_after_a_failure(monkeypatch, tmp_path):
    from workshops import worker as worker_module

    monkeypatch.setattr(worker_module, "RESTART_SECONDS", 0.05)
    runs = tmp_path / "runs"
    # Fails on its first run, then keeps running.
    script = (
        "import pathlib, sys, time\n"
        f"runs = pathlib.Path({str(runs)!r})\n"
        "count = int(runs.read_text()) if runs.exists() else 0\n"
        "runs.write_text(str(count + 1))\n"
        "sys.exit(3) if count == 0 else time.sleep(120)\n"
    )
    worker = worker_module.DocumentWorker([sys.executable, "-c", script]).start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (runs.exists() and runs.read_text() == "2"):
        time.sleep(0.05)
    worker.stop()
    assert worker.starts == 2
    assert runs.read_text() == "2"


def test_document_worker_that_was_asked_to_stop_is_not_started_again(monkeypatch):
    from workshops import worker as worker_module

    monkeypatch.setattr(worker_module, "RESTART_SECONDS", 0.05)
    worker = worker_module.DocumentWorker([sys.executable, "-c", "pass"]).start()
    worker.process.wait()
    worker._watcher.join(timeout=10)
    assert worker._watcher.is_alive() is False
    assert worker.starts == 1
    worker.stop()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups")
def test_serve_stops_on_ctrl_c_in_a_terminal(tmp_path):
    """Ctrl+C in a terminal sends SIGINT to every process of the foreground group: the web
    server's processes and the document worker all get it, and `serve` must still stop."""
    import signal

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.3)
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    assert "Stopped." in output
