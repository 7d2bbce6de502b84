'use strict';
// The `paystar` npm package: the JavaScript half of the Node front door. It maps native
// errors to classes, wires AbortSignal and logging, and shapes results; every Paystar rule is
// in the Rust core (see src/lib.rs and ../core).

const util = require('node:util');
const native = require('./native.js');

const MARK = '\u0001paystar:';

/** Base class of every paystar error; `code` is stable. Never contains the API key. */
class PaystarError extends Error {
  constructor(message, info = {}) {
    super(message);
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
    /** Stable code: 'validation_error', 'timeout', ... */
    this.code = info.code ?? new.target.code;
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
 * a huge BigInt, a function) is collected in `problems` with its wire path
 * (`Charges[0].Amount`) instead of being silently changed; core judges everything else.
 */
function jsonSafe(value, at, problems) {
  switch (typeof value) {
    case 'number':
      if (Number.isFinite(value)) return value;
      problems.push({ path: at, rule: 'type', message: `must be a finite number (got ${value})` });
      return null;
    case 'bigint':
      if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
        return Number(value);
      }
      problems.push({ path: at, rule: 'max_value', message: `must be at most ${Number.MAX_SAFE_INTEGER}` });
      return null;
    case 'string':
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) {
        if (!Number.isNaN(value.getTime())) return value.toISOString();
        problems.push({ path: at, rule: 'type', message: 'is an invalid Date' });
        return null;
      }
      if (Array.isArray(value)) return value.map((v, i) => jsonSafe(v, `${at}[${i}]`, problems));
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) out[k] = jsonSafe(v, at ? `${at}.${wire(k)}` : wire(k), problems);
      }
      return out;
    }
    default:
      problems.push({ path: at, rule: 'type', message: `has an unsupported type ${typeof value}` });
      return null;
  }
}

function jsonRequest(request) {
  const problems = [];
  const out = jsonSafe(request ?? {}, '', problems);
  if (problems.length) {
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    const noun = problems.length === 1 ? 'field' : 'fields';
    throw new ValidationError(`invalid request (${problems.length} ${noun}): ${list}`, {
      fieldErrors: problems,
    });
  }
  return out;
}

function jsonOptions(options) {
  const problems = [];
  const out = jsonSafe(options ?? {}, '', problems);
  if (problems.length) {
    const p = problems[0];
    const name = p.path.charAt(0).toLowerCase() + p.path.slice(1);
    throw new ConfigurationError(`${name}: ${p.message}`);
  }
  return out;
}

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
    return (level, message) => {
      if (level === 'warn') process.stderr.write(`paystar ${level}: ${message}\n`);
    };
  }
  return null;
}

function logEvents(log, events) {
  if (!log || !events) return;
  for (const e of events) {
    const status = e.status ?? 'no answer';
    const outcome = e.errorCode ? ` ${e.errorCode}` : '';
    let line = `${e.method} ${e.path} -> ${status}${outcome} (attempt ${e.attempt}, ${e.elapsedMs.toFixed(1)} ms, request id ${e.requestId ?? '-'})`;
    if (e.retryInMs != null) line += `; retrying in ${Math.round(e.retryInMs)} ms`;
    try {
      log(e.retryInMs != null ? 'warn' : 'debug', line, e);
    } catch {
      // A broken logger must not break the call.
    }
  }
}

function toSession(s) {
  return {
    kind: s.kind,
    id: s.id ?? null,
    url: s.url,
    status: s.status ?? null,
    expiresAt: new Date(s.expires_at),
    raw: s.raw,
    attempts: s.attempts,
    requestId: s.request_id ?? null,
    loaderCall: s.kind === 'payment' ? 'completePayment' : 'startFlow',
  };
}

let nextCallId = 1;

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
    this.#native = native_(() => new native.NativeClient(json, process.versions.node));
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

  async #call(operation, request, options) {
    const { signal, ...callOptions } = options ?? {};
    if (signal?.aborted) throw abortError(signal);
    const id = nextCallId++;
    if (nextCallId > 0xffffffff) nextCallId = 1;
    const pending = this.#native.execute(
      operation,
      jsonRequest(request),
      jsonOptions(callOptions),
      id,
    );
    let onAbort;
    try {
      if (!signal) return this.#settle(await pending);
      const aborted = new Promise((_, reject) => {
        onAbort = () => {
          native.cancel(id);
          reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      pending.catch(() => {}); // settled by `aborted` instead when the signal fires first
      return this.#settle(await Promise.race([pending, aborted]));
    } catch (e) {
      const payload = nativePayload(e);
      if (!payload) throw e;
      logEvents(this.#log, payload.events);
      throw toError(payload);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  #settle(out) {
    logEvents(this.#log, out.events);
    return toSession(out.session);
  }

  toJSON() {
    const { environment, baseUrl, timeout, maxRetries } = this.#info;
    return { environment, baseUrl, timeout, maxRetries };
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

  /** Moves its clock forward (to expire links). */
  advanceClock(ms) {
    native_(() => this.#native.advanceClock(ms));
  }

  /** Stops it (idempotent). */
  stop() {
    this.#native.stop();
  }

  [Symbol.dispose]() {
    this.stop();
  }

  [util.inspect.custom]() {
    return `MockGateway { url: '${this.url}', ${this.#native.running ? 'running' : 'stopped'} }`;
  }
}

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
  ERROR_CODES: Object.freeze(native.errorCodes()),
  OPERATIONS: Object.freeze(native.operations()),
  errorClasses: Object.freeze({ ...classes }),
  version: require('../package.json').version,
};
// For the test suite (core's request schema): not part of the API.
Object.defineProperty(module.exports, '_native', { value: native, enumerable: false });
