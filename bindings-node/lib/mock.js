'use strict';
// MockGateway: core's mock gateway for tests and demos.

const util = require('node:util');
const { native, native_, toError } = require('./errors.js');
const { jsonOptions } = require('./json.js');
const { Client } = require('./client.js');

/** The gateway each `gateway.client()` was made from: kept alive as long as its client is. */
const gatewayOf = new WeakMap();

/**
 * An in-process Paystar gateway on 127.0.0.1 (port 0) for tests and demos: checks the key,
 * validates, syncs customers and accounts, issues links, and can be scripted with faults.
 * Options: `{ apiKey, seed, webhook, tls, latency }` — `tls: true` (or `'http1'`, `'expired'`)
 * serves HTTPS on `https://localhost:<port>` with a certificate from a CA made at start
 * (`caPem`); `latency` (ms) delays every answer.
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

  /** The PEM of the CA that signed its certificate (started with `tls`), else null. */
  get caPem() {
    return this.#native.caPem ?? null;
  }

  /**
   * A Client bound to this gateway, trusting its CA when it serves HTTPS (other options as for
   * Client). The client keeps the gateway running: `const client = new MockGateway().client()`
   * works for as long as `client` is reachable (the gateway is not garbage-collected under it).
   */
  client(options = {}) {
    const ca = this.caPem;
    const client = new Client({ apiKey: this.apiKey, baseUrl: this.url, ...(ca ? { caCertificates: ca } : {}), ...options });
    gatewayOf.set(client, this);
    return client;
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

  /** Everything the gateway holds: `{ url, requests, customers, accounts }`. */
  snapshot() {
    return native_(() => this.#native.snapshot());
  }

  /** Forgets the requests and sessions recorded so far (customers and accounts stay). */
  forgetRequests() {
    native_(() => this.#native.forgetRequests());
  }

  [Symbol.dispose]() {
    this.stop();
  }

  [util.inspect.custom]() {
    return this.#native.describe();
  }
}

module.exports = { MockGateway };
