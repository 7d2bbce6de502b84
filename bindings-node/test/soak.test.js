'use strict';
// The fault soak (RELIABILITY.md): PAYSTAR_SOAK_CALLS wallet sessions (300 here; 10,000 for the
// documented run) through a gateway failing at a seeded 30 % rate, 16 promises in flight,
// audited by core against the gateway's log. File descriptors and RSS are measured around it.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const paystar = require('../..');

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

test('random faults never break the accounting', async () => {
  const gateway = new paystar.MockGateway();
  try {
    const client = gateway.client({ timeout: 1000, maxRetries: MAX_RETRIES });
    await soak(client, CALLS, 50); // warm: runtime, pool
    const before = [fds(), process.memoryUsage().rss];
    gateway._soak(2026, 0.3);
    const outcomes = await soak(client, 0, CALLS);
    gateway.clearScript();
    const after = [fds(), process.memoryUsage().rss];
    const report = gateway._auditSoak(outcomes, MAX_RETRIES);
    console.log(`soak (node): ${JSON.stringify(report)}; fds ${before[0]} -> ${after[0]}, rss ${before[1] >> 10} -> ${after[1] >> 10} KiB`);
    assert.deepEqual(report.problems, []);
    assert.equal(report.calls, CALLS);
    assert.ok(after[0] <= before[0] + 20, `fds ${before[0]} -> ${after[0]}`);
  } finally {
    gateway.stop();
  }
});
