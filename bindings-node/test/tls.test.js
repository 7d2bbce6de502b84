'use strict';
// HTTPS to the mock (its CA generated at start): HTTP/2 and HTTP/1.1, the trust options and
// NODE_EXTRA_CA_CERTS, certificate failures that are final, and the in-flight cap.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const paystar = require('../..');

const wallet = () => ({ businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: 'jane@example.com' } });

function tempPem(pem) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paystar-ca-'));
  const file = path.join(dir, 'ca.pem');
  fs.writeFileSync(file, pem);
  return file;
}

for (const [tls, version] of [[true, 'HTTP/2.0'], ['http1', 'HTTP/1.1']]) {
  test(`HTTPS calls with the mock's CA (${version})`, async () => {
    const gw = new paystar.MockGateway({ tls });
    try {
      assert.match(gw.url, /^https:\/\/localhost:\d+$/);
      assert.match(gw.caPem, /BEGIN CERTIFICATE/);
      const client = gw.client();
      for (let i = 0; i < 3; i++) {
        assert.match((await client.createWalletSession(wallet())).url, /^https:\/\//);
      }
      assert.deepEqual(new Set(gw.requests.map((r) => `${r.version} ${r.tls}`)), new Set([`${version} true`]));
    } finally {
      gw.stop();
    }
  });
}

async function refused(gw, baseUrl, trust) {
  const client = new paystar.Client({
    apiKey: gw.apiKey,
    baseUrl,
    maxRetries: 3,
    ...(trust ? { caCertificates: gw.caPem } : {}),
  });
  const started = Date.now();
  const err = await client.createWalletSession(wallet()).then(
    () => assert.fail('the call succeeded'),
    (e) => e,
  );
  assert.ok(Date.now() - started < 2000, 'a certificate failure was retried with backoff');
  assert.ok(err instanceof paystar.ConnectionError, String(err));
  assert.equal(err.attempts, 1);
  assert.equal(err.retryable, false);
  assert.equal(err.ambiguous, false);
  assert.match(err.message, /not retried/);
  return err;
}

test('an unknown CA, a wrong name and an expired certificate are final', async () => {
  const valid = new paystar.MockGateway({ tls: true });
  const expired = new paystar.MockGateway({ tls: 'expired' });
  try {
    const port = valid.url.split(':').pop();
    assert.match((await refused(valid, valid.url, false)).message, /issuer is not trusted/);
    assert.match(
      (await refused(valid, `https://127.0.0.1:${port}`, true)).message,
      /not valid for the gateway's host name/,
    );
    assert.match((await refused(expired, expired.url, true)).message, /expired/);
    assert.deepEqual(valid.requests, []);
    assert.deepEqual(expired.requests, []);
  } finally {
    valid.stop();
    expired.stop();
  }
});

test('caBundle is a PEM file; a missing one is a ConfigurationError naming it', async () => {
  const gw = new paystar.MockGateway({ tls: true });
  try {
    const client = new paystar.Client({ apiKey: gw.apiKey, baseUrl: gw.url, caBundle: tempPem(gw.caPem) });
    assert.equal((await client.createWalletSession(wallet())).attempts, 1);
    assert.throws(
      () => new paystar.Client({ apiKey: 'k', baseUrl: gw.url, caBundle: '/nonexistent/ca.pem' }),
      (e) => e instanceof paystar.ConfigurationError && e.option === 'caBundle',
    );
  } finally {
    gw.stop();
  }
});

// NODE_EXTRA_CA_CERTS is read as Node reads it: from the environment of the process. The
// gateway runs in this process, the client in a child started with the variable set.
function childCall(gw, env) {
  const code = `
    const paystar = require(${JSON.stringify(path.resolve(__dirname, '../..'))});
    const c = new paystar.Client({ apiKey: ${JSON.stringify(gw.apiKey)}, baseUrl: ${JSON.stringify(gw.url)}, maxRetries: 0 });
    c.createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'a@b.co' } })
      .then((s) => console.log('ok', s.url), (e) => console.log('err', e.code, e.message));
  `;
  return spawnSync(process.execPath, ['-e', code], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('NODE_EXTRA_CA_CERTS is honoured; an unreadable one is a warning, as in Node', async () => {
  const gw = new paystar.MockGateway({ tls: true });
  try {
    const trusted = childCall(gw, { NODE_EXTRA_CA_CERTS: tempPem(gw.caPem) });
    assert.equal(trusted.status, 0, trusted.stderr);
    assert.match(trusted.stdout, /^ok https:\/\/localhost:/);
    const missing = childCall(gw, { NODE_EXTRA_CA_CERTS: '/nonexistent/extra.pem' });
    assert.match(missing.stdout, /^err connection_error .*issuer is not trusted/);
    assert.match(missing.stderr, /ignoring NODE_EXTRA_CA_CERTS/);
    const unset = childCall(gw, { NODE_EXTRA_CA_CERTS: '' });
    assert.match(unset.stdout, /^err connection_error .*issuer is not trusted/);
  } finally {
    gw.stop();
  }
});

test('maxInFlight caps the calls a client has in flight', async () => {
  // 4 slots: 12 calls the gateway holds 300 ms each take three rounds on at most 4 connections
  // (without the cap: one round, 12 connections).
  const gw = new paystar.MockGateway();
  try {
    const client = gw.client({ maxInFlight: 4 });
    gw.script(Array.from({ length: 12 }, () => ({ kind: 'delay', ms: 300 })));
    const started = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => client.createWalletSession(wallet())));
    assert.ok(Date.now() - started >= 880, `took ${Date.now() - started} ms`);
    assert.ok(new Set(gw.requests.map((r) => r.connection)).size <= 4);
    assert.throws(
      () => gw.client({ maxInFlight: 0 }),
      (e) => e instanceof paystar.ConfigurationError && e.option === 'maxInFlight',
    );
  } finally {
    gw.stop();
  }
});

for (const [tls, version] of [[true, 'HTTP/2.0'], ['http1', 'HTTP/1.1']]) {
  test(`warmUp opens the connection the first call reuses (${version})`, async () => {
    const gw = new paystar.MockGateway({ tls });
    try {
      const client = gw.client();
      const status = await client.warmUp();
      assert.ok(status >= 100 && status < 600, String(status));
      assert.equal(gw.sessionCount, 0);
      await client.createWalletSession(wallet());
      const [head, call] = gw.requests;
      assert.deepEqual([head.method, call.method], ['HEAD', 'POST']);
      assert.ok(gw.requests.every((r) => r.tls && r.version === version));
      assert.equal(head.connection, call.connection, "the call reuses the warm-up's connection");
      assert.ok(!Object.keys(head.headers).some((k) => k.toLowerCase() === 'x-paystar-api-key'));
    } finally {
      gw.stop();
    }
  });
}

test('warmUp rejects with a ConnectionError when nothing listens', async () => {
  const gw = new paystar.MockGateway();
  const url = gw.url;
  gw.stop();
  const client = new paystar.Client({ apiKey: 'sk_test_x', baseUrl: url, connectTimeout: 2000 });
  await assert.rejects(client.warmUp(), paystar.ConnectionError);
});
