"""Settings for the paystar checkout example. Secrets come from the environment, and the site
refuses to start without them unless it is explicitly in development.

Production: DJANGO_SECRET_KEY, PAYSTAR_API_KEY and PAYSTAR_WEBHOOK_SECRETS (comma-separated,
the new one first while rotating) are required; DEBUG is off; REDIS_URL (optional) makes the
webhook dedupe store shared by every worker.

Development: PAYSTAR_DEV=1 (or DJANGO_DEBUG=1) turns DEBUG on and lets the secrets be missing:
without PAYSTAR_API_KEY the embedded mock gateway plays Paystar (billing/paystar_client.py says
so when it starts), and without PAYSTAR_WEBHOOK_SECRETS a random secret is made for this run
(never a published one). `manage.py test` counts as development: the tests set their own.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

TESTING = sys.argv[1:2] == ["test"]
DEV = TESTING or "1" in (os.environ.get("PAYSTAR_DEV"), os.environ.get("DJANGO_DEBUG"))
REQUIRED = ("DJANGO_SECRET_KEY", "PAYSTAR_API_KEY", "PAYSTAR_WEBHOOK_SECRETS")
missing = [name for name in REQUIRED if not os.environ.get(name)]
if missing and not DEV:
    sys.exit(
        f"checkout: {', '.join(missing)} not set; refusing to start "
        "(set them, or PAYSTAR_DEV=1 for local development on the mock)"
    )

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(32)
DEBUG = DEV and not TESTING
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "billing",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "checkout_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
WSGI_APPLICATION = "checkout_site.wsgi.application"
STATIC_URL = "static/"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Paystar: the key is a secret, so it only ever comes from the environment.
PAYSTAR_API_KEY = os.environ.get("PAYSTAR_API_KEY", "")
# Development only (the check above): with no key, the embedded mock gateway plays Paystar.
PAYSTAR_DEV = DEV
PAYSTAR_ENVIRONMENT = os.environ.get("PAYSTAR_ENVIRONMENT", "development")
PAYSTAR_BASE_URL = os.environ.get("PAYSTAR_BASE_URL") or None
PAYSTAR_BUSINESS_UNIT = os.environ.get("PAYSTAR_BUSINESS_UNIT", "acme-utilities")
# Where Paystar sends customers back after paying: configuration, never the request's Host.
PAYSTAR_PUBLIC_URL = os.environ.get("PAYSTAR_PUBLIC_URL", "http://127.0.0.1:8000")
# The demo's bill (replace bill_for in billing/views.py with your billing data).
PAYSTAR_DEMO_BILL = {"amount": 15000, "description": "Your bill"}
# What this account's webhooks carry: Paystar documents no signing scheme, so this is whatever
# was agreed with Paystar for the account (docs/webhooks.md). A timestamped scheme: a captured
# delivery replayed after 5 minutes is refused.
PAYSTAR_WEBHOOK = {
    "scheme": "hmac_sha256",
    "secrets": (os.environ.get("PAYSTAR_WEBHOOK_SECRETS") or secrets.token_hex(16)).split(","),
    "header": "X-Paystar-Signature",
    "timestamp_header": "X-Paystar-Timestamp",
}
# Where the webhook endpoint remembers handled events: a cache every worker shares in
# production (REDIS_URL), the process's memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
# The checkout remembers the customer's session id in a signed cookie (no session table).
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "paystar": {"handlers": ["console"], "level": "WARNING"},
        "billing": {"handlers": ["console"], "level": "WARNING"},
    },
}
