"""`manage.py serve` as a newcomer runs it: a real process, a real port, a fresh data folder."""

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


def test_serve_prepare_prints_login_once_and_is_idempotent(tmp_path):
    first = run_prepare(tmp_path, "--demo")
    second = run_prepare(tmp_path, "--demo")
    assert "password: " in first
    assert "Created the demo workshop" in first
    assert "First facilitator account created." not in second
    assert "Kept the demo workshop" in second


def test_serve_first_account_is_facilitator_and_catalogue_admin(tmp_path):
    run_prepare(tmp_path, "--demo")
    with sqlite3.connect(tmp_path / "finops.sqlite3") as db:
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


def test_serve_takes_login_from_environment(tmp_path):
    output = run_prepare(
        tmp_path, FINOPS_ADMIN_USERNAME="lead", FINOPS_ADMIN_PASSWORD="a-long-venue-password"
    )
    assert "username: lead" in output
    assert "password: from FINOPS_ADMIN_PASSWORD" in output
    assert "a-long-venue-password" not in output


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


def test_serve_takes_the_first_facilitators_name_from_environment(tmp_path):
    output = run_prepare(tmp_path, FINOPS_ADMIN_USERNAME="lead", FINOPS_ADMIN_NAME="Ana María Ruiz")
    assert "  name: Ana María Ruiz" in output
    with sqlite3.connect(tmp_path / "finops.sqlite3") as db:
        names = db.execute("SELECT first_name, last_name FROM auth_user").fetchall()
    assert names == [("Ana María", "Ruiz")]


def test_serve_without_a_name_says_where_to_add_it(tmp_path):
    output = run_prepare(tmp_path)
    assert "name: none yet; add it in the admin (the register prints it)" in output
