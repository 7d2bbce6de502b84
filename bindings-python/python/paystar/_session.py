"""The operations' results: :class:`Session` and :class:`EventReceipt`, from core's values."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any, Optional

__all__ = ["EventReceipt", "Session"]


@dataclass(frozen=True)
class Session:
    """A created session: give ``url`` to the page, which opens it with Paystar's loader
    (``Paystar.completePayment`` for payments, ``Paystar.startFlow`` for the others:
    ``loader_call`` says which)."""

    kind: str
    """``"payment"``, ``"autopay"``, ``"wallet"``, ``"paperless"`` or ``"notification"``."""
    id: Optional[str]
    """The payment session id (payments), or ``None`` when the gateway sent none."""
    url: str
    """The short-lived session URL."""
    status: Optional[str]
    """The gateway's status string, when sent."""
    expires_at: datetime.datetime
    """When the link stops working (timezone-aware, UTC)."""
    _raw: dict[str, Any] = field(repr=False)
    attempts: int
    """How many HTTP attempts the call took."""
    request_id: Optional[str]
    """The gateway's request id (``X-Request-Id``), when sent."""
    loader_call: str
    """The Paystar.js function that opens this session."""
    ambiguous: bool
    """True when an earlier attempt may have reached the gateway without an answer (it may
    have created a session too)."""

    @property
    def raw(self) -> dict[str, Any]:
        """The gateway's ``data`` object as received (a fresh copy on every access)."""
        return copy.deepcopy(self._raw)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``expires_at`` as an RFC 3339 string), for handing to a page."""
        out = {k.lstrip("_"): getattr(self, k) for k in self.__dataclass_fields__}
        out["expires_at"] = _rfc3339(self.expires_at)
        out["raw"] = self.raw
        return out


def _rfc3339(t: datetime.datetime) -> str:
    return t.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _from_value(value: dict[str, Any]) -> Session:
    """A :class:`Session` from core's session value (``paystar::bridge::session_value``)."""
    # Core sends one fixed-width form that every supported CPython reads
    # (paystar::bridge::boundary_time).
    value["expires_at"] = datetime.datetime.fromisoformat(value["expires_at"])
    value["_raw"] = value.pop("raw")
    return Session(**value)


@dataclass(frozen=True)
class EventReceipt:
    """An Events API call the gateway accepted (``update_customer``, ``send_event``)."""

    event_type: str
    """The event type sent, e.g. ``"Accounts.ManageCustomer"``."""
    http_status: int
    """The HTTP status of the answer (2xx)."""
    _raw: Any = field(repr=False)
    attempts: int
    """How many HTTP attempts the call took."""
    request_id: Optional[str]
    """The gateway's request id (``X-Request-Id``), when sent."""
    ambiguous: bool
    """True when an earlier attempt may have reached the gateway without an answer."""

    @property
    def raw(self) -> Any:
        """What the gateway answered (its shape is undocumented): the envelope's ``data``,
        other JSON, or ``None`` (a fresh copy on every access)."""
        return copy.deepcopy(self._raw)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        out = {k.lstrip("_"): getattr(self, k) for k in self.__dataclass_fields__}
        out["raw"] = self.raw
        return out


def _receipt_from_value(value: dict[str, Any]) -> EventReceipt:
    """An :class:`EventReceipt` from core's receipt value (``paystar::bridge::receipt_value``)."""
    value["_raw"] = value.pop("raw")
    return EventReceipt(**value)
