"""With OpenTelemetry configured (the SDK, an in-memory exporter, Django's instrumentation),
one `/pay/` request is one trace: the server span, paystar's call span under it and the
attempt span under that; the gateway received the trace's `traceparent`."""

from __future__ import annotations

import unittest
from typing import Any

from django.test import SimpleTestCase

from billing.tests import on_mock

try:
    from opentelemetry import trace
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import SpanKind
except ImportError:  # the example runs without OpenTelemetry too (Python 3.9-3.13 CI runs)
    trace = None  # type: ignore[assignment]

EXPORTER: Any = None


def exporter() -> Any:
    """The in-memory exporter behind the process's tracer provider (set once per process)."""
    global EXPORTER
    if EXPORTER is None:
        EXPORTER = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
        trace.set_tracer_provider(provider)
        DjangoInstrumentor().instrument()
    return EXPORTER


@unittest.skipIf(trace is None, "OpenTelemetry (paystar[otel], the SDK) is not installed")
class TracedPayTests(SimpleTestCase):
    def setUp(self) -> None:
        self.gateway = on_mock(self)
        self.spans = exporter()
        self.spans.clear()

    def test_one_pay_request_is_one_trace_from_the_server_to_the_gateway(self) -> None:
        response = self.client.get("/pay/")
        self.assertEqual(response.status_code, 200)
        spans = {s.kind: s for s in self.spans.get_finished_spans()}
        server, call, attempt = (
            spans[SpanKind.SERVER],
            spans[SpanKind.INTERNAL],
            spans[SpanKind.CLIENT],
        )
        self.assertEqual(call.name, "paystar.create_payment_session")
        self.assertEqual(attempt.name, "POST /integrations/embedded/initiate")
        self.assertEqual(
            {s.context.trace_id for s in (server, call, attempt)}, {server.context.trace_id}
        )
        self.assertEqual(call.parent.span_id, server.context.span_id)
        self.assertEqual(attempt.parent.span_id, call.context.span_id)
        (request,) = self.gateway.requests
        trace_id = f"{server.context.trace_id:032x}"
        self.assertTrue(
            request["headers"]["traceparent"].startswith(
                f"00-{trace_id}-{call.context.span_id:016x}-"
            )
        )
