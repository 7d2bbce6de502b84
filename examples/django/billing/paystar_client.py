"""One paystar.Client per process, built from settings (rebuilt when tests override them).

In development without a key (settings.PAYSTAR_DEV, no PAYSTAR_API_KEY) the client talks to an
embedded mock gateway started here on first use, which delivers signed webhooks to this site's
endpoint when a session is paid on its page; the log says so. Outside development, a missing key
stopped the site at startup (settings.py), so nothing here ever falls back to the mock silently.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Optional

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

import paystar
from paystar.testing import MockGateway

log = logging.getLogger(__name__)

_mock: list[MockGateway] = []


def _dev_mock() -> MockGateway:
    """The development mock (one per process), delivering webhooks to this site."""
    if not _mock:
        gateway = MockGateway()
        hook = settings.PAYSTAR_WEBHOOK
        gateway.set_webhook(
            settings.PAYSTAR_PUBLIC_URL.rstrip("/") + "/paystar/webhook/",
            scheme=hook["scheme"],
            secret=hook["secrets"][0],
            header=hook.get("header"),
            timestamp_header=hook.get("timestamp_header"),
        )
        log.warning(
            "development mode, no PAYSTAR_API_KEY: the embedded mock gateway at %s plays Paystar",
            gateway.url,
        )
        _mock.append(gateway)
    return _mock[0]


@functools.lru_cache(maxsize=1)
def get_client() -> paystar.Client:
    """The shared client (thread-safe; safe to build before gunicorn forks its workers)."""
    base_url: Optional[str] = settings.PAYSTAR_BASE_URL
    key: Optional[str] = settings.PAYSTAR_API_KEY or None
    if settings.PAYSTAR_DEV and not key and not base_url:
        gateway = _dev_mock()
        base_url, key = gateway.url, gateway.api_key
    return paystar.Client(
        key,
        environment=None if base_url else settings.PAYSTAR_ENVIRONMENT,
        base_url=base_url,
        timeout=10.0,
        user_agent_suffix="acme-checkout/1.0",
    )


@receiver(setting_changed)
def _reset(setting: str, **_: Any) -> None:
    if setting.startswith("PAYSTAR_"):
        get_client.cache_clear()
