"""`manage.py serve`: everything a venue laptop needs, in one command.

Checks that the libraries documents need are there, migrates, loads the seeded catalogues,
makes the first facilitator login, then serves the app on the LAN with a server that runs on
Linux, macOS and Windows (granian), starts the document worker beside it, and prints where to
find it. Ctrl+C stops both.
"""

import io
import os
import secrets
import signal
import socket
import sys

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import get_internal_wsgi_application
from django.db import connections, transaction

from common.addresses import lan_url_set as addresses_lan_url_set
from workshops.demo import demo_workshop_create
from workshops.roles import full_name_parts
from workshops.services import catalogue_admin_grant, facilitator_role_grant
from workshops.worker import DocumentWorker

SERVERS = ("granian", "waitress", "gunicorn")
# Measured against waitress and gunicorn with bench/load.py (README, "Load").
# gunicorn where it runs: a terminal's Ctrl+C (SIGINT to the whole process group) stops it and
# the worker. granian with several processes does not stop on that (tests/workshops/
# test_serve.py), so it is the default only on Windows, where gunicorn does not run.
DEFAULT_SERVER = "granian" if sys.platform == "win32" else "gunicorn"

MISSING_PANGO = """\
The PDF documents cannot be made: WeasyPrint did not find the Pango libraries ({error}).
Install them, then start again:
  Debian/Ubuntu:  sudo apt install libpango-1.0-0 libpangoft2-1.0-0
  macOS:          brew install pango
  Windows:        install MSYS2, then in its terminal: pacman -S mingw-w64-ucrt-x86_64-pango
                  (found in C:\\msys64\\ucrt64\\bin; elsewhere, set WEASYPRINT_DLL_DIRECTORIES)
See README.md, "A fresh laptop"."""


def check_document_libraries() -> None:
    """CommandError, saying what to install, when WeasyPrint cannot load its system libraries."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        raise CommandError(MISSING_PANGO.format(error=str(error).splitlines()[0][:200])) from error


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine's interfaces, loopback last."""
    found: list[str] = []
    try:
        import fcntl
        import struct

        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _index, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(
                    sock.fileno(),
                    0x8915,
                    struct.pack("256s", name[:15].encode()),  # SIOCGIFADDR
                )
            except OSError:
                continue
            found.append(socket.inet_ntoa(packed[20:24]))
        sock.close()
    except (ImportError, OSError):
        try:
            found = socket.gethostbyname_ex(socket.gethostname())[2]
        except OSError:
            found = []
    found = list(dict.fromkeys(found))
    return sorted(found, key=lambda a: (a.startswith("127."), a)) or ["127.0.0.1"]


