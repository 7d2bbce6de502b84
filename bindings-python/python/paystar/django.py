"""Django integration: a view decorator that receives Paystar webhooks.

::

    # settings.py: what your Paystar account's webhooks carry (Paystar documents no scheme)
    PAYSTAR_WEBHOOK = {"scheme": "hmac_sha256", "secrets": [env("PAYSTAR_WEBHOOK_SECRET")],
                       "header": "X-Paystar-Signature"}

    # views.py
    from paystar.django import webhook_view

    @webhook_view()
    def paystar_webhook(request, event):
        if event.action == "Payment.Succeeded":
            Payment.objects.get_or_create(idempotency_key=event.idempotency_key, defaults=...)

The decorated view answers only ``POST`` (405 otherwise) and is exempt from CSRF (the signature
authenticates it). It reads the raw body, verifies and parses it (a refusal is logged to the
``paystar.webhooks`` logger and answered with ``WebhookError.response_status``: 401, 400 or 413,
and the view is not called), and de-duplicates redeliveries through Django's cache on the
event's ``idempotency_key`` (a repeat is answered 200 without calling the view; if the view
raises, the key is released so the redelivery is handled). Your view returns a response, or
``None`` for 204. Use a cache shared by every process (Redis, Memcached, the database) in
production, and keep a unique constraint on the key in your database as the last word.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Optional, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from paystar._errors import WebhookError
from paystar.webhooks import WebhookEvent, WebhookVerifier

__all__ = ["verifier_from_settings", "webhook_view"]

log = logging.getLogger("paystar.webhooks")

View = TypeVar("View", bound=Callable[..., HttpResponse])
WebhookHandler = Callable[..., Optional[HttpResponse]]

#: How long a handled event's key is remembered: 7 days.
DEDUPE_SECONDS = 7 * 24 * 3600


def verifier_from_settings() -> WebhookVerifier:
    """A verifier from ``settings.PAYSTAR_WEBHOOK`` (``scheme``, ``secrets`` and the optional
    ``header``, ``encoding``, ``timestamp_header``, ``tolerance``)."""
    config: dict[str, Any] = dict(getattr(settings, "PAYSTAR_WEBHOOK", None) or {})
    if "scheme" not in config or "secrets" not in config:
        raise WebhookError(
            "settings.PAYSTAR_WEBHOOK must name a scheme and secrets", code="configuration_error"
        )
    return WebhookVerifier(config.pop("scheme"), config.pop("secrets"), **config)


_from_settings: list[WebhookVerifier] = []


def _settings_verifier() -> WebhookVerifier:
    """The verifier from settings, built once (a race builds two equal ones: harmless)."""
    if not _from_settings:
        _from_settings.append(verifier_from_settings())
    return _from_settings[0]


@receiver(setting_changed)
def _settings_changed(setting: str, **_: Any) -> None:
    if setting == "PAYSTAR_WEBHOOK":
        _from_settings.clear()


def webhook_view(
    verifier: Optional[WebhookVerifier] = None,
    *,
    cache_alias: str = "default",
    dedupe_seconds: int = DEDUPE_SECONDS,
) -> Callable[[WebhookHandler], Callable[..., HttpResponse]]:
    """Decorates ``view(request, event, *args, **kwargs)`` into a webhook endpoint (see the
    module's text). ``verifier`` defaults to :func:`verifier_from_settings`, built on first
    use (and rebuilt when tests override the setting)."""

    def decorate(view: WebhookHandler) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            try:
                v = verifier if verifier is not None else _settings_verifier()
                event: WebhookEvent = v.verify(request.body, request.headers)
            except WebhookError as e:
                log.warning("webhook refused: %s (%s)", e.reason, e)
                return JsonResponse({"error": e.reason}, status=e.response_status or 400)
            cache = caches[cache_alias]
            key = "paystar:webhook:" + event.idempotency_key
            if not cache.add(key, 1, timeout=dedupe_seconds):
                log.info("webhook redelivered, already handled: %s", event.idempotency_key)
                return JsonResponse({"duplicate": True})
            try:
                response = view(request, event, *args, **kwargs)
            except BaseException:
                cache.delete(key)
                raise
            return response if response is not None else HttpResponse(status=204)

        return cast(Callable[..., HttpResponse], endpoint)

    return decorate
