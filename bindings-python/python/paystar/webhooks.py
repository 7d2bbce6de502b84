"""Webhooks: authenticate and parse what Paystar posts to your backend.

Paystar's public documentation defines **no webhook signing scheme**, and each business unit's
payload is a template Paystar fills in. So you configure what *your* account sends::

    from paystar.webhooks import WebhookVerifier

    verifier = WebhookVerifier("hmac_sha256", ["whsk_current", "whsk_previous"],
                               header="X-Paystar-Signature")
    event = verifier.verify(request.body, request.headers)   # raises paystar.WebhookError
    if event.action == "Payment.Succeeded":
        record(event.session_identifier, event.amount_cents, key=event.idempotency_key)

Schemes: ``shared_secret`` (a header equals a secret), ``hmac_sha256`` (hex or base64 HMAC of
the body, or of ``"{timestamp}.{body}"`` with ``timestamp_header``), ``standard_webhooks``
(``webhook-id`` / ``webhook-timestamp`` / ``webhook-signature``). Authentication happens before
parsing, in constant time, with several secrets at once for rotation; bodies over 256 KiB are
refused. Even an authentic webhook is a hint: confirm money movement server-side before acting
on it.

:meth:`WebhookVerifier.handle` is a whole endpoint that handles each event exactly once::

    answer = verifier.handle(body, headers, store, record_payment)   # -> WebhookAnswer
    return answer.response or HttpResponse(answer.body, status=answer.status,
                                           content_type="application/json")

It verifies, claims the event's key in ``store`` with a lease (default 60 s), runs the handler,
then completes the key (default 7 days) or, if the handler raised or answered a non-2xx, releases
it so the redelivery is handled. A redelivery of a handled event answers 200
``{"duplicate": true}``; one arriving while the handler runs answers 409 (the sender retries). A
process that dies in the handler leaves a lease that expires. ``store`` is a
:class:`MemoryStore` (one process) or anything with ``claim``, ``complete`` and ``release``
(:class:`DedupeStore`; Django's cache: :class:`paystar.django.CacheStore`). Django views:
:func:`paystar.django.webhook_view`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Protocol, Union

from paystar import _otel
from paystar._errors import WebhookError
from paystar._native import (
    MAX_WEBHOOK_BYTES,
    WEBHOOK_ANSWERS,
    WEBHOOK_REASONS,
    WEBHOOK_SCHEMES,
    WEBHOOK_STORE,
    _MemoryStore,
    _webhook_after_claim,
    _webhook_parse,
    _webhook_sign,
    _WebhookVerifier,
)

__all__ = [
    "MAX_WEBHOOK_BYTES",
    "READ_LIMIT",
    "REASONS",
    "SCHEMES",
    "Body",
    "DedupeStore",
    "Headers",
    "MemoryStore",
    "WebhookAnswer",
    "WebhookError",
    "WebhookEvent",
    "WebhookVerifier",
    "parse",
    "sign",
]

log = logging.getLogger("paystar.webhooks")

REASONS: tuple[str, ...] = WEBHOOK_REASONS
"""Every ``WebhookError.reason``."""
SCHEMES: tuple[str, ...] = WEBHOOK_SCHEMES
"""Every authentication scheme."""
READ_LIMIT: int = WEBHOOK_STORE["read_limit"]
"""How many bytes of a body an endpoint reads at most (one more than it accepts)."""

Body = Union[bytes, bytearray, memoryview, str]
"""A raw request body (a ``str`` is taken as UTF-8)."""
Headers = Union[Mapping[str, Union[str, Iterable[str]]], Iterable[tuple[str, str]]]
"""Request headers: any mapping (Django's ``request.headers``), or ``(name, value)`` pairs."""


@dataclass(frozen=True)
class WebhookEvent:
    """A parsed webhook. Fields the template lacks (or leaves empty) are ``None``."""

    action: Optional[str]
    """The event type: ``Payment.Succeeded``, ``AutoPay.Enrolled``, ..."""
    payload: dict[str, Any]
    """``payload`` as sent (the whole body when the template has none)."""
    raw: Any
    """The whole body, parsed."""
    session_identifier: Optional[str]
    """The payment session's id (``Session.id``)."""
    status: Optional[str]
    """``payload.status``, e.g. ``Succeeded``."""
    reference_number: Optional[str]
    """Paystar's reference for the payment."""
    account_number: Optional[str]
    """``payload.accountNumber``."""
    account_name: Optional[str]
    """``payload.accountName``."""
    amount_cents: Optional[int]
    """``payload.amount`` (decimal dollars, ``"300.34"``) in cents, converted exactly."""
    service_fee_cents: Optional[int]
    """``payload.serviceFee`` (already in cents)."""
    idempotency_key: str
    """The same for every redelivery of one event: de-duplicate on it."""


@dataclass(frozen=True)
class WebhookAnswer:
    """What a webhook endpoint answers: ``status`` and a JSON ``body`` (``""`` for none), or
    the handler's own ``response`` (send it as it is when it is not ``None``). ``attributes``
    say what happened for the server's span (``paystar.webhook.outcome``, ...); ``handle``
    sets them on the current OpenTelemetry span when the API is installed."""

    status: int
    body: str = ""
    response: Any = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


def _spanned(attributes: list[dict[str, Any]]) -> dict[str, Any]:
    """Core's attributes as a dict, set on the current span when OpenTelemetry is there."""
    out = {a["key"]: a["value"] for a in attributes}
    _otel._set_current(out)
    return out


def _answer(value: dict[str, Any], response: Any = None) -> WebhookAnswer:
    """Core's answer record as a :class:`WebhookAnswer`, its attributes on the current span."""
    return WebhookAnswer(
        status=value["status"],
        body=value["body"],
        response=response,
        attributes=_spanned(value["attributes"]),
    )


class DedupeStore(Protocol):
    """Where an endpoint remembers events: three operations on one key each. A store shared
    by several processes must make ``claim`` atomic across them (a cache's ``add``, Redis
    ``SET NX PX``, a database insert on a unique key)."""

    def claim(self, key: str, lease: float) -> str:
        """Takes ``key`` for ``lease`` seconds if free (``"claimed"``), else says
        ``"in_progress"`` (held) or ``"done"`` (handled)."""
        ...

    def complete(self, key: str, ttl: float) -> None:
        """Marks ``key`` handled for ``ttl`` seconds."""
        ...

    def release(self, key: str) -> None:
        """Frees ``key`` (its handler failed)."""
        ...


class MemoryStore:
    """The in-process :class:`DedupeStore` (core's): for one process, bounded to 100,000
    keys. Several processes (gunicorn workers) need a shared store."""

    __slots__ = ("_native",)

    def __init__(self) -> None:
        self._native = _MemoryStore()

    def claim(self, key: str, lease: float) -> str:
        return self._native.claim(key, lease)

    def complete(self, key: str, ttl: float) -> None:
        self._native.complete(key, ttl)

    def release(self, key: str) -> None:
        self._native.release(key)

    def state(self, key: str) -> Optional[str]:
        """``"pending"``, ``"done"`` or ``None``: what the store holds for ``key`` now."""
        return self._native.state(key)

    def advance(self, seconds: float) -> None:
        """Moves this store's clock forward (leases and handled keys expire as if the time had
        passed): for tests of crash recovery."""
        self._native.advance(seconds)


def _status_of(result: Any) -> Optional[int]:
    """The status of what a handler returned: ``None``, a status code, or a response with a
    ``status_code`` (Django's ``HttpResponse``)."""
    if result is None:
        return None
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    status = getattr(result, "status_code", None)
    if isinstance(status, int):
        return status
    raise TypeError(
        "a webhook handler returns None, a status code or a response with status_code, "
        f"not {type(result).__name__}"
    )


def _event_from_value(value: dict[str, Any]) -> WebhookEvent:
    return WebhookEvent(**value)


def _bytes(body: Body) -> bytes:
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"a webhook body is bytes or str, not {type(body).__name__}")


