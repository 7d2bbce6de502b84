"""Typed shapes of the request keyword arguments (for mypy / pyright; plain dicts at runtime).

Keys are the wire names in snake_case (``ClientUser.EmailAddress`` -> ``client_user`` /
``email_address``), except inside ``payment_fields`` and ``extra``, whose keys are data and are
sent as given. Amounts are integer cents. The test suite checks these shapes against core's
schema, so they cannot drift.
"""

from __future__ import annotations

import datetime
from typing import Any, TypedDict, Union

__all__ = [
    "Address",
    "AutopaySessionParams",
    "Charge",
    "ClientAccount",
    "ClientUser",
    "NotificationSessionParams",
    "PaperlessSessionParams",
    "PaymentSessionParams",
    "WalletSessionParams",
]

DateTime = Union[str, datetime.datetime, datetime.date]
"""An RFC 3339 string, or a ``datetime``/``date`` (sent as ISO 8601)."""


class Address(TypedDict, total=False):
    """A postal address (all optional)."""

    street_address: str
    street_address2: str
    city: str
    state: str
    zip_code: str


class _ClientAccountRequired(TypedDict):
    account_number: str


class ClientAccount(_ClientAccountRequired, total=False):
    """The biller's account for the customer (``account_number`` required)."""

    sub_account_number: str
    name: str
    balance: int
    phone_number: str
    due_date: DateTime
    issue_date: DateTime
    note: str
    meta_json: str
    address: Address


class _ClientUserRequired(TypedDict):
    email_address: str


class ClientUser(_ClientUserRequired, total=False):
    """The customer (``email_address`` required)."""

    first_name: str
    last_name: str


class _ChargeRequired(TypedDict):
    amount: int


class Charge(_ChargeRequired, total=False):
    """One charge: ``amount`` in integer cents."""

    description: str
    client_account: ClientAccount
    charge_type: str


class _PaymentRequired(TypedDict):
    business_unit_slug: str
    channel: str
    charges: list[Charge]


class PaymentSessionParams(_PaymentRequired, total=False):
    """Arguments of ``create_payment_session``. ``channel`` is ``"QuickPay"`` or ``"POS"``."""

    client_user: ClientUser
    pos_user: str
    client_reference: str
    payment_descriptor: str
    payment_fields: dict[str, str]
    success_url: str
    return_url: str
    payment_source_identifier: str
    extra: dict[str, Any]


class _AccountSessionRequired(TypedDict):
    business_unit_slug: str
    client_account: ClientAccount
    client_user: ClientUser


class AutopaySessionParams(_AccountSessionRequired, total=False):
    """Arguments of ``create_autopay_session``."""

    sync_account: bool
    extra: dict[str, Any]


class PaperlessSessionParams(_AccountSessionRequired, total=False):
    """Arguments of ``create_paperless_session``."""

    sync_account: bool
    extra: dict[str, Any]


class _CustomerSessionRequired(TypedDict):
    business_unit_slug: str
    client_user: ClientUser


class WalletSessionParams(_CustomerSessionRequired, total=False):
    """Arguments of ``create_wallet_session``."""

    extra: dict[str, Any]


class NotificationSessionParams(_CustomerSessionRequired, total=False):
    """Arguments of ``create_notification_session``."""

    extra: dict[str, Any]
