'use strict';
// The `paystar` npm package: the JavaScript half of the Node front door. It maps core's values
// (sessions, errors, log events: `paystar::bridge`) onto classes and wires AbortSignal and the
// logger; every Paystar rule, option, attribute and log text is in the Rust core.

const util = require('node:util');
const native = require('./native.js');

const MARK = '\u0001paystar:';
const constants = native.constants();

/** Base class of every paystar error; `code` is stable. Never contains the API key. */
class PaystarError extends Error {
  constructor(message, info = {}) {
    super(message);
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
    /** Stable code: 'validation_error', 'timeout', ... */
    this.code = info.code ?? new.target.code;
    /** Whether trying the same call again later may succeed (core decides, per code). */
    this.retryable = info.retryable ?? false;
    /** HTTP status, when the gateway answered. */
    this.status = info.status ?? null;
    /** Every broken rule: `{ path, rule, message }` (wire paths like `Charges[0].Amount`). */
    this.fieldErrors = info.fieldErrors ?? [];
    /** The gateway's `errors` items: `{ propertyName, errorMessage, raw }`. */
    this.apiErrors = info.apiErrors ?? [];
    /** HTTP attempts made (0 when nothing was sent). */
    this.attempts = info.attempts ?? 0;
    /** True when an earlier attempt may have reached the gateway. */
    this.ambiguous = info.ambiguous ?? false;
    /** Milliseconds the gateway asked to wait (`Retry-After`), or null. */
    this.retryAfter = info.retryAfter ?? null;
    /** The gateway's request id, or null. */
    this.requestId = info.requestId ?? null;
    /** Why a webhook was refused (`WebhookError`): 'signature_mismatch', ...; else null. */
    this.reason = info.reason ?? null;
    /** The HTTP status a webhook endpoint answers a `WebhookError` with (401, 400, 413). */
    this.responseStatus = info.responseStatus ?? null;
  }
}

const classes = {};
function define(name, code) {
  const cls = { [name]: class extends PaystarError {} }[name];
  cls.code = code;
  classes[code] = cls;
  return cls;
}
const ValidationError = define('ValidationError', 'validation_error');
const ConfigurationError = define('ConfigurationError', 'configuration_error');
const AuthenticationError = define('AuthenticationError', 'authentication_error');
const ApiError = define('ApiError', 'api_error');
const RateLimitedError = define('RateLimitedError', 'rate_limited');
const ServerError = define('ServerError', 'server_error');
const TimeoutError = define('TimeoutError', 'timeout');
const ConnectionError = define('ConnectionError', 'connection_error');
const DecodeError = define('DecodeError', 'decode_error');
const InternalError = define('InternalError', 'internal_error');
const WebhookError = define('WebhookError', 'webhook_error');

/** The payload of a marked native error, or null for any other error. */
function nativePayload(e) {
  const m = e && typeof e.message === 'string' ? e.message : '';
  return m.startsWith(MARK) ? JSON.parse(m.slice(MARK.length)) : null;
}

function toError(payload) {
  const cls = classes[payload.code] ?? PaystarError;
  return new cls(payload.message ?? payload.code, payload);
}

/** Runs a native function, turning a marked native error into its class. */
function native_(fn) {
  try {
    return fn();
  } catch (e) {
    const payload = nativePayload(e);
    throw payload ? toError(payload) : e;
  }
}

const wire = (key) => key.charAt(0).toUpperCase() + key.slice(1);

/**
 * A JSON-safe copy of a request or options object: `Date`s become ISO strings, `undefined`
 * members are dropped, safe `BigInt`s become numbers. What JSON cannot carry (NaN, Infinity,
 * a huge BigInt, a function) and nesting past core's limit (where an object that contains
 * itself ends too) are collected in `problems`, in core's words, with the wire path
 * (`Charges[0].Amount`); core judges everything else.
 */
function jsonSafe(value, at, depth, problems) {
  const bad = (what) => {
    problems.push(native.fieldProblem('not_json', at, what));
    return null;
  };
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : bad(`a non-finite number (${value})`);
    case 'bigint':
      if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
        return Number(value);
      }
      problems.push(native.fieldProblem('too_large', at, ''));
      return null;
    case 'string':
      // N-API would send a lone surrogate as U+FFFD, silently changing the text.
      return value.isWellFormed() ? value : bad('text with a lone surrogate');
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? bad('an invalid Date') : value.toISOString();
      }
      if (depth >= constants.maxDepth) {
        problems.push(native.fieldProblem('too_deep', at, ''));
        return null;
      }
      if (Array.isArray(value)) return value.map((v, i) => jsonSafe(v, `${at}[${i}]`, depth + 1, problems));
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) out[k] = jsonSafe(v, at ? `${at}.${wire(k)}` : wire(k), depth + 1, problems);
      }
      return out;
    }
    default:
      return bad(`a ${typeof value}`);
  }
}

