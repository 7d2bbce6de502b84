"""Webhooks in Python: every vector of tests/vectors/webhooks through paystar.webhooks, and the
mock delivering a signed webhook to a real HTTP endpoint in this process."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Optional

import pytest

import paystar
from paystar import _native, webhooks
from paystar.testing import MockGateway, client_for
from paystar.types import ClientAccount, ClientUser

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[2] / "tests/vectors/webhooks/webhooks.json").read_text()
)["cases"]


def options(spec: dict[str, Any]) -> dict[str, Any]:
    """The vector's options as Python keywords (tolerance in seconds)."""
    return {("tolerance" if k == "tolerance_s" else k): v for k, v in spec.items()}


def event_outcome(e: webhooks.WebhookEvent) -> dict[str, Any]:
    names = [
        "action",
        "session_identifier",
        "status",
        "reference_number",
        "account_number",
        "account_name",
        "amount_cents",
        "service_fee_cents",
        "idempotency_key",
    ]
    return {"event": {n: getattr(e, n) for n in names}}


def run(case: dict[str, Any]) -> dict[str, Any]:
    body = _native._vector_body(case)
    try:
        if case["operation"] == "verify":
            spec = options(case["verifier"])
            verifier = webhooks.WebhookVerifier(spec.pop("scheme"), spec.pop("secrets", []), **spec)
            return event_outcome(verifier.verify(body, case["headers"], now=case["now"]))
        if case["operation"] == "parse":
            return event_outcome(webhooks.parse(body))
        spec = options(case["sign"])
        return {"headers": webhooks.sign(body, spec.pop("scheme"), spec.pop("secret"), **spec)}
    except TypeError as e:  # an unknown keyword: Python's signature refuses it first
        return {"type_error": str(e)}
    except paystar.PaystarError as e:
        cls = type(e).__name__
        return {"error": {"code": e.code, "reason": e.reason, "message": f"{e} {e!r}", "cls": cls}}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_webhook_vector(case: dict[str, Any]) -> None:
    outcome = run(case)
    if "type_error" in outcome:
        # Python names its keyword arguments, so a typo is a TypeError (mypy flags it too),
        # not core's configuration_error with a hint.
        assert case["expect"]["error"]["code"] == "configuration_error", outcome
        assert "unexpected keyword argument" in outcome["type_error"]
        return
    problems = _native._check_webhook_vector(case, outcome)
    if "error" in outcome:
        assert (
            outcome["error"]["cls"] == paystar._errors._BY_CODE[outcome["error"]["code"]].__name__
        )
    assert not problems, "; ".join(problems)


def test_every_reason_has_a_vector_and_a_status() -> None:
    reasons = {c["expect"]["error"].get("reason") for c in CASES if "error" in c["expect"]}
    assert set(webhooks.REASONS) <= reasons
    assert webhooks.SCHEMES == ("shared_secret", "hmac_sha256", "standard_webhooks")


def test_headers_in_any_shape_and_secrets_never_shown() -> None:
    verifier = webhooks.WebhookVerifier("shared_secret", "s3cret-value", header="X-Token")
    body = b'{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_1"}}'
    for headers in (
        {"x-token": "s3cret-value"},
        [("X-TOKEN", "s3cret-value")],
        {"X-Token": ["a", "s3cret-value"]},
    ):
        assert verifier.verify(body, headers).session_identifier == "ps_1"
    assert (
        verifier.verify(bytearray(body), {"X-Token": "s3cret-value"}).action == "Payment.Succeeded"
    )
    assert verifier.verify(body.decode(), {"X-Token": "s3cret-value"}).action == "Payment.Succeeded"
    assert "s3cret" not in repr(verifier)
    with pytest.raises(paystar.WebhookError) as info:
        verifier.verify(body, {"X-Token": "s3cret-valuX"})
    assert info.value.reason == "signature_mismatch"
    assert info.value.response_status == 401
    assert "s3cret" not in str(info.value) + repr(info.value)
    with pytest.raises(TypeError):
        verifier.verify(12, {})  # type: ignore[arg-type]
    # A secret read from an unset variable names itself (in a list, or as the whole argument).
    unset = os.environ.get("PAYSTAR_SURELY_UNSET")
    with pytest.raises(paystar.ConfigurationError, match=r"^secrets: item 0 is not set \(null: "):
        webhooks.WebhookVerifier("hmac_sha256", [unset])  # type: ignore[list-item]
    with pytest.raises(paystar.ConfigurationError, match=r"none given: read from an environment"):
        webhooks.WebhookVerifier("hmac_sha256", unset)  # type: ignore[arg-type]
    # A flat list of names and values (a WSGI-style mistake, or Node's rawHeaders) is named.
    with pytest.raises(paystar.ConfigurationError, match=r"flat list .*\[name, value\] pairs"):
        verifier.verify(body, ["X-Token", "s3cret-value"])  # type: ignore[list-item]
    import pickle

    again = pickle.loads(pickle.dumps(info.value))
    assert (type(again), again.reason, again.response_status) == (
        paystar.WebhookError,
        "signature_mismatch",
        401,
    )


