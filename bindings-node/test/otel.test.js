'use strict';
// OpenTelemetry and the `paystar:request` TracingChannel: spans and metric points from core's
// report, recorded through `@opentelemetry/api` into the SDK's in-memory exporter, against a
// real MockGateway.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const diagnostics = require('node:diagnostics_channel');
const api = require('@opentelemetry/api');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
const paystar = require('../..');

const exporter = new InMemorySpanExporter();
api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
class Reader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}
const reader = new Reader();
api.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));

const payment = () => ({
  businessUnitSlug: 'acme-utilities',
  channel: 'QuickPay',
  charges: [{ amount: 15000, description: 'November bill', clientAccount: { accountNumber: 'ACCT-1001' } }],
  clientUser: { emailAddress: 'jane@example.com' },
});
const INTERNAL = api.SpanKind.INTERNAL;
const CLIENT = api.SpanKind.CLIENT;
const hex = (ctx) => `00-${ctx.traceId}-${ctx.spanId}-`;
const ns = ([s, n]) => s * 1e9 + n;

function withMock(fn) {
  return async () => {
    exporter.reset();
    const gw = new paystar.MockGateway();
    try {
      await fn(gw, new paystar.Client({ apiKey: gw.apiKey, baseUrl: gw.url }));
    } finally {
      gw.stop();
    }
  };
}

test('a success is one call span and one attempt span, in the caller\'s trace', withMock(async (gw, client) => {
  const tracer = api.trace.getTracer('test');
  let server;
  const session = await tracer.startActiveSpan('GET /pay', async (span) => {
    server = span;
    try {
      return await client.createPaymentSession(payment());
    } finally {
      span.end();
    }
  });
  const spans = exporter.getFinishedSpans();
  const call = spans.find((s) => s.name === 'paystar.create_payment_session');
  const attempts = spans.filter((s) => s.kind === CLIENT);
  assert.equal(attempts.length, 1);
  const [attempt] = attempts;
  assert.equal(call.kind, INTERNAL);
  assert.equal(call.parentSpanContext.spanId, server.spanContext().spanId);
  assert.equal(call.spanContext().traceId, server.spanContext().traceId);
  assert.equal(call.status.code, api.SpanStatusCode.UNSET);
  assert.deepEqual(call.attributes, {
    'paystar.operation': 'create_payment_session',
    'paystar.attempts': 1,
    'paystar.request_id': session.requestId,
  });
  assert.equal(attempt.name, 'POST /integrations/embedded/initiate');
  assert.equal(attempt.parentSpanContext.spanId, call.spanContext().spanId);
  assert.deepEqual(attempt.attributes, {
    'http.request.method': 'POST',
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(gw.url).port),
    'url.full': `${gw.url}/integrations/embedded/initiate`,
    'url.template': '/integrations/embedded/initiate',
    'http.response.status_code': 200,
    'paystar.request_id': session.requestId,
  });
  assert.ok(ns(call.startTime) <= ns(attempt.startTime) + 1000);
  assert.ok(ns(attempt.endTime) <= ns(call.endTime) + 1000);
  assert.ok(gw.requests[0].headers.traceparent.startsWith(hex(call.spanContext())));
}));

test('a retried 503 is two attempt spans under an OK call, the trace on each', withMock(async (gw, client) => {
  gw.script([{ kind: 'status', status: 503, retry_after: '0' }]);
  await client.createPaymentSession(payment());
  const spans = exporter.getFinishedSpans();
  const call = spans.find((s) => s.kind === INTERNAL);
  const [first, second] = spans.filter((s) => s.kind === CLIENT).sort((a, b) => ns(a.startTime) - ns(b.startTime));
  assert.equal(call.status.code, api.SpanStatusCode.UNSET);
  assert.equal(call.attributes['paystar.attempts'], 2);
  assert.equal(first.status.code, api.SpanStatusCode.ERROR);
  assert.equal(first.attributes['error.type'], 'server_error');
  assert.equal(first.attributes['http.response.status_code'], 503);
  assert.equal(first.attributes['http.request.resend_count'], undefined);
  assert.equal(second.attributes['http.request.resend_count'], 1);
  assert.equal(second.status.code, api.SpanStatusCode.UNSET);
  assert.equal(gw.requests.length, 2);
  for (const r of gw.requests) assert.ok(r.headers.traceparent.startsWith(hex(call.spanContext())));
}));