/** `value` made JSON-safe, or throws core's error for what it cannot carry. */
function toJson(value, options) {
  const problems = [];
  const out = jsonSafe(value ?? {}, '', 0, problems);
  if (problems.length) throw toError(native.conversionError(problems, options));
  return out;
}
const jsonRequest = (request) => toJson(request, false);
const jsonOptions = (options) => toJson(options, true);

function abortError(signal) {
  return new DOMException('The paystar call was aborted', {
    name: 'AbortError',
    cause: signal.reason,
  });
}

function makeLogger(logger) {
  if (typeof logger === 'function') return logger;
  if (logger && typeof logger === 'object') {
    return (level, message, fields) => {
      const fn = logger[level] ?? logger.info ?? logger.log;
      if (typeof fn === 'function') fn.call(logger, message, fields);
    };
  }
  if (logger === undefined && /^(debug|trace)$/i.test(process.env.PAYSTAR_LOG ?? '')) {
    return (level, message) => process.stderr.write(`paystar ${level}: ${message}\n`);
  }
  if (logger === undefined && /^warn/i.test(process.env.PAYSTAR_LOG ?? '')) {
    const warn = (level, message) => process.stderr.write(`paystar ${level}: ${message}\n`);
    warn.warnOnly = true;
    return warn;
  }
  return null;
}

/** 0: the logger wants nothing (core collects nothing), 1: retries only, 2: every attempt. */
function logLevel(logger) {
  if (!logger) return 0;
  return logger.warnOnly ? 1 : 2;
}

/** Hands core's log events (`{level, message, fields}`) to the logger, in attempt order. */
function logEvents(log, events) {
  if (!log || !events) return;
  for (const e of events) {
    try {
      log(e.level, e.message, e.fields);
    } catch {
      // A broken logger must not break the call.
    }
  }
}

/** A session: core's value, with `expiresAt` as a `Date`. */
function toSession(value) {
  return { ...value, expiresAt: new Date(value.expiresAt) };
}

/** An Events API receipt: core's value as it is. */
function toReceipt(value) {
  return value;
}

