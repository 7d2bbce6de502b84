"""Paystar Embedded Session API client (a Rust core with a thin Python shim).

>>> import paystar
>>> client = paystar.Client()  # reads PAYSTAR_API_KEY / PAYSTAR_ENVIRONMENT  # doctest: +SKIP
>>> session = client.create_wallet_session(  # doctest: +SKIP
...     business_unit_slug="acme-utilities",
...     client_user={"email_address": "jane@example.com"},
... )
>>> session.url  # doctest: +SKIP

Errors are :class:`PaystarError` subclasses with a stable ``code``. Logs go to the ``paystar``
logger (DEBUG per attempt, WARNING on retry; never the key or bodies). Safe across threads and
after ``os.fork()``. Webhooks: :mod:`paystar.webhooks` (and :mod:`paystar.django`). Tests:
:mod:`paystar.testing`. A customer's names or email change through the Events API:
``client.update_customer(...)`` (and ``client.send_event(...)`` for other event types).
"""

from paystar._errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    ConnectionError,
    DecodeError,
    FieldError,
    GatewayError,
    InternalError,
    PaystarError,
    RateLimitedError,
    ServerError,
    TimeoutError,
    ValidationError,
    WebhookError,
)
from paystar._native import (
    ERROR_CODES,
    OPERATIONS,
    RULES,
    AsyncClient,
    Client,
    __version__,
)
from paystar._session import EventReceipt, Session

__all__ = [
    "ERROR_CODES",
    "OPERATIONS",
    "RULES",
    "ApiError",
    "AsyncClient",
    "AuthenticationError",
    "Client",
    "ConfigurationError",
    "ConnectionError",
    "DecodeError",
    "EventReceipt",
    "FieldError",
    "GatewayError",
    "InternalError",
    "PaystarError",
    "RateLimitedError",
    "ServerError",
    "Session",
    "TimeoutError",
    "ValidationError",
    "WebhookError",
    "__version__",
]
