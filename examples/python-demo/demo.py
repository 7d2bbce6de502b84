"""Creates every Paystar session type from Python and prints the session URLs.

Without PAYSTAR_API_KEY it runs against the embedded mock gateway. With PAYSTAR_API_KEY (and
PAYSTAR_ENVIRONMENT=development, the default) it talks to Paystar's development gateway;
PAYSTAR_BUSINESS_UNIT names your business unit and PAYSTAR_BASE_URL points at another gateway.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import paystar
from paystar.testing import MockGateway


def show(kind: str, s: paystar.Session) -> None:
    expires = s.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    plural = "" if s.attempts == 1 else "s"
    print(
        f"  {kind:<13} {s.url}  (id {s.id or '-'}, status {s.status or '-'}, "
        f"expires {expires}, {s.attempts} attempt{plural})"
    )


def main() -> int:
    mock: MockGateway | None = None
    if os.environ.get("PAYSTAR_API_KEY"):
        base_url = os.environ.get("PAYSTAR_BASE_URL") or None
        env = os.environ.get("PAYSTAR_ENVIRONMENT", "development")
        if base_url is None and env != "development":
            print("the demo only talks to Paystar's development gateway", file=sys.stderr)
            return 2
        client = paystar.Client(base_url=base_url, environment=None if base_url else "development")
        where = f"custom gateway {base_url}" if base_url else "Paystar development gateway"
        print(f"Python demo: {where}")
    else:
        mock = MockGateway()
        client = paystar.Client(mock.api_key, base_url=mock.url)
        print(f"Python demo: embedded mock gateway at {mock.url} (paystar {paystar.__version__})")

    slug = os.environ.get("PAYSTAR_BUSINESS_UNIT", "acme-utilities")
    customer: Any = {
        "email_address": "jane.doe@example.com",
        "first_name": "Jane",
        "last_name": "Doe",
    }
    account: Any = {"account_number": "ACC-12345", "name": "Jane Doe", "balance": 15000}
    try:
        show(
            "payment",
            client.create_payment_session(
                business_unit_slug=slug,
                channel="QuickPay",
                charges=[
                    {
                        "amount": 15000,
                        "description": "January Water Bill",
                        "client_account": account,
                    }
                ],
                client_user=customer,
                success_url="https://yoursite.example/payment-success",
                return_url="https://yoursite.example/payment-cancelled",
            ),
        )
        show(
            "autopay",
            client.create_autopay_session(
                business_unit_slug=slug,
                client_account=account,
                client_user=customer,
                sync_account=True,
            ),
        )
        show("wallet", client.create_wallet_session(business_unit_slug=slug, client_user=customer))
        show(
            "paperless",
            client.create_paperless_session(
                business_unit_slug=slug,
                client_account=account,
                client_user=customer,
                sync_account=True,
            ),
        )
        show(
            "notification",
            client.create_notification_session(business_unit_slug=slug, client_user=customer),
        )
        # The Events API changes a real customer: on the mock only (docs/decisions.md#demo-events).
        if mock is not None:
            r = client.update_customer(
                business_unit_slug=slug,
                account_number=account["account_number"],
                first_name="Jane",
                last_name="Smith",
                email_address=customer["email_address"],
            )
            now = mock.customer(customer["email_address"]) or {}
            print(
                f"  {'events':<13} {r.event_type} accepted (HTTP {r.http_status}): "
                f"the customer is now {now.get('FirstName')} {now.get('LastName')}"
            )
    except paystar.PaystarError as e:
        print(f"demo failed: {e} [{e.code}]", file=sys.stderr)
        for f in e.field_errors:
            print(f"  {f.path}: {f.message}", file=sys.stderr)
        return 1
    finally:
        if mock is not None:
            mock.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
