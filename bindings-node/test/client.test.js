'use strict';
// The Node surface against a real MockGateway: results, errors, options, AbortSignal, logging,
// key hygiene, the event loop, concurrency, worker_threads and process exit.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const paystar = require('../..');

const KEY = 'sk_test_very_secret_key_4242';
const wallet = () => ({ businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: 'jane@example.com' } });
const payment = () => ({
  businessUnitSlug: 'acme-utilities',
  channel: 'QuickPay',
  charges: [{ amount: 15000, description: 'November bill', clientAccount: { accountNumber: 'ACCT-1001' } }],
  clientUser: { emailAddress: 'jane@example.com' },
});

function withMock(fn) {
  return async () => {
    const gw = new paystar.MockGateway();
    try {
      await fn(gw, gw.client());
    } finally {
      gw.stop();
    }
  };
}

test('a session is a plain object with a Date expiry', withMock(async (gw, client) => {
  const s = await client.createPaymentSession(payment());
  assert.equal(s.kind, 'payment');
  assert.ok(s.id);
  assert.ok(s.url.startsWith(gw.url));
  assert.equal(s.status, 'RequiresPaymentSource');
  assert.ok(s.expiresAt instanceof Date);
  const minutes = (s.expiresAt.getTime() - Date.now()) / 60000;
  assert.ok(minutes > 25 && minutes <= 30, `${minutes}`);
  assert.equal(s.raw.PaymentLogInLink, s.url);
  assert.equal(s.attempts, 1);
  assert.ok(s.requestId);
  assert.equal(s.loaderCall, 'completePayment');
  assert.equal(Object.getPrototypeOf(s), Object.prototype);
  assert.equal(JSON.parse(JSON.stringify(s)).expiresAt, s.expiresAt.toISOString());
}));

test('every operation works', withMock(async (_gw, client) => {
  const account = { accountNumber: 'ACCT-1001', name: 'Jane Doe' };
  const user = { emailAddress: 'jane@example.com' };
  const base = { businessUnitSlug: 'acme-utilities' };
  assert.equal((await client.createPaymentSession(payment())).kind, 'payment');
  assert.equal((await client.createAutopaySession({ ...base, clientAccount: account, clientUser: user, syncAccount: true })).kind, 'autopay');
  assert.equal((await client.createWalletSession({ ...base, clientUser: user })).kind, 'wallet');
  assert.equal((await client.createPaperlessSession({ ...base, clientAccount: account, clientUser: user, syncAccount: true })).kind, 'paperless');
  const n = await client.createNotificationSession({ ...base, clientUser: user });
  assert.equal(n.kind, 'notification');
  assert.equal(n.loaderCall, 'startFlow');
}));

test('an unknown key is a ValidationError with a hint; nothing is sent', withMock(async (gw, client) => {
  const err = await client.createWalletSession({ businessUnitSlug: 'acme', clientUsr: { emailAddress: 'a@b.co' } }).catch((e) => e);
  assert.ok(err instanceof paystar.ValidationError);
  assert.ok(err instanceof paystar.PaystarError);
  assert.ok(err instanceof Error);
  assert.equal(err.code, 'validation_error');
  const paths = err.fieldErrors.map((f) => `${f.path}:${f.rule}`);
  assert.ok(paths.includes('clientUsr:unknown_field'), paths.join());
  assert.ok(paths.includes('ClientUser:required'), paths.join());
  assert.match(err.message, /did you mean clientUser\?/);
  assert.equal(err.attempts, 0);
  assert.deepEqual(gw.requests, []);
}));

test('amounts must be integer cents', withMock(async (_gw, client) => {
  for (const [amount, rule] of [[150.5, 'integer'], ['150', 'integer'], [true, 'integer'], [Number.NaN, 'type'], [2n ** 60n, 'max_value'], [2 ** 60, 'max_value'], [2 ** 70, 'integer']]) {
    const req = payment();
    req.charges[0].amount = amount;
    const err = await client.createPaymentSession(req).catch((e) => e);
    assert.ok(err instanceof paystar.ValidationError, `${amount}: ${err}`);
    assert.deepEqual(err.fieldErrors.map((f) => [f.path, f.rule]), [['Charges[0].Amount', rule]], `${amount}`);
  }
}));

