"""The checkout view, through Django's test client, against paystar's MockGateway."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

import paystar
from paystar.testing import MockGateway


def on_mock(test: SimpleTestCase) -> MockGateway:
    """A MockGateway for `test`, the site's settings pointing at it until the test ends."""
    gateway = MockGateway()
    test.addCleanup(gateway.stop)
    overrides = override_settings(PAYSTAR_API_KEY=gateway.api_key, PAYSTAR_BASE_URL=gateway.url)
    overrides.enable()
    test.addCleanup(overrides.disable)
    return gateway


class PayViewTests(SimpleTestCase):
    def setUp(self) -> None:
        self.gateway = on_mock(self)

    def test_creates_a_session_and_renders_a_page_that_opens_it(self) -> None:
        response = self.client.get("/pay/")
        self.assertEqual(response.status_code, 200)
        session = response.context["session"]
        self.assertIsInstance(session, paystar.Session)
        self.assertTrue(session.url.startswith(self.gateway.url))
        self.assertContains(response, f'data-session-url="{session.url}"')
        (request,) = self.gateway.requests
        self.assertEqual(request["body"]["Charges"][0]["Amount"], 15000)
        self.assertEqual(request["body"]["ClientUser"]["EmailAddress"], "jane.doe@example.com")
        self.assertIn("acme-checkout/1.0", request["headers"]["user-agent"])

    @override_settings(PAYSTAR_BASE_URL=None, PAYSTAR_API_KEY="sk_dev_unused")
    def test_the_development_page_uses_paystars_loader(self) -> None:
        # No network: this only renders what the template would do with a real session.
        from billing.paystar_client import get_client

        client = get_client()
        self.assertEqual(client.environment, "development")
        self.assertEqual(client.loader_url, "https://dev.paystar.io/app/embedded.loader.js")

    def test_the_request_cannot_choose_the_amount_or_the_return_url(self) -> None:
        response = self.client.get("/pay/?amount=1&email=eve@evil.example")
        self.assertEqual(response.status_code, 200)
        (request,) = self.gateway.requests
        self.assertEqual(request["body"]["Charges"][0]["Amount"], 15000)
        self.assertEqual(request["body"]["SuccessUrl"], "http://127.0.0.1:8000/paid/")
        self.assertEqual(request["body"]["ReturnUrl"], "http://127.0.0.1:8000/pay/")

    @override_settings(PAYSTAR_DEMO_BILL={"amount": 12.5, "description": "Your bill"})
    def test_bad_billing_data_shows_a_friendly_message_and_sends_nothing(self) -> None:
        with self.assertLogs("billing.views", "WARNING"):
            response = self.client.get("/pay/")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "We could not prepare this payment", status_code=400)
        self.assertEqual(self.gateway.requests, [])

    def test_an_outage_shows_a_retry_message(self) -> None:
        self.gateway.script([{"kind": "status", "status": 503, "retry_after": "0"}] * 3)
        with self.assertLogs("billing.views", "ERROR"):
            response = self.client.get("/pay/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "briefly unavailable", status_code=503)
        self.assertEqual(len(self.gateway.requests), 3)  # the client retried twice

    def test_a_wrong_key_is_reported_without_leaking_it(self) -> None:
        with (
            override_settings(PAYSTAR_API_KEY="sk_wrong_secret_123"),
            self.assertLogs("billing.views", "ERROR") as logs,
        ):
            response = self.client.get("/pay/")
        self.assertEqual(response.status_code, 502)
        self.assertNotIn("sk_wrong_secret_123", response.content.decode())
        self.assertNotIn("sk_wrong_secret_123", "\n".join(logs.output))
        self.assertIn("authentication_error", "\n".join(logs.output))
