'use strict';
// paystar's error classes: one per core error code, every attribute from core's error value
// (`paystar::bridge::error_value`); and the unmarking of native errors.

const native = require('../native.js');

const MARK = '\u0001paystar:';

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

/** The error (not thrown) for core's error value. */
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
