'use strict';
// Numbers, not a test (`make bench-latency`; BENCHMARKS.md "Latency"): calls per second against
// a mock gateway that holds every answer PAYSTAR_LATENCY_MS (50) ms, with N calls in flight for
// each N in PAYSTAR_LATENCY_LEVELS (100,500,1000): N workers each make PAYSTAR_LATENCY_ROUNDS
// calls one after another. paystar (maxInFlight: N) against undici.request on an Agent with no
// connection limit (undici's default), each doing the same work: POST the JSON, parse the
// answer, check hasErrors, take the link. One JSON line per run on stdout.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const undici = require(require.resolve('undici', { paths: [ROOT] }));
const paystar = require(ROOT);

const URL_ = process.env.PAYSTAR_BENCH_URL;
const KEY = process.env.PAYSTAR_BENCH_KEY ?? 'sk_mock_paystar_0000';
const LEVELS = (process.env.PAYSTAR_LATENCY_LEVELS ?? '100,500,1000').split(',').map(Number);
const ROUNDS = Number(process.env.PAYSTAR_LATENCY_ROUNDS ?? 20);
const LATENCY_MS = Number(process.env.PAYSTAR_LATENCY_MS ?? 50);
const PATH = '/integrations/embedded/initiate-manage-wallet';
const BODY = '{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}';
const HEADERS = { 'x-paystar-api-key': KEY, 'content-type': 'application/json' };

/** Connections the mock has accepted (this request's own counted and taken off). */
async function connections() {
  const { body } = await undici.request(`${URL_}/__mock/stats`, { dispatcher: new undici.Agent({ pipelining: 0 }) });
  return (await body.json()).connections - 1;
}

function rssMb() {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function measure(client, level, call) {
  const before = await connections();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    for (let i = 0; i < ROUNDS; i++) await call();
  };
  await Promise.all(Array.from({ length: level }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const calls = level * ROUNDS;
  console.log(
    JSON.stringify({
      language: 'node',
      client,
      in_flight: level,
      calls,
      calls_per_s: calls / seconds,
      ideal_per_s: level / (LATENCY_MS / 1000),
      connections: (await connections()) - before,
      cpu_s: (cpu.user + cpu.system) / 1e6,
      wall_s: seconds,
      rss_mb: rssMb(),
    }),
  );
}

async function main() {
  for (const level of LEVELS) {
    const client = new paystar.Client({ apiKey: KEY, baseUrl: URL_, maxInFlight: level });
    await measure('paystar', level, async () => (await client.createWalletSession({
      businessUnitSlug: 'acme-utilities',
      clientUser: { emailAddress: 'jane@example.com' },
    })).url);
    const agent = new undici.Agent();
    await measure('undici.request (Agent, no limit)', level, async () => {
      const { body } = await undici.request(URL_ + PATH, { method: 'POST', headers: HEADERS, body: BODY, dispatcher: agent });
      const answer = await body.json();
      if (answer.hasErrors !== false) throw new Error('the mock refused the call');
      return answer.data.SessionLink;
    });
    await agent.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
