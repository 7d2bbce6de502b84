"""The whole payment loop on the mock gateway: /pay/ creates a session, the customer pays (the
mock's complete(), or its page's button in headless Chromium), the signed webhook reaches
/paystar/webhook/, the payment is recorded once even when redelivered, and /paid/ shows it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock, skipUnless

from django.core.cache import caches
from django.db import DatabaseError
from django.test import LiveServerTestCase, SimpleTestCase, override_settings

from billing.models import Payment
from paystar.testing import MockGateway
from paystar.webhooks import sign

SECRET = "whsk_example_test"
BODY = (
    '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_x","status":"Succeeded",'
    '"referenceNumber":"ABCDEF-GHIJK","amount":"150.00","accountNumber":"ACC-12345"}}'
)
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
SHOTS = Path(__file__).resolve().parents[3] / "target" / "browser"


@override_settings(PAYSTAR_WEBHOOK={"scheme": "hmac_sha256", "secrets": [SECRET]})
class WebhookLoopTests(LiveServerTestCase):
    """Against Django's live server, which the mock delivers webhooks to."""

    def setUp(self) -> None:
        caches["default"].clear()
        self.gateway = MockGateway()
        self.addCleanup(self.gateway.stop)
        overrides = override_settings(
            PAYSTAR_API_KEY=self.gateway.api_key,
            PAYSTAR_BASE_URL=self.gateway.url,
            PAYSTAR_PUBLIC_URL=self.live_server_url,
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        self.hook = f"{self.live_server_url}/paystar/webhook/"

    def post(self, body: str, headers: dict[str, str]) -> Any:
        return self.client.post(
            "/paystar/webhook/", data=body, content_type="application/json", headers=headers
        )

    def test_pay_then_the_webhook_records_the_payment_once_even_when_redelivered(self) -> None:
        self.gateway.set_webhook(self.hook, scheme="hmac_sha256", secret=SECRET, redeliveries=2)
        session = self.client.get("/pay/").context["session"]
        self.assertContains(self.client.get("/paid/"), "Payment pending")
        done = self.gateway.complete(session)
        # The first delivery is handled (204); the two redeliveries are recognised (200).
        self.assertEqual([d["status"] for d in done["deliveries"]], [204, 200, 200])
        (payment,) = Payment.objects.all()
        self.assertEqual(payment.session_id, session.id)
        self.assertEqual(payment.amount_cents, 15000)
        self.assertEqual(payment.reference_number, done["reference_number"])
        page = self.client.get("/paid/")
        self.assertContains(page, "Payment received")
        self.assertContains(page, "$150.00")
        self.assertContains(page, done["reference_number"])

    def test_paystar_webhooks_trigger_records_the_payment_once(self) -> None:
        # The package's own `paystar` command, as a developer runs it against this endpoint.
        def trigger(secret: str, *more: str) -> subprocess.CompletedProcess[str]:
            command = [sys.executable, "-m", "paystar", "webhooks", "trigger", "Payment.Succeeded"]
            command += ["--to", self.hook, "--scheme", "hmac_sha256", "--secret", secret]
            command += ["--set", "payload.sessionIdentifier=ps_cli"]
            command += ["--set", "payload.amount=42.50"]
            return subprocess.run(
                [*command, *more], capture_output=True, text=True, timeout=60, check=False
            )

        done = trigger(SECRET, "--redeliver", "1")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("delivery 1/2: 204", done.stdout)
        self.assertIn('delivery 2/2: 200 {"duplicate":true}', done.stdout)
        (payment,) = Payment.objects.all()
        self.assertEqual((payment.session_id, payment.amount_cents), ("ps_cli", 4250))
        with self.assertLogs("paystar.webhooks", "WARNING"):
            forged = trigger("not-the-secret")
        self.assertEqual(forged.returncode, 1)
        self.assertIn('delivery 1/1: 401 {"error":"signature_mismatch"}', forged.stdout)
        self.assertEqual(Payment.objects.count(), 1)

    def test_a_tampered_or_unsigned_delivery_gets_4xx_and_changes_nothing(self) -> None:
        good = sign(BODY, "hmac_sha256", SECRET)
        forged = sign(BODY, "hmac_sha256", "not-the-secret")
        tampered = BODY.replace("150.00", "1.00")
        with self.assertLogs("paystar.webhooks", "WARNING") as logs:
            self.assertEqual(self.post(BODY, forged).status_code, 401)
            self.assertEqual(self.post(tampered, good).status_code, 401)
            self.assertEqual(self.post(BODY, {}).status_code, 401)
            bad = '{"payload":{"amount":"1.005"}}'
            self.assertEqual(self.post(bad, sign(bad, "hmac_sha256", SECRET)).status_code, 400)
        self.assertIn("signature_mismatch", "\n".join(logs.output))
        self.assertNotIn(SECRET, "\n".join(logs.output))
        self.assertEqual(Payment.objects.count(), 0)
        self.assertEqual(self.client.get("/paystar/webhook/").status_code, 405)
        self.assertEqual(self.post(BODY, good).status_code, 204)
        self.assertEqual(Payment.objects.count(), 1)

    def test_a_redelivery_after_a_failed_handler_is_handled(self) -> None:
        good = sign(BODY, "hmac_sha256", SECRET)
        self.client.raise_request_exception = False
        failing = mock.patch.object(
            type(Payment.objects), "get_or_create", side_effect=RuntimeError("a bug")
        )
        with failing, self.assertLogs("django.request", "ERROR"):
            self.assertEqual(self.post(BODY, good).status_code, 500)
        self.assertEqual(Payment.objects.count(), 0)
        # The key was released: Paystar's redelivery is handled, and only once.
        self.assertEqual(self.post(BODY, good).status_code, 204)
        self.assertEqual(self.post(BODY, good).status_code, 200)
        self.assertEqual(Payment.objects.count(), 1)

    def test_a_view_answering_5xx_is_redelivered_and_recorded_once(self) -> None:
        # The database is down: the view answers 503 itself (it does not raise). The old helper
        # kept the event marked handled, so every redelivery was a "duplicate" and the payment
        # was never recorded; core's endpoint releases it on any non-2xx.
        good = sign(BODY, "hmac_sha256", SECRET)
        down = mock.patch.object(
            type(Payment.objects), "get_or_create", side_effect=DatabaseError("database down")
        )
        with down, self.assertLogs("billing", "ERROR"):
            self.assertEqual(self.post(BODY, good).status_code, 503)
        self.assertEqual(Payment.objects.count(), 0)
        self.assertEqual(self.post(BODY, good).status_code, 204)
        self.assertEqual(self.post(BODY, good).status_code, 200)
        (payment,) = Payment.objects.all()
        self.assertEqual(payment.amount_cents, 15000)

    @override_settings(PAYSTAR_WEBHOOK=None)
    def test_missing_webhook_settings_answer_500_so_paystar_retries(self) -> None:
        good = sign(BODY, "hmac_sha256", SECRET)
        with self.assertLogs("paystar.webhooks", "ERROR") as logs:
            r = self.post(BODY, good)
        self.assertEqual((r.status_code, r.json()), (500, {"error": "misconfigured"}))
        self.assertIn("PAYSTAR_WEBHOOK", "\n".join(logs.output))


class FailClosedTests(SimpleTestCase):
    """Outside development, the site refuses to start without its secrets: one line, exit 1."""

    def check(self, **env: str) -> subprocess.CompletedProcess[str]:
        """`manage.py check` with only `env` of the Paystar and Django settings."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("PAYSTAR_", "DJANGO_"))}
        site = Path(__file__).resolve().parents[1]
        command = [sys.executable, "manage.py", "check"]
        return subprocess.run(
            command, cwd=site, env={**clean, **env}, capture_output=True, text=True
        )

    def test_without_secrets_or_the_dev_switch_it_refuses_to_start(self) -> None:
        done = self.check()
        self.assertEqual(done.returncode, 1, done.stderr)
        lines = done.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, done.stderr)
        for name in ("DJANGO_SECRET_KEY", "PAYSTAR_API_KEY", "PAYSTAR_WEBHOOK_SECRETS"):
            self.assertIn(name, lines[0])
        done = self.check(DJANGO_SECRET_KEY="k", PAYSTAR_API_KEY="sk_live_x")
        self.assertEqual(done.returncode, 1)
        self.assertIn("PAYSTAR_WEBHOOK_SECRETS not set", done.stderr)
        self.assertNotIn("sk_live_x", done.stderr)
        done = self.check(PAYSTAR_DEV="1")
        self.assertEqual(done.returncode, 0, done.stderr)


@skipUnless(
    not os.environ.get("PAYSTAR_NO_BROWSER")
    and ((CHROMIUM and CHROMEDRIVER) or os.environ.get("PAYSTAR_REQUIRE_BROWSER")),
    "needs Debian's chromium and chromium-driver (.ci/run installs them); "
    "PAYSTAR_NO_BROWSER skips it (the per-Python-version runs)",
)
@override_settings(
    PAYSTAR_WEBHOOK={"scheme": "standard_webhooks", "secrets": ["whsec_ZXhhbXBsZS1rZXk="]}
)
class BrowserTests(LiveServerTestCase):
    """One real browser: /pay/, on to the mock's session page, click Pay, see /paid/."""

    def test_a_customer_pays_in_headless_chromium(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download anything
        caches["default"].clear()
        gateway = MockGateway()
        self.addCleanup(gateway.stop)
        overrides = override_settings(
            PAYSTAR_API_KEY=gateway.api_key,
            PAYSTAR_BASE_URL=gateway.url,
            PAYSTAR_PUBLIC_URL=self.live_server_url,
        )
        overrides.enable()
        self.addCleanup(overrides.disable)
        gateway.set_webhook(
            f"{self.live_server_url}/paystar/webhook/",
            scheme="standard_webhooks",
            secret="whsec_ZXhhbXBsZS1rZXk=",
            redeliveries=1,
        )
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM or "/usr/bin/chromium"
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--window-size=900,700",
        ):
            options.add_argument(arg)
        driver = webdriver.Chrome(
            options=options, service=Service(CHROMEDRIVER or "/usr/bin/chromedriver")
        )
        self.addCleanup(driver.quit)
        steps: list[str] = []

        driver.get(f"{self.live_server_url}/pay/")
        steps.append(f"opened {driver.current_url}: {driver.title}")
        driver.find_element(By.LINK_TEXT, "open the session").click()
        self.assertTrue(driver.current_url.startswith(gateway.url), driver.current_url)
        button = driver.find_element(By.ID, "complete")
        self.assertEqual(button.text, "Pay $150.00")
        steps.append(f"followed to the mock's page {driver.current_url}: {button.text!r}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "django-mock-page.png"))
        button.click()
        WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.ID, "status"))
        status = driver.find_element(By.ID, "status").text
        steps.append(f"clicked Pay; now at {driver.current_url}: {status!r}")
        driver.save_screenshot(str(SHOTS / "django-paid.png"))
        (SHOTS / "django-steps.txt").write_text("\n".join(steps) + "\n")
        self.assertEqual(status, "Payment received")
        self.assertEqual(driver.find_element(By.ID, "amount").text, "$150.00")
        self.assertEqual(Payment.objects.count(), 1)  # the redelivery changed nothing
