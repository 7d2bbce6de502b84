'use strict';
// With OpenTelemetry configured (the SDK, an in-memory exporter, and a server span per request,
// as @opentelemetry/instrumentation-http makes one), one `/pay` request is one trace: the
// server span, paystar's call span under it and the attempt span under that; the gateway
// received the trace's `traceparent`.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const express = require('express');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const paystar = require('../../..');
const { createApp } = require('../app');

const exporter = new InMemorySpanExporter();
api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

/** A SERVER span per request, active while the app handles it (the HTTP instrumentation's job). */
function serverSpans(req, res, next) {
  const tracer = api.trace.getTracer('http');
  tracer.startActiveSpan(`${req.method} ${req.path}`, { kind: api.SpanKind.SERVER }, (span) => {
    res.on('finish', () => span.end());
    next();
  });
}

test('one /pay request is one trace from the server to the gateway', async () => {
  const gateway = new paystar.MockGateway();
  const app = express();
  app.use(serverSpans);
  app.use(
    createApp({
      client: gateway.client(),
      publicUrl: 'https://billing.acme.example',
      currentUser: () => ({ email: 'sam@example.com', name: 'Sam Doe', account: 'ACC-777' }),
      billFor: () => ({ amount: 15000, description: 'Your bill' }),
      log: () => {},
      webhook: { scheme: 'hmac_sha256', secrets: ['whsk_express_test'] },
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${server.address().port}/pay`);
    assert.equal(res.status, 200);
    await res.text();
    await new Promise((r) => setImmediate(r));
    const spans = exporter.getFinishedSpans();
    const server_ = spans.find((s) => s.kind === api.SpanKind.SERVER);
    const call = spans.find((s) => s.name === 'paystar.create_payment_session');
    const attempt = spans.find((s) => s.kind === api.SpanKind.CLIENT);
    assert.equal(attempt.name, 'POST /integrations/embedded/initiate');
    const traceId = server_.spanContext().traceId;
    assert.deepEqual([call, attempt].map((s) => s.spanContext().traceId), [traceId, traceId]);
    assert.equal(call.parentSpanContext.spanId, server_.spanContext().spanId);
    assert.equal(attempt.parentSpanContext.spanId, call.spanContext().spanId);
    const [request] = gateway.requests;
    assert.ok(request.headers.traceparent.startsWith(`00-${traceId}-${call.spanContext().spanId}-`));
  } finally {
    await new Promise((r) => server.close(r));
    gateway.stop();
  }
});