test('bad options fail at construction, naming the option', () => {
  for (const options of [
    { apiKey: KEY, timeout: -1 },
    { apiKey: KEY, timeout: Number.NaN },
    { apiKey: KEY, connectTimeout: 'soon' },
    { apiKey: KEY, maxRetries: -1 },
    { apiKey: KEY, maxRetries: 1.5 },
    { apiKey: KEY, baseUrl: 'http://example.com' },
    { apiKey: KEY, environment: 'staging' },
    { apiKey: KEY, maxRetry: 3 },
  ]) {
    const name = Object.keys(options)[1];
    assert.throws(() => new paystar.Client(options), (e) => {
      assert.ok(e instanceof paystar.ConfigurationError, `${name}: ${e}`);
      assert.ok(e.message.includes(name), e.message);
      assert.ok(!e.message.includes(KEY));
      return true;
    });
  }
  assert.throws(() => new paystar.Client({ apiKey: KEY, maxRetires: 3 }), /did you mean maxRetries\?/);
  // The key as the caller wrote it, and the nearest option in the caller's (camel) case.
  assert.throws(() => new paystar.Client({ apiKey: KEY, max_retries: 1 }),
    (e) => /^max_retries: is not a known option \(did you mean maxRetries\?\)/.test(e.message));
  assert.throws(() => new paystar.Client({ apiKey: KEY, maxRetry: 1 }),
    (e) => /^maxRetry: is not a known option \(did you mean maxRetries\?\)/.test(e.message));
});

test('a client made by gateway.client() keeps its gateway running through garbage collection', async () => {
  // The examples' development mode keeps only the client: the gateway must not be collected
  // (and stopped by its finalizer) under it. CI's Express replay saw exactly that.
  require('node:v8').setFlagsFromString('--expose-gc');
  const gc = require('node:vm').runInNewContext('gc');
  const client = (() => new paystar.MockGateway().client({ maxRetries: 0 }))();
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const session = await client.createWalletSession({ businessUnitSlug: 'acme', clientUser: { emailAddress: 'a@b.co' } });
  assert.match(session.url, /\/session\//);
});

test('per-call options override the client; unknown ones are refused', withMock(async (gw, client) => {
  gw.script([{ kind: 'delay', ms: 1500 }]);
  const err = await client.createWalletSession(wallet(), { timeout: 200, maxRetries: 0 }).catch((e) => e);
  assert.ok(err instanceof paystar.TimeoutError, String(err));
  assert.equal(err.attempts, 1);
  assert.equal(err.ambiguous, true);
  const bad = await client.createWalletSession(wallet(), { timout: 5 }).catch((e) => e);
  assert.ok(bad instanceof paystar.ConfigurationError);
  assert.match(bad.message, /timout/);
}));

test('an AbortSignal cancels the call with an AbortError and stops it', withMock(async (gw, client) => {
  gw.script([{ kind: 'delay', ms: 1500 }, { kind: 'delay', ms: 1500 }]);
  const controller = new AbortController();
  const pending = client.createWalletSession(wallet(), { signal: controller.signal, timeout: 1000 });
  setTimeout(() => controller.abort(), 100);
  const err = await pending.catch((e) => e);
  assert.equal(err.name, 'AbortError');
  assert.ok(err instanceof DOMException);
  // Had the call gone on, its 1 s timeout would have fired a retry by now.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(gw.requests.length, 1);
  const already = await client.createWalletSession(wallet(), { signal: AbortSignal.abort() }).catch((e) => e);
  assert.equal(already.name, 'AbortError');
  assert.equal(gw.requests.length, 1);
}));

test('the event loop keeps running during a slow call', withMock(async (gw, client) => {
  gw.script([{ kind: 'delay', ms: 600 }]);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  await client.createWalletSession(wallet());
  clearInterval(timer);
  assert.ok(ticks >= 20, `only ${ticks} ticks`);
}));

test('1,000 concurrent calls on one client', withMock(async (gw, client) => {
  const sessions = await Promise.all(Array.from({ length: 1000 }, () => client.createWalletSession(wallet())));
  assert.equal(new Set(sessions.map((s) => s.url)).size, 1000);
  assert.equal(gw.sessionCount, 1000);
}));

test('the key never shows in inspect, JSON or errors', async () => {
  const gw = new paystar.MockGateway();
  try {
    const lines = [];
    const client = new paystar.Client({ apiKey: KEY, baseUrl: gw.url, maxRetries: 0, logger: (l, m, e) => lines.push(`${l} ${m} ${JSON.stringify(e)}`) });
    for (const text of [util.inspect(client, { showHidden: true, depth: 10 }), JSON.stringify(client), String(client)]) {
      assert.ok(!text.includes(KEY), text);
    }
    assert.match(util.inspect(client), /baseUrl/);
    const err = await client.createWalletSession(wallet()).catch((e) => e);
    assert.ok(err instanceof paystar.AuthenticationError);
    assert.equal(err.status, 401);
    for (const text of [err.message, err.stack, util.inspect(err, { showHidden: true, depth: 10 }), JSON.stringify(err)]) {
      assert.ok(!text.includes(KEY), text);
    }
    assert.ok(lines.length > 0);
    assert.ok(lines.every((l) => !l.includes(KEY)));
    assert.equal(gw.requests[0].headers['x-paystar-api-key'], '***');
  } finally {
    gw.stop();
  }
});

test('a logger gets one line per attempt, warn when a retry follows', withMock(async (gw) => {
  const seen = [];
  const client = gw.client({ logger: { debug: (m) => seen.push(['debug', m]), warn: (m) => seen.push(['warn', m]) } });
  gw.script([{ kind: 'status', status: 503, retry_after: '0' }]);
  const s = await client.createWalletSession(wallet());
  assert.deepEqual(seen.map(([l]) => l), ['warn', 'debug']);
  const p = '/integrations/embedded/initiate-manage-wallet';
  assert.ok(seen[0][1].startsWith(`POST ${p} -> 503 server_error (attempt 1, `), seen[0][1]);
  assert.match(seen[0][1], /retrying in 0 ms$/);
  assert.ok(seen[1][1].startsWith(`POST ${p} -> 200 (attempt 2, `), seen[1][1]);
  assert.ok(seen[1][1].includes(`request id ${s.requestId})`));
  assert.ok(!seen.some(([, m]) => m.includes('jane@example.com')));
}));

test('logging is off by default and PAYSTAR_LOG=debug turns it on', () => {
  const script = `
    const paystar = require(${JSON.stringify(path.join(__dirname, '..', '..'))});
    const gw = new paystar.MockGateway();
    gw.client().createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'a@b.co' } })
      .then((s) => console.log('ok', s.attempts));`;
  const run = (env) => spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60000 });
  const quiet = run({ PAYSTAR_LOG: '' });
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stdout.trim(), 'ok 1');
  assert.equal(quiet.stderr, '');
  const loud = run({ PAYSTAR_LOG: 'debug' });
  assert.equal(loud.status, 0, loud.stderr);
  assert.match(loud.stderr, /^paystar debug: POST \/integrations\/embedded\/initiate-manage-wallet -> 200 \(attempt 1, /);
});

