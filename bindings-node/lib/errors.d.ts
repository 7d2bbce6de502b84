// Declarations of paystar's error classes. Generated from core's error codes and attributes
// by core/tests/generated: do not edit; index.d.ts re-exports them.

import type { ErrorCode, Rule, WebhookReason } from '../types';

/** One broken rule: `path` is the wire path (`Charges[1].Amount`). */
export interface FieldError {
  path: string;
  rule: Rule;
  message: string;
}

/** One item of the gateway's `errors` list, kept verbatim in `raw`. */
export interface GatewayError {
  propertyName: string | null;
  errorMessage: string;
  raw: unknown;
}

/** Base class of every paystar error; `code` is stable. Never contains the API key. */
export declare class PaystarError extends Error {
  /** The stable code: `validation_error`, `timeout`, ... */
  readonly code: ErrorCode;
  /** Whether trying the same call again later may succeed (core decides, per code). */
  readonly retryable: boolean;
  /** The HTTP status, when the gateway answered. */
  readonly status: number | null;
  /** Every broken rule (`validation_error`), by wire path (`Charges[0].Amount`). */
  readonly fieldErrors: FieldError[];
  /** The gateway's `errors` items (`api_error`), kept verbatim in `raw`. */
  readonly apiErrors: GatewayError[];
  /** HTTP attempts made (0 when no request was sent). */
  readonly attempts: number;
  /** True when an earlier attempt may have reached the gateway (a retried create could collide with a unique client reference). */
  readonly ambiguous: boolean;
  /** How long the gateway asked to wait (`Retry-After`), when it did. In milliseconds. */
  readonly retryAfter: number | null;
  /** The gateway's request id, when sent. */
  readonly requestId: string | null;
  /** The option a `configuration_error` is about, as this language spells it (or as you wrote it, when unknown). */
  readonly option: string | null;
  /** Why a webhook was refused (`webhook_error`): `signature_mismatch`, ... */
  readonly reason: WebhookReason | null;
  /** The HTTP status a webhook endpoint answers a `webhook_error` with (401, 400, 413). */
  readonly responseStatus: number | null;
}

/** The input breaks a rule; `field_errors` lists every one. No request was sent. */
export declare class ValidationError extends PaystarError {
  readonly code: 'validation_error';
}

/** A bad API key, base URL, timeout or other option (raised when the client is built, or for bad per-call options); `option` names it. */
export declare class ConfigurationError extends PaystarError {
  readonly code: 'configuration_error';
}

/** The gateway refused the key (401 or 403). */
export declare class AuthenticationError extends PaystarError {
  readonly code: 'authentication_error';
}

/** The gateway answered `hasErrors: true`, another 4xx or a redirect; `api_errors` holds its items. */
export declare class ApiError extends PaystarError {
  readonly code: 'api_error';
}

/** 429 still failing after retries, or a `Retry-After` too long to wait (`retry_after`). */
export declare class RateLimitedError extends PaystarError {
  readonly code: 'rate_limited';
}

/** 5xx still failing after retries. */
export declare class ServerError extends PaystarError {
  readonly code: 'server_error';
}

/** An attempt timed out and retries ran out (or the overall deadline passed). */
export declare class TimeoutError extends PaystarError {
  readonly code: 'timeout';
}

/** DNS, connect, TLS or a dropped connection, and retries ran out. */
export declare class ConnectionError extends PaystarError {
  readonly code: 'connection_error';
}

/** A 2xx answer that is not the documented envelope (or is over 1 MiB). */
export declare class DecodeError extends PaystarError {
  readonly code: 'decode_error';
}

/** A bug or a broken runtime inside paystar (never a crash): please report it. Also the class of a code this binding does not know. */
export declare class InternalError extends PaystarError {
  readonly code: 'internal_error';
}

/** A webhook failed authentication or parsing; `reason` says why and `response_status` is what the endpoint answers. */
export declare class WebhookError extends PaystarError {
  readonly code: 'webhook_error';
  readonly reason: WebhookReason;
  readonly responseStatus: number;
}
