"""WSGI entry point (gunicorn serves it; see workshops/management/commands/serve.py)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

# A thread rendering a PDF holds the GIL for seconds: hand it over every 0.5 ms (not 5 ms) so
# the worker's other requests, which release it at every query, do not queue behind it.
sys.setswitchinterval(0.0005)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finops_workshop.settings")
application = get_wsgi_application()
