'use strict';
// Runs every case of tests/vectors/*.json through the Node API (see tests/README.md).
const { test, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const paystar = require('../..');

const dir = path.join(__dirname, '..', '..', 'tests', 'vectors');
const cases = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'vectors.schema.json')
  .sort()
  .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).cases);

const DATA_KEYS = new Set(['PaymentFields', 'Extra']);
const camel = (k) => k.charAt(0).toLowerCase() + k.slice(1);
function toJs(v) {
  if (Array.isArray(v)) return v.map(toJs);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [camel(k), DATA_KEYS.has(k) ? x : toJs(x)]),
    );
  }
  return v;
}
const method = (op) => op.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const norm = (p, rule) => (rule === 'unknown_field' ? p.replace(/_/g, '').toLowerCase() : p);

async function closedPort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

async function run(c, gw) {
  const spec = c.client ?? {};
  const options = { apiKey: spec.api_key ?? gw.apiKey, baseUrl: gw.url };
  if (spec.base_url === 'closed_port') options.baseUrl = await closedPort();
  else if (spec.base_url !== undefined) options.baseUrl = spec.base_url;
  if (spec.timeout_ms !== undefined) options.timeout = spec.timeout_ms;
  if (spec.max_retries !== undefined) options.maxRetries = spec.max_retries;
  if (spec.client_validation !== undefined) options.clientValidation = spec.client_validation;
  let client;
  try {
    client = new paystar.Client(options);
  } catch (e) {
    return { error: e, skip: 0 };
  }
  for (const s of c.setup ?? []) await client[method(s.operation)](toJs(s.input));
  const skip = Math.min(gw.requests.length, (c.setup ?? []).length);
  if (c.script?.length) gw.script(c.script);
  const callOptions = {};
  if (c.options?.timeout_ms !== undefined) callOptions.timeout = c.options.timeout_ms;
  if (c.options?.max_retries !== undefined) callOptions.maxRetries = c.options.max_retries;
  try {
    return { session: await client[method(c.operation)](toJs(c.input), callOptions), skip };
  } catch (e) {
    return { error: e, skip };
  }
}

function check(c, gw, { session, error, skip }) {
  const x = c.expect;
  const problems = [];
  const want = (ok, what) => ok || problems.push(what);
  let attempts;
  if (x.result) {
    if (!session) return [`expected a session, got ${error?.code}: ${error?.message}`];
    const r = x.result;
    if (r.kind) want(session.kind === r.kind, `kind ${session.kind}`);
    if (r.status) want(session.status === r.status, `status ${session.status}`);
    if (r.has_id !== undefined) want((session.id !== null) === r.has_id, `id ${session.id}`);
    if (r.has_request_id !== undefined) {
      want((session.requestId !== null) === r.has_request_id, `request id ${session.requestId}`);
    }
    if (r.url_prefix) {
      const p = r.url_prefix.replace('{mock}', gw.url);
      want(session.url.startsWith(p), `url ${session.url}`);
    }
    want(session.expiresAt instanceof Date, 'expiresAt is a Date');
    if (r.expires_at) {
      want(session.expiresAt.getTime() === new Date(r.expires_at).getTime(), `expiresAt ${session.expiresAt.toISOString()}`);
    }
    if (r.expires_in_s !== undefined) {
      const off = (session.expiresAt.getTime() - Date.now()) / 1000 - r.expires_in_s;
      want(Math.abs(off) <= 120, `expiresAt off by ${off} s`);
    }
    attempts = session.attempts;
  } else {
    if (!error) return [`expected an error, got a session ${session.url}`];
    if (!(error instanceof paystar.PaystarError)) return [`not a PaystarError: ${error}`];
    const er = x.error;
    want(error.code === er.code, `code ${error.code} != ${er.code} (${error.message})`);
    want(error instanceof paystar.errorClasses[er.code], `class ${error.name}`);
    if (er.field_errors) {
      const got = error.fieldErrors.map((f) => `${norm(f.path, f.rule)}|${f.rule}`).sort();
      const exp = er.field_errors.map((f) => `${norm(f.path, f.rule)}|${f.rule}`).sort();
      want(JSON.stringify(got) === JSON.stringify(exp), `field errors ${got} != ${exp}`);
    }
    if (er.status !== undefined) want(error.status === er.status, `status ${error.status}`);
    if (er.ambiguous !== undefined) want(error.ambiguous === er.ambiguous, `ambiguous ${error.ambiguous}`);
    if (er.retry_after_s !== undefined) {
      want(error.retryAfter === er.retry_after_s * 1000, `retryAfter ${error.retryAfter}`);
    }
    if (er.api_errors) {
      want(error.apiErrors.length === er.api_errors.length, `api errors ${JSON.stringify(error.apiErrors)}`);
      er.api_errors.forEach((w, i) => {
        const g = error.apiErrors[i] ?? {};
        if (w.propertyName !== undefined) want(g.propertyName === w.propertyName, `property ${g.propertyName}`);
        if (w.errorMessage !== undefined) want(g.errorMessage === w.errorMessage, `message ${g.errorMessage}`);
      });
    }
    for (const s of er.message_contains ?? []) {
      // Option names appear in the caller's style (max_retries -> maxRetries); see tests/README.md.
      const expected = /^[a-z]+(_[a-z]+)+$/.test(s) ? s.replace(/_([a-z])/g, (_, c) => c.toUpperCase()) : s;
      want(error.message.includes(expected), `message lacks ${expected}`);
    }
    for (const s of er.message_excludes ?? []) {
      want(!error.message.includes(s) && !require('node:util').inspect(error).includes(s), `error shows ${s}`);
    }
    attempts = error.attempts;
  }
  const requests = gw.requests.slice(skip);
  if (x.attempts !== undefined) want(attempts === x.attempts, `attempts ${attempts} != ${x.attempts}`);
  if (x.requests !== undefined) want(requests.length === x.requests, `requests ${requests.length} != ${x.requests}`);
  if (x.wire) {
    const first = requests[0];
    if (!first) problems.push('no request reached the mock');
    else {
      const w = x.wire;
      if (w.method) want(first.method === w.method, `method ${first.method}`);
      if (w.path) want(first.path === w.path, `path ${first.path}`);
      for (const [k, v] of Object.entries(w.headers ?? {})) want(first.headers[k] === v, `header ${k}: ${first.headers[k]}`);
      if (w.user_agent_prefix) want((first.headers['user-agent'] ?? '').startsWith(w.user_agent_prefix), `user-agent ${first.headers['user-agent']}`);
      if (w.body !== undefined) {
        try {
          assert.deepStrictEqual(first.body, w.body);
        } catch {
          problems.push(`body ${JSON.stringify(first.body)} != ${JSON.stringify(w.body)}`);
        }
      }
    }
  }
  (x.min_gaps_ms ?? []).forEach((gap, i) => {
    const waited = requests[i + 1] ? requests[i + 1].received_ms - requests[i].received_ms : 0;
    want(waited >= gap, `gap ${i} was ${waited} ms, want >= ${gap}`);
  });
  for (const cu of x.customers ?? []) {
    try {
      assert.deepStrictEqual(gw.customer(cu.email), cu.record);
    } catch {
      problems.push(`customer ${JSON.stringify(gw.customer(cu.email))}`);
    }
  }
  for (const a of x.accounts ?? []) {
    const rec = gw.account(a.account_number, a.sub_account_number);
    try {
      assert.deepStrictEqual(rec, a.record);
    } catch {
      problems.push(`account ${JSON.stringify(rec)}`);
    }
  }
  return problems;
}

