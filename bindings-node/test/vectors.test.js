'use strict';
// Runs every case of tests/vectors/*.json through the Node API (see tests/README.md).
const { test, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const util = require('node:util');
const paystar = require('../..');
// The test build's harness (not in the npm package): core's shared checks.
const native = require('../native.js');
const { toError } = require('../lib/errors.js');

const dir = path.join(__dirname, '..', '..', 'tests', 'vectors');
const cases = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'vectors.schema.json')
  .sort()
  .flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).cases);

const DATA_KEYS = new Set(['PaymentFields', 'Extra', 'Payload']);
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

/** What came back, from the objects' attributes, for core's shared checks. */
function outcome({ session, error }) {
  if (session && 'eventType' in session) {
    const { eventType, httpStatus, raw, attempts, requestId, ambiguous } = session;
    return { receipt: { event_type: eventType, http_status: httpStatus, raw, attempts, request_id: requestId, ambiguous } };
  }
  if (session) {
    const { kind, id, url, status, attempts, requestId, ambiguous } = session;
    return { session: { kind, id, url, status, attempts, ambiguous, request_id: requestId, expires_at: session.expiresAt.toISOString() } };
  }
  return {
    error: {
      code: error.code,
      message: error.message,
      option: error.option,
      repr: util.inspect(error),
      status: error.status,
      field_errors: error.fieldErrors.map(({ path, rule }) => ({ path, rule })),
      api_errors: error.apiErrors.map((a) => ({ property_name: a.propertyName, error_message: a.errorMessage })),
      attempts: error.attempts,
      ambiguous: error.ambiguous,
      retry_after: error.retryAfter === null ? null : error.retryAfter / 1000,
    },
  };
}

function check(c, gw, result) {
  const { session, error, skip } = result;
  if (session && !('eventType' in session) && !(session.expiresAt instanceof Date)) return ['expiresAt is not a Date'];
  if (error && !(error instanceof paystar.errorClasses[error.code])) return [`class ${error.name} for ${error.code}`];
  return native.checkVector(c, outcome(result), gw.snapshot(), skip);
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
  // internal_error is a bug inside paystar: no gateway behaviour causes it; webhook_error has
  // its own vectors (webhooks.test.js).
  const own = new Set(['internal_error', 'webhook_error']);
  assert.deepEqual(codes, new Set(paystar.ERROR_CODES.filter((c) => !own.has(c))));
});

test('every code maps to its own class, with core\'s retryable', () => {
  const retryable = new Set(['rate_limited', 'server_error', 'timeout', 'connection_error']);
  assert.equal(new Set(Object.values(paystar.errorClasses)).size, paystar.ERROR_CODES.length);
  for (const code of paystar.ERROR_CODES) {
    const e = toError(native.sampleError(code));
    assert.equal(e.constructor, paystar.errorClasses[code]);
    assert.equal(e.code, code);
    assert.equal(e.retryable, retryable.has(code), code);
  }
});

test('every core code rejects with its class', async () => {
  assert.equal(paystar.ERROR_CODES.length, 11);
  for (const code of paystar.ERROR_CODES.filter((c) => !['internal_error', 'webhook_error'].includes(c))) {
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
