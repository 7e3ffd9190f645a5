"""Copies of the live SQLite database, taken while the server keeps writing.

The copy is made with SQLite's online backup API in a single step, so it is one consistent
snapshot of the committed data (in WAL mode a reader never blocks the writers). It is written
next to its final name and renamed only once it is complete and has passed `integrity_check`.
"""

import datetime
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

BACKUP_NAME = re.compile(r"^finops-\d{8}-\d{6}\.sqlite3$")
# How long the copy waits for a database that stays locked before it gives up.
BUSY_TIMEOUT_SECONDS = 60


class BackupError(Exception):
    """The backup could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    integrity: str


def backup_filename(now: datetime.datetime) -> str:
    """`finops-YYYYMMDD-HHMMSS.sqlite3` for the moment `now`."""
    return f"finops-{now:%Y%m%d-%H%M%S}.sqlite3"


def integrity_check(path: Path) -> str:
    """SQLite's `PRAGMA integrity_check` of the file at `path`: "ok" or the problems found."""
    connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    return "\n".join(str(row[0]) for row in rows)


def database_backup(
    *,
    source: sqlite3.Connection,
    destination: Path,
    force: bool = False,
    busy_timeout: float = BUSY_TIMEOUT_SECONDS,
) -> BackupResult:
    """Copy the database open on `source` into a new file at `destination`.

    Refuses when `destination` exists unless `force`. The copy is a self-contained file
    (rollback journal, no -wal/-shm beside it). Raises BackupError when the database stays
    locked for `busy_timeout` seconds (e.g. `source` itself is inside a write transaction) or
    the copy fails its integrity check; the finished file is left in place only when it passed.
    """
    deadline = time.monotonic() + busy_timeout

    def give_up_when_busy_too_long(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(
                f"The database stayed locked for {busy_timeout:g} seconds. Try again in a moment."
            )

    destination = Path(destination)
    if destination.exists() and not force:
        raise BackupError(
            f"{destination} already exists. Choose another --output, or add --force to "
            "overwrite it."
        )
    if destination.is_dir():
        raise BackupError(f"{destination} is a folder. Give the path of the file to write.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # the copy holds sessions and password hashes
    target = sqlite3.connect(partial)
    try:
        # pages=-1: one step, one read snapshot; stepwise copies restart on every write.
        source.backup(target, pages=-1, progress=give_up_when_busy_too_long, sleep=0.05)
        target.execute("PRAGMA journal_mode=DELETE")
        target.commit()
    except BackupError:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    except sqlite3.Error as error:
        target.close()
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed: {error}") from error
    target.close()
    result = integrity_check(partial)
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {result}")
    partial.replace(destination)
    return BackupResult(path=destination, size=destination.stat().st_size, integrity=result)


def backups_prune(*, folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups named finops-YYYYMMDD-HHMMSS.sqlite3 in
    `folder`; other files are never touched. Returns the deleted paths."""
    if keep < 1:
        raise BackupError("--keep must be 1 or more.")
    if not folder.is_dir():
        return []
    backups = sorted(p for p in folder.iterdir() if p.is_file() and BACKUP_NAME.match(p.name))
    removed = backups[:-keep]
    for path in removed:
        path.unlink()
    return removed
