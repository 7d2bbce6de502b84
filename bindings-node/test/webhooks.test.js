'use strict';
// Webhooks in Node: every vector of tests/vectors/webhooks through paystar.webhooks, the
// Express-style middleware on a real node:http server, and the mock delivering to a server on
// this very event loop (which must stay free while it does).
const { test, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const util = require('node:util');
const express = require('express');
const paystar = require('../..');
// The test build's harness (not in the npm package): core's shared checks.
const native = require('../native.js');
const { toError } = require('../lib/errors.js');

const { webhooks, WebhookError } = paystar;
const file = path.join(__dirname, '..', '..', 'tests', 'vectors', 'webhooks', 'webhooks.json');
const cases = JSON.parse(fs.readFileSync(file, 'utf8')).cases;

const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const snake = (k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The vector's options in Node's style (camelCase, tolerance in ms). */
function options(spec) {
  return Object.fromEntries(
    Object.entries(spec).map(([k, v]) => (k === 'tolerance_s' ? ['tolerance', v * 1000] : [camel(k), v])),
  );
}

const EVENT_KEYS = [
  'action', 'sessionIdentifier', 'status', 'referenceNumber', 'accountNumber', 'accountName',
  'amountCents', 'serviceFeeCents', 'idempotencyKey',
];

function run(c) {
  const body = native.vectorBody(c);
  try {
    if (c.operation === 'verify') {
      const event = new webhooks.WebhookVerifier(options(c.verifier)).verify(body, c.headers, { now: c.now });
      return { event: Object.fromEntries(EVENT_KEYS.map((k) => [snake(k), event[k]])) };
    }
    if (c.operation === 'parse') {
      const event = webhooks.parse(body);
      return { event: Object.fromEntries(EVENT_KEYS.map((k) => [snake(k), event[k]])) };
    }
    return { headers: webhooks.sign(body, options(c.sign)) };
  } catch (e) {
    if (!(e instanceof paystar.PaystarError)) throw e;
    assert.equal(e.constructor, paystar.errorClasses[e.code]);
    return { error: { code: e.code, reason: e.reason, message: `${e.message} ${util.inspect(e)}` } };
  }
}

describe('webhook vectors', () => {
  for (const c of cases) {
    it(c.name, () => {
      const problems = native.checkWebhookVector(c, run(c));
      assert.deepEqual(problems, []);
    });
  }
});

test('every reason has a vector; errors carry reason and responseStatus', () => {
  const reasons = new Set(cases.map((c) => c.expect.error?.reason).filter(Boolean));
  assert.deepEqual(new Set(webhooks.REASONS), reasons);
  assert.deepEqual(webhooks.SCHEMES, ['shared_secret', 'hmac_sha256', 'standard_webhooks']);
  const e = toError(native.sampleError('webhook_error'));
  assert.ok(e instanceof WebhookError);
  assert.equal(e.reason, 'signature_mismatch');
  assert.equal(e.responseStatus, 401);
});

test('headers in every shape; secrets never shown', () => {
  const v = new webhooks.WebhookVerifier({ scheme: 'shared_secret', secrets: 's3cret-node', header: 'X-Token' });
  const body = '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_1"}}';
  for (const h of [
    { 'x-token': 's3cret-node' },
    { 'X-TOKEN': ['nope', 's3cret-node'] },
    new Map([['x-token', 's3cret-node']]),
    new Headers({ 'X-Token': 's3cret-node' }),
    [['X-Token', 's3cret-node']],
  ]) {
    assert.equal(v.verify(body, h).sessionIdentifier, 'ps_1');
  }
  assert.equal(v.verify(new TextEncoder().encode(body), { 'x-token': 's3cret-node' }).action, 'Payment.Succeeded');
  assert.ok(!util.inspect(v).includes('s3cret'));
  assert.ok(!JSON.stringify(v).includes('s3cret'));
  const err = assert.throws(() => v.verify(body, { 'x-token': 'wrong' }), WebhookError);
  assert.throws(() => v.verify(42, {}), TypeError);
  assert.throws(() => new webhooks.WebhookVerifier({ scheme: 'hmac_sha256', secrets: ['a'], timestampHeadr: 'x' }), /timestampHeadr: is not a known option \(did you mean timestampHeader\?\)/);
  // req.rawHeaders (names and values in one flat list) is named as the mistake, not a bare 401.
  assert.throws(() => v.verify(body, ['X-Token', 's3cret-node']),
    (e) => e instanceof paystar.ConfigurationError && /flat list .*req\.rawHeaders.*\[name, value\] pairs/.test(e.message));
  // A secret read from an unset environment variable names itself.
  assert.throws(() => new webhooks.WebhookVerifier({ scheme: 'hmac_sha256', secrets: [process.env.PAYSTAR_UNSET_SECRET] }),
    (e) => e instanceof paystar.ConfigurationError && /^secrets\[0\]: is undefined \(read from an environment variable that is not set\?\)/.test(e.message));
  void err;
});

/** An Express app on loopback with `mount(app)` done; resolves its URL for POST /hook. */
async function serve(mount) {
  const app = express();
  mount(app);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, url: `http://127.0.0.1:${server.address().port}/hook` };
}

test('the mock delivers to Express on this event loop; the middleware verifies and handles once', async () => {
  const handled = [];
  const verifier = new webhooks.WebhookVerifier({ scheme: 'standard_webhooks', secrets: ['whsec_bm9kZS1rZXk='] });
  const { server, url } = await serve((app) =>
    app.post('/hook', webhooks.expressMiddleware(verifier), (req, res) => {
      handled.push(req.paystarEvent);
      res.sendStatus(204);
    }),
  );
  const gw = new paystar.MockGateway({ webhook: { url, scheme: 'standard_webhooks', secret: 'whsec_bm9kZS1rZXk=', redeliveries: 2 } });
  try {
    const session = await gw.client().createPaymentSession({
      businessUnitSlug: 'acme',
      channel: 'QuickPay',
      charges: [{ amount: 4200, description: 'x', clientAccount: { accountNumber: 'N-1', name: 'Ada' } }],
    });
    const done = await gw.complete(session);
    assert.deepEqual(done.deliveries.map((d) => d.status), [204, 200, 200]);
    assert.equal(handled.length, 1);
    assert.equal(handled[0].amountCents, 4200);
    assert.equal(handled[0].sessionIdentifier, session.id);
    assert.equal(handled[0].referenceNumber, done.referenceNumber);
    await assert.rejects(gw.complete(session.id), (e) => e instanceof paystar.ConfigurationError && /already completed/.test(e.message));
    // A forged delivery: 401, nothing handled.
    const body = done.body;
    const forged = webhooks.sign(body, { scheme: 'standard_webhooks', secret: 'whsec_b3RoZXI=' });
    const r = await fetch(url, { method: 'POST', body, headers: forged });
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { error: 'signature_mismatch' });
    assert.equal(handled.length, 1);
  } finally {
    gw.stop();
    server.close();
  }
});