def _headers(headers: Headers) -> Any:
    if isinstance(headers, Mapping):
        return {
            str(k): v if isinstance(v, str) else list(v)
            for k, v in headers.items()
            if v is not None
        }
    # A text in the list (a flat name, value, ... list) goes as it is: core names the mistake.
    return [pair if isinstance(pair, str) else list(pair) for pair in headers]


def parse(body: Body) -> WebhookEvent:
    """Parses a body **without** authenticating it; raises :class:`paystar.WebhookError`."""
    event: WebhookEvent = _webhook_parse(_bytes(body))
    return event


class WebhookVerifier:
    """Authenticates webhook deliveries, then parses them. Build one at startup and share it
    (it is immutable and thread-safe; verifying is pure CPU and releases the GIL).

    ``secrets`` is one secret or a list (the new and the old one while rotating; for
    ``standard_webhooks``, ``whsec_`` and base64). ``header`` names the header for
    ``shared_secret`` (default ``X-Webhook-Secret``) and ``hmac_sha256`` (default
    ``X-Webhook-Signature``); ``encoding`` is ``hex`` (default) or ``base64``;
    ``timestamp_header`` makes ``hmac_sha256`` sign ``"{timestamp}.{body}"`` and check the time
    within ``tolerance`` seconds (default 300): without it a captured delivery verifies forever,
    so prefer it (or ``standard_webhooks``). ``lease`` (default 60 s) and ``done_ttl`` (default
    7 days) are :meth:`handle`'s. Bad options raise :class:`paystar.ConfigurationError` naming
    the option; the repr never shows a secret.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        scheme: str,
        secrets: Union[str, Iterable[str]],
        *,
        header: Optional[str] = None,
        encoding: Optional[str] = None,
        timestamp_header: Optional[str] = None,
        tolerance: Optional[float] = None,
        lease: Optional[float] = None,
        done_ttl: Optional[float] = None,
    ) -> None:
        self._native = _WebhookVerifier(
            scheme,
            # None (an unset variable) goes to core, which names it; anything else as a list.
            secrets if isinstance(secrets, str) or secrets is None else list(secrets),
            header=header,
            encoding=encoding,
            timestamp_header=timestamp_header,
            tolerance=tolerance,
            lease=lease,
            done_ttl=done_ttl,
        )

    @property
    def scheme(self) -> str:
        """The scheme's name."""
        return self._native.scheme

    def verify(self, body: Body, headers: Headers, *, now: Optional[int] = None) -> WebhookEvent:
        """Authenticates ``body`` (the raw bytes, exactly as received) against ``headers``,
        then parses it; raises :class:`paystar.WebhookError` (``reason`` says why). ``now``
        (Unix seconds) is for tests."""
        event: WebhookEvent = self._native.verify(_bytes(body), _headers(headers), now=now)
        return event

    def handle(
        self,
        body: Body,
        headers: Headers,
        store: DedupeStore,
        handler: Callable[[WebhookEvent], Any],
        *,
        now: Optional[int] = None,
    ) -> WebhookAnswer:
        """A whole webhook endpoint (see the module's text): ``handler(event)`` runs once per
        event and returns ``None`` (answer 204), a status code, or a response with a
        ``status_code`` (sent as it is; a non-2xx releases the key). If it raises, the key is
        released and the exception propagates (your framework answers 500). A refusal is
        logged to the ``paystar.webhooks`` logger; a failing store answers 503. ``now`` (Unix
        seconds) is for tests."""
        step = self._native.receive(_bytes(body), _headers(headers), now=now)
        refused = step.get("refused")
        if refused is not None:
            error: WebhookError = refused["error"]
            log.warning("webhook refused: %s (%s)", error.reason, error)
            return _answer(refused["answer"])
        delivery = step["delivery"]
        _spanned(delivery["attributes"])
        key: str = delivery["store_key"]
        try:
            claim = store.claim(key, delivery["lease"])
        except Exception:
            log.exception("webhook dedupe store failed to claim %s", key)
            return _answer(WEBHOOK_ANSWERS["store_unavailable"])
        early = _webhook_after_claim(claim)
        if early is not None:
            return _answer(early)
        try:
            result = handler(delivery["event"])
            status = _status_of(result)
        except BaseException:
            self._settle(store, key, raised=True, status=None)
            raise
        settlement = self._settle(store, key, raised=False, status=status)
        if settlement["answer"] is not None:
            return _answer(settlement["answer"])
        attributes = _spanned(settlement["attributes"])
        return WebhookAnswer(status=status or 204, response=result, attributes=attributes)

    def _settle(
        self, store: DedupeStore, key: str, *, raised: bool, status: Optional[int]
    ) -> dict[str, Any]:
        """Completes or releases ``key`` as core says; core's settlement (its attributes on the
        current span)."""
        settlement: dict[str, Any] = self._native.settle(raised, status)
        if raised:
            _spanned(settlement["attributes"])
        try:
            if settlement["store"] == "complete":
                store.complete(key, settlement["ttl"])
            else:
                store.release(key)
        except Exception:  # the lease expires on its own; the answer stands
            log.exception("webhook dedupe store failed to settle %s", key)
        return settlement

    def __repr__(self) -> str:
        return repr(self._native)


def sign(
    body: Body,
    scheme: str,
    secret: str,
    *,
    header: Optional[str] = None,
    encoding: Optional[str] = None,
    timestamp_header: Optional[str] = None,
    timestamp: Optional[int] = None,
    id: Optional[str] = None,
) -> dict[str, str]:
    """The headers a sender using ``scheme`` attaches to ``body``: for tests of an endpoint."""
    headers: dict[str, str] = _webhook_sign(
        _bytes(body),
        scheme=scheme,
        secret=secret,
        header=header,
        encoding=encoding,
        timestamp_header=timestamp_header,
        timestamp=timestamp,
        id=id,
    )
    return headers
