'use strict';
// Numbers, not a test (`make bench`; BENCHMARKS.md): one wallet-session call against the mock
// gateway process at PAYSTAR_BENCH_URL, made with paystar and with the fastest hand-rolled Node
// clients (undici.request, fetch), each doing the same work: send the JSON, parse the answer,
// check hasErrors, take the link. Sequential: PAYSTAR_BENCH_SEQ calls one at a time (median,
// p99); concurrent: PAYSTAR_BENCH_CONC calls, PAYSTAR_BENCH_INFLIGHT promises in flight; first
// call: the first call of PAYSTAR_BENCH_FIRST new clients in this warm process (median; the
// connection, and over HTTPS the handshake, included). Over HTTPS (PAYSTAR_BENCH_CA: the mock's
// CA; fetch trusts it through NODE_EXTRA_CA_CERTS) undici asks for HTTP/2 (allowH2) and the
// telemetry rows are skipped. One JSON line per result on stdout.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const URL_ = process.env.PAYSTAR_BENCH_URL;
const KEY = process.env.PAYSTAR_BENCH_KEY ?? 'sk_mock_paystar_0000';
const SEQ = Number(process.env.PAYSTAR_BENCH_SEQ ?? 2000);
const CONC = Number(process.env.PAYSTAR_BENCH_CONC ?? 20000);
const INFLIGHT = Number(process.env.PAYSTAR_BENCH_INFLIGHT ?? 64);
const WARM = Math.min(Number(process.env.PAYSTAR_BENCH_WARMUP ?? 200), SEQ);
const FIRST = Math.max(Number(process.env.PAYSTAR_BENCH_FIRST ?? 20), 1);
const CA = process.env.PAYSTAR_BENCH_CA || null;
/** What each client is given to trust the mock's CA over HTTPS. */
const OURS = CA ? { caBundle: CA } : {};
const UNDICI = CA ? { allowH2: true, connect: { ca: fs.readFileSync(CA, 'utf8') } } : {};
const PATH = '/integrations/embedded/initiate-manage-wallet';
const BODY = '{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}';
const HEADERS = { 'x-paystar-api-key': KEY, 'content-type': 'application/json' };
const ROOT = path.join(__dirname, '..');

/** The same check every client makes of the answer. */
function link(answer) {
  if (answer.hasErrors !== false) throw new Error('the mock refused the call');
  return answer.data.SessionLink;
}

