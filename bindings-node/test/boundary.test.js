'use strict';
// The boundary: hostile input never crashes Node or escapes as a bare RangeError, the mock's
// clock cannot overflow, aborts in one worker_thread never touch another's call, and every
// attribute comes from core.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const paystar = require('../..');

const wallet = (extra) => ({
  businessUnitSlug: 'acme-utilities',
  clientUser: { emailAddress: 'jane@example.com' },
  ...(extra ? { extra } : {}),
});

function deep(levels) {
  const root = {};
  let node = root;
  for (let i = 0; i < levels; i++) node = node.d = {};
  return root;
}

function hostile() {
  const cyclicObject = { a: 1 };
  cyclicObject.self = cyclicObject;
  const cyclicArray = [1];
  cyclicArray.push(cyclicArray);
  return { 'cyclic object': cyclicObject, '100k-deep object': deep(100_000), 'cyclic array': cyclicArray };
}

test('cycles and deep nesting are a ValidationError naming the path; nothing is sent', async () => {
  const gw = new paystar.MockGateway();
  try {
    for (const [name, value] of Object.entries(hostile())) {
      const err = await gw.client().createWalletSession(wallet({ Deep: value })).catch((e) => e);
      assert.ok(err instanceof paystar.ValidationError, `${name}: ${err}`);
      assert.deepEqual([...new Set(err.fieldErrors.map((f) => f.rule))], ['max_depth'], name);
      assert.ok(err.fieldErrors[0].path.startsWith('Extra.Deep'), err.fieldErrors[0].path);
      assert.match(err.message, /deeper than 64 levels/);
    }
    assert.deepEqual(gw.requests, []);
  } finally {
    gw.stop();
  }
});

test('the mock clock refuses overflow with a ConfigurationError, in a process that lives on', () => {
  const pkg = path.join(__dirname, '..', '..');
  const code = `
    const p = require(${JSON.stringify(pkg)});
    const g = new p.MockGateway();
    for (let i = 0; i < 2; i++) {
      try { g.advanceClock(9e21); } catch (e) { console.log(e.constructor.name); }
    }
    g.advanceClock(60_000);
    g.stop();
  `;
  const out = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(out.status, 0, out.stderr);
  assert.deepEqual(out.stdout.trim().split('\n'), ['ConfigurationError', 'ConfigurationError']);
});

test('options that overflow are ConfigurationErrors naming the option', () => {
  for (const maxRetries of [1e30, -1, 2 ** 53]) {
    assert.throws(() => new paystar.Client({ apiKey: 'k', maxRetries }), (e) => {
      assert.ok(e instanceof paystar.ConfigurationError, String(e));
      assert.match(e.message, /^maxRetries: must be a whole number from 0 to 10/);
      return true;
    });
  }
  assert.throws(() => new paystar.Client({ apiKey: 'k', timeout: { a: deep(100_000) } }), paystar.ConfigurationError);
});

test('an abort in one worker_thread never aborts another thread\'s call', async () => {
  const gw = new paystar.MockGateway();
  try {
    gw.script([{ kind: 'delay', ms: 700 }, { kind: 'delay', ms: 700 }]);
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const paystar = require(workerData.pkg);
      const client = new paystar.Client({ apiKey: workerData.key, baseUrl: workerData.url, maxRetries: 0 });
      const signal = workerData.abort ? AbortSignal.timeout(150) : undefined;
      client.createWalletSession({ businessUnitSlug: 'a', clientUser: { emailAddress: 'a@b.co' } }, { signal })
        .then((s) => parentPort.postMessage('session ' + s.kind), (e) => parentPort.postMessage(e.name));
    `;
    const run = (abort) => new Promise((resolve, reject) => {
      const workerData = { pkg: path.join(__dirname, '..', '..'), key: gw.apiKey, url: gw.url, abort };
      const w = new Worker(code, { eval: true, workerData });
      w.once('message', resolve);
      w.once('error', reject);
    });
    // Both workers' first call ids would have been 1 when each counted on its own.
    const [aborted, finished] = await Promise.all([run(true), run(false)]);
    assert.equal(aborted, 'AbortError');
    assert.equal(finished, 'session wallet');
  } finally {
    gw.stop();
  }
});

test('a session carries every attribute from core, loaderCall included', async () => {
  const gw = new paystar.MockGateway();
  try {
    const s = await gw.client().createWalletSession(wallet());
    assert.deepEqual(Object.keys(s).sort(), [
      'ambiguous', 'attempts', 'expiresAt', 'id', 'kind', 'loaderCall', 'raw', 'requestId', 'status', 'url',
    ]);
    assert.equal(s.loaderCall, 'startFlow');
    assert.equal(s.ambiguous, false);
    const e = await gw.client().createWalletSession({}).catch((x) => x);
    assert.equal(e.retryable, false);
    assert.ok(e.fieldErrors.every((f) => paystar.RULES.includes(f.rule)));
  } finally {
    gw.stop();
  }
});
