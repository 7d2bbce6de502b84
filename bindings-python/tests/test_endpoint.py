"""The webhook endpoint vectors (tests/vectors/webhooks/endpoint.json) through Python's own
handler API: ``WebhookVerifier.handle`` with a ``MemoryStore``. (The Django adapter runs them
too, in the Django example's tests.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import pytest

import paystar
from paystar import _native, webhooks

FILE: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[2] / "tests/vectors/webhooks/endpoint.json").read_text()
)


class Died(BaseException):
    """The process died inside the handler (never caught by the endpoint's code)."""


class Raised(Exception):
    """A handler's failure."""


class Recording:
    """A MemoryStore that counts operations and can die: once the process died inside a
    handler, nothing it would still have done reaches the store."""

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


def verifier(spec: dict[str, Any]) -> webhooks.WebhookVerifier:
    names = {"lease_s": "lease", "done_ttl_s": "done_ttl"}
    options = {names.get(k, k): v for k, v in spec.items()}
    return webhooks.WebhookVerifier(options.pop("scheme"), options.pop("secrets"), **options)


def signed(name: str, now: int) -> tuple[bytes, dict[str, str]]:
    spec = FILE["deliveries"][name]
    body = _native._vector_body(spec)
    if "sign" not in spec:
        return body, {}
    sign = dict(spec["sign"])
    return body, webhooks.sign(body, sign.pop("scheme"), sign.pop("secret"), timestamp=now, **sign)


class Run:
    def __init__(self, case: dict[str, Any]) -> None:
        self.endpoint = verifier(case["verifier"])
        self.store = Recording()
        self.now: int = FILE["now_default"]
        self.calls = 0

    def deliver(self, step: dict[str, Any]) -> dict[str, Any]:
        body, headers = signed(step["deliver"], self.now)
        outer_ops, self.store.ops = self.store.ops, 0

        def handler(event: webhooks.WebhookEvent) -> Optional[int]:
            self.calls += 1
            if "during" in step:
                nested = self.deliver(step["during"])
                assert not _native._check_endpoint_step(step["during"], nested)
            outcome: str = step["handler"]
            if outcome == "raise":
                raise Raised("the handler failed")
            if outcome == "never_returns":
                self.store.dead = True
                raise Died
            return None if outcome == "ok" else int(outcome.removeprefix("status_"))

        answer: Any
        try:
            a = self.endpoint.handle(body, headers, self.store, handler, now=self.now)
            answer = {"status": a.status, "body": a.body}
        except Raised:
            answer = "raised"
        except Died:
            answer = "died"
        self.store.dead = False
        ops, self.store.ops = self.store.ops, outer_ops
        states = {k: self.store.inner.state(k) for k in step["expect"].get("store", {})}
        return {"answer": answer, "handler_calls": self.calls, "store": states, "store_ops": ops}


@pytest.mark.parametrize("case", FILE["cases"], ids=[c["name"] for c in FILE["cases"]])
def test_endpoint_vector(case: dict[str, Any]) -> None:
    run = Run(case)
    for i, step in enumerate(case["steps"]):
        if "advance_s" in step:
            run.now += step["advance_s"]
            run.store.inner.advance(step["advance_s"])
            continue
        problems = _native._check_endpoint_step(step, run.deliver(step))
        assert not problems, f"step {i}: {problems}"


def test_a_failing_store_answers_503_and_runs_nothing() -> None:
    class Down:
        def claim(self, key: str, lease: float) -> str:
            raise OSError("redis: connection refused")

        def complete(self, key: str, ttl: float) -> None:
            raise AssertionError("never")

        def release(self, key: str) -> None:
            raise AssertionError("never")

    body, headers = signed("doc", FILE["now_default"])
    v = verifier(FILE["cases"][0]["verifier"])
    calls: list[Any] = []
    answer = v.handle(body, headers, Down(), calls.append, now=FILE["now_default"])
    assert (answer.status, json.loads(answer.body)) == (503, {"error": "store_unavailable"})
    assert calls == []


def test_a_store_answering_nonsense_is_a_configuration_error() -> None:
    class Odd(webhooks.MemoryStore):
        def claim(self, key: str, lease: float) -> str:
            return "yes"

    body, headers = signed("doc", FILE["now_default"])
    v = verifier(FILE["cases"][0]["verifier"])
    with pytest.raises(paystar.ConfigurationError, match="claimed, in_progress, done"):
        v.handle(body, headers, Odd(), lambda e: None, now=FILE["now_default"])


def test_a_handler_returning_something_odd_is_a_type_error_and_releases() -> None:
    """A programming error in the handler's return is a failure: released, raised."""
    store = webhooks.MemoryStore()
    body, headers = signed("doc", FILE["now_default"])
    v = verifier(FILE["cases"][0]["verifier"])
    with pytest.raises(TypeError, match="status code"):
        v.handle(body, headers, store, lambda e: "ok", now=FILE["now_default"])
    key = "paystar:webhook:Payment.Succeeded:a6fb5g42-4280-46af-b04e-2c58067bc111:NYDVNT-WSQPG"
    assert store.state(key) is None


def test_lease_and_done_ttl_are_checked() -> None:
    with pytest.raises(paystar.ConfigurationError, match="lease"):
        webhooks.WebhookVerifier("hmac_sha256", "s", lease=0)
    with pytest.raises(paystar.ConfigurationError, match="done_ttl"):
        webhooks.WebhookVerifier("hmac_sha256", "s", lease=60, done_ttl=30)