test('a script that makes a call exits by itself (nothing keeps the process alive)', () => {
  // The mock is left running on purpose: it must not hold the process either.
  const script = `
    const paystar = require(${JSON.stringify(path.join(__dirname, '..', '..'))});
    const gw = new paystar.MockGateway();
    gw.client().createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'a@b.co' } })
      .then((s) => console.log(s.url.startsWith(gw.url)));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.signal, null, 'the process had to be killed: something kept it alive');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'true');
});

test('works from worker_threads', withMock(async (gw) => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const paystar = require(workerData.pkg);
    const client = new paystar.Client({ apiKey: workerData.key, baseUrl: workerData.url });
    Promise.all(Array.from({ length: 20 }, () =>
      client.createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'a@b.co' } })))
      .then((s) => parentPort.postMessage(s.length), (e) => parentPort.postMessage(String(e)));`;
  const workerData = { pkg: path.join(__dirname, '..', '..'), key: gw.apiKey, url: gw.url };
  const results = await Promise.all(Array.from({ length: 4 }, () => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  assert.deepEqual(results, [20, 20, 20, 20]);
  assert.equal(gw.sessionCount, 80);
}));

test('gateway errors keep their items', withMock(async (_gw, client) => {
  const req = { ...payment(), clientReference: 'INV-1' };
  await client.createPaymentSession(req);
  const err = await client.createPaymentSession(req).catch((e) => e);
  assert.ok(err instanceof paystar.ApiError);
  assert.equal(err.apiErrors[0].propertyName, 'ClientReference');
}));

test('the mock gateway records, stops and refuses bad scripts', async () => {
  const gw = new paystar.MockGateway({ apiKey: 'sk_other', seed: 7 });
  assert.equal(gw.apiKey, 'sk_other');
  const client = gw.client();
  await client.createWalletSession(wallet());
  assert.equal(gw.sessionCount, 1);
  assert.ok(gw.customer('jane@example.com'));
  assert.equal(gw.requests[0].api_key_valid, true);
  assert.throws(() => gw.script([{ kind: 'explode' }]), paystar.ConfigurationError);
  assert.match(util.inspect(gw), /running/);
  gw.stop();
  gw.stop();
  assert.match(util.inspect(gw), /stopped/);
  assert.throws(() => gw.requests, /stopped/);
  const err = await client.createWalletSession(wallet(), { maxRetries: 0 }).catch((e) => e);
  assert.ok(err instanceof paystar.ConnectionError, String(err));
});

test('the user agent names node', withMock(async (gw, client) => {
  await client.createWalletSession(wallet());
  assert.ok(gw.requests[0].headers['user-agent'].startsWith(`paystar/${paystar.version} (node ${process.versions.node})`));
}));
