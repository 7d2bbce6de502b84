'use strict';
// Webhooks: core's verifier and endpoint (`paystar::bridge`), the in-memory and Redis dedupe
// stores, and the Express middleware. Every status, TTL and release rule is core's: this file
// runs the store and the handler and sends what core answers.

const util = require('node:util');
const { native, native_, toError, ConfigurationError, WebhookError } = require('./errors.js');
const { jsonOptions } = require('./json.js');
const { spanned, answered } = require('./otel.js');

const { webhookAnswers: ANSWERS, webhookStore: STORE, ...constants } = native.constants();

/** A webhook body as bytes: a Buffer, any Uint8Array, or a string (UTF-8). */
function bodyBytes(body) {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  throw new TypeError('a webhook body is a Buffer, a Uint8Array or a string');
}

/** Request headers as `{name: string | string[]}` from Node's, fetch's `Headers` or a Map; a list
 * (of `[name, value]` pairs) goes to core as it is. */
function headerObject(headers) {
  const out = {};
  const add = (k, v) => {
    if (v === undefined || v === null) return;
    const values = Array.isArray(v) ? v.map(String) : [String(v)];
    out[k] = out[k] === undefined ? values : [...out[k], ...values];
  };
  if (headers == null) return out;
  if (Array.isArray(headers)) return headers;   // pairs, or a flat list core refuses by name
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') headers.forEach((v, k) => add(k, v));
  else for (const [k, v] of Object.entries(headers)) add(k, v);
  return out;
}

const toEvent = (value) => Object.freeze(value);

/** What a handler returned, as core reads it: a status, or null for none. */
function statusOf(result) {
  if (result === undefined || result === null) return null;
  if (Number.isInteger(result)) return result;
  if (result && Number.isInteger(result.status)) return result.status;
  throw new TypeError('a webhook handler returns nothing, a status code, or { status, body }');
}

/**
 * Authenticates webhook deliveries, then parses them; `handle` is a whole endpoint. Paystar
 * documents no signing scheme, so the options say what your account sends: `{ scheme:
 * 'shared_secret' | 'hmac_sha256' | 'standard_webhooks', secrets: string | string[], header?,
 * encoding?: 'hex' | 'base64', timestampHeader?, tolerance?: ms, lease?: ms, doneTtl?: ms }`.
 * Without `timestampHeader`, `hmac_sha256` accepts a captured delivery forever: prefer it (or
 * `standard_webhooks`). Build one at startup; it never shows a secret.
 */