describe('every vector passes through the Node API', { concurrency: 16 }, () => {
  assert.ok(cases.length >= 100);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
  for (const c of cases) {
    it(c.name, async () => {
      const gw = new paystar.MockGateway();
      try {
        const problems = check(c, gw, await run(c, gw));
        assert.deepEqual(problems, []);
      } finally {
        gw.stop();
      }
    });
  }
});

test('every operation and error code has a vector', () => {
  assert.deepEqual(new Set(cases.map((c) => c.operation)), new Set(paystar.OPERATIONS));
  const codes = new Set(cases.filter((c) => c.expect.error).map((c) => c.expect.error.code));
  // internal_error is a bug inside paystar: no gateway behaviour causes it.
  assert.deepEqual(codes, new Set(paystar.ERROR_CODES.filter((c) => c !== 'internal_error')));
});

test('every code maps to its own class, with core\'s retryable', () => {
  const retryable = new Set(['rate_limited', 'server_error', 'timeout', 'connection_error']);
  assert.equal(new Set(Object.values(paystar.errorClasses)).size, paystar.ERROR_CODES.length);
  for (const code of paystar.ERROR_CODES) {
    const e = paystar._toError(paystar._native.sampleError(code));
    assert.equal(e.constructor, paystar.errorClasses[code]);
    assert.equal(e.code, code);
    assert.equal(e.retryable, retryable.has(code), code);
  }
});

test('every core code rejects with its class', async () => {
  assert.equal(paystar.ERROR_CODES.length, 10);
  for (const code of paystar.ERROR_CODES.filter((c) => c !== 'internal_error')) {
    const c = cases.find((v) => v.expect.error?.code === code);
    const gw = new paystar.MockGateway();
    try {
      const { error } = await run(c, gw);
      assert.ok(error instanceof paystar.PaystarError, `${code}: ${error}`);
      assert.ok(error instanceof Error);
      assert.equal(error.constructor, paystar.errorClasses[code]);
      assert.equal(error.code, code);
      assert.equal(error.name, paystar.errorClasses[code].name);
    } finally {
      gw.stop();
    }
  }
});
