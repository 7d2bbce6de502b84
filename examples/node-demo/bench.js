'use strict';
// Numbers, not a test: one call against the mock gateway, paystar vs Node's built-in fetch.
// Same wallet-session body, same in-process MockGateway, keep-alive; median and p90 of 1,000
// sequential calls after 100 warm-up calls. fetch does the minimum a hand-rolled integration
// does (post, check status, parse JSON); paystar also validates, builds the body, checks the
// envelope and shapes a typed result.
const started = process.hrtime.bigint();
const paystar = require('../..');
const requireMs = Number(process.hrtime.bigint() - started) / 1e6;

const N = 1000;
const WARMUP = 100;

async function measure(call) {
  for (let i = 0; i < WARMUP; i++) await call();
  const samples = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[N / 2], p90: samples[Math.floor(N * 0.9)] };
}

async function main() {
  const gw = new paystar.MockGateway();
  const client = gw.client();
  const url = `${gw.url}/integrations/embedded/initiate-manage-wallet`;
  const body = JSON.stringify({ BusinessUnitSlug: 'acme-utilities', ClientUser: { EmailAddress: 'jane@example.com' } });
  const headers = { 'content-type': 'application/json', 'x-paystar-api-key': gw.apiKey };
  const withFetch = async () => {
    const r = await fetch(url, { method: 'POST', body, headers });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return (await r.json()).data.SessionLink;
  };
  const withPaystar = async () =>
    (await client.createWalletSession({ businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: 'jane@example.com' } })).url;
  const results = { fetch: await measure(withFetch), 'paystar.Client': await measure(withPaystar) };
  gw.stop();
  console.log(`one wallet-session call on the mock gateway, ${N} calls after ${WARMUP} warm-up (node ${process.versions.node})`);
  for (const [name, { median, p90 }] of Object.entries(results)) {
    console.log(`  ${name.padEnd(15)} median ${median.toFixed(1).padStart(7)} us   p90 ${p90.toFixed(1).padStart(7)} us   ${(median / results.fetch.median).toFixed(2)}x fetch`);
  }
  console.log(`  require('paystar'): ${requireMs.toFixed(1)} ms (this run, cold process)`);
}

main();