async function sequential(call) {
  for (let i = 0; i < WARM; i++) await call();
  const samples = [];
  for (let i = 0; i < SEQ; i++) {
    const t = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  samples.sort((a, b) => a - b);
  return { median_us: samples[Math.floor(SEQ / 2)], p99_us: samples[Math.min(Math.floor(SEQ * 0.99), SEQ - 1)] };
}

async function concurrent(call) {
  let left = CONC;
  const worker = async () => {
    while (left-- > 0) await call();
  };
  const t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  return { calls_per_s: CONC / (Number(process.hrtime.bigint() - t) / 1e9) };
}

/** FIRST new clients: the median time to build one (µs), and of its first call. */
async function firstCall(build, call) {
  const builds = [];
  const calls = [];
  for (let i = 0; i < FIRST; i++) {
    let t = process.hrtime.bigint();
    const client = build();
    builds.push(Number(process.hrtime.bigint() - t) / 1e3);
    t = process.hrtime.bigint();
    await call(client);
    calls.push(Number(process.hrtime.bigint() - t) / 1e3);
    await client.close?.();
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return [median(builds), median(calls)];
}

const report = (client, kind, seq, conc, first = [null, null]) =>
  console.log(
    JSON.stringify({
      language: 'node',
      client,
      kind,
      sequential: seq,
      concurrent: conc,
      concurrency: 'promises',
      new_client_us: first[0],
      first_call_us: first[1],
    }),
  );

function loadMs(module) {
  const code = `const t = process.hrtime.bigint(); require(${JSON.stringify(module)}); console.log(Number(process.hrtime.bigint() - t) / 1e6)`;
  return Number(execFileSync(process.execPath, ['-e', code], { cwd: ROOT }).toString());
}

/**
 * paystar's telemetry (docs/observability.md), each against the default row (the OpenTelemetry
 * API installed, no SDK): off for the client (nothing is collected, as without the API), then
 * with an SDK registered and a no-op exporter (spans and points are made).
 */
async function telemetryCosts(paystar, request) {
  const run = async (client, name) => {
    const call = async () => (await client.createWalletSession(request)).url;
    report(name, 'telemetry', await sequential(call), await concurrent(call));
  };
  await run(new paystar.Client({ apiKey: KEY, baseUrl: URL_, telemetry: false }), 'paystar.Client, telemetry: false');
  let api, trace, metrics;
  try {
    api = require('@opentelemetry/api');
    trace = require('@opentelemetry/sdk-trace-base');
    metrics = require('@opentelemetry/sdk-metrics');
  } catch {
    return;
  }
  const drop = { export: (spans, done) => done({ code: 0 }), shutdown: async () => {} };
  api.trace.setGlobalTracerProvider(new trace.BasicTracerProvider({ spanProcessors: [new trace.BatchSpanProcessor(drop)] }));
  class Reader extends metrics.MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  api.metrics.setGlobalMeterProvider(new metrics.MeterProvider({ readers: [new Reader()] }));
  await run(new paystar.Client({ apiKey: KEY, baseUrl: URL_ }), 'paystar.Client, OTel SDK (no-op exporter)');
}

async function main() {
  if (!URL_) throw new Error('set PAYSTAR_BENCH_URL (make bench starts paystar-mock)');
  const paystar = require(ROOT);
  const undici = require('undici');
  const client = new paystar.Client({ apiKey: KEY, baseUrl: URL_, ...OURS });
  const request = { businessUnitSlug: 'acme-utilities', clientUser: { emailAddress: 'jane@example.com' } };
  const ours = async () => (await client.createWalletSession(request)).url;
  const newOurs = () => new paystar.Client({ apiKey: KEY, baseUrl: URL_, ...OURS });
  const firstOurs = async (c) => (await c.createWalletSession(request)).url;
  report('paystar.Client', 'paystar', await sequential(ours), await concurrent(ours), await firstCall(newOurs, firstOurs));

  // warmUp(): the connection opened ahead of the first call.
  const ups = [];
  const calls = [];
  for (let i = 0; i < FIRST; i++) {
    const fresh = newOurs();
    let t = process.hrtime.bigint();
    await fresh.warmUp();
    ups.push(Number(process.hrtime.bigint() - t) / 1e3);
    t = process.hrtime.bigint();
    await fresh.createWalletSession(request);
    calls.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  const mid = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const warm = { client: 'paystar.Client', method: 'warmUp()', warm_up_us: mid(ups), first_call_us: mid(calls) };
  console.log(JSON.stringify({ language: 'node', warm_up: warm }));

  const onPool = async (pool) => {
    const r = await pool.request({ path: PATH, method: 'POST', body: BODY, headers: HEADERS });
    return link(await r.body.json());
  };
  const newPool = () => new undici.Pool(URL_, { connections: INFLIGHT, ...UNDICI });
  const pool = new undici.Pool(URL_, { connections: INFLIGHT, ...UNDICI });
  const withUndici = () => onPool(pool);
  report('undici.request (Pool)', 'peer', await sequential(withUndici), await concurrent(withUndici), await firstCall(newPool, onPool));
  await pool.close();

  // fetch's connection pool is the process's global one: its "first call" is not a new client's.
  const withFetch = async () => {
    const r = await fetch(URL_ + PATH, { method: 'POST', body: BODY, headers: HEADERS });
    return link(await r.json());
  };
  report('fetch', 'peer', await sequential(withFetch), await concurrent(withFetch));
  if (!CA) await telemetryCosts(paystar, request);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(JSON.stringify({ language: 'node', rss_mb: rss, load_ms: { paystar: loadMs(ROOT), undici: loadMs('undici') } }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
