"""The Events API from Python, sync and async, against the mock gateway (the wire shape and
validation are in tests/vectors/events.json, run by test_vectors.py)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

import paystar
from paystar.testing import MockGateway
from paystar.types import ClientUser

SLUG = "acme-utilities"


def record(gateway: MockGateway, email: str) -> dict[str, Any]:
    found = gateway.customer(email)
    assert found is not None, email
    return found


def test_update_customer_changes_names_a_session_cannot(
    client: paystar.Client, gateway: MockGateway
) -> None:
    jane: ClientUser = {
        "email_address": "jane@example.com",
        "first_name": "Jane",
        "last_name": "Doe",
    }
    client.create_wallet_session(business_unit_slug=SLUG, client_user=jane)
    client.create_wallet_session(
        business_unit_slug=SLUG, client_user={**jane, "last_name": "Smith"}
    )
    assert record(gateway, "jane@example.com")["LastName"] == "Doe"  # immutable
    receipt = client.update_customer(
        business_unit_slug=SLUG,
        account_number="ACC-1",
        first_name="Jane",
        last_name="Smith",
        email_address="jane.smith@example.com",
        original_email_address="jane@example.com",
    )
    assert isinstance(receipt, paystar.EventReceipt)
    assert (receipt.event_type, receipt.http_status, receipt.attempts) == (
        "Accounts.ManageCustomer",
        200,
        1,
    )
    assert "EventReceipt(event_type='Accounts.ManageCustomer'" in repr(receipt)
    assert record(gateway, "jane.smith@example.com")["LastName"] == "Smith"
    body = gateway.requests[-1]["body"]
    assert isinstance(body["payload"], str)
    assert json.loads(body["payload"])["originalEmailAddress"] == "jane@example.com"


def test_async_update_customer_and_send_event(gateway: MockGateway) -> None:
    async def main() -> list[paystar.EventReceipt]:
        async with paystar.AsyncClient(gateway.api_key, base_url=gateway.url) as client:
            return list(
                await asyncio.gather(
                    client.update_customer(
                        business_unit_slug=SLUG,
                        account_number="ACC-2",
                        first_name="Ann",
                        last_name="Lee",
                        email_address="ann@example.com",
                    ),
                    client.send_event(
                        business_unit_slug=SLUG,
                        event_type="Accounts.UnenrollAutopay",
                        payload={"accountNumber": "ACC-2", "subAccountNumber": ""},
                    ),
                )
            )

    update, unenroll = asyncio.run(main())
    assert update.event_type == "Accounts.ManageCustomer"
    assert unenroll.event_type == "Accounts.UnenrollAutopay"
    assert record(gateway, "ann@example.com")["FirstName"] == "Ann"


def test_bad_events_fail_before_sending(client: paystar.Client, gateway: MockGateway) -> None:
    before = len(gateway.requests)
    with pytest.raises(paystar.ValidationError) as e:
        client.send_event(business_unit_slug=SLUG, event_type="Accounts.Nope", payload={})
    assert [(f.path, f.rule) for f in e.value.field_errors] == [("EventType", "one_of")]
    with pytest.raises(paystar.ValidationError) as e:
        client.update_customer(business_unit_slug=SLUG, account_number="A")  # type: ignore[call-overload]
    assert {f.path for f in e.value.field_errors} == {"FirstName", "LastName", "EmailAddress"}
    assert len(gateway.requests) == before


def test_events_go_to_the_events_host() -> None:
    prod = paystar.Client("sk_test", environment="production")
    assert prod.base_url == "https://secure.paystar.io/"
    assert prod.events_base_url == "https://gateway.paystar.io/"
    custom = paystar.Client("sk_test", base_url="http://127.0.0.1:9")
    assert custom.events_base_url == custom.base_url