test('a validation error is a call span with error.type and no attempt', withMock(async (gw, client) => {
  await assert.rejects(client.createPaymentSession({ ...payment(), channel: undefined }), paystar.ValidationError);
  const [call, ...rest] = exporter.getFinishedSpans();
  assert.deepEqual(rest, []);
  assert.equal(call.name, 'paystar.create_payment_session');
  assert.equal(call.status.code, api.SpanStatusCode.ERROR);
  assert.equal(call.attributes['error.type'], 'validation_error');
  assert.equal(call.attributes['paystar.attempts'], 0);
  assert.deepEqual(gw.requests, []);
}));

test('the duration histogram and the calls counter', withMock(async (gw, client) => {
  gw.script([{ kind: 'status', status: 503, retry_after: '0' }]);
  await client.createPaymentSession(payment());
  const { resourceMetrics } = await reader.collect();
  const metrics = resourceMetrics.scopeMetrics.filter((s) => s.scope.name === 'paystar').flatMap((s) => s.metrics);
  const duration = metrics.find((m) => m.descriptor.name === 'http.client.request.duration');
  assert.equal(duration.descriptor.unit, 's');
  const codes = new Set(duration.dataPoints.map((p) => p.attributes['http.response.status_code']));
  assert.ok(codes.has(200) && codes.has(503), [...codes].join());
  assert.deepEqual(duration.dataPoints[0].value.buckets.boundaries.slice(0, 3), [0.005, 0.01, 0.025]);
  const calls = metrics.find((m) => m.descriptor.name === 'paystar.client.calls');
  const ok = calls.dataPoints.find((p) => Object.keys(p.attributes).length === 1);
  assert.equal(ok.attributes['paystar.operation'], 'create_payment_session');
  assert.ok(ok.value >= 1);
}));

test('nothing secret or personal in any span', withMock(async (gw, client) => {
  gw.script([{ kind: 'status', status: 429, retry_after: '0' }]);
  const session = await client.createPaymentSession(payment());
  await assert.rejects(client.createPaymentSession({ ...payment(), channel: 'Nope' }));
  const text = JSON.stringify(exporter.getFinishedSpans().map((s) => [s.name, s.attributes, s.events, s.status]));
  assert.ok(text.includes('paystar.create_payment_session'));
  for (const secret of [gw.apiKey, 'jane@example.com', 'ACCT-1001', session.url]) {
    assert.ok(!text.includes(secret), secret);
  }
}));

test('telemetry: false records nothing and sends no traceparent', withMock(async (gw) => {
  const client = new paystar.Client({ apiKey: gw.apiKey, baseUrl: gw.url, telemetry: false });
  await api.trace.getTracer('test').startActiveSpan('outer', async (span) => {
    await client.createPaymentSession(payment());
    span.end();
  });
  assert.deepEqual(exporter.getFinishedSpans().map((s) => s.name), ['outer']);
  assert.equal(gw.requests[0].headers.traceparent, undefined);
}));

test('an explicit traceparent wins; a malformed one is refused', withMock(async (gw) => {
  const client = new paystar.Client({ apiKey: gw.apiKey, baseUrl: gw.url, telemetry: false });
  const mine = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  await client.createPaymentSession(payment(), { traceparent: mine, tracestate: 'congo=t61' });
  await assert.rejects(
    client.createPaymentSession(payment(), { traceparent: '00-nope' }),
    (e) => e instanceof paystar.ConfigurationError && e.option === 'traceparent',
  );
  assert.equal(gw.requests.length, 1);
  assert.equal(gw.requests[0].headers.traceparent, mine);
  assert.equal(gw.requests[0].headers.tracestate, 'congo=t61');
}));

