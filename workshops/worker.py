"""The document worker as a child process of `serve`: started beside the web server, started
again if it fails, stopped with the server.

Only what every platform has: `subprocess` with `terminate()` and `kill()`, no POSIX signals.
Ctrl+C in the terminal reaches the worker too (it shares the console); it finishes the render
under way or is stopped after `STOP_SECONDS`.
"""

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

STOP_SECONDS = 10
RESTART_SECONDS = 2
# Renders take a whole core for seconds: below the web server's priority, so the room's
# requests come first and documents use what is left.
NICENESS = 10
_LOW_PRIORITY = getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0)  # Windows


def _lower_priority(pid: int) -> None:
    if hasattr(os, "setpriority"):  # Linux, macOS
        try:
            own = os.getpriority(os.PRIO_PROCESS, 0)
            os.setpriority(os.PRIO_PROCESS, pid, min(19, own + NICENESS))
        except OSError:
            logger.warning("Could not lower the document worker's priority.")


def worker_command() -> list[str]:
    return [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "db_worker",
        "--queue-name",
        "documents",
        "--interval",
        "0.5",
        "--no-startup-delay",
        "--no-reload",
        "--verbosity",
        "0",
    ]


class DocumentWorker:
    """`manage.py db_worker` in a child process, watched by a thread."""

    def __init__(self, command: list[str] | None = None):
        self.command = command or worker_command()
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None

    def start(self) -> "DocumentWorker":
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="document-worker", daemon=True)
        self._watcher.start()
        return self

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self.process = subprocess.Popen(  # noqa: S603
                self.command, cwd=settings.BASE_DIR, creationflags=_LOW_PRIORITY
            )
            _lower_priority(self.process.pid)
            self.starts += 1

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            code = process.wait() if process else None
            if self._stopping.is_set() or code == 0:
                return  # asked to stop (Ctrl+C reaches it too): it is not restarted
            logger.warning("The document worker stopped (exit %s); starting it again.", code)
            if self._stopping.wait(RESTART_SECONDS):
                return
            self._spawn()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> int | None:
        """Stop the worker (and its watcher); its exit code."""
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._watcher is not None:
            self._watcher.join(timeout=STOP_SECONDS)
        return process.returncode
