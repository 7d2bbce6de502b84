"""Core's telemetry record onto the ``opentelemetry`` API (the ``paystar[otel]`` extra).

Imported by the native module only when a client with ``telemetry`` on makes a call and
``opentelemetry`` is installed; ``import paystar`` never imports it. Core names every span,
attribute and instrument (``docs/observability.md``); this module only hands them over:

- before the call, ``_start`` opens the call's INTERNAL span under the current context and
  gives its W3C trace context, which core sends on every attempt (so the gateway's
  ``traceparent`` names the call span: the attempt spans are made after the call, on this
  thread, never from paystar's runtime threads, so they do not exist while the request is sent);
- after the call, ``_finish`` records each attempt as a CLIENT span under it with the attempt's
  real start and end times, its ``http.client.request.duration`` point, the
  ``paystar.client.calls`` point, and ends the call span.
"""

from __future__ import annotations

import importlib.util
from typing import Any

_scope: _Scope | None = None
_found: bool | None = None


def _available() -> bool:
    """Whether the OpenTelemetry API can be imported (looked up once, not imported)."""
    global _found
    if _found is None:
        try:
            _found = importlib.util.find_spec("opentelemetry.trace") is not None
        except (ImportError, ValueError):
            _found = False
    return _found


def _set_current(attributes: dict[str, Any]) -> None:
    """Sets a webhook endpoint's attributes on the current span (the framework's server span),
    when the API is installed; a broken setup never breaks the endpoint."""
    if not attributes or not _available():
        return
    try:
        from opentelemetry import trace

        trace.get_current_span().set_attributes(attributes)
    except Exception:  # pragma: no cover - the API's own failure
        return


class _Scope:
    """The tracer and instruments, made once (proxies: an SDK configured later still gets them)."""

    def __init__(self) -> None:
        from opentelemetry import metrics, propagate, trace
        from opentelemetry.trace import SpanKind, Status, StatusCode

        from paystar import _native

        spec = _native.telemetry_scope()
        self.inject = propagate.inject
        self.in_context = trace.set_span_in_context
        self.client_kind = SpanKind.CLIENT
        self.internal_kind = SpanKind.INTERNAL
        self.status = Status
        self.error_code = StatusCode.ERROR
        self.tracer = trace.get_tracer(spec["name"], spec["version"])
        meter = metrics.get_meter(spec["name"], spec["version"])
        duration, calls = spec["duration"], spec["calls"]
        try:
            self.duration = meter.create_histogram(
                duration["name"],
                unit=duration["unit"],
                description=duration["description"],
                explicit_bucket_boundaries_advisory=duration["buckets"],
            )
        except TypeError:  # opentelemetry-api before 1.23 takes no advice
            self.duration = meter.create_histogram(
                duration["name"], unit=duration["unit"], description=duration["description"]
            )
        self.calls = meter.create_counter(
            calls["name"], unit=calls["unit"], description=calls["description"]
        )


def _get() -> _Scope:
    """The scope, made on first use."""
    global _scope
    if _scope is None:
        _scope = _Scope()
    return _scope


def _attributes(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {item["key"]: item["value"] for item in items}


def _metrics_on() -> bool:
    """Whether a meter provider that records is set (not the API's proxy or no-op one)."""
    from opentelemetry import metrics

    return type(metrics.get_meter_provider()).__name__ not in (
        "_ProxyMeterProvider",
        "NoOpMeterProvider",
    )


def _start(name: str) -> tuple[Any, str | None, str | None]:
    """Opens the call's span; gives it (``None`` when neither it nor a meter records, so the
    call collects nothing) and the trace context to send."""
    s = _get()
    span = s.tracer.start_span(name, kind=s.internal_kind)
    carrier: dict[str, str] = {}
    s.inject(carrier, context=s.in_context(span))
    recorded = span if span.is_recording() or _metrics_on() else None
    return recorded, carrier.get("traceparent"), carrier.get("tracestate")


def _finish(span: Any, record: dict[str, Any]) -> None:
    """Records the attempts and points of core's record, then ends the call's span."""
    s = _get()
    parent = s.in_context(span)
    for attempt in record["attempts"]:
        child = s.tracer.start_span(
            attempt["name"],
            context=parent,
            kind=s.client_kind,
            attributes=_attributes(attempt["attributes"]),
            start_time=attempt["start_unix_nano"],
        )
        if attempt["error_type"] is not None:
            child.set_status(s.status(s.error_code, attempt["error_type"]))
        child.end(end_time=attempt["end_unix_nano"])
        s.duration.record(attempt["duration_s"], _attributes(attempt["metric_attributes"]))
    span.set_attributes(_attributes(record["attributes"]))
    if record["error_type"] is not None:
        span.set_status(s.status(s.error_code, record["error_type"]))
    span.end()
    s.calls.add(1, _attributes(record["calls_attributes"]))
