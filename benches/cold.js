'use strict';
// The cold-start program (`make bench`; BENCHMARKS.md "Cold start"): a fresh process loads one
// client library, builds a client, makes one wallet-session call to the mock gateway at
// PAYSTAR_BENCH_URL (trusting PAYSTAR_BENCH_CA; fetch through NODE_EXTRA_CA_CERTS), prints the
// link and its peak RSS and exits. benches/run.py times the whole process from outside.
//
//     node benches/cold.js paystar|undici|fetch
const path = require('node:path');

const URL_ = process.env.PAYSTAR_BENCH_URL;
const KEY = process.env.PAYSTAR_BENCH_KEY ?? 'sk_mock_paystar_0000';
const CA = process.env.PAYSTAR_BENCH_CA || null;
const PATH = '/integrations/embedded/initiate-manage-wallet';
const BODY = '{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}';
const HEADERS = { 'x-paystar-api-key': KEY, 'content-type': 'application/json' };

function link(answer) {
  if (answer.hasErrors !== false) throw new Error('the mock refused the call');
  return answer.data.SessionLink;
}

const CLIENTS = {
  async paystar() {
    const paystar = require(path.join(__dirname, '..'));
    const client = new paystar.Client({ apiKey: KEY, baseUrl: URL_, ...(CA ? { caBundle: CA } : {}) });
    const session = await client.createWalletSession({
      businessUnitSlug: 'acme-utilities',
      clientUser: { emailAddress: 'jane@example.com' },
    });
    return session.url;
  },
  async undici() {
    const undici = require('undici');
    const ca = CA ? require('node:fs').readFileSync(CA, 'utf8') : undefined;
    const pool = new undici.Pool(URL_, CA ? { allowH2: true, connect: { ca } } : {});
    const r = await pool.request({ path: PATH, method: 'POST', body: BODY, headers: HEADERS });
    const answer = link(await r.body.json());
    await pool.close();
    return answer;
  },
  async fetch() {
    const r = await fetch(URL_ + PATH, { method: 'POST', body: BODY, headers: HEADERS });
    return link(await r.json());
  },
};

const which = process.argv[2];
if (!CLIENTS[which]) {
  console.error(`usage: cold.js ${Object.keys(CLIENTS).join('|')}`);
  process.exit(2);
}
// This process's peak resident memory (VmHWM): benches/run.py reads it from the last line (the
// kernel's rusage of a child counts its parent's memory at the fork).
const peakRss = () =>
  require('node:fs')
    .readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
CLIENTS[which]().then(
  (url) => {
    console.log(url);
    console.log(peakRss());
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
