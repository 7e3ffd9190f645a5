"""`manage.py add_facilitator USERNAME [--name "Ana Ruiz"]`: give an account the facilitator
role, making the account first if there is none (its password is printed once). The full name
is what the register and the materials print; a new account is asked for it when the command
runs in a terminal."""

import secrets
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workshops.roles import full_name_parts
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
        parser.add_argument(
            "--name",
            default=None,
            help="The person's full name, as the register prints it (asked for when missing).",
        )

    def handle(self, *args, username: str, catalogue_admin: bool, name=None, **options):
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
        exists = user_model.objects.filter(username=username).exists()
        if name is None and not exists and sys.stdin.isatty():
            name = input("Full name (printed in the register): ")
        parts = None
        if name is not None and name.strip():
            try:
                parts = full_name_parts(name)
            except ValueError as error:
                raise CommandError(str(error)) from None
        password = None
        with transaction.atomic():
            user = user_model.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = user_model.objects.create_user(username=username, password=password)
            if parts is not None:
                user.first_name, user.last_name = parts
                user.save(update_fields=["first_name", "last_name"])
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
        if not (user.get_full_name() or "").strip():
            self.stdout.write(
                f"  No full name: the register will show {username}. Add one with --name."
            )
