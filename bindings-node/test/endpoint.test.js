'use strict';
// The webhook endpoint vectors (tests/vectors/webhooks/endpoint.json) through Node's own handler
// API (`WebhookVerifier.handle` with a MemoryStore), and through the Express adapter on a real
// port (each delivery a real HTTP request; the route's handler does what the step says).
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const express = require('express');
const paystar = require('../..');
// The test build's harness (not in the npm package): core's shared checks.
const native = require('../native.js');
const { toError } = require('../lib/errors.js');

const { webhooks } = paystar;
const FILE = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'vectors', 'webhooks', 'endpoint.json'), 'utf8'),
);

class Died extends Error {}
class Raised extends Error {}

/** A MemoryStore counting operations, which a dead process no longer reaches. */
class Recording {
  inner = webhooks.memoryStore();
  ops = 0;
  settles = 0; // complete/release attempts, reaching the store or not
  dead = false;
  claim(key, lease) {
    this.ops += 1;
    return this.inner.claim(key, lease);
  }
  complete(key, ttl) {
    this.settles += 1;
    if (!this.dead) {
      this.ops += 1;
      this.inner.complete(key, ttl);
    }
  }
  release(key) {
    this.settles += 1;
    if (!this.dead) {
      this.ops += 1;
      this.inner.release(key);
    }
  }
}

function verifierOptions(spec) {
  const out = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'lease_s') out.lease = v * 1000;
    else if (k === 'done_ttl_s') out.doneTtl = v * 1000;
    else out[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = v;
  }
  return out;
}

/** A delivery's body and headers, signed at `now` (Unix seconds). */
function signed(name, now) {
  const spec = FILE.deliveries[name];
  const body = native.vectorBody(spec);
  if (!spec.sign) return { body, headers: {} };
  const { scheme, secret, timestamp_header: timestampHeader, header } = spec.sign;
  return { body, headers: webhooks.sign(body, { scheme, secret, timestampHeader, header, timestamp: now }) };
}

/** One case: `deliver(step)` runs a delivery and resolves to its outcome for core's checker. */
async function runCase(c, deliverWith) {
  const store = new Recording();
  const state = { now: FILE.now_default, calls: 0, store };
  const deliver = async (step) => {
    const outerOps = store.ops;
    store.ops = 0;
    const behave = async () => {
      state.calls += 1;
      if (step.during) {
        const nested = await deliver(step.during);
        assert.deepEqual(native.checkEndpointStep(step.during, nested), []);
      }
      if (step.handler === 'raise') throw new Raised('the handler failed');
      if (step.handler === 'never_returns') {
        store.dead = true;
        throw new Died();
      }
      return step.handler === 'ok' ? null : Number(step.handler.slice('status_'.length));
    };
    const answer = await deliverWith(step, behave, state);
    store.dead = false;
    const ops = store.ops;
    store.ops = outerOps;
    const states = Object.fromEntries(Object.keys(step.expect.store ?? {}).map((k) => [k, store.inner.state(k)]));
    return { answer, handler_calls: state.calls, store: states, store_ops: ops };
  };
  for (const [i, step] of c.steps.entries()) {
    if (step.advance_s) {
      state.now += step.advance_s;
      store.inner.advance(step.advance_s * 1000);
      continue;
    }
    assert.deepEqual(native.checkEndpointStep(step, await deliver(step)), [], `step ${i}`);
  }
}

describe('endpoint vectors through WebhookVerifier.handle', () => {
  for (const c of FILE.cases) {
    it(c.name, async () => {
      const verifier = new webhooks.WebhookVerifier(verifierOptions(c.verifier));
      await runCase(c, async (step, behave, state) => {
        const { body, headers } = signed(step.deliver, state.now);
        try {
          const a = await verifier.handle(body, headers, state.store, behave, { now: state.now });
          return { status: a.status, body: a.body };
        } catch (e) {
          if (e instanceof Raised) return 'raised';
          if (e instanceof Died) return 'died';
          throw e;
        }
      });
    });
  }
});

describe('endpoint vectors through expressMiddleware on a real port', () => {
  for (const c of FILE.cases) {
    it(c.name, async () => {
      // Verified on the real clock (deliveries are signed now); the store's clock advances.
      let current = [];
      let endpoint;
      const app = express();
      app.post('/hook', (req, res, next) => {
        endpoint(req, res, next);
      }, async (req, res, next) => {
        const { behave, outcome } = current.at(-1);
        outcome.ran = true;
        try {
          const status = await behave();
          res.sendStatus(status ?? 204);
        } catch (e) {
          outcome.failure = e instanceof Died ? 'died' : 'raised';
          if (e instanceof Died) req.socket.destroy(); // the process is gone: no answer
          else next(e); // Express answers 500
        }
      });
      app.use((err, _req, res, _next) => res.sendStatus(500));
      const server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      const url = `http://127.0.0.1:${server.address().port}/hook`;
      try {
        const verifier = new webhooks.WebhookVerifier(verifierOptions(c.verifier));
        await runCase(c, async (step, behave, state) => {
          endpoint ??= webhooks.expressMiddleware(verifier, { store: state.store });
          const { body, headers } = signed(step.deliver, Math.floor(Date.now() / 1000));
          const outcome = {};
          current.push({ behave, outcome });
          const settles = state.store.settles;
          try {
            const r = await fetch(url, { method: 'POST', body, headers }).catch(() => null);
            if (outcome.ran) {
              // The middleware settles once the response finished (or the connection closed,
              // into the dead store): wait for it before reading the store.
              while (state.store.settles === settles) await new Promise((done) => setTimeout(done, 5));
            }
            if (outcome.failure) return outcome.failure;
            return { status: r.status, body: await r.text() };
          } finally {
            current.pop();
          }
        });
      } finally {
        server.close();
        current = [];
      }
    });
  }
});
