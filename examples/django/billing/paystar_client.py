"""One paystar.Client per process, built from settings (rebuilt when tests override them)."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

import paystar


@functools.lru_cache(maxsize=1)
def get_client() -> paystar.Client:
    """The shared client (thread-safe; safe to build before gunicorn forks its workers)."""
    return paystar.Client(
        settings.PAYSTAR_API_KEY or None,
        environment=None if settings.PAYSTAR_BASE_URL else settings.PAYSTAR_ENVIRONMENT,
        base_url=settings.PAYSTAR_BASE_URL,
        timeout=10.0,
        user_agent_suffix="acme-checkout/1.0",
    )


@receiver(setting_changed)
def _reset(setting: str, **_: Any) -> None:
    if setting.startswith("PAYSTAR_"):
        get_client.cache_clear()
