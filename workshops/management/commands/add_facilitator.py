"""`manage.py add_facilitator USERNAME`: give an account the facilitator role, making the
account first if there is none (its password is printed once)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workshops.services import catalogue_admin_grant, facilitator_role_grant


class Command(BaseCommand):
    help = "Make an account a facilitator (created if missing), optionally a catalogue admin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--catalogue-admin",
            action="store_true",
            help="Also make it a catalogue administrator (staff: price imports and the admin).",
        )

    def handle(self, *args, username: str, catalogue_admin: bool, **options):
        user_model = get_user_model()
        username = username.strip()
        try:
            user_model.username_validator(username)
        except ValidationError:
            raise CommandError(
                "Use only letters, digits and @ . + - _ in the username (at most 150)."
            ) from None
        if len(username) > 150:
            raise CommandError("A username has at most 150 characters.")
        password = None
        with transaction.atomic():
            user = user_model.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = user_model.objects.create_user(username=username, password=password)
            facilitator_role_grant(user=user)
            if catalogue_admin:
                catalogue_admin_grant(user=user)
        role = "facilitator and catalogue administrator" if catalogue_admin else "facilitator"
        if password:
            self.stdout.write(self.style.SUCCESS(f"Account {username} created as {role}."))
            self.stdout.write(f"  password: {password}")
            self.stdout.write("  (shown once; change it after signing in)")
        else:
            self.stdout.write(self.style.SUCCESS(f"{username} is now a {role}."))
