"""`manage.py backup`: a consistent copy of the SQLite database, safe while the server runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from workshops.backup import BackupError, backup_filename, backups_prune, database_backup

PG_DUMP_HINT = (
    'Use pg_dump for PostgreSQL: pg_dump --format=custom --file=finops.dump "$DATABASE_URL" '
    '(restore with pg_restore --clean --dbname="$DATABASE_URL" finops.dump).'
)


def default_folder() -> Path:
    return settings.DATA_DIR / "backups"


class Command(BaseCommand):
    help = (
        "Copy the live SQLite database into the data folder's backups/ (or --output), "
        "then check the copy's integrity."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write (default: backups/finops-YYYYMMDD-HHMMSS.sqlite3 in the data "
            "folder).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the output file if it exists."
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Afterwards keep only the newest N backups in the default backups folder.",
        )

    def handle(self, *args, **options):
        if connection.vendor == "postgresql":
            raise CommandError(PG_DUMP_HINT)
        if connection.vendor != "sqlite":
            raise CommandError(
                f"This command backs up SQLite only; use your {connection.vendor} tools."
            )
        keep = options["keep"]
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more.")
        output = options["output"] or default_folder() / backup_filename(timezone.localtime())
        connection.ensure_connection()
        try:
            result = database_backup(
                source=connection.connection, destination=output, force=options["force"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {result.path.resolve()}"))
        self.stdout.write(f"  size: {result.size:,} bytes")
        self.stdout.write("  integrity ok")
        if keep is not None:
            for path in backups_prune(folder=default_folder(), keep=keep):
                self.stdout.write(f"  removed older backup: {path}")
