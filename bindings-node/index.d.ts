// Types of the `paystar` npm package. Request interfaces mirror core's schema (camelCase of the
// wire names); the test suite compiles a file generated from core's schema against them, so
// they cannot drift.

/** An RFC 3339 date-time string, e.g. '2026-12-01T17:00:00Z'. */
export type DateTimeString = string;

export interface Address {
  streetAddress?: string;
  streetAddress2?: string;
  city?: string;
  state?: string;
  zipCode?: string;
}

export interface ClientAccount {
  accountNumber: string;
  subAccountNumber?: string;
  name?: string;
  /** Integer cents; may be negative. */
  balance?: number;
  phoneNumber?: string;
  dueDate?: DateTimeString;
  issueDate?: DateTimeString;
  note?: string;
  /** A JSON document, as a string. */
  metaJson?: string;
  address?: Address;
}

export interface ClientUser {
  emailAddress: string;
  firstName?: string;
  lastName?: string;
}

export interface Charge {
  /** Integer cents, 1 to 2^53 - 1. */
  amount: number;
  description?: string;
  clientAccount?: ClientAccount;
  chargeType?: string;
}

export interface PaymentSessionRequest {
  businessUnitSlug: string;
  /** 'QuickPay' or 'POS' (case-sensitive). */
  channel: 'QuickPay' | 'POS' | (string & {});
  charges: Charge[];
  clientUser?: ClientUser;
  posUser?: string;
  clientReference?: string;
  paymentDescriptor?: string;
  /** Data: keys are sent as given. */
  paymentFields?: Record<string, string>;
  successUrl?: string;
  returnUrl?: string;
  paymentSourceIdentifier?: string;
  /** Extra top-level wire fields, sent as given. */
  extra?: Record<string, unknown>;
}

export interface AccountSessionRequest {
  businessUnitSlug: string;
  clientAccount: ClientAccount;
  clientUser: ClientUser;
  syncAccount?: boolean;
  extra?: Record<string, unknown>;
}
export type AutopaySessionRequest = AccountSessionRequest;
export type PaperlessSessionRequest = AccountSessionRequest;

export interface CustomerSessionRequest {
  businessUnitSlug: string;
  clientUser: ClientUser;
  extra?: Record<string, unknown>;
}
export type WalletSessionRequest = CustomerSessionRequest;
export type NotificationSessionRequest = CustomerSessionRequest;

/** A created session: give `url` to the page, which opens it with Paystar's loader. */
export interface Session {
  kind: 'payment' | 'autopay' | 'wallet' | 'paperless' | 'notification';
  id: string | null;
  url: string;
  status: string | null;
  /** When the link stops working (a Date; JSON.stringify gives ISO 8601). */
  expiresAt: Date;
  /** The gateway's `data` object as received. */
  raw: Record<string, unknown>;
  attempts: number;
  requestId: string | null;
  /** The loader function that opens it: 'completePayment' or 'startFlow'. */
  loaderCall: 'completePayment' | 'startFlow';
  /** True when an earlier attempt may have reached the gateway without an answer. */
  ambiguous: boolean;
}

export interface AttemptEvent {
  operation: string;
  method: string;
  path: string;
  attempt: number;
  status: number | null;
  elapsedMs: number;
  requestId: string | null;
  errorCode: string | null;
  /** Set when another attempt follows after this many milliseconds. */
  retryInMs: number | null;
}

export type LogFunction = (level: 'debug' | 'warn', message: string, event: AttemptEvent) => void;
export interface LoggerObject {
  debug?(message: string, event: AttemptEvent): void;
  warn?(message: string, event: AttemptEvent): void;
  info?(message: string, event: AttemptEvent): void;
  log?(message: string, event: AttemptEvent): void;
}

export interface ClientOptions {
  /** Default: the PAYSTAR_API_KEY environment variable. */
  apiKey?: string;
  /** 'development' (default, or PAYSTAR_ENVIRONMENT) or 'production'. */
  environment?: 'development' | 'production';
  /** Any https URL (plain http only for loopback, e.g. MockGateway.url). */
  baseUrl?: string;
  /** Per-attempt timeout in milliseconds (default 30000). */
  timeout?: number;
  /** Connect timeout in milliseconds (default 10000). */
  connectTimeout?: number;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Bound on the whole call in milliseconds (default: timeout x attempts + backoff). */
  deadline?: number;
  userAgentSuffix?: string;
  /** An explicit proxy URL (HTTPS_PROXY / NO_PROXY are honoured by default). */
  proxy?: string;
  /** Client-side validation (default true). */
  clientValidation?: boolean;
  /** Gets one line per attempt (debug; warn when a retry follows). Default: PAYSTAR_LOG. */
  logger?: LogFunction | LoggerObject;
}

