'use strict';
// The Express example against MockGateway, through real HTTP (fetch against the started app).
const { test, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const paystar = require('../../..');
const { createApp } = require('../app');

let gateway;
let server;
let base;
let logs;

const PUBLIC_URL = 'https://billing.acme.example';
const WEBHOOK = { scheme: 'hmac_sha256', secrets: ['whsk_express_test'], timestampHeader: 'X-Paystar-Timestamp' };
let user;
let bill;

async function start(client) {
  logs = [];
  user = { email: 'sam@example.com', name: 'Sam Doe', account: 'ACC-777' };
  bill = { amount: 15000, description: 'Your bill' };
  const app = createApp({
    client,
    publicUrl: PUBLIC_URL,
    currentUser: () => user,
    billFor: () => bill,
    log: (m) => logs.push(m),
    webhook: WEBHOOK,
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${server.address().port}`;
}

beforeEach(async () => {
  gateway = new paystar.MockGateway();
  await start(gateway.client());
});

afterEach(async () => {
  await new Promise((r) => server.close(r));
  gateway.stop();
});

test('creates a session and serves a page that opens it', async () => {
  const res = await fetch(`${base}/pay`);
  assert.equal(res.status, 200);
  const html = await res.text();
  const [request] = gateway.requests;
  assert.equal(request.body.Charges[0].Amount, 15000);
  assert.equal(request.body.ClientUser.EmailAddress, 'sam@example.com');
  assert.equal(request.body.Charges[0].ClientAccount.AccountNumber, 'ACC-777');
  const url = html.match(/data-session-url="([^"]+)"/)[1];
  assert.ok(url.startsWith(gateway.url), url);
  const link = await fetch(url); // the mock serves the session page
  assert.equal(link.status, 200);
});

test('the development page loads Paystar\'s loader', async () => {
  const client = new paystar.Client({ apiKey: 'sk_dev_unused', environment: 'development' });
  assert.equal(client.loaderUrl, 'https://dev.paystar.io/app/embedded.loader.js');
});

test('the request cannot choose the amount, the payer or where the customer returns to', async () => {
  const http = require('node:http');
  // A forged Host header and query string (fetch cannot set Host, so a raw request).
  const status = await new Promise((resolve, reject) => {
    const req = http.get(`${base}/pay?amount=1&email=eve@evil.example`, {
      headers: { host: 'evil.example', 'x-user-email': 'eve@evil.example' },
    }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('error', reject);
  });
  assert.equal(status, 200);
  const [request] = gateway.requests;
  assert.equal(request.body.Charges[0].Amount, 15000);
  assert.equal(request.body.ClientUser.EmailAddress, 'sam@example.com');
  assert.equal(request.body.SuccessUrl, `${PUBLIC_URL}/paid`);
  assert.equal(request.body.ReturnUrl, `${PUBLIC_URL}/pay`);
});

test('nobody signed in: 401, nothing sent', async () => {
  user = null;
  const res = await fetch(`${base}/pay`);
  assert.equal(res.status, 401);
  assert.deepEqual(gateway.requests, []);
});

test('bad billing data shows the reasons and sends nothing', async () => {
  bill = { amount: 12.5, description: 'Your bill' };
  const res = await fetch(`${base}/pay`);
  assert.equal(res.status, 400);
  assert.match(await res.text(), /We could not prepare this payment: amounts are integer cents, e\.g\. 15000 for \$150\.00/);
  assert.deepEqual(gateway.requests, []);
});

test('an outage shows a retry message after the client retried', async () => {
  gateway.script(Array(3).fill({ kind: 'status', status: 503, retry_after: '0' }));
  const res = await fetch(`${base}/pay`);
  assert.equal(res.status, 503);
  assert.match(await res.text(), /briefly unavailable/);
  assert.equal(gateway.requests.length, 3);
  assert.match(logs.join('\n'), /server_error after 3 attempts/);
});

test('a wrong key is reported without leaking it', async () => {
  await new Promise((r) => server.close(r));
  await start(new paystar.Client({ apiKey: 'sk_wrong_secret_123', baseUrl: gateway.url }));
  const res = await fetch(`${base}/pay`);
  assert.equal(res.status, 502);
  const html = await res.text();
  assert.ok(!html.includes('sk_wrong_secret_123'));
  assert.ok(!logs.join('\n').includes('sk_wrong_secret_123'));
  assert.match(logs.join('\n'), /authentication_error/);
});

test('the whole loop: pay, the webhook records the payment once (redelivered twice), /paid shows it', async () => {
  const payments = new Map();
  await new Promise((r) => server.close(r));
  const webhook = { scheme: 'hmac_sha256', secrets: ['whsk_express_test'], timestampHeader: 'X-Paystar-Timestamp' };
  const app = createApp({ client: gateway.client(), publicUrl: PUBLIC_URL, currentUser: () => user, webhook, payments, log: (m) => logs.push(m) });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${server.address().port}`;
  gateway.setWebhook({ url: `${base}/paystar/webhook`, scheme: 'hmac_sha256', secret: 'whsk_express_test', timestampHeader: 'X-Paystar-Timestamp', redeliveries: 2 });

  const html = await (await fetch(`${base}/pay`)).text();
  const sessionUrl = html.match(/data-session-url="([^"]+)"/)[1];
  const id = sessionUrl.split('/').pop();
  assert.match(await (await fetch(`${base}/paid`)).text(), /Payment pending/);
  const done = await gateway.complete(sessionUrl); // what the Pay button on that page does
  assert.deepEqual(done.deliveries.map((d) => d.status), [204, 200, 200]);
  assert.equal(payments.size, 1);
  assert.deepEqual(payments.get(id), { sessionId: id, amountCents: 15000, referenceNumber: done.referenceNumber });
  const paid = await (await fetch(`${base}/paid`)).text();
  assert.match(paid, /Payment received/);
  assert.match(paid, /\$150\.00/);
  assert.ok(paid.includes(done.referenceNumber));

  // Tampered, forged, unsigned and stale deliveries: 4xx, nothing recorded.
  const body = done.body.replace('150.00', '1.00');
  const signed = paystar.webhooks.sign(done.body, { scheme: 'hmac_sha256', secret: 'whsk_express_test', timestampHeader: 'X-Paystar-Timestamp' });
  const stale = paystar.webhooks.sign(done.body, { scheme: 'hmac_sha256', secret: 'whsk_express_test', timestampHeader: 'X-Paystar-Timestamp', timestamp: Math.floor(Date.now() / 1000) - 3600 });
  const post = (b, h) => fetch(`${base}/paystar/webhook`, { method: 'POST', body: b, headers: { 'content-type': 'application/json', ...h } }).then((r) => r.status);
  payments.clear();
  assert.equal(await post(body, signed), 401);
  assert.equal(await post(done.body, {}), 401);
  assert.equal(await post(done.body, stale), 401);
  assert.equal(payments.size, 0);
  assert.deepEqual(logs.filter((l) => l.startsWith('webhook refused')), [
    'webhook refused: signature_mismatch', 'webhook refused: missing_header', 'webhook refused: timestamp_too_old',
  ]);
  // express.json() serves the app's other routes; the webhook route, mounted first, still works.
  assert.equal(await post(done.body, signed), 200); // already handled: a redelivery
});

test('a handler that fails, or whose connection drops, is redelivered and records the payment once', async () => {
  const recorded = [];
  let next = ['throw', 'hang'];
  await new Promise((r) => server.close(r));
  const app = createApp({
    client: gateway.client(), publicUrl: PUBLIC_URL, currentUser: () => user, webhook: WEBHOOK, log: (m) => logs.push(m),
    recordPayment: (event) => {
      const how = next.shift();
      if (how === 'throw') throw new Error('database down');
      if (how === 'hang') return new Promise(() => {}); // never answers: the sender gives up
      recorded.push(event.idempotencyKey);
    },
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${server.address().port}/paystar/webhook`;
  const body = '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_1","referenceNumber":"R-1","amount":"150.00"}}';
  const post = (signal) => {
    const headers = paystar.webhooks.sign(body, { scheme: 'hmac_sha256', secret: 'whsk_express_test', timestampHeader: 'X-Paystar-Timestamp' });
    return fetch(url, { method: 'POST', body, headers, signal }).then((r) => r.status, () => 'dropped');
  };
  assert.equal(await post(), 500); // thrown: Express answers 500, the event is released
  assert.equal(await post(AbortSignal.timeout(300)), 'dropped'); // the socket closes mid-handler
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(await post(), 204);
  assert.equal(await post(), 200);
  assert.deepEqual(recorded, ['Payment.Succeeded:ps_1:R-1']);
});

test('started without its secrets and without the dev switch, it refuses in one line', async () => {
  const { spawnSync } = require('node:child_process');
  const path = require('node:path');
  const server = path.join(__dirname, '..', 'server.js');
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PAYSTAR_') && k !== 'NODE_ENV'));
  const run = (env) => spawnSync(process.execPath, [server], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 10_000 });
  let r = run({});
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /PAYSTAR_API_KEY, PAYSTAR_WEBHOOK_SECRETS not set; refusing to start/);
  r = run({ PAYSTAR_API_KEY: 'sk_live_x' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /PAYSTAR_WEBHOOK_SECRETS not set/);
  assert.ok(!r.stderr.includes('sk_live_x'));
});

test('`npx paystar webhooks trigger` against the endpoint: recorded once, a wrong secret answered 401', async () => {
  const { execFile } = require('node:child_process');
  const path = require('node:path');
  const payments = new Map();
  await new Promise((r) => server.close(r));
  const app = createApp({ client: gateway.client(), publicUrl: PUBLIC_URL, currentUser: () => user, webhook: WEBHOOK, payments, log: (m) => logs.push(m) });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${server.address().port}/paystar/webhook`;
  // The package's own `bin` (what `npx paystar` runs), in a child process: this one serves.
  const bin = path.join(__dirname, '..', '..', '..', 'bindings-node', 'bin', 'paystar.js');
  const trigger = (secret, ...more) => new Promise((resolve) => {
    const args = [bin, 'webhooks', 'trigger', 'Payment.Succeeded', '--to', url, '--scheme', 'hmac_sha256',
      '--secret', secret, '--timestamp-header', 'X-Paystar-Timestamp',
      '--set', 'payload.sessionIdentifier=ps_cli', '--set', 'payload.amount=42.50', ...more];
    execFile(process.execPath, args, { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
  const done = await trigger('whsk_express_test', '--redeliver', '1');
  assert.equal(done.code, 0, done.stdout + done.stderr);
  assert.match(done.stdout, /delivery 1\/2: 204/);
  assert.match(done.stdout, /delivery 2\/2: 200 \{"duplicate":true\}/);
  assert.equal(payments.size, 1);
  assert.equal(payments.get('ps_cli').amountCents, 4250);
  const forged = await trigger('not-the-secret');
  assert.equal(forged.code, 1);
  assert.match(forged.stdout, /delivery 1\/1: 401 \{"error":"signature_mismatch"\}/);
  assert.equal(payments.size, 1);
});
