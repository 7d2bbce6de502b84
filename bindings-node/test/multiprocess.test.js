'use strict';
// Several processes, one real Redis: two Node processes (test-support/webhook-worker.js) run
// the webhook endpoint on redisStore. The same delivery posted to both at once is handled exactly
// once; a process SIGKILLed inside the handler leaves a lease that expires, after which the
// redelivery is handled. Needs Debian's redis-server (.ci/run installs it; PAYSTAR_REQUIRE_REDIS=1
// makes its absence a failure, not a skip).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { webhooks } = require('../..');

const haveRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!haveRedis && process.env.PAYSTAR_REQUIRE_REDIS) throw new Error('redis-server is required here');
const skip = haveRedis ? false : "needs Debian's redis-server (.ci/run installs it)";

const children = [];
let dir;
let log;
let ports;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 400; i += 1) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.end(() => resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

function run(command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paystar-multi-'));
  log = path.join(dir, 'handlers.log');
  fs.writeFileSync(log, '');
  const redisPort = await freePort();
  run('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitForPort(redisPort);
  ports = [await freePort(), await freePort()];
  for (const port of ports) {
    run(process.execPath, [path.join(__dirname, '..', 'test-support', 'webhook-worker.js'), String(port), `redis://127.0.0.1:${redisPort}`, log, '3000']);
  }
  await Promise.all(ports.map(waitForPort));
});

after(() => {
  for (const c of children) c.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const body = (reference) =>
  `{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_multi","referenceNumber":"${reference}","amount":"150.00"}}`;

function post(port, data) {
  const headers = webhooks.sign(data, {
    scheme: 'hmac_sha256', secret: 'whsk_multiprocess_test', header: 'X-Paystar-Signature', timestampHeader: 'X-Paystar-Timestamp',
  });
  return fetch(`http://127.0.0.1:${port}/paystar/webhook`, { method: 'POST', body: data, headers }).then((r) => r.status, () => 0);
}

const lines = (word) => fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith(word));

test('one delivery posted to two processes at once is handled once', { skip }, async () => {
  const data = body('R-ONCE');
  const statuses = (await Promise.all([...ports, ...ports].map((p) => post(p, data)))).sort();
  assert.equal(statuses.filter((s) => s === 204).length, 1, String(statuses));
  assert.ok(statuses.every((s) => [200, 204, 409].includes(s)), String(statuses));
  assert.equal(lines('start').filter((l) => l.endsWith('R-ONCE')).length, 1);
  assert.deepEqual(await Promise.all(ports.map((p) => post(p, data))), [200, 200]);
});

test('a process killed in the handler leaves a lease that expires', { skip }, async () => {
  const data = body('SLOW-1');
  const first = post(ports[0], data);
  const started = Date.now();
  while (!lines('start').some((l) => l.endsWith('SLOW-1')) && Date.now() - started < 20_000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const pid = Number(lines('start').find((l) => l.endsWith('SLOW-1')).split(' ')[1]);
  process.kill(pid, 'SIGKILL'); // the OOM killer, a deploy
  assert.equal(await first, 0); // its connection died with it
  assert.equal(await post(ports[1], data), 409); // its lease still holds
  await new Promise((r) => setTimeout(r, 3500)); // the 3 s lease expires
  assert.equal(await post(ports[1], data), 204); // handled, on the other process
  assert.equal(lines('start').filter((l) => l.endsWith('SLOW-1')).length, 2);
  assert.equal(lines('done').filter((l) => l.endsWith('SLOW-1')).length, 1);
  assert.equal(await post(ports[1], data), 200);
});