export interface CallOptions {
  /** Per-attempt timeout for this call, in milliseconds. */
  timeout?: number;
  maxRetries?: number;
  /** Cancels the call; the promise rejects with a DOMException named 'AbortError'. */
  signal?: AbortSignal;
}

export declare class Client {
  constructor(options?: ClientOptions);
  readonly baseUrl: string;
  readonly environment: 'development' | 'production' | null;
  readonly loaderUrl: string | null;
  createPaymentSession(request: PaymentSessionRequest, options?: CallOptions): Promise<Session>;
  createAutopaySession(request: AutopaySessionRequest, options?: CallOptions): Promise<Session>;
  createWalletSession(request: WalletSessionRequest, options?: CallOptions): Promise<Session>;
  createPaperlessSession(request: PaperlessSessionRequest, options?: CallOptions): Promise<Session>;
  createNotificationSession(
    request: NotificationSessionRequest,
    options?: CallOptions,
  ): Promise<Session>;
  /** The public attributes (never the key). */
  toJSON(): {
    environment: string | null;
    baseUrl: string;
    loaderUrl: string | null;
    timeout: number;
    connectTimeout: number;
    maxRetries: number;
    userAgent: string;
  };
}

export type ErrorCode =
  | 'validation_error'
  | 'configuration_error'
  | 'authentication_error'
  | 'api_error'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection_error'
  | 'decode_error'
  | 'internal_error';

export interface FieldError {
  path: string;
  rule: string;
  message: string;
}

export interface GatewayError {
  propertyName: string | null;
  errorMessage: string;
  raw: unknown;
}

export declare class PaystarError extends Error {
  readonly code: ErrorCode;
  /** Whether trying the same call again later may succeed (core decides, per code). */
  readonly retryable: boolean;
  readonly status: number | null;
  readonly fieldErrors: FieldError[];
  readonly apiErrors: GatewayError[];
  readonly attempts: number;
  readonly ambiguous: boolean;
  /** Milliseconds the gateway asked to wait, or null. */
  readonly retryAfter: number | null;
  readonly requestId: string | null;
}
export declare class ValidationError extends PaystarError {}
export declare class ConfigurationError extends PaystarError {}
export declare class AuthenticationError extends PaystarError {}
export declare class ApiError extends PaystarError {}
export declare class RateLimitedError extends PaystarError {}
export declare class ServerError extends PaystarError {}
export declare class TimeoutError extends PaystarError {}
export declare class ConnectionError extends PaystarError {}
export declare class DecodeError extends PaystarError {}
/** A bug or a broken runtime inside paystar (never a crash): please report it. */
export declare class InternalError extends PaystarError {}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  api_key_valid: boolean;
  body: unknown;
  received_ms: number;
  fault: Record<string, unknown> | null;
  connection: number;
}

export type Fault =
  | { kind: 'none' }
  | { kind: 'status'; status: number; retry_after?: string; retry_after_date_in_s?: number; body?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'non_json'; status?: number }
  | { kind: 'redirect'; status?: number; location: string }
  | { kind: 'oversize'; chunked?: boolean }
  | { kind: 'raw'; status: number; body: string };

export declare class MockGateway {
  constructor(options?: { apiKey?: string; seed?: number });
  static start(options?: { apiKey?: string; seed?: number }): MockGateway;
  readonly url: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[];
  readonly sessionCount: number;
  client(options?: ClientOptions): Client;
  script(faults: Fault[] | Fault | { random: Record<string, unknown> }): void;
  clearScript(): void;
  customer(email: string): Record<string, unknown> | null;
  account(accountNumber: string, subAccountNumber?: string): Record<string, unknown> | null;
  advanceClock(ms: number): void;
  stop(): void;
  [Symbol.dispose](): void;
}

export declare const ERROR_CODES: readonly ErrorCode[];
export declare const OPERATIONS: readonly string[];
/** Every field-error rule name (`FieldError.rule`). */
export declare const RULES: readonly string[];
export declare const errorClasses: Readonly<Record<ErrorCode, typeof PaystarError>>;
export declare const version: string;
