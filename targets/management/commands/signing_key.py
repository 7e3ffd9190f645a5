"""Show this server's sign-off signing key (generated on first use), to give to the servers
that should trust its sign-offs (their FINOPS_TRUSTED_SIGNING_KEYS)."""

from django.core.management.base import BaseCommand

from common import signing


class Command(BaseCommand):
    help = "Show the public key this server signs finance sign-offs with, and its fingerprint."

    def add_arguments(self, parser):
        parser.add_argument(
            "--public",
            action="store_true",
            help="print only the public key (base64), e.g. to paste into another server's "
            "FINOPS_TRUSTED_SIGNING_KEYS",
        )

    def handle(self, *args, public=False, **options):
        public_key = signing.server_public_key()
        if public:
            self.stdout.write(public_key)
            return
        self.stdout.write(f"Public key:  {public_key}")
        self.stdout.write(f"Fingerprint: {signing.fingerprint(public_key)}")
        trusted = sorted(signing.trusted_public_keys() - {public_key})
        for key in trusted:
            self.stdout.write(f"Trusted:     {key} ({signing.fingerprint(key)})")
