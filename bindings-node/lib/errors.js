'use strict';
// paystar's error classes: one per core error code, every attribute from core's error value
// (`paystar::bridge::error_value`). Generated from core's error codes and attributes by
// core/tests/generated: do not edit.

const native = require('../native.js');

const MARK = '\u0001paystar:';

/** Base class of every paystar error; `code` is stable. Never contains the API key. */
class PaystarError extends Error {
  constructor(message, info = {}) {
    super(message);
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
    /** The stable code: `validation_error`, `timeout`, ... */
    this.code = info.code ?? new.target.code;
    /** Whether trying the same call again later may succeed (core decides, per code). */
    this.retryable = info.retryable ?? false;
    /** The HTTP status, when the gateway answered. */
    this.status = info.status ?? null;
    /** Every broken rule (`validation_error`), by wire path (`Charges[0].Amount`). */
    this.fieldErrors = info.fieldErrors ?? [];
    /** The gateway's `errors` items (`api_error`), kept verbatim in `raw`. */
    this.apiErrors = info.apiErrors ?? [];
    /** HTTP attempts made (0 when no request was sent). */
    this.attempts = info.attempts ?? 0;
    /** True when an earlier attempt may have reached the gateway (a retried create could collide with a unique client reference). */
    this.ambiguous = info.ambiguous ?? false;
    /** How long the gateway asked to wait (`Retry-After`), when it did. In milliseconds. */
    this.retryAfter = info.retryAfter ?? null;
    /** The gateway's request id, when sent. */
    this.requestId = info.requestId ?? null;
    /** The option a `configuration_error` is about, as this language spells it (or as you wrote it, when unknown). */
    this.option = info.option ?? null;
    /** Why a webhook was refused (`webhook_error`): `signature_mismatch`, ... */
    this.reason = info.reason ?? null;
    /** The HTTP status a webhook endpoint answers a `webhook_error` with (401, 400, 413). */
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
/** The input breaks a rule; `field_errors` lists every one. No request was sent. */
const ValidationError = define('ValidationError', 'validation_error');
/** A bad API key, base URL, timeout or other option (raised when the client is built, or for bad per-call options); `option` names it. */
const ConfigurationError = define('ConfigurationError', 'configuration_error');
/** The gateway refused the key (401 or 403). */
const AuthenticationError = define('AuthenticationError', 'authentication_error');
/** The gateway answered `hasErrors: true`, another 4xx or a redirect; `api_errors` holds its items. */
const ApiError = define('ApiError', 'api_error');
/** 429 still failing after retries, or a `Retry-After` too long to wait (`retry_after`). */
const RateLimitedError = define('RateLimitedError', 'rate_limited');
/** 5xx still failing after retries. */
const ServerError = define('ServerError', 'server_error');
/** An attempt timed out and retries ran out (or the overall deadline passed). */
const TimeoutError = define('TimeoutError', 'timeout');
/** DNS, connect, TLS or a dropped connection, and retries ran out. */
const ConnectionError = define('ConnectionError', 'connection_error');
/** A 2xx answer that is not the documented envelope (or is over 1 MiB). */
const DecodeError = define('DecodeError', 'decode_error');
/** A bug or a broken runtime inside paystar (never a crash): please report it. Also the class of a code this binding does not know. */
const InternalError = define('InternalError', 'internal_error');
/** A webhook failed authentication or parsing; `reason` says why and `response_status` is what the endpoint answers. */
const WebhookError = define('WebhookError', 'webhook_error');

/** The payload of a marked native error, or null for any other error. */
function nativePayload(e) {
  const m = e && typeof e.message === 'string' ? e.message : '';
  return m.startsWith(MARK) ? JSON.parse(m.slice(MARK.length)) : null;
}

/** The error (not thrown) for core's error value; an unknown code is an InternalError. */
function toError(payload) {
  const cls = classes[payload.code] ?? InternalError;
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

module.exports = {
  native,
  native_,
  toError,
  classes,
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
};
