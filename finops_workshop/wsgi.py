"""WSGI entry point (gunicorn serves it; see workshops/management/commands/serve.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finops_workshop.settings")
application = get_wsgi_application()
