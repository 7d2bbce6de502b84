"""Exceptions raised by paystar: one class per core error ``code``.

Generated from core's error codes and attributes by core/tests/generated: do not edit.
Every exception is a :class:`PaystarError` with the same attributes; catch the base class,
or a subclass for one kind. :class:`TimeoutError` and :class:`ConnectionError` also subclass
Python's builtins of the same name, so ``except TimeoutError`` (builtin) catches paystar's too.
A code this version does not know becomes an :class:`InternalError`.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

__all__ = [
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "ConnectionError",
    "DecodeError",
    "FieldError",
    "GatewayError",
    "InternalError",
    "PaystarError",
    "RateLimitedError",
    "ServerError",
    "TimeoutError",
    "ValidationError",
    "WebhookError",
]


@dataclass(frozen=True)
class FieldError:
    """One broken rule: ``path`` is the wire path (``Charges[1].Amount``)."""

    path: str
    rule: str
    message: str


@dataclass(frozen=True)
class GatewayError:
    """One item of the gateway's ``errors`` list, kept verbatim in ``raw``."""

    property_name: Optional[str]
    error_message: str
    raw: Any


class PaystarError(Exception):
    """Base class of every paystar error. ``str(e)`` is the message; never contains the key."""

    code: str
    """Stable code: ``validation_error``, ``timeout``, ... (see ``paystar.ERROR_CODES``)."""
    default_code: ClassVar[str] = ""

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        retryable: bool = False,
        status: Optional[int] = None,
        field_errors: tuple[FieldError, ...] = (),
        api_errors: tuple[GatewayError, ...] = (),
        attempts: int = 0,
        ambiguous: bool = False,
        retry_after: Optional[float] = None,
        request_id: Optional[str] = None,
        option: Optional[str] = None,
        reason: Optional[str] = None,
        response_status: Optional[int] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        """The stable code: ``validation_error``, ``timeout``, ..."""
        self.retryable = retryable
        """Whether trying the same call again later may succeed (core decides, per code)."""
        self.status = status
        """The HTTP status, when the gateway answered."""
        self.field_errors = tuple(field_errors)
        """Every broken rule (``validation_error``), by wire path (``Charges[0].Amount``)."""
        self.api_errors = tuple(api_errors)
        """The gateway's ``errors`` items (``api_error``), kept verbatim in ``raw``."""
        self.attempts = attempts
        """HTTP attempts made (0 when no request was sent)."""
        self.ambiguous = ambiguous
        """True when an earlier attempt may have reached the gateway (a retried create could
        collide with a unique client reference)."""
        self.retry_after = retry_after
        """How long the gateway asked to wait (``Retry-After``), when it did. In seconds."""
        self.request_id = request_id
        """The gateway's request id, when sent."""
        self.option = option
        """The option a ``configuration_error`` is about, as this language spells it (or as you
        wrote it, when unknown)."""
        self.reason = reason
        """Why a webhook was refused (``webhook_error``): ``signature_mismatch``, ..."""
        self.response_status = response_status
        """The HTTP status a webhook endpoint answers a ``webhook_error`` with (401, 400, 413)."""

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        extra = f", status={self.status}" if self.status is not None else ""
        extra += f", reason={self.reason!r}" if self.reason is not None else ""
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}{extra})"

    def __reduce__(self) -> Any:
        kwargs = {
            "code": self.code,
            "retryable": self.retryable,
            "status": self.status,
            "field_errors": self.field_errors,
            "api_errors": self.api_errors,
            "attempts": self.attempts,
            "ambiguous": self.ambiguous,
            "retry_after": self.retry_after,
            "request_id": self.request_id,
            "option": self.option,
            "reason": self.reason,
            "response_status": self.response_status,
        }
        return (_rebuild, (type(self), self.message, kwargs))


def _rebuild(cls: type[PaystarError], message: str, kwargs: dict[str, Any]) -> PaystarError:
    return cls(message, **kwargs)


class ValidationError(PaystarError, ValueError):
    """The input breaks a rule; ``field_errors`` lists every one. No request was sent."""

    default_code = "validation_error"


class ConfigurationError(PaystarError, ValueError):
    """A bad API key, base URL, timeout or other option (raised when the client is built, or for
    bad per-call options); ``option`` names it."""

    default_code = "configuration_error"


class AuthenticationError(PaystarError):
    """The gateway refused the key (401 or 403)."""

    default_code = "authentication_error"


class ApiError(PaystarError):
    """The gateway answered ``hasErrors: true``, another 4xx or a redirect; ``api_errors`` holds
    its items."""

    default_code = "api_error"


class RateLimitedError(PaystarError):
    """429 still failing after retries, or a ``Retry-After`` too long to wait (``retry_after``)."""

    default_code = "rate_limited"


class ServerError(PaystarError):
    """5xx still failing after retries."""

    default_code = "server_error"


class TimeoutError(PaystarError, builtins.TimeoutError):
    """An attempt timed out and retries ran out (or the overall deadline passed)."""

    default_code = "timeout"


class ConnectionError(PaystarError, builtins.ConnectionError):
    """DNS, connect, TLS or a dropped connection, and retries ran out."""

    default_code = "connection_error"


class DecodeError(PaystarError):
    """A 2xx answer that is not the documented envelope (or is over 1 MiB)."""

    default_code = "decode_error"


class InternalError(PaystarError):
    """A bug or a broken runtime inside paystar (never a crash): please report it. Also the
    class of a code this binding does not know."""

    default_code = "internal_error"


class WebhookError(PaystarError, ValueError):
    """A webhook failed authentication or parsing; ``reason`` says why and ``response_status``
    is what the endpoint answers."""

    default_code = "webhook_error"


_BY_CODE: dict[str, type[PaystarError]] = {
    "validation_error": ValidationError,
    "configuration_error": ConfigurationError,
    "authentication_error": AuthenticationError,
    "api_error": ApiError,
    "rate_limited": RateLimitedError,
    "server_error": ServerError,
    "timeout": TimeoutError,
    "connection_error": ConnectionError,
    "decode_error": DecodeError,
    "internal_error": InternalError,
    "webhook_error": WebhookError,
}


def _from_value(value: dict[str, Any]) -> PaystarError:
    """The exception for one of core's error values (``paystar::bridge::error_value``)."""
    cls = _BY_CODE.get(value["code"], InternalError)
    fields = tuple(FieldError(**f) for f in value.pop("field_errors"))
    items = tuple(GatewayError(**a) for a in value.pop("api_errors"))
    message = value.pop("message")
    return cls(message, field_errors=fields, api_errors=items, **value)