test('a 5xx, an error handler\'s 500 and a destroyed socket release the key; a parsed body is a clear error', async () => {
  const store = webhooks.memoryStore();
  let next = [];
  const { server, url } = await serve((app) => {
    app.post('/hook', (req, _res, go) => {
      if (req.query.parsed !== undefined) {
        req._body = true; // what express.json() leaves behind
        req.body = { action: 'x' };
      }
      go();
    });
    app.post('/hook', webhooks.expressMiddleware({ scheme: 'hmac_sha256', secrets: ['k'] }, { store }), (req, res) => {
      const how = next.shift() ?? 'ok';
      if (how === '503') return res.sendStatus(503);
      if (how === 'throw') throw new Error('the handler failed');
      if (how === 'destroy') return req.socket.destroy();
      return res.sendStatus(204);
    });
  });
  try {
    const body = '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_9","referenceNumber":"R"}}';
    const headers = webhooks.sign(body, { scheme: 'hmac_sha256', secret: 'k' });
    const post = (u = url) => fetch(u, { method: 'POST', body, headers }).then((r) => r.status, () => 'dropped');
    const key = 'paystar:webhook:Payment.Succeeded:ps_9:R';
    next = ['503', 'throw', 'destroy'];
    assert.equal(await post(), 503);
    assert.equal(store.state(key), null);
    assert.equal(await post(), 500);
    assert.equal(store.state(key), null);
    assert.equal(await post(), 'dropped');
    await new Promise((r) => setTimeout(r, 50)); // the close event reaches the middleware
    assert.equal(store.state(key), null);
    assert.equal(await post(), 204);
    assert.equal(store.state(key), 'done');
    assert.equal(await post(), 200);
    const parsed = await fetch(`${url}?parsed`, { method: 'POST', body, headers });
    assert.equal(parsed.status, 500);
    assert.match(await parsed.text(), /already parsed.*express\.raw/);
  } finally {
    server.close();
  }
});

test('a 16 MiB body gets 413 after at most 256 KiB and one chunk were read', async () => {
  let read = 0;
  const { server, url } = await serve((app) => {
    app.post('/hook', (req, _res, go) => {
      req.on('data', (chunk) => {
        read += chunk.length;
      });
      go();
    }, webhooks.expressMiddleware({ scheme: 'hmac_sha256', secrets: ['k'] }), (_req, res) => res.sendStatus(204));
  });
  try {
    const total = 16 * 1024 * 1024;
    const status = await new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { 'content-length': total } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => {}); // the server stops reading and closes: writes fail after the answer
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return req.once('drain', pump);
        }
        req.end();
      };
      pump();
      setTimeout(() => reject(new Error('no answer')), 10_000);
    });
    assert.equal(status, 413);
    assert.ok(read <= webhooks.MAX_BODY_BYTES + 1 + 64 * 1024, `read ${read} bytes`);
  } finally {
    server.close();
  }
});
