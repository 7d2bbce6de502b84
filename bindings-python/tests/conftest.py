"""Shared helpers for the Python suite (every test talks to a real MockGateway on loopback)."""

from __future__ import annotations

from typing import Any

import pytest

import paystar
from paystar.testing import MockGateway, client_for


def wallet() -> dict[str, Any]:
    """Arguments of a valid wallet session."""
    return {
        "business_unit_slug": "acme-utilities",
        "client_user": {"email_address": "jane@example.com"},
    }


def payment(**overrides: Any) -> dict[str, Any]:
    """Arguments of a valid payment session."""
    args: dict[str, Any] = {
        "business_unit_slug": "acme-utilities",
        "channel": "QuickPay",
        "charges": [
            {
                "amount": 15000,
                "description": "November bill",
                "client_account": {"account_number": "ACCT-1001", "name": "Jane Doe"},
            }
        ],
        "client_user": {"email_address": "jane@example.com", "first_name": "Jane"},
    }
    args.update(overrides)
    return args


@pytest.fixture
def gateway() -> Any:
    with MockGateway() as gw:
        yield gw


@pytest.fixture
def client(gateway: MockGateway) -> Any:
    with client_for(gateway) as c:
        yield c


@pytest.fixture
def async_client(gateway: MockGateway) -> paystar.AsyncClient:
    return paystar.AsyncClient(gateway.api_key, base_url=gateway.url)
