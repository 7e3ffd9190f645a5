"""Load every app's seeded catalogues (glossary, model prices, quiz, KPI library).

Each app that has catalogues offers `<app>.catalogue.load()`; it adds what is missing and
keeps what a facilitator edited in the admin, so running this again is harmless.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def load_all() -> dict[str, int]:
    added: dict[str, int] = {}
    with transaction.atomic():
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.catalogue") is None:
                continue
            added.update(import_module(f"{config.name}.catalogue").load())
    return added


class Command(BaseCommand):
    help = "Add the seeded catalogues that are missing; keeps admin edits."

    def handle(self, *args, **options):
        added = load_all()
        summary = ", ".join(f"{count} {name}" for name, count in added.items())
        self.stdout.write(f"Catalogues loaded ({summary or 'nothing to add'}).")