class Command(BaseCommand):
    help = "Prepare the database and run the workshop server on the local network."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("FINOPS_HOST", "0.0.0.0"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("FINOPS_PORT", 8000)))
        parser.add_argument(
            "--server",
            choices=SERVERS,
            default=os.environ.get("FINOPS_SERVER", DEFAULT_SERVER),
            help="The web server (default: granian, which runs on every platform).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("FINOPS_WORKERS", 2)),
            help="Processes, for granian (one on Windows) and gunicorn (waitress is one).",
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("FINOPS_THREADS", 16))
        )
        parser.add_argument(
            "--demo", action="store_true", help="Also create a demo workshop to click through."
        )
        parser.add_argument(
            "--prepare-only", action="store_true", help="Prepare the database and stop."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the document worker (run `manage.py db_worker` elsewhere).",
        )

    def handle(self, *args, **options):
        if not 1 <= options["port"] <= 65535:
            raise CommandError("--port must be between 1 and 65535.")
        self.prepare(demo=options["demo"])
        if options["prepare_only"]:
            return
        if options["server"] == "gunicorn" and sys.platform == "win32":
            raise CommandError("gunicorn does not run on Windows: use --server granian.")
        check_document_libraries()
        self.print_urls(options["host"], options["port"])
        # The server's processes open their own connections (none inherited from preparing).
        connections.close_all()
        worker = None if options["no_worker"] else DocumentWorker().start()
        # A terminate request (a service manager, a test) stops like Ctrl+C does.
        signal.signal(signal.SIGTERM, _exit_on_terminate)
        try:
            getattr(self, f"run_{options['server']}")(options)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.stop()
            self.stdout.write("Stopped.")

    def prepare(self, *, demo: bool) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load_catalogues", stdout=io.StringIO())
        self.ensure_first_facilitator()
        if demo:
            workshop, created = demo_workshop_create()
            verb = "Created" if created else "Kept"
            self.stdout.write(f"{verb} the demo workshop: {workshop}")

    def ensure_first_facilitator(self) -> None:
        user_model = get_user_model()
        with transaction.atomic():
            if user_model.objects.exists():
                return
            username = os.environ.get("FINOPS_ADMIN_USERNAME", "facilitator")
            password = os.environ.get("FINOPS_ADMIN_PASSWORD")
            name = os.environ.get("FINOPS_ADMIN_NAME")
            if name is None and sys.stdin.isatty():
                name = input("Your full name (printed in the register): ")
            generated = not password
            password = password or secrets.token_urlsafe(12)
            user = user_model.objects.create_superuser(
                username=username, email=os.environ.get("FINOPS_ADMIN_EMAIL", ""), password=password
            )
            if name and name.strip():
                try:
                    user.first_name, user.last_name = full_name_parts(name)
                except ValueError as error:
                    raise CommandError(f"FINOPS_ADMIN_NAME: {error}") from None
                user.save(update_fields=["first_name", "last_name"])
            # The laptop's owner: runs workshops and keeps the price catalogue.
            facilitator_role_grant(user=user)
            catalogue_admin_grant(user=user)
        self.stdout.write(self.style.SUCCESS("First facilitator account created."))
        self.stdout.write(f"  username: {username} (facilitator and catalogue administrator)")
        if user.get_full_name():
            self.stdout.write(f"  name: {user.get_full_name()}")
        else:
            self.stdout.write("  name: none yet; add it in the admin (the register prints it)")
        if generated:
            self.stdout.write(f"  password: {password}")
            self.stdout.write("  (shown once; change it in the admin after signing in)")
        else:
            self.stdout.write("  password: from FINOPS_ADMIN_PASSWORD")

    def print_urls(self, host: str, port: int) -> None:
        import segno

        addresses = lan_addresses() if host in ("0.0.0.0", "::", "") else [host]
        urls = [f"http://{address}:{port}/" for address in addresses]
        if not urls[0].startswith(("http://127.", "http://localhost")):
            # Links made from a page opened at 127.0.0.1 point the room here instead.
            addresses_lan_url_set(urls[0])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("AI FinOps Workshop is running. Open:"))
        for url in urls:
            self.stdout.write(f"  {url}")
        self.stdout.write(f"Tables join at {urls[0]}join")
        qr = segno.make(f"{urls[0]}join", error="m")
        qr.terminal(out=self.stdout._out, compact=True)
        self.stdout.write("Press Ctrl+C to stop.")
        self.stdout.flush()

    def run_waitress(self, options) -> None:
        from waitress import create_server

        application = get_internal_wsgi_application()
        server = create_server(
            application,
            host=options["host"],
            port=options["port"],
            threads=max(1, options["threads"]),
            connection_limit=1000,
            channel_timeout=120,
            ident="",
        )
        server.run()

    def run_granian(self, options) -> None:
        from granian.constants import Interfaces
        from granian.log import LogLevels
        from granian.server import Server

        Server(
            "finops_workshop.wsgi:application",
            address=options["host"],
            port=options["port"],
            interface=Interfaces.WSGI,
            # One process on Windows, where granian cannot share its socket between several.
            workers=1 if sys.platform == "win32" else max(1, options["workers"]),
            blocking_threads=max(1, options["threads"]),
            log_level=LogLevels.warning,
            log_access=bool(os.environ.get("FINOPS_ACCESS_LOG")),
        ).serve()

    def run_gunicorn(self, options) -> None:
        from gunicorn.app.base import BaseApplication

        application = get_internal_wsgi_application()
        bind = options["host"]
        bind = f"[{bind}]:{options['port']}" if ":" in bind else f"{bind}:{options['port']}"

        class WorkshopServer(BaseApplication):
            def load_config(self):
                config = {
                    "bind": bind,
                    "workers": max(1, options["workers"]),
                    "worker_class": "gthread",
                    "threads": max(1, options["threads"]),
                    "timeout": 120,
                    "graceful_timeout": 10,
                    "keepalive": 5,
                    "accesslog": os.environ.get("FINOPS_ACCESS_LOG") or None,
                    "errorlog": "-",
                    "loglevel": "warning",
                }
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        sys.argv = [sys.argv[0]]  # gunicorn must not read Django's arguments
        WorkshopServer().run()


def _exit_on_terminate(signum, frame):
    raise KeyboardInterrupt
