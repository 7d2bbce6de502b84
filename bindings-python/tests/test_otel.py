"""OpenTelemetry: spans and metric points from core's report, recorded through the
``opentelemetry`` API into the SDK's in-memory exporters, against a real MockGateway."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

import paystar
from conftest import payment
from paystar.testing import MockGateway

sdk_trace = pytest.importorskip("opentelemetry.sdk.trace")
from opentelemetry import metrics, trace  # noqa: E402
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode  # noqa: E402

EXPORTER = InMemorySpanExporter()
READER = InMemoryMetricReader()


@pytest.fixture(scope="module", autouse=True)
def _providers() -> None:
    # The global providers can be set once per process; the exporter is cleared per test.
    provider = sdk_trace.TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[READER]))


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


def by_kind(exported: Any, kind: SpanKind) -> list[Any]:
    return [s for s in exported if s.kind == kind]


def test_a_success_is_one_call_span_and_one_attempt_span(
    gateway: MockGateway, spans: InMemorySpanExporter
) -> None:
    tracer = trace.get_tracer("test")
    with (
        paystar.Client(gateway.api_key, base_url=gateway.url) as client,
        tracer.start_as_current_span("GET /pay") as server,
    ):
        session = client.create_payment_session(**payment())
    exported = spans.get_finished_spans()
    (call,) = [s for s in exported if s.name == "paystar.create_payment_session"]
    (attempt,) = by_kind(exported, SpanKind.CLIENT)
    assert call.kind == SpanKind.INTERNAL
    assert call.parent is not None
    assert call.parent.span_id == server.get_span_context().span_id
    assert call.context.trace_id == server.get_span_context().trace_id
    assert call.status.status_code == StatusCode.UNSET
    assert dict(call.attributes or {}) == {
        "paystar.operation": "create_payment_session",
        "paystar.attempts": 1,
        "paystar.request_id": session.request_id,
    }
    assert attempt.name == "POST /integrations/embedded/initiate"
    assert attempt.parent is not None
    assert attempt.parent.span_id == call.context.span_id
    port = int(gateway.url.rsplit(":", 1)[1])
    assert dict(attempt.attributes or {}) == {
        "http.request.method": "POST",
        "server.address": "127.0.0.1",
        "server.port": port,
        "url.full": f"{gateway.url}/integrations/embedded/initiate",
        "url.template": "/integrations/embedded/initiate",
        "http.response.status_code": 200,
        "paystar.request_id": session.request_id,
    }
    assert call.start_time <= attempt.start_time <= attempt.end_time <= call.end_time
    (received,) = gateway.requests
    trace_id = f"{call.context.trace_id:032x}"
    assert received["headers"]["traceparent"].startswith(
        f"00-{trace_id}-{call.context.span_id:016x}-"
    )


def test_a_retried_503_is_two_attempt_spans_under_an_ok_call(
    gateway: MockGateway, spans: InMemorySpanExporter
) -> None:
    gateway.script([{"kind": "status", "status": 503, "retry_after": "0"}])
    with paystar.Client(gateway.api_key, base_url=gateway.url) as client:
        client.create_payment_session(**payment())
    exported = spans.get_finished_spans()
    (call,) = by_kind(exported, SpanKind.INTERNAL)
    first, second = sorted(by_kind(exported, SpanKind.CLIENT), key=lambda s: s.start_time)
    assert call.status.status_code == StatusCode.UNSET
    assert call.attributes is not None
    assert call.attributes["paystar.attempts"] == 2
    assert first.status.status_code == StatusCode.ERROR
    assert first.status.description == "server_error"
    assert first.attributes is not None
    assert first.attributes["error.type"] == "server_error"
    assert first.attributes["http.response.status_code"] == 503
    assert "http.request.resend_count" not in first.attributes
    assert second.attributes is not None
    assert second.attributes["http.request.resend_count"] == 1
    assert second.status.status_code == StatusCode.UNSET
    assert first.end_time <= second.start_time
    parents = {r["headers"]["traceparent"][:-3] for r in gateway.requests}
    assert parents == {f"00-{call.context.trace_id:032x}-{call.context.span_id:016x}"}


def test_a_validation_error_is_a_call_span_with_no_attempt(
    gateway: MockGateway, spans: InMemorySpanExporter
) -> None:
    with (
        paystar.Client(gateway.api_key, base_url=gateway.url) as client,
        pytest.raises(paystar.ValidationError),
    ):
        client.create_payment_session(**payment(channel=None))
    (call,) = spans.get_finished_spans()
    assert call.name == "paystar.create_payment_session"
    assert call.status.status_code == StatusCode.ERROR
    assert call.attributes is not None
    assert call.attributes["error.type"] == "validation_error"
    assert call.attributes["paystar.attempts"] == 0
    assert gateway.requests == []


def test_the_asyncio_client_records_the_same_spans_in_the_callers_trace(
    gateway: MockGateway, spans: InMemorySpanExporter
) -> None:
    async def main() -> Any:
        client = paystar.AsyncClient(gateway.api_key, base_url=gateway.url)
        with trace.get_tracer("test").start_as_current_span("job") as job:
            await client.create_wallet_session(
                business_unit_slug="acme-utilities",
                client_user={"email_address": "jane@example.com"},
            )
        return job

    job = asyncio.run(main())
    (call,) = [s for s in spans.get_finished_spans() if s.name.startswith("paystar.")]
    assert call.name == "paystar.create_wallet_session"
    assert call.context.trace_id == job.get_span_context().trace_id
    assert len(by_kind(spans.get_finished_spans(), SpanKind.CLIENT)) == 1


def test_the_duration_histogram_and_the_calls_counter(
    gateway: MockGateway, spans: InMemorySpanExporter
) -> None:
    READER.get_metrics_data()  # drop what earlier tests recorded (delta not needed: compare)
    gateway.script([{"kind": "status", "status": 503, "retry_after": "0"}])
    with paystar.Client(gateway.api_key, base_url=gateway.url) as client:
        client.create_payment_session(**payment())
    data = READER.get_metrics_data()
    assert data is not None
    found = {
        m.name: m
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        if sm.scope.name == "paystar"
        for m in sm.metrics
    }
    duration = found["http.client.request.duration"]
    assert duration.unit == "s"
    points: list[Any] = list(duration.data.data_points)
    codes = {p.attributes.get("http.response.status_code") for p in points}
    assert {200, 503} <= codes
    assert list(points[0].explicit_bounds)[:3] == [0.005, 0.01, 0.025]
    calls = found["paystar.client.calls"]
    ok: list[Any] = [
        p
        for p in calls.data.data_points
        if p.attributes == {"paystar.operation": "create_payment_session"}
    ]
    assert ok
    assert ok[0].value >= 1


def test_nothing_secret_or_personal_in_any_span(
    gateway: MockGateway, spans: InMemorySpanExporter
) -> None:
    gateway.script([{"kind": "status", "status": 429, "retry_after": "0"}])
    with paystar.Client(gateway.api_key, base_url=gateway.url) as client:
        session = client.create_payment_session(**payment())
        with pytest.raises(paystar.ValidationError):
            client.create_payment_session(**payment(channel=None))
    text = "".join(s.to_json() for s in spans.get_finished_spans())
    assert "paystar.create_payment_session" in text
    for secret in (gateway.api_key, "jane@example.com", "ACCT-1001", session.url):
        assert secret not in text


def test_telemetry_false_records_nothing_and_sends_no_traceparent(
    gateway: MockGateway, spans: InMemorySpanExporter
) -> None:
    with (
        trace.get_tracer("test").start_as_current_span("outer"),
        paystar.Client(gateway.api_key, base_url=gateway.url, telemetry=False) as client,
    ):
        client.create_payment_session(**payment())
    assert [s.name for s in spans.get_finished_spans()] == ["outer"]
    assert "traceparent" not in gateway.requests[0]["headers"]


def test_an_explicit_traceparent_wins(gateway: MockGateway, spans: InMemorySpanExporter) -> None:
    mine = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    with paystar.Client(gateway.api_key, base_url=gateway.url, telemetry=False) as client:
        client.create_payment_session(**payment(), traceparent=mine, tracestate="congo=t61")
        with pytest.raises(paystar.ConfigurationError, match="traceparent"):
            client.create_payment_session(**payment(), traceparent="00-nope")
    (received,) = gateway.requests
    assert received["headers"]["traceparent"] == mine
    assert received["headers"]["tracestate"] == "congo=t61"


# Run in a fresh interpreter: what `import paystar` and a call load.
PROBE = """
import json, sys
from importlib.abc import MetaPathFinder
if sys.argv[1] == "absent":
    class Hide(MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "opentelemetry":
                raise ModuleNotFoundError(name)
    sys.meta_path.insert(0, Hide())
import paystar
from paystar.testing import MockGateway
loaded = [m for m in sys.modules if m.startswith("opentelemetry")]
with MockGateway() as gw, paystar.Client(
    gw.api_key, base_url=gw.url, telemetry=sys.argv[1] != "off"
) as c:
    c.create_wallet_session(business_unit_slug="a", client_user={"email_address": "j@e.com"})
    print(json.dumps([loaded, [m for m in sys.modules if m.startswith("opentelemetry")]]))
"""


@pytest.mark.parametrize("mode", ["absent", "off"])
def test_without_the_api_or_with_telemetry_off_nothing_of_opentelemetry_loads(mode: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [[], []]


def test_with_the_api_installed_it_loads_on_the_first_call_not_on_import() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "on"], capture_output=True, text=True, check=True
    )
    on_import, after_call = json.loads(out.stdout)
    assert on_import == []
    assert "opentelemetry.trace" in after_call


def test_a_webhook_endpoint_sets_what_happened_on_the_server_span(
    spans: InMemorySpanExporter,
) -> None:
    from paystar import webhooks

    now = 1_764_840_000
    body = b'{"action": "Payment.Succeeded", "payload": {"sessionIdentifier": "ps_1"}}'
    headers = webhooks.sign(body, "hmac_sha256", "whsk_dev", timestamp=now)
    v = webhooks.WebhookVerifier("hmac_sha256", ["whsk_dev"])
    store = webhooks.MemoryStore()
    tracer = trace.get_tracer("test")
    answers = []
    for sent in (headers, headers, {**headers, "X-Webhook-Signature": "0" * 64}):
        with tracer.start_as_current_span("POST /hooks", kind=SpanKind.SERVER):
            answers.append(v.handle(body, sent, store, lambda e: None, now=now))
    assert [a.status for a in answers] == [204, 200, 401]
    assert [dict(s.attributes or {}) for s in spans.get_finished_spans()] == [
        {"paystar.webhook.event_type": "Payment.Succeeded", "paystar.webhook.outcome": "handled"},
        {"paystar.webhook.event_type": "Payment.Succeeded", "paystar.webhook.outcome": "duplicate"},
        {"paystar.webhook.outcome": "refused", "paystar.webhook.reason": "signature_mismatch"},
    ]
    assert answers[2].attributes == {
        "paystar.webhook.outcome": "refused",
        "paystar.webhook.reason": "signature_mismatch",
    }


SAMPLED_OUT = """
import json
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
import paystar
from paystar import _otel
from paystar.testing import MockGateway

trace.set_tracer_provider(TracerProvider(sampler=ALWAYS_OFF))
finished = []
_otel._finish = lambda span, record: finished.append(record)
with MockGateway() as gw, paystar.Client(gw.api_key, base_url=gw.url) as c:
    c.create_wallet_session(business_unit_slug="a", client_user={"email_address": "j@e.com"})
    print(json.dumps([len(finished), gw.requests[0]["headers"].get("traceparent")]))
"""


def test_when_nothing_records_nothing_is_collected_but_the_trace_still_goes_out() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SAMPLED_OUT], capture_output=True, text=True, check=True
    )
    finished, traceparent = json.loads(out.stdout)
    assert finished == 0
    assert traceparent.startswith("00-")
    assert int(traceparent[-2:], 16) & 1 == 0  # not sampled, as the caller's sampler decided