class WebhookVerifier {
  #native;

  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw new ConfigurationError('options: must be an object');
    }
    this.#native = native_(() => new native.NativeWebhookVerifier(jsonOptions(options)));
  }

  /**
   * Authenticates `body` (the raw bytes, exactly as received) against `headers` (`req.headers`,
   * a fetch `Headers`, a Map or pairs), then parses it. Throws `WebhookError` (`reason` says
   * why). `now` (Unix seconds) is for tests.
   */
  verify(body, headers, { now } = {}) {
    const bytes = bodyBytes(body);
    const h = headerObject(headers);
    return toEvent(native_(() => this.#native.verify(bytes, h, now ?? null)));
  }

  /**
   * A whole endpoint: verifies, claims the event's key in `store` with a lease (default 60 s),
   * runs `handler(event)` once per event, then completes the key (default 7 days) or releases
   * it at once when the handler throws or answers a non-2xx. Resolves to `{ status, body }`
   * (`body` JSON text, '' for none) or, when the handler answered itself, `{ status, response }`
   * with what it returned (a status code or `{ status, body }`). A redelivery of a handled
   * event is 200 `{"duplicate":true}`, one arriving while the handler runs 409, a refusal its
   * 401/400/413 (`onError` is told), a failing store 503. A handler that throws releases the
   * key and the error propagates. `now` (Unix seconds) is for tests.
   */
  async handle(body, headers, store, handler, { now, onError } = {}) {
    return this._endpoint(bodyBytes(body), headerObject(headers), store, now ?? null, onError, async (event) => {
      const result = await handler(event);
      return { status: statusOf(result), response: result };
    });
  }

  /**
   * Core's endpoint around `run(event)`, which resolves to `{ status, response }` (status null:
   * no response of its own) or rejects (the handler failed; the rejection propagates after the
   * key is released).
   */
  async _endpoint(body, headers, store, now, onError, run) {
    const step = native_(() => this.#native.receive(body, headers, now));
    if (step.refused) {
      if (onError) onError(toError(step.refused.error));
      return answered(step.refused.answer);
    }
    const { event, storeKey, lease, attributes } = step.delivery;
    spanned(attributes);
    let claim;
    try {
      claim = await store.claim(storeKey, lease);
    } catch (e) {
      if (onError) onError(e);
      return answered(ANSWERS.storeUnavailable);
    }
    const early = native_(() => native.webhookAfterClaim(claim));
    if (early) return answered(early);
    let outcome;
    try {
      outcome = await run(toEvent(event));
    } catch (e) {
      await this.#settle(store, storeKey, true, null, onError);
      throw e;
    }
    const s = await this.#settle(store, storeKey, false, outcome.status, onError);
    if (s.answer) return answered(s.answer);
    return { status: outcome.status, body: '', response: outcome.response, attributes: spanned(s.attributes) };
  }

  async #settle(store, key, raised, status, onError) {
    const s = this.#native.settle(raised, status ?? undefined);
    try {
      if (s.store === 'complete') await store.complete(key, s.ttl);
      else await store.release(key);
    } catch (e) {
      if (onError) onError(e); // the lease expires on its own; the answer stands
    }
    if (raised) spanned(s.attributes);
    return s;
  }

  [util.inspect.custom]() {
    return this.#native.describe();
  }

  toJSON() {
    return this.#native.describe();
  }
}

/** Parses a webhook body WITHOUT authentication; throws `WebhookError`. */
function parse(body) {
  const bytes = bodyBytes(body);
  return toEvent(native_(() => native.webhookParse(bytes)));
}

/**
 * The headers a sender attaches to `body`: `{ scheme, secret, header?, encoding?,
 * timestampHeader?, timestamp?, id? }` (for tests of an endpoint).
 */
function sign(body, options) {
  const bytes = bodyBytes(body);
  return native_(() => native.webhookSign(bytes, jsonOptions(options)));
}

/**
 * The in-process dedupe store (core's): for one process, bounded to 100,000 keys. Several
 * processes need a shared store (`redisStore`). `state(key)` and `advance(ms)` are for tests.
 */
class MemoryStore {
  #native = new native.NativeMemoryStore();

  claim(key, leaseMs) {
    return native_(() => this.#native.claim(key, leaseMs));
  }

  complete(key, ttlMs) {
    native_(() => this.#native.complete(key, ttlMs));
  }

  release(key) {
    this.#native.release(key);
  }

  /** 'pending', 'done' or null: what the store holds for `key` now. */
  state(key) {
    return this.#native.state(key);
  }

  /** Moves the store's clock forward (leases and handled keys expire as if `ms` had passed). */
  advance(ms) {
    native_(() => this.#native.advance(ms));
  }
}

const memoryStore = () => new MemoryStore();

/**
 * A dedupe store on Redis, shared by every process: `SET key pending NX PX lease` claims,
 * `SET key done PX ttl` completes, `DEL key` releases. `client` is a connected node-redis
 * (`redis` package, v4+) or ioredis client; neither is a dependency of paystar.
 */
function redisStore(client) {
  if (!client || typeof client.set !== 'function' || typeof client.get !== 'function') {
    throw new ConfigurationError('redisStore: a connected node-redis or ioredis client is needed');
  }
  const ioredis = typeof client.status === 'string';
  const set = (key, value, ms, nx) => {
    const px = Math.ceil(ms);
    if (ioredis) return nx ? client.set(key, value, 'PX', px, 'NX') : client.set(key, value, 'PX', px);
    return client.set(key, value, nx ? { NX: true, PX: px } : { PX: px });
  };
  return {
    async claim(key, leaseMs) {
      if ((await set(key, STORE.pending, leaseMs, true)) === 'OK') return 'claimed';
      return native.claimOfExisting(await client.get(key));
    },
    async complete(key, ttlMs) {
      await set(key, STORE.done, ttlMs, false);
    },
    async release(key) {
      await client.del(key);
    },
  };
}

/**
 * Reads at most `limit` bytes of a request, then stops reading (a larger body is refused by
 * core as too_large without the rest ever being read). Resolves to `{ body, more }`.
 */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    const done = (more) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      resolve({ body: Buffer.concat(chunks).subarray(0, limit), more });
    };
    const onData = (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        req.pause();
        done(true);
      }
    };
    const onEnd = () => done(false);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** Sends one of core's answers. */
function send(res, answer, close) {
  if (close) res.set('Connection', 'close');
  if (!answer.body) return res.status(answer.status).end();
  return res.status(answer.status).type('application/json').send(answer.body);
}

/**
 * Express (or Connect) middleware for a webhook route, on the raw body:
 *
 *     app.post('/paystar/webhook', webhooks.expressMiddleware(verifier, { store }), (req, res) => {
 *       record(req.paystarEvent); res.sendStatus(204);
 *     });
 *
 * It reads at most 256 KiB + 1 byte of the body (or takes the Buffer `express.raw()` left in
 * `req.body`), then runs core's endpoint: a refusal is answered 401/400/413 (`onError` is
 * told), a redelivery of a handled event 200, one arriving while the handler runs 409. Your
 * handler gets `req.paystarEvent`; its response decides: a 2xx completes the event's key, any
 * other status (your error handler's 500 included) releases it, and so does a connection that
 * closes before the response finished (a destroyed socket, a timeout), so Paystar's redelivery
 * is handled. `store` defaults to a per-process `MemoryStore`; use `redisStore(client)` with
 * several processes. Mounted after a JSON body parser that already consumed the body, it fails
 * with a clear error (the bytes are gone).
 */
function expressMiddleware(verifier, { store = memoryStore(), onError } = {}) {
  const v = verifier instanceof WebhookVerifier ? verifier : new WebhookVerifier(verifier);
  return async function paystarWebhook(req, res, next) {
    let body;
    let more = false;
    try {
      if (Buffer.isBuffer(req.body)) body = req.body.subarray(0, STORE.readLimit);
      else if (req._body === true || req.readableEnded || (req.body !== undefined && typeof req.body !== 'object')) {
        throw new ConfigurationError(
          'webhook: the request body was already parsed (express.json() or another body parser ran first); ' +
            'mount the webhook route before it, or use express.raw({ type: "*/*" }) on this route: ' +
            'the signature covers the raw bytes',
        );
      } else ({ body, more } = await readBody(req, STORE.readLimit));
    } catch (e) {
      next(e);
      return;
    }
    // The handler's response decides: resolved when it finished, rejected when the connection
    // closed first.
    const runHandler = (event) =>
      new Promise((resolve, reject) => {
        res.once('finish', () => resolve({ status: res.statusCode, response: res }));
        res.once('close', () => {
          if (!res.writableFinished) reject(new Error('the connection closed before the response finished'));
        });
        req.paystarEvent = event;
        next();
      });
    let answer;
    try {
      answer = await v._endpoint(body, headerObject(req.headers), store, null, onError, runHandler);
    } catch {
      return; // released; the response (if any) is gone
    }
    if (answer.response === undefined) {
      send(res, answer, more);
      // Stop reading a body too large to accept: the connection closes once the answer is out.
      if (more) res.once('finish', () => req.destroy());
    }
  };
}

module.exports = {
  webhooks: Object.freeze({
    WebhookVerifier,
    MemoryStore,
    parse,
    sign,
    expressMiddleware,
    memoryStore,
    redisStore,
    REASONS: Object.freeze(constants.webhookReasons),
    SCHEMES: Object.freeze(constants.webhookSchemes),
    MAX_BODY_BYTES: constants.maxWebhookBytes,
  }),
  WebhookError,
};
