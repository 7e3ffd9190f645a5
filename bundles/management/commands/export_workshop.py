"""Write one workshop's bundle to a file (or to standard output)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bundles import export
from workshops.models import Workshop


class Command(BaseCommand):
    help = "Export a workshop with everything in it as a bundle file, to move it to another server."

    def add_arguments(self, parser):
        parser.add_argument("workshop_id", type=int, help="The workshop's number (in its URL).")
        parser.add_argument(
            "--output",
            help="File to write; default: <client>-<date>.finops.json here. '-' writes to stdout.",
        )
        parser.add_argument("--force", action="store_true", help="Overwrite an existing file.")

    def handle(self, *args, workshop_id, output, force, **options):
        workshop = Workshop.objects.filter(pk=workshop_id).first()
        if workshop is None:
            raise CommandError(f"There is no workshop {workshop_id} on this server.")
        try:
            filename, _, content = export.workshop_bundle(workshop=workshop)
        except export.ExportError as error:
            raise CommandError(str(error)) from None
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        path = Path(output or filename)
        if path.exists() and not force:
            raise CommandError(f"{path} exists already; add --force to overwrite it.")
        path.write_bytes(content)
        self.stdout.write(
            f"Exported {workshop.client_organisation} ({workshop.date:%Y-%m-%d}) to {path} "
            f"({len(content):,} bytes)."
        )
