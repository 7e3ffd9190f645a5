"""`manage.py backup` and the online copy behind it.

The command tests run on SQLite and on PostgreSQL (CI runs the suite on both): on SQLite they
check the copy, on PostgreSQL the refusal that points to pg_dump.
"""

import io
import sqlite3
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests import factories
from workshops.backup import BACKUP_NAME, BackupError, database_backup, integrity_check

PG_REFUSAL = (
    'Use pg_dump for PostgreSQL: pg_dump --format=custom --file=finops.dump "$DATABASE_URL" '
    '(restore with pg_restore --clean --dbname="$DATABASE_URL" finops.dump).'
)


def open_wal_database(path):
    db = sqlite3.connect(path, timeout=20, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def run_backup(*args: str) -> str:
    out = io.StringIO()
    call_command("backup", *args, stdout=out)
    return out.getvalue()


def tables_of(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


# --- The online copy -------------------------------------------------------------------------


def test_database_backup_while_another_connection_writes_is_consistent(tmp_path):
    source_path = tmp_path / "live.sqlite3"
    setup = open_wal_database(source_path)
    setup.execute("CREATE TABLE item (n INTEGER PRIMARY KEY, note TEXT NOT NULL)")
    setup.execute("CREATE TABLE tally (total INTEGER NOT NULL)")
    setup.execute("INSERT INTO tally VALUES (0)")
    setup.close()

    committed = []
    stop = threading.Event()
    errors = []

    def write_forever():
        # Each transaction adds one item and counts it: a torn copy would disagree with itself.
        db = open_wal_database(source_path)
        n = 0
        try:
            while not stop.is_set():
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO item VALUES (?, ?)", (n, "x" * 500))
                db.execute("UPDATE tally SET total = total + 1")
                db.execute("COMMIT")
                committed.append(n)
                n += 1
        except sqlite3.Error as error:
            errors.append(error)
        finally:
            db.close()

    writer = threading.Thread(target=write_forever)
    writer.start()
    try:
        while len(committed) < 300 and writer.is_alive():
            stop.wait(0.01)
        committed_before = len(committed)
        source = sqlite3.connect(source_path, timeout=20)
        result = database_backup(source=source, destination=tmp_path / "copy.sqlite3")
        source.close()
        written_during = len(committed)
        stop.wait(0.2)
    finally:
        stop.set()
        writer.join(timeout=30)

    assert errors == []
    assert len(committed) > written_during  # the writer was never blocked by the copy
    assert result.integrity == "ok"
    assert result.size == (tmp_path / "copy.sqlite3").stat().st_size
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        numbers = [row[0] for row in copy.execute("SELECT n FROM item ORDER BY n")]
        total = copy.execute("SELECT total FROM tally").fetchone()[0]
        journal_mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
    assert total == len(numbers)
    assert numbers == list(range(len(numbers)))
    assert len(numbers) >= committed_before
    assert journal_mode == "delete"
    assert not (tmp_path / "copy.sqlite3-wal").exists()


def test_database_backup_refuses_an_existing_file(tmp_path):
    existing = tmp_path / "copy.sqlite3"
    existing.write_text("keep me")
    source = sqlite3.connect(":memory:")
    with pytest.raises(BackupError) as caught:
        database_backup(source=source, destination=existing)
    source.close()
    assert str(caught.value) == (
        f"{existing} already exists. Choose another --output, or add --force to overwrite it."
    )
    assert existing.read_text() == "keep me"


def test_database_backup_with_force_replaces_the_file(tmp_path):
    existing = tmp_path / "copy.sqlite3"
    existing.write_text("old")
    source = sqlite3.connect(":memory:")
    source.execute("CREATE TABLE note (text TEXT)")
    source.execute("INSERT INTO note VALUES ('fresh')")
    source.commit()
    database_backup(source=source, destination=existing, force=True)
    source.close()
    assert integrity_check(existing) == "ok"
    with sqlite3.connect(existing) as copy:
        assert copy.execute("SELECT text FROM note").fetchall() == [("fresh",)]
    assert existing.stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.iterdir()) == [existing]  # no partial file left behind


def test_database_backup_gives_up_when_the_database_stays_locked(tmp_path):
    source = sqlite3.connect(tmp_path / "live.sqlite3", isolation_level=None)
    source.execute("CREATE TABLE note (text TEXT)")
    source.execute("BEGIN IMMEDIATE")  # a write transaction on the source itself never ends
    source.execute("INSERT INTO note VALUES ('pending')")
    with pytest.raises(BackupError) as caught:
        database_backup(source=source, destination=tmp_path / "copy.sqlite3", busy_timeout=0.2)
    source.close()
    assert str(caught.value) == "The database stayed locked for 0.2 seconds. Try again in a moment."
    assert sorted(path.name for path in tmp_path.iterdir()) == ["live.sqlite3"]


# --- The command -----------------------------------------------------------------------------
# transactional_db: the command runs with no transaction open, as it does from a shell.


def test_backup_command_copies_the_database_or_refuses_postgresql(
    transactional_db, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    workshop = factories.make_workshop(client_organisation="Acme Freight")
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError) as caught:
            run_backup()
        assert str(caught.value) == PG_REFUSAL
        assert not (tmp_path / "backups").exists()
        return

    output = run_backup()

    [copy] = list((tmp_path / "backups").iterdir())
    assert BACKUP_NAME.match(copy.name)
    assert output == (
        f"Backup written: {copy}\n  size: {copy.stat().st_size:,} bytes\n  integrity ok\n"
    )
    assert {"workshops_workshop", "agents_agent", "auth_user", "django_migrations"} <= tables_of(
        copy
    )
    with sqlite3.connect(copy) as db_copy:
        rows = db_copy.execute(
            "SELECT client_organisation FROM workshops_workshop WHERE id = ?", (workshop.pk,)
        ).fetchall()
    assert rows == [("Acme Freight",)]


def test_backup_command_refuses_an_existing_output(transactional_db, tmp_path):
    existing = tmp_path / "mine.sqlite3"
    existing.write_text("keep me")
    with pytest.raises(CommandError) as caught:
        run_backup("--output", str(existing))
    if connection.vendor == "postgresql":
        assert str(caught.value) == PG_REFUSAL
    else:
        assert str(caught.value) == (
            f"{existing} already exists. Choose another --output, or add --force to overwrite it."
        )
    assert existing.read_text() == "keep me"


def test_backup_command_with_force_overwrites_the_output(transactional_db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; PostgreSQL is refused (see the test above)")
    existing = tmp_path / "mine.sqlite3"
    existing.write_text("old")
    output = run_backup("--output", str(existing), "--force")
    assert output.startswith(f"Backup written: {existing}\n")
    assert integrity_check(existing) == "ok"
    assert "workshops_workshop" in tables_of(existing)


def test_backup_command_keep_prunes_only_older_backups(transactional_db, tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; PostgreSQL is refused (see the test above)")
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in [
        "finops-20250101-090000.sqlite3",
        "finops-20250102-090000.sqlite3",
        "finops-20250103-090000.sqlite3",
        "notes.txt",
        "finops-manual.sqlite3",
    ]:
        (folder / name).write_text("old")

    output = run_backup("--keep", "2")

    names = sorted(path.name for path in folder.iterdir())
    [new] = [name for name in names if name.startswith("finops-2") and "2025" not in name]
    assert names == sorted(
        ["finops-20250103-090000.sqlite3", new, "notes.txt", "finops-manual.sqlite3"]
    )
    assert output.endswith(
        f"  removed older backup: {folder / 'finops-20250101-090000.sqlite3'}\n"
        f"  removed older backup: {folder / 'finops-20250102-090000.sqlite3'}\n"
    )


@pytest.mark.parametrize("keep", ["0", "-3"])
def test_backup_command_keep_below_one_is_refused(transactional_db, tmp_path, settings, keep):
    settings.DATA_DIR = tmp_path
    with pytest.raises(CommandError) as caught:
        run_backup("--keep", keep)
    expected = PG_REFUSAL if connection.vendor == "postgresql" else "--keep must be 1 or more."
    assert str(caught.value) == expected
    assert not (tmp_path / "backups").exists()
