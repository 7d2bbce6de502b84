"""The webhook endpoint vectors (tests/vectors/webhooks/endpoint.json) through the Django
adapter, ``paystar.django.webhook_view``, with Django's test client: each delivery is a real
request to a decorated view whose body does what the step's handler does."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Optional

from django.http import HttpRequest, HttpResponse
from django.test import SimpleTestCase, override_settings
from django.urls import path

from paystar import _native, webhooks
from paystar.django import webhook_view

FILE: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests/vectors/webhooks/endpoint.json").read_text()
)


class Died(BaseException):
    """The worker died inside the view."""


class Raised(Exception):
    """The view failed."""


class Recording:
    """A MemoryStore counting operations, which a dead worker no longer reaches."""

    def __init__(self) -> None:
        self.inner = webhooks.MemoryStore()
        self.ops = 0
        self.dead = False

    def claim(self, key: str, lease: float) -> str:
        self.ops += 1
        return self.inner.claim(key, lease)

    def complete(self, key: str, ttl: float) -> None:
        if not self.dead:
            self.ops += 1
            self.inner.complete(key, ttl)

    def release(self, key: str) -> None:
        if not self.dead:
            self.ops += 1
            self.inner.release(key)


ENDPOINT: dict[str, Callable[..., HttpResponse]] = {}


def dispatch(request: HttpRequest) -> HttpResponse:
    """The current case's decorated view."""
    return ENDPOINT["view"](request)


urlpatterns = [path("vector-webhook/", dispatch)]


@override_settings(ROOT_URLCONF="billing.test_endpoint_vectors")
class EndpointVectorTests(SimpleTestCase):
    def test_every_endpoint_vector_through_webhook_view(self) -> None:
        for case in FILE["cases"]:
            with self.subTest(case["name"]):
                self.run_case(case)

    def run_case(self, case: dict[str, Any]) -> None:
        names = {"lease_s": "lease", "done_ttl_s": "done_ttl"}
        options = {names.get(k, k): v for k, v in case["verifier"].items()}
        verifier = webhooks.WebhookVerifier(
            options.pop("scheme"), options.pop("secrets"), **options
        )
        store = Recording()
        calls = [0]
        current: list[dict[str, Any]] = []

        @webhook_view(verifier, store=store)
        def view(request: HttpRequest, event: webhooks.WebhookEvent) -> Optional[HttpResponse]:
            step = current[-1]
            calls[0] += 1
            if "during" in step:
                nested = deliver(step["during"])
                self.assertEqual(_native._check_endpoint_step(step["during"], nested), [])
            outcome: str = step["handler"]
            if outcome == "raise":
                raise Raised("the view failed")
            if outcome == "never_returns":
                store.dead = True
                raise Died
            return None if outcome == "ok" else HttpResponse(status=int(outcome[7:]))

        ENDPOINT["view"] = view

        def deliver(step: dict[str, Any]) -> dict[str, Any]:
            spec = FILE["deliveries"][step["deliver"]]
            body = _native._vector_body(spec)
            headers: dict[str, str] = {}
            if "sign" in spec:  # signed now: Django verifies on the real clock
                sign = dict(spec["sign"])
                headers = webhooks.sign(body, sign.pop("scheme"), sign.pop("secret"), **sign)
            outer_ops, store.ops = store.ops, 0
            current.append(step)
            answer: Any
            try:
                r = self.client.post(
                    "/vector-webhook/", data=body, content_type="application/json", headers=headers
                )
                answer = {"status": r.status_code, "body": r.content.decode()}
            except Raised:
                answer = "raised"
            except Died:
                answer = "died"
            finally:
                current.pop()
            store.dead = False
            ops, store.ops = store.ops, outer_ops
            states = {k: store.inner.state(k) for k in step["expect"].get("store", {})}
            return {"answer": answer, "handler_calls": calls[0], "store": states, "store_ops": ops}

        started = time.monotonic()
        for i, step in enumerate(case["steps"]):
            if "advance_s" in step:
                store.inner.advance(step["advance_s"])
                continue
            problems = _native._check_endpoint_step(step, deliver(step))
            self.assertEqual(problems, [], f"{case['name']} step {i}")
        self.assertLess(time.monotonic() - started, 60)
