"""Django integration: a view decorator that receives Paystar webhooks, each event once.

::

    # settings.py: what your Paystar account's webhooks carry (Paystar documents no scheme)
    PAYSTAR_WEBHOOK = {"scheme": "hmac_sha256", "secrets": [os.environ["PAYSTAR_WEBHOOK_SECRET"]],
                       "header": "X-Paystar-Signature", "timestamp_header": "X-Paystar-Timestamp"}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": "redis://127.0.0.1:6379"}}   # shared by every worker

    # views.py
    from paystar.django import webhook_view

    @webhook_view()
    def paystar_webhook(request, event):
        if event.action == "Payment.Succeeded":
            Payment.objects.create(idempotency_key=event.idempotency_key, ...)

The decorated view answers only ``POST`` (405 otherwise) and is exempt from CSRF (the signature
authenticates it). It reads at most 256 KiB + 1 byte of the body, then runs core's endpoint
(:meth:`paystar.webhooks.WebhookVerifier.handle`): a refused delivery is logged to the
``paystar.webhooks`` logger and answered 401, 400 or 413 without calling the view; the event's
key is claimed in Django's cache (:class:`CacheStore`: ``add`` with a 60 s lease); your view
runs and returns a response (or ``None`` for 204); a 2xx completes the key for 7 days, and an
exception or any other status releases it at once, so Paystar's redelivery is handled. A
redelivery of a handled event is answered 200 ``{"duplicate": true}``; one arriving while your
view runs, 409 (Paystar retries later). A worker killed mid-view leaves a lease that expires.
Missing settings answer 500 (and log why), so Paystar keeps retrying instead of dropping events.

Use a cache shared by every process (Redis, Memcached, the database cache) when you run more
than one worker; the default local-memory cache is per process.
"""

from __future__ import annotations

import functools
import logging
import math
from typing import Any, Callable, Optional, TypeVar, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from paystar._errors import ConfigurationError, PaystarError
from paystar._native import WEBHOOK_ANSWERS, WEBHOOK_STORE, _claim_of_existing
from paystar.webhooks import READ_LIMIT, DedupeStore, WebhookAnswer, WebhookVerifier, _answer

__all__ = ["CacheStore", "verifier_from_settings", "webhook_view"]

log = logging.getLogger("paystar.webhooks")

View = TypeVar("View", bound=Callable[..., HttpResponse])
WebhookHandler = Callable[..., Optional[HttpResponse]]


class CacheStore:
    """A :class:`paystar.webhooks.DedupeStore` on any Django cache: ``add`` claims (atomic
    in every backend Django ships), ``set`` completes, ``delete`` releases. Shared by every
    worker when the cache is (Redis, Memcached, database)."""

    def __init__(self, cache: BaseCache) -> None:
        self.cache = cache

    def claim(self, key: str, lease: float) -> str:
        if self.cache.add(key, WEBHOOK_STORE["pending"], timeout=math.ceil(lease)):
            return "claimed"
        return _claim_of_existing(self.cache.get(key))

    def complete(self, key: str, ttl: float) -> None:
        self.cache.set(key, WEBHOOK_STORE["done"], timeout=math.ceil(ttl))

    def release(self, key: str) -> None:
        self.cache.delete(key)


def verifier_from_settings() -> WebhookVerifier:
    """A verifier from ``settings.PAYSTAR_WEBHOOK`` (``scheme``, ``secrets`` and the optional
    ``header``, ``encoding``, ``timestamp_header``, ``tolerance``, ``lease``, ``done_ttl``);
    :class:`paystar.ConfigurationError` when it is missing or wrong."""
    config: dict[str, Any] = dict(getattr(settings, "PAYSTAR_WEBHOOK", None) or {})
    if "scheme" not in config or "secrets" not in config:
        raise ConfigurationError("settings.PAYSTAR_WEBHOOK: must name a scheme and secrets")
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


def _response(answer: WebhookAnswer) -> HttpResponse:
    if answer.response is not None:
        return cast(HttpResponse, answer.response)
    return HttpResponse(answer.body, status=answer.status, content_type="application/json")


def _body(request: HttpRequest) -> bytes:
    """At most READ_LIMIT bytes: a larger body is refused (413) without reading the rest."""
    if hasattr(request, "_body"):  # a middleware read it already
        return request.body[:READ_LIMIT]
    return request.read(READ_LIMIT)


def webhook_view(
    verifier: Optional[WebhookVerifier] = None,
    *,
    cache_alias: str = "default",
    store: Optional[DedupeStore] = None,
) -> Callable[[WebhookHandler], Callable[..., HttpResponse]]:
    """Decorates ``view(request, event, *args, **kwargs)`` into a webhook endpoint (see the
    module's text). ``verifier`` defaults to :func:`verifier_from_settings`, built on first
    use (and rebuilt when tests override the setting); ``store`` to a :class:`CacheStore` on
    ``caches[cache_alias]``."""

    def decorate(view: WebhookHandler) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            try:
                v = verifier if verifier is not None else _settings_verifier()
            except PaystarError as e:
                log.error("webhook endpoint misconfigured, answering 500: %s", e)
                return _response(_answer(WEBHOOK_ANSWERS["misconfigured"]))
            answer = v.handle(
                _body(request),
                request.headers,
                store if store is not None else CacheStore(caches[cache_alias]),
                lambda event: view(request, event, *args, **kwargs),
            )
            return _response(answer)

        return cast(Callable[..., HttpResponse], endpoint)

    return decorate
