'use strict';
// The fault soak (RELIABILITY.md): PAYSTAR_SOAK_CALLS wallet sessions (300 here; 10,000 for the
// documented run) through a gateway failing at a seeded 30 % rate, 16 promises in flight,
// audited by core against the gateway's log. File descriptors and RSS are measured around it.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const paystar = require('../..');
// The test build's harness (not in the npm package): core's shared checks.
const native = require('../native.js');
const { toError } = require('../lib/errors.js');

const CALLS = Number(process.env.PAYSTAR_SOAK_CALLS ?? 300);
const MAX_RETRIES = 2;
const fds = () => fs.readdirSync('/proc/self/fd').length;

async function soak(client, first, n) {
  const outcomes = [];
  let next = first;
  async function worker() {
    while (next < first + n) {
      const email = `soak${next++}@example.com`;
      try {
        const s = await client.createWalletSession({ businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: email } });
        outcomes.push({ email, session: { attempts: s.attempts, ambiguous: s.ambiguous } });
      } catch (e) {
        assert.ok(e instanceof paystar.PaystarError, String(e));
        outcomes.push({ email, error: { code: e.code, attempts: e.attempts, ambiguous: e.ambiguous } });
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  return outcomes;
}

// Two equal passes, each audited and its log then freed: a leak shows as growth from the first
// pass to the second (RSS is reported; V8's heap grows lazily, so only descriptors are asserted).
test('random faults never break the accounting', async () => {
  const gateway = new paystar.MockGateway();
  try {
    const client = gateway.client({ timeout: 1000, maxRetries: MAX_RETRIES });
    await soak(client, 2 * CALLS, 50); // warm: runtime, pool
    gateway.forgetRequests();
    const after = [];
    for (let pass = 0; pass < 2; pass++) {
      gateway.script(native.soakScript(2026 + pass, 0.3));
      const outcomes = await soak(client, 0, CALLS); // the same customers each pass
      gateway.clearScript();
      const report = native.auditSoak(outcomes, gateway.requests, MAX_RETRIES);
      gateway.forgetRequests();
      console.log(`soak (node) pass ${pass + 1}: ${JSON.stringify(report)}`);
      assert.deepEqual(report.problems, []);
      assert.equal(report.calls, CALLS);
      after.push([fds(), process.memoryUsage().rss >> 10]);
    }
    console.log(`soak (node): after pass 1 fds, rss KiB ${after[0]}; after pass 2 ${after[1]}`);
    assert.ok(after[1][0] <= after[0][0] + 10, `fds ${after}`);
  } finally {
    gateway.stop();
  }
});

// The same calls through the mock's fault proxy (faults below HTTP: latency with jitter, a slow
// link, tiny segments, connections cut mid-request and mid-response, a gateway that stops
// answering), audited by core: nothing lost, nothing sent twice without ambiguous, attempts
// within bounds.
test('network faults never break the accounting', async () => {
  const network = {
    seed: 2026,
    latency: 2,
    jitter: 8,
    bytesPerSecond: 512 * 1024,
    slice: 64,
    cutRequest: 0.05,
    cutResponse: 0.05,
    stall: 0.03,
  };
  const gateway = new paystar.MockGateway({ network });
  try {
    const client = gateway.client({ timeout: 1000, maxRetries: MAX_RETRIES });
    const outcomes = await soak(client, 0, CALLS);
    const report = native.auditNetworkSoak(outcomes, gateway.requests, MAX_RETRIES);
    console.log(`soak (node, network faults): ${JSON.stringify(report)}`);
    assert.deepEqual(report.problems, []);
    assert.equal(report.calls, CALLS);
    assert.ok((report.attempts['2'] ?? 0) > 0, JSON.stringify(report));
  } finally {
    gateway.stop();
  }
});
