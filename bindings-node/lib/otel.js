'use strict';
// Core's telemetry record onto `@opentelemetry/api` (an optional peer dependency, required on the
// first call of a client with `telemetry` on, never by `require('paystar')`) and onto the
// `diagnostics_channel` TracingChannel `paystar:request`. Core names every span, attribute and
// instrument (docs/observability.md); this file only hands them over, on the event loop, after
// the call:
// - before the call, the call's INTERNAL span is opened under the active context and its W3C
//   trace context goes to core, which sends it on every attempt (the gateway's `traceparent`
//   names the call span: attempt spans are made after the call, on this thread, never from
//   paystar's runtime threads, so they do not exist while the request is sent);
// - after the call, each attempt becomes a CLIENT span under it with its real start and end
//   times, plus its `http.client.request.duration` point and the `paystar.client.calls` point.

const { native } = require('./errors.js');

const { telemetry: SCOPE, telemetryBit: TELEMETRY_BIT } = native.constants();
const SPAN_NAMES = new Map(SCOPE.callSpans.map((s) => [s.operation, s.name]));

let channel; // the TracingChannel, made on first use
let api; // undefined: not looked up yet; null: not installed
let scope; // tracer and instruments, made once

/** The `paystar:request` TracingChannel (node:diagnostics_channel). */
function tracingChannel() {
  if (channel === undefined) {
    channel = require('node:diagnostics_channel').tracingChannel('paystar:request');
  }
  return channel;
}

/** `@opentelemetry/api`, or null when it is not installed (looked up once). */
function otelApi() {
  if (api === undefined) {
    try {
      api = require('@opentelemetry/api');
    } catch {
      api = null;
    }
  }
  return api;
}

function otelScope(otel) {
  if (!scope) {
    const meter = otel.metrics.getMeter(SCOPE.name, SCOPE.version);
    const d = SCOPE.duration;
    const c = SCOPE.calls;
    scope = {
      tracer: otel.trace.getTracer(SCOPE.name, SCOPE.version),
      duration: meter.createHistogram(d.name, {
        unit: d.unit,
        description: d.description,
        advice: { explicitBucketBoundaries: d.buckets },
      }),
      calls: meter.createCounter(c.name, { unit: c.unit, description: c.description }),
    };
  }
  return scope;
}

function attributes(items) {
  const out = {};
  for (const { key, value } of items) out[key] = value;
  return out;
}

/** Nanoseconds since the epoch as OpenTelemetry's HrTime. */
function hrTime(ns) {
  const seconds = Math.floor(ns / 1e9);
  return [seconds, Math.min(999_999_999, Math.max(0, Math.round(ns - seconds * 1e9)))];
}

/**
 * What a call of `operation` records: `null` when nothing listens (the client's telemetry is
 * off, or neither the OpenTelemetry API nor a `paystar:request` subscriber is there), else the
 * call's span (opened now) and the channel context. `callOptions` gets the span's trace context
 * unless the caller gave one.
 */
function start(enabled, operation, callOptions) {
  if (!enabled) return null;
  const subscribed = tracingChannel().hasSubscribers;
  const otel = otelApi();
  if (!otel && !subscribed) return null;
  const call = { operation, name: SPAN_NAMES.get(operation), span: null, channel: null };
  if (subscribed) call.channel = { operation, name: call.name };
  if (otel) {
    const active = otel.context.active();
    call.span = otelScope(otel).tracer.startSpan(call.name, { kind: otel.SpanKind.INTERNAL }, active);
    if (callOptions.traceparent === undefined) {
      const carrier = {};
      otel.propagation.inject(otel.trace.setSpan(active, call.span), carrier);
      if (carrier.traceparent) {
        callOptions.traceparent = carrier.traceparent;
        if (carrier.tracestate) callOptions.tracestate = carrier.tracestate;
      }
    }
    // Neither the span nor a meter records (the API without an SDK): collect nothing.
    if (!call.span.isRecording() && otel.metrics.getMeterProvider().constructor.name === 'NoopMeterProvider') {
      call.span = null;
    }
  }
  return call.span || call.channel ? call : null;
}

/** Runs `run` inside the channel's trace when a tool listens there (the record on its context). */
function traced(call, run) {
  if (!call?.channel) return run();
  return tracingChannel().tracePromise(run, call.channel);
}

/** Records core's `record` (null when the call was aborted): the attempts, points, call span. */
function finish(call, record) {
  if (!call) return;
  if (call.channel) call.channel.telemetry = record;
  if (!call.span) return;
  try {
    const otel = api;
    const s = otelScope(otel);
    if (!record) {
      call.span.setStatus({ code: otel.SpanStatusCode.ERROR, message: 'aborted' });
      call.span.end();
      return;
    }
    const parent = otel.trace.setSpan(otel.context.active(), call.span);
    for (const a of record.attempts) {
      const child = s.tracer.startSpan(
        a.name,
        { kind: otel.SpanKind.CLIENT, attributes: attributes(a.attributes), startTime: hrTime(a.startUnixNano) },
        parent,
      );
      if (a.errorType !== null) child.setStatus({ code: otel.SpanStatusCode.ERROR, message: a.errorType });
      child.end(hrTime(a.endUnixNano));
      s.duration.record(a.durationS, attributes(a.metricAttributes));
    }
    call.span.setAttributes(attributes(record.attributes));
    if (record.errorType !== null) {
      call.span.setStatus({ code: otel.SpanStatusCode.ERROR, message: record.errorType });
    }
    call.span.end();
    s.calls.add(1, attributes(record.callsAttributes));
  } catch {
    // A broken telemetry setup must not break the call.
  }
}

/**
 * Core's webhook attributes (`paystar.webhook.outcome`, ...) as an object, set on the active
 * span (the framework's server span) when `@opentelemetry/api` is installed.
 */
function spanned(items) {
  const out = attributes(items ?? []);
  const otel = otelApi();
  if (otel && items?.length) {
    try {
      otel.trace.getActiveSpan()?.setAttributes(out);
    } catch {
      // A broken telemetry setup must not break the endpoint.
    }
  }
  return out;
}

/** Core's answer record with its attributes as an object (and set on the active span). */
function answered(answer) {
  return { ...answer, attributes: spanned(answer.attributes) };
}

module.exports = { start, traced, finish, spanned, answered, TELEMETRY_BIT };
