"""Settings for the paystar checkout example. Paystar settings come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-a-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
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
PAYSTAR_ENVIRONMENT = os.environ.get("PAYSTAR_ENVIRONMENT", "development")
PAYSTAR_BASE_URL = os.environ.get("PAYSTAR_BASE_URL") or None
PAYSTAR_BUSINESS_UNIT = os.environ.get("PAYSTAR_BUSINESS_UNIT", "acme-utilities")
# Where Paystar sends customers back after paying: configuration, never the request's Host.
PAYSTAR_PUBLIC_URL = os.environ.get("PAYSTAR_PUBLIC_URL", "http://127.0.0.1:8000")
# The demo's bill (replace bill_for in billing/views.py with your billing data).
PAYSTAR_DEMO_BILL = {"amount": 15000, "description": "Your bill"}
# What this account's webhooks carry: Paystar documents no signing scheme, so this is whatever
# was agreed with Paystar for the account (see README, "Webhooks").
PAYSTAR_WEBHOOK = {
    "scheme": os.environ.get("PAYSTAR_WEBHOOK_SCHEME", "hmac_sha256"),
    "secrets": os.environ.get("PAYSTAR_WEBHOOK_SECRETS", "whsk_dev_only_not_a_secret").split(","),
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
