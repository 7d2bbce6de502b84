"""WSGI entry point (gunicorn checkout_site.wsgi --preload works: paystar is fork-safe)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checkout_site.settings")
application = get_wsgi_application()