test('an aborted call ends its span with an error', withMock(async (gw, client) => {
  gw.script([{ kind: 'delay', ms: 1000 }]);
  const controller = new AbortController();
  const pending = client.createPaymentSession(payment(), { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, { name: 'AbortError' });
  const [call] = exporter.getFinishedSpans();
  assert.equal(call.status.code, api.SpanStatusCode.ERROR);
  assert.equal(call.status.message, 'aborted');
}));

test('the paystar:request TracingChannel sees each call with core\'s record', withMock(async (gw, client) => {
  const seen = [];
  const channel = diagnostics.tracingChannel('paystar:request');
  const handlers = {
    start: (ctx) => seen.push(['start', ctx.operation]),
    asyncEnd: (ctx) => seen.push(['end', ctx.name, ctx.telemetry.attempts.length, ctx.result?.kind]),
    error: (ctx) => seen.push(['error', ctx.error.code]),
  };
  channel.subscribe(handlers);
  try {
    await client.createWalletSession({ businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: 'j@e.com' } });
    await assert.rejects(client.createWalletSession({}));
  } finally {
    channel.unsubscribe(handlers);
  }
  assert.deepEqual(seen, [
    ['start', 'create_wallet_session'],
    ['end', 'paystar.create_wallet_session', 1, 'wallet'],
    ['start', 'create_wallet_session'],
    ['error', 'validation_error'],
    ['end', 'paystar.create_wallet_session', 0, undefined],
  ]);
}));

// What `require('paystar')` and a call load, in a fresh process.
const PROBE = `
const Module = require('node:module');
const mode = process.argv[1];
if (mode === 'absent') {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request.startsWith('@opentelemetry/')) throw Object.assign(new Error('not found'), { code: 'MODULE_NOT_FOUND' });
    return resolve.call(this, request, ...rest);
  };
}
const loaded = () => Object.keys(require.cache).filter((f) => f.includes('@opentelemetry'));
const paystar = require(${JSON.stringify(path.resolve(__dirname, '../..'))});
const onRequire = loaded();
const gw = new paystar.MockGateway();
const client = new paystar.Client({ apiKey: gw.apiKey, baseUrl: gw.url, telemetry: mode !== 'off' });
client.createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'j@e.com' } }).then(() => {
  console.log(JSON.stringify([onRequire, loaded()]));
  gw.stop();
});
`;

for (const mode of ['absent', 'off']) {
  test(`${mode === 'absent' ? 'without the API' : 'with telemetry off'}, nothing of OpenTelemetry loads`, () => {
    const out = spawnSync(process.execPath, ['-e', PROBE, mode], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), [[], []]);
  });
}

test('with the API installed it loads on the first call, not on require', () => {
  const out = spawnSync(process.execPath, ['-e', PROBE, 'on'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  const [onRequire, afterCall] = JSON.parse(out.stdout);
  assert.deepEqual(onRequire, []);
  assert.ok(afterCall.some((f) => f.includes('@opentelemetry/api')), afterCall.join());
});

test('a webhook endpoint sets what happened on the active server span', async () => {
  exporter.reset();
  const now = 1764840000;
  const body = Buffer.from('{"action": "Payment.Succeeded", "payload": {"sessionIdentifier": "ps_1"}}');
  const headers = paystar.webhooks.sign(body, { scheme: 'hmac_sha256', secret: 'whsk_dev', timestamp: now });
  const v = new paystar.webhooks.WebhookVerifier({ scheme: 'hmac_sha256', secrets: ['whsk_dev'] });
  const store = new paystar.webhooks.MemoryStore();
  const tracer = api.trace.getTracer('test');
  const answers = [];
  for (const sent of [headers, headers, { ...headers, 'X-Webhook-Signature': '0'.repeat(64) }]) {
    await tracer.startActiveSpan('POST /hooks', { kind: api.SpanKind.SERVER }, async (span) => {
      answers.push(await v.handle(body, sent, store, () => undefined, { now }));
      span.end();
    });
  }
  assert.deepEqual(answers.map((a) => a.status), [204, 200, 401]);
  assert.deepEqual(exporter.getFinishedSpans().map((s) => s.attributes), [
    { 'paystar.webhook.event_type': 'Payment.Succeeded', 'paystar.webhook.outcome': 'handled' },
    { 'paystar.webhook.event_type': 'Payment.Succeeded', 'paystar.webhook.outcome': 'duplicate' },
    { 'paystar.webhook.outcome': 'refused', 'paystar.webhook.reason': 'signature_mismatch' },
  ]);
  assert.deepEqual(answers[2].attributes, { 'paystar.webhook.outcome': 'refused', 'paystar.webhook.reason': 'signature_mismatch' });
});
