'use strict';
// The Client: options, results and log events are core's (`paystar::bridge`); this file wires
// the call to the native addon, an AbortSignal and the logger.

const util = require('node:util');
const { native, native_, toError, ConfigurationError } = require('./errors.js');
const { jsonRequest, jsonOptions } = require('./json.js');
const telemetry = require('./otel.js');

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

let extraCaWarned = false;

/**
 * Node's own convention for extra roots: `NODE_EXTRA_CA_CERTS` names a PEM file whose
 * certificates are trusted on top of the system store. As Node does, a file that cannot be read
 * is reported once as a process warning and otherwise ignored. The PEM is handed to core as
 * `caCertificates`, after any the caller gave (both count).
 */
function withNodeExtraCa(options) {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return options;
  let pem;
  try {
    pem = require('node:fs').readFileSync(file, 'utf8');
  } catch (e) {
    if (!extraCaWarned) {
      extraCaWarned = true;
      process.emitWarning(`paystar: ignoring NODE_EXTRA_CA_CERTS (${file}): ${e.code ?? e.message}`);
    }
    return options;
  }
  const given = options.caCertificates;
  if (given !== undefined && given !== null && typeof given !== 'string') return options;
  return { ...options, caCertificates: given ? `${given}\n${pem}` : pem };
}

/**
 * Calls in flight in this module instance (one per `worker_thread`), by ticket: what settles
 * each. The native side hands finished calls over in batches (one wake-up of the event loop
 * for every call that finished by then) to `settleFinished`.
 */
const waiting = new Map();
let nextTicket = 1;

/**
 * Keeps the event loop alive while calls are in flight (the native wake-ups are weak, as a
 * pending promise alone would not keep Node running): a timer that never needs to fire, ref'd
 * while any call of this module instance is in flight.
 */
let keepAlive = null;
function keepAliveWhileWaiting() {
  if (waiting.size > 0) {
    keepAlive ??= setInterval(() => {}, 2 ** 31 - 1);
    keepAlive.ref();
  } else {
    keepAlive?.unref();
  }
}

/** Starts native work under a new ticket; resolves to its outcome (parsed JSON). */
function finished(start) {
  const ticket = nextTicket++;
  const pending = new Promise((resolve) => waiting.set(ticket, resolve)).then(JSON.parse);
  keepAliveWhileWaiting();
  try {
    start(ticket);
  } catch (e) {
    waiting.delete(ticket);
    keepAliveWhileWaiting();
    throw e;
  }
  return pending;
}

function settleFinished(tickets, outcomes) {
  for (let i = 0; i < tickets.length; i++) {
    const settle = waiting.get(tickets[i]);
    waiting.delete(tickets[i]);
    settle?.(outcomes[i]);
  }
  keepAliveWhileWaiting();
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
    const json = jsonOptions(withNodeExtraCa(rest));
    this.#native = native_(() => new native.NativeClient(json, `node ${process.versions.node}`, settleFinished));
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
    const traced = telemetry.start(this.#info.telemetry, operation, callOptions);
    if (!traced) return this.#run(operation, request, callOptions, signal, 0, toResult);
    return telemetry.traced(traced, () =>
      this.#run(operation, request, callOptions, signal, traced, toResult),
    );
  }

  /**
   * Opens a connection to the gateway ahead of the first call (TCP, TLS, HTTP/2) and keeps it
   * in the pool: a `HEAD` of the base URL that carries no API key and creates nothing. Resolves
   * to the answer's status (any status proves the connection); rejects with a ConnectionError
   * (an untrusted certificate says so) or a TimeoutError. Not retried. A service calls it at
   * start, before it takes traffic, so its first call does not pay the handshake.
   */
  async warmUp() {
    const out = await finished((ticket) => this.#native.warmUp(ticket));
    if (!out.ok) throw toError(out.value);
    return out.value;
  }

  async #run(operation, request, callOptions, signal, traced, toResult) {
    // A call id only when an AbortSignal may cancel it (0: nothing to register).
    const id = signal ? native.nextCallId() : 0;
    const level = logLevel(this.#log) | (traced ? telemetry.TELEMETRY_BIT : 0);
    const input = JSON.stringify(jsonRequest(request));
    const options = jsonOptions(callOptions);
    const pending = finished((ticket) => this.#native.execute(ticket, operation, input, options, id, level));
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
      } catch (e) {
        if (traced) telemetry.finish(traced, null);
        throw e;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
    logEvents(this.#log, out.events);
    if (traced) telemetry.finish(traced, out.telemetry ?? null);
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

module.exports = { Client };
