"""Import a workshop bundle made by export_workshop (or the Export / move page)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bundles import format as bundle_format
from bundles.importer import (
    ON_CONFLICT_CHOICES,
    REFUSE,
    BundleConflict,
    BundleError,
    bundle_read,
    workshop_bundle_import,
)
from workshops.roles import is_facilitator


class Command(BaseCommand):
    help = "Import a workshop bundle; all of it or, when anything is wrong, nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The bundle file (.finops.json).")
        parser.add_argument(
            "--on-conflict",
            choices=ON_CONFLICT_CHOICES,
            default=REFUSE,
            help="When the workshop is here already: refuse (default), replace it, or import "
            "a copy with a new identity.",
        )
        parser.add_argument(
            "--facilitator",
            help="Username of an account here to make the imported workshop's facilitator "
            "(a bundle never links accounts: without this option it has none).",
        )

    def handle(self, *args, file, on_conflict, facilitator, **options):
        importer = None
        if facilitator:
            importer = get_user_model().objects.filter(username=facilitator).first()
            if importer is None:
                raise CommandError(f"There is no account “{facilitator}” on this server.")
            if not is_facilitator(importer):
                raise CommandError(
                    f"“{facilitator}” is not a facilitator account. Make it one first: "
                    f"manage.py add_facilitator {facilitator}"
                )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if path.stat().st_size > bundle_format.MAX_BYTES:
            raise CommandError(
                f"The file is larger than {bundle_format.MAX_MEGABYTES} MB; a workshop bundle "
                "is far smaller. Nothing was imported."
            )
        try:
            bundle = bundle_read(path.read_bytes())
            result = workshop_bundle_import(
                bundle=bundle, importer=importer, on_conflict=on_conflict
            )
        except BundleConflict as conflict:
            raise CommandError(
                f"{conflict.message} Nothing was imported. Run again with --on-conflict replace "
                "or --on-conflict copy."
            ) from None
        except BundleError as error:
            raise CommandError(f"{error.message} Nothing was imported.") from None
        workshop = result.workshop
        how = (
            "Replaced" if result.replaced else "Imported as a copy" if result.copied else "Imported"
        )
        self.stdout.write(
            f"{how}: workshop {workshop.pk}, {workshop.client_organisation}, {workshop.title} "
            f"({workshop.date:%Y-%m-%d})."
        )
        if not workshop.facilitators.exists():
            self.stdout.write(
                "The workshop has no facilitator here: only administrators see it. Run again "
                "with --facilitator USERNAME (and --on-conflict replace)."
            )
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
