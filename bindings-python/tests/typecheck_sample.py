"""Uses every operation as a Django backend would; `mypy --strict` must pass on it."""

from __future__ import annotations

import asyncio
import datetime

import paystar
from paystar.testing import MockGateway
from paystar.types import ClientAccount, ClientUser


def sync_calls(client: paystar.Client) -> list[str]:
    user: ClientUser = {"email_address": "jane@example.com", "first_name": "Jane"}
    account: ClientAccount = {
        "account_number": "ACCT-1001",
        "balance": -500,
        "due_date": datetime.date(2026, 12, 1),
    }
    payment = client.create_payment_session(
        business_unit_slug="acme-utilities",
        channel="QuickPay",
        charges=[{"amount": 15000, "client_account": account}],
        client_user=user,
        timeout=10.0,
    )
    autopay = client.create_autopay_session(
        business_unit_slug="acme-utilities",
        client_account=account,
        client_user=user,
        sync_account=True,
    )
    wallet = client.create_wallet_session({"business_unit_slug": "acme", "client_user": user})
    paperless = client.create_paperless_session(
        business_unit_slug="acme-utilities",
        client_account=account,
        client_user=user,
        sync_account=True,
        max_retries=0,
    )
    notification = client.create_notification_session(
        business_unit_slug="acme-utilities", client_user=user
    )
    expires: datetime.datetime = payment.expires_at
    assert expires.tzinfo is not None
    return [s.url for s in (payment, autopay, wallet, paperless, notification)]


async def async_calls(client: paystar.AsyncClient) -> str:
    session = await client.create_wallet_session(
        business_unit_slug="acme-utilities", client_user={"email_address": "jane@example.com"}
    )
    return session.url


def handle_errors(client: paystar.Client) -> str:
    try:
        return client.create_wallet_session(
            business_unit_slug="acme-utilities", client_user={"email_address": "x"}
        ).url
    except paystar.ValidationError as e:
        return "; ".join(f"{f.path}: {f.message}" for f in e.field_errors)
    except paystar.PaystarError as e:
        retry: float | None = e.retry_after
        return f"{e.code} {e.status} {e.attempts} {retry}"


def main() -> None:
    with MockGateway() as gateway:
        with paystar.Client(gateway.api_key, base_url=gateway.url) as client:
            print(sync_calls(client), handle_errors(client))
        print(asyncio.run(async_calls(paystar.AsyncClient(gateway.api_key, base_url=gateway.url))))


if __name__ == "__main__":
    main()