/** A Paystar client. Methods return Promises; calls run on paystar's shared Rust runtime. */
class Client {
  #native;
  #log;
  #info;

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new ConfigurationError('options: must be an object');
    }
    const { logger, ...rest } = options;
    const json = jsonOptions(rest);
    this.#native = native_(() => new native.NativeClient(json, `node ${process.versions.node}`));
    this.#log = makeLogger(logger);
    this.#info = this.#native.describe();
  }

  /** The base URL calls go to. */
  get baseUrl() {
    return this.#info.baseUrl;
  }

  /** 'development', 'production', or null when a baseUrl was given. */
  get environment() {
    return this.#info.environment;
  }

  /** The URL of Paystar's loader script for this environment (null with a custom baseUrl). */
  get loaderUrl() {
    return this.#info.loaderUrl;
  }

  /** The base URL Events API calls go to (https://gateway.paystar.io/ in production). */
  get eventsBaseUrl() {
    return this.#info.eventsBaseUrl;
  }

  createPaymentSession(request, options) {
    return this.#call('create_payment_session', request, options);
  }

  createAutopaySession(request, options) {
    return this.#call('create_autopay_session', request, options);
  }

  createWalletSession(request, options) {
    return this.#call('create_wallet_session', request, options);
  }

  createPaperlessSession(request, options) {
    return this.#call('create_paperless_session', request, options);
  }

  createNotificationSession(request, options) {
    return this.#call('create_notification_session', request, options);
  }

  /** Updates a customer's names or email (Events API `Accounts.ManageCustomer`). */
  updateCustomer(request, options) {
    return this.#call('update_customer', request, options, toReceipt);
  }

  /** Sends an Events API event (`Accounts.UnenrollAutopay`, ...); the payload goes as JSON text. */
  sendEvent(request, options) {
    return this.#call('send_event', request, options, toReceipt);
  }

  async #call(operation, request, options, toResult = toSession) {
    const { signal, ...callOptions } = options ?? {};
    if (signal?.aborted) throw abortError(signal);
    // A call id only when an AbortSignal may cancel it (0: nothing to register).
    const id = signal ? native.nextCallId() : 0;
    const pending = this.#native
      .execute(operation, JSON.stringify(jsonRequest(request)), jsonOptions(callOptions), id, logLevel(this.#log))
      .then(JSON.parse);
    let onAbort;
    let out;
    if (!signal) {
      out = await pending;
    } else {
      const aborted = new Promise((_, reject) => {
        onAbort = () => {
          native.cancel(id);
          reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        out = await Promise.race([pending, aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    logEvents(this.#log, out.events);
    if (out.aborted) throw abortError(signal);
    if (!out.ok) throw toError(out.value);
    return toResult(out.value);
  }

  toJSON() {
    return { ...this.#info };
  }

  [util.inspect.custom](depth, options, inspect) {
    return `Client ${inspect(this.toJSON(), options)}`;
  }
}

/**
 * An in-process Paystar gateway on 127.0.0.1 (port 0) for tests and demos: checks the key,
 * validates, syncs customers and accounts, issues links, and can be scripted with faults.
 * It does not keep the process alive.
 */
class MockGateway {
  #native;

  constructor(options = {}) {
    this.#native = native_(() => new native.NativeMock(jsonOptions(options)));
  }

  /** Starts a gateway (same as `new MockGateway(options)`). */
  static start(options) {
    return new MockGateway(options);
  }

  /** The base URL: pass it as `baseUrl`. */
  get url() {
    return this.#native.url;
  }

  /** The API key it accepts. */
  get apiKey() {
    return this.#native.apiKey;
  }

  /** A Client bound to this gateway (other options as for Client). */
  client(options = {}) {
    return new Client({ apiKey: this.apiKey, baseUrl: this.url, ...options });
  }

  /** Queues faults, one per coming request: `[{ kind: 'status', status: 503 }, ...]`. */
  script(faults) {
    native_(() => this.#native.script(jsonOptions(faults)));
  }

  /** Forgets queued faults. */
  clearScript() {
    native_(() => this.#native.clearScript());
  }

  /** Every request received, oldest first, the key masked as `***`. */
  get requests() {
    return native_(() => this.#native.requests());
  }

  /** How many sessions it has issued. */
  get sessionCount() {
    return native_(() => this.#native.sessionCount);
  }

  /** The gateway's record of a customer, or null. */
  customer(email) {
    return native_(() => this.#native.customer(email));
  }

  /** The gateway's record of an account, or null. */
  account(accountNumber, subAccountNumber) {
    return native_(() => this.#native.account(accountNumber, subAccountNumber ?? null));
  }

  /**
   * Where completed sessions' webhooks go: `{ url, scheme, secret, header?, encoding?,
   * timestampHeader?, redeliveries? }`, or null for nowhere.
   */
  setWebhook(options) {
    native_(() => this.#native.setWebhook(options === null ? null : jsonOptions(options)));
  }

  /**
   * Completes a session (a session, its id or its URL) as the customer would on its page, and
   * delivers its webhook. Resolves to `{ event, body, referenceNumber, deliveries, ... }`. The
   * event loop stays free meanwhile, so the receiving server may be in this process.
   */
  async complete(session) {
    const target = typeof session === 'string' ? session : session?.url ?? session?.id;
    if (typeof target !== 'string') throw new TypeError('complete(session): a session, its id or its URL');
    const out = await this.#native.complete(target);
    if (!out.ok) throw toError(out.value);
    return out.value;
  }

  /** Moves its clock forward (to expire links). */
  advanceClock(ms) {
    native_(() => this.#native.advanceClock(ms));
  }

  /** Stops it (idempotent). */
  stop() {
    this.#native.stop();
  }

  /** For the soak test: core's seeded random faults, and core's audit of the outcomes. */
  _soak(seed, rate) {
    native_(() => this.#native.soak(seed, rate));
  }

  _forgetRequests() {
    native_(() => this.#native.forgetRequests());
  }

  _auditSoak(outcomes, maxRetries) {
    return native_(() => this.#native.auditSoak(outcomes, maxRetries));
  }

  /** For the vector runner: the problems of an outcome (core's shared checks). */
  _checkVector(vectorCase, outcome, skip) {
    return native_(() => this.#native.checkVector(vectorCase, outcome, skip));
  }

  [Symbol.dispose]() {
    this.stop();
  }

  [util.inspect.custom]() {
    return this.#native.describe();
  }
}

// ----------------------------------------------------------------------------- webhooks

/** A webhook body as bytes: a Buffer, any Uint8Array, or a string (UTF-8). */
function bodyBytes(body) {
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  throw new TypeError('a webhook body is a Buffer, a Uint8Array or a string');
}

/** Request headers as `{name: string | string[]}` from Node's, fetch's `Headers`, a Map or pairs. */
function headerObject(headers) {
  const out = {};
  const add = (k, v) => {
    if (v === undefined || v === null) return;
    const values = Array.isArray(v) ? v.map(String) : [String(v)];
    out[k] = out[k] === undefined ? values : [...out[k], ...values];
  };
  if (headers == null) return out;
  if (Array.isArray(headers)) for (const [k, v] of headers) add(k, v);
  else if (typeof headers.forEach === 'function' && typeof headers.get === 'function') headers.forEach((v, k) => add(k, v));
  else for (const [k, v] of Object.entries(headers)) add(k, v);
  return out;
}

const toEvent = (value) => Object.freeze(value);

/**
 * Authenticates webhook deliveries, then parses them. Paystar documents no signing scheme, so
 * the options say what your account sends: `{ scheme: 'shared_secret' | 'hmac_sha256' |
 * 'standard_webhooks', secrets: string | string[], header?, encoding?: 'hex' | 'base64',
 * timestampHeader?, tolerance?: ms }`. Build one at startup; it never shows a secret.
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

const DAY_MS = 24 * 3600 * 1000;

/**
 * An in-memory de-duplication store (`add(key)` resolves false for a key seen within `ttlMs`,
 * `delete(key)` forgets it), bounded to `max` keys. Per process: use a shared store (Redis
 * `SET key 1 NX PX ttl`, a unique database key) when several processes receive webhooks.
 */
function memoryStore({ ttlMs = 7 * DAY_MS, max = 100_000 } = {}) {
  const seen = new Map();
  return {
    add(key) {
      const now = Date.now();
      const expires = seen.get(key);
      if (expires !== undefined && expires > now) return false;
      seen.delete(key);
      if (seen.size >= max) seen.delete(seen.keys().next().value);
      seen.set(key, now + ttlMs);
      return true;
    },
    delete(key) {
      seen.delete(key);
    },
  };
}

/** Reads a request body, keeping at most `limit` bytes (core refuses more as too_large). */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      if (size <= limit) chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks).subarray(0, limit + 1)));
    req.on('error', reject);
  });
}

/**
 * Express (or Connect) middleware for a webhook route, on the raw body:
 *
 *     app.post('/paystar/webhook', webhooks.expressMiddleware(verifier), (req, res) => {
 *       const event = req.paystarEvent; ...; res.sendStatus(204);
 *     });
 *
 * It reads the raw body itself (or takes the Buffer `express.raw()` left in `req.body`),
 * verifies and parses it (a refusal is answered with `WebhookError.responseStatus` and
 * `{error: reason}`, and `onError(error)` is told), de-duplicates redeliveries on the event's
 * `idempotencyKey` through `store` (default `memoryStore()`; a repeat is answered 200 without
 * calling the handler; if the handler answers 5xx the key is released so the redelivery is
 * handled), then calls the next handler with `req.paystarEvent`. Mounted after a JSON body
 * parser that already consumed the body, it fails with a clear error (the bytes are gone).
 */
function expressMiddleware(verifier, { store = memoryStore(), onError } = {}) {
  const v = verifier instanceof WebhookVerifier ? verifier : new WebhookVerifier(verifier);
  return async function paystarWebhook(req, res, next) {
    try {
      let body;
      if (Buffer.isBuffer(req.body)) body = req.body;
      else if (req._body === true || req.readableEnded || (req.body !== undefined && typeof req.body !== 'object')) {
        throw new ConfigurationError(
          'webhook: the request body was already parsed (express.json() or another body parser ran first); ' +
            'mount the webhook route before it, or use express.raw({ type: "*/*" }) on this route: ' +
            'the signature covers the raw bytes',
        );
      } else body = await readBody(req, constants.maxWebhookBytes);
      let event;
      try {
        event = v.verify(body, req.headers);
      } catch (e) {
        if (!(e instanceof WebhookError)) throw e;
        if (onError) onError(e);
        res.status(e.responseStatus ?? 400).json({ error: e.reason });
        return;
      }
      const key = event.idempotencyKey;
      if (!(await store.add(key))) {
        res.status(200).json({ duplicate: true });
        return;
      }
      res.on('finish', () => {
        if (res.statusCode >= 500) store.delete(key);
      });
      req.paystarEvent = event;
      next();
    } catch (e) {
      next(e);
    }
  };
}

const webhooks = Object.freeze({
  WebhookVerifier,
  parse,
  sign,
  expressMiddleware,
  memoryStore,
  REASONS: Object.freeze(constants.webhookReasons),
  SCHEMES: Object.freeze(constants.webhookSchemes),
  MAX_BODY_BYTES: constants.maxWebhookBytes,
});

module.exports = {
  Client,
  MockGateway,
  PaystarError,
  ValidationError,
  ConfigurationError,
  AuthenticationError,
  ApiError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  ConnectionError,
  DecodeError,
  InternalError,
  WebhookError,
  webhooks,
  ERROR_CODES: Object.freeze(constants.errorCodes),
  RULES: Object.freeze(constants.rules),
  OPERATIONS: Object.freeze(constants.operations),
  errorClasses: Object.freeze({ ...classes }),
  version: require('../package.json').version,
};
// For the test suite (core's request schema, the error mapping): not part of the API.
Object.defineProperty(module.exports, '_native', { value: native, enumerable: false });
Object.defineProperty(module.exports, '_toError', { value: toError, enumerable: false });