class Endpoint(BaseHTTPRequestHandler):
    """Records each delivery; answers 200."""

    seen: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Endpoint.seen.append((dict(self.headers.items()), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def endpoint() -> Any:
    Endpoint.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


@pytest.mark.parametrize(
    ("scheme", "secret"),
    [
        ("hmac_sha256", "whsk_py"),
        ("standard_webhooks", "whsec_cHl0aG9uLWtleQ=="),
        ("shared_secret", "token-py"),
    ],
)
def test_the_mock_delivers_what_the_verifier_accepts(
    endpoint: str, scheme: str, secret: str
) -> None:
    with MockGateway(
        webhook={"url": endpoint, "scheme": scheme, "secret": secret, "redeliveries": 1}
    ) as gw:
        client = client_for(gw)
        session = client.create_payment_session(
            business_unit_slug="acme",
            channel="QuickPay",
            charges=[
                {
                    "amount": 1234_56,
                    "description": "x",
                    "client_account": {"account_number": "A-1", "name": "Jo"},
                }
            ],
        )
        done = gw.complete(session)
        assert done["event"] == "Payment.Succeeded"
        assert [d["status"] for d in done["deliveries"]] == [200, 200]
        verifier = webhooks.WebhookVerifier(scheme, [secret])
        events = [verifier.verify(body, headers) for headers, body in Endpoint.seen]
        assert {e.idempotency_key for e in events} == {
            f"Payment.Succeeded:{session.id}:{done['reference_number']}"
        }
        assert events[0].amount_cents == 1234_56
        assert events[0].account_name == "Jo"
        with pytest.raises(paystar.ConfigurationError, match="already completed"):
            gw.complete(session.id)
        with pytest.raises(paystar.ConfigurationError, match="did you mean"):
            gw.set_webhook(endpoint, scheme=scheme, secret=secret, redeliveris=1)  # type: ignore[call-arg]


def test_autopay_enrolment_and_kinds_without_a_webhook(endpoint: str) -> None:
    with MockGateway() as gw:
        gw.set_webhook(endpoint, scheme="hmac_sha256", secret="k")
        client = client_for(gw)
        user: ClientUser = {"email_address": "jo@example.com"}
        account: ClientAccount = {"account_number": "A-2", "name": "Jo"}
        autopay = client.create_autopay_session(
            business_unit_slug="acme", client_account=account, client_user=user, sync_account=True
        )
        done = gw.complete(autopay.url)
        event = webhooks.WebhookVerifier("hmac_sha256", "k").verify(
            Endpoint.seen[0][1], Endpoint.seen[0][0]
        )
        assert (done["event"], event.action, event.account_number) == (
            "AutoPay.Enrolled",
            "AutoPay.Enrolled",
            "A-2",
        )
        wallet = client.create_wallet_session(business_unit_slug="acme", client_user=user)
        nothing: Optional[Any] = gw.complete(wallet)
        assert nothing is not None
        assert nothing["event"] is None
        assert nothing["deliveries"] == []
        gw.set_webhook(None)
