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
on it. Django views: :func:`paystar.django.webhook_view`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Optional, Union

from paystar._errors import WebhookError
from paystar._native import (
    MAX_WEBHOOK_BYTES,
    WEBHOOK_REASONS,
    WEBHOOK_SCHEMES,
    _webhook_parse,
    _webhook_sign,
    _WebhookVerifier,
)

__all__ = [
    "MAX_WEBHOOK_BYTES",
    "REASONS",
    "SCHEMES",
    "Body",
    "Headers",
    "WebhookError",
    "WebhookEvent",
    "WebhookVerifier",
    "parse",
    "sign",
]

REASONS: tuple[str, ...] = WEBHOOK_REASONS
"""Every ``WebhookError.reason``."""
SCHEMES: tuple[str, ...] = WEBHOOK_SCHEMES
"""Every authentication scheme."""

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
    return [list(pair) for pair in headers]


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
    within ``tolerance`` seconds (default 300). Bad options raise
    :class:`paystar.ConfigurationError` naming the option; the repr never shows a secret.
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
    ) -> None:
        self._native = _WebhookVerifier(
            scheme,
            secrets if isinstance(secrets, str) else list(secrets),
            header=header,
            encoding=encoding,
            timestamp_header=timestamp_header,
            tolerance=tolerance,
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
