"""Typed shapes of the request keyword arguments (for mypy / pyright; plain dicts at runtime).

Generated from core's request schema by core/tests/generated.rs: do not edit. Keys are the
wire names in snake_case (``ClientUser.EmailAddress`` -> ``client_user`` /
``email_address``), except inside ``payment_fields`` and ``extra``, whose keys are data and
are sent as given. Amounts are integer cents.
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
    "SendEventParams",
    "UpdateCustomerParams",
    "WalletSessionParams",
]

DateTime = Union[str, datetime.datetime, datetime.date]
"""An RFC 3339 string, or a ``datetime``/``date`` (sent as ISO 8601)."""


class Address(TypedDict, total=False):
    """A postal address (every field optional)."""

    street_address: str
    """Street line 1."""
    street_address2: str
    """Street line 2."""
    city: str
    """City."""
    state: str
    """State."""
    zip_code: str
    """ZIP code."""


class _ClientAccountRequired(TypedDict):
    account_number: str
    """The account number."""


class ClientAccount(_ClientAccountRequired, total=False):
    """The biller's account for the customer (the account number is required)."""

    sub_account_number: str
    """Sub-account number."""
    name: str
    """Account holder's name."""
    balance: int
    """Balance in integer cents (may be negative)."""
    phone_number: str
    """Phone number."""
    due_date: DateTime
    """Due date (RFC 3339)."""
    issue_date: DateTime
    """Issue date (RFC 3339)."""
    note: str
    """A note (never updated once set)."""
    meta_json: str
    """A JSON document, as text."""
    address: Address
    """Postal address."""


class _ChargeRequired(TypedDict):
    amount: int
    """Integer cents, 1 to 2^53 - 1."""


class Charge(_ChargeRequired, total=False):
    """One charge: the amount in integer cents."""

    description: str
    """Description."""
    client_account: ClientAccount
    """The account it pays."""
    charge_type: str
    """Charge type."""


class _ClientUserRequired(TypedDict):
    email_address: str
    """Email address."""


class ClientUser(_ClientUserRequired, total=False):
    """The customer (the email address is required; names are kept as first seen)."""

    first_name: str
    """First name."""
    last_name: str
    """Last name."""


class _PaymentSessionRequestRequired(TypedDict):
    business_unit_slug: str
    """Business unit slug."""
    channel: str
    """QuickPay or POS (case-sensitive)."""
    charges: list[Charge]
    """The charges: 1 to 25."""


class PaymentSessionParams(_PaymentSessionRequestRequired, total=False):
    """The request of create_payment_session."""

    client_user: ClientUser
    """The customer."""
    pos_user: str
    """The POS user (POS channel)."""
    client_reference: str
    """Your unique reference (a reuse is refused)."""
    payment_descriptor: str
    """Statement descriptor."""
    payment_fields: dict[str, str]
    """Custom payment fields (keys are data: sent as given)."""
    success_url: str
    """Where the page goes after a payment."""
    return_url: str
    """Where the page goes when the customer leaves."""
    payment_source_identifier: str
    """A saved payment source to use."""
    extra: dict[str, Any]
    """Unmodelled top-level wire fields, merged as given (never replacing a modelled one)."""


class _AccountSessionRequestRequired(TypedDict):
    business_unit_slug: str
    """Business unit slug."""
    client_account: ClientAccount
    """The account."""
    client_user: ClientUser
    """The customer."""


class AutopaySessionParams(_AccountSessionRequestRequired, total=False):
    """The request of create_autopay_session and create_paperless_session."""

    sync_account: bool
    """Create or update the account on the gateway (true for a new account)."""
    extra: dict[str, Any]
    """Unmodelled top-level wire fields, merged as given (never replacing a modelled one)."""


class _CustomerSessionRequestRequired(TypedDict):
    business_unit_slug: str
    """Business unit slug."""
    client_user: ClientUser
    """The customer."""


class WalletSessionParams(_CustomerSessionRequestRequired, total=False):
    """The request of create_wallet_session and create_notification_session."""

    extra: dict[str, Any]
    """Unmodelled top-level wire fields, merged as given (never replacing a modelled one)."""


class PaperlessSessionParams(_AccountSessionRequestRequired, total=False):
    """The request of create_autopay_session and create_paperless_session."""

    sync_account: bool
    """Create or update the account on the gateway (true for a new account)."""
    extra: dict[str, Any]
    """Unmodelled top-level wire fields, merged as given (never replacing a modelled one)."""


class NotificationSessionParams(_CustomerSessionRequestRequired, total=False):
    """The request of create_wallet_session and create_notification_session."""

    extra: dict[str, Any]
    """Unmodelled top-level wire fields, merged as given (never replacing a modelled one)."""


class _UpdateCustomerRequestRequired(TypedDict):
    business_unit_slug: str
    """Business unit slug."""
    account_number: str
    """The customer's account."""
    first_name: str
    """The first name to set."""
    last_name: str
    """The last name to set."""
    email_address: str
    """The email address to set (the new one, for an email change)."""


class UpdateCustomerParams(_UpdateCustomerRequestRequired, total=False):
    """The request of update_customer (the Events API's Accounts.ManageCustomer)."""

    sub_account_number: str
    """The sub-account, when you use them (sent as "" when absent)."""
    original_email_address: str
    """The email address Paystar knows the customer by: only for an email change."""


class _EventRequestRequired(TypedDict):
    business_unit_slug: str
    """Business unit slug."""
    event_type: str
    """Accounts.ManageCustomer or Accounts.UnenrollAutopay."""
    payload: dict[str, Any]
    """The event's fields in the Events API's names (camelCase); sent as JSON text."""


class SendEventParams(_EventRequestRequired, total=False):
    """The request of send_event (any Events API event type)."""
