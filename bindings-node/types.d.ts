// Types of the `paystar` npm package's requests, and of core's names (error codes, rules,
// webhook reasons and schemes). Generated from core's schema by core/tests/generated: do
// not edit; index.d.ts re-exports them.

/** An RFC 3339 date-time string, e.g. '2026-12-01T17:00:00Z'. */
export type DateTimeString = string;

/** A postal address (every field optional). */
export interface Address {
  /** Street line 1. */
  streetAddress?: string;
  /** Street line 2. */
  streetAddress2?: string;
  /** City. */
  city?: string;
  /** State. */
  state?: string;
  /** ZIP code. */
  zipCode?: string;
}

/** The biller's account for the customer (the account number is required). */
export interface ClientAccount {
  /** The account number. */
  accountNumber: string;
  /** Sub-account number. */
  subAccountNumber?: string;
  /** Account holder's name. */
  name?: string;
  /** Balance in integer cents (may be negative). */
  balance?: number;
  /** Phone number. */
  phoneNumber?: string;
  /** Due date (RFC 3339). */
  dueDate?: DateTimeString;
  /** Issue date (RFC 3339). */
  issueDate?: DateTimeString;
  /** A note (never updated once set). */
  note?: string;
  /** A JSON document, as text. */
  metaJson?: string;
  /** Postal address. */
  address?: Address;
}

/** One charge: the amount in integer cents. */
export interface Charge {
  /** Integer cents, 1 to 2^53 - 1. */
  amount: number;
  /** Description. */
  description?: string;
  /** The account it pays. */
  clientAccount?: ClientAccount;
  /** Charge type. */
  chargeType?: string;
}

/** The customer (the email address is required; names are kept as first seen). */
export interface ClientUser {
  /** Email address. */
  emailAddress: string;
  /** First name. */
  firstName?: string;
  /** Last name. */
  lastName?: string;
}

/** The request of create_payment_session. */
export interface PaymentSessionRequest {
  /** Business unit slug. */
  businessUnitSlug: string;
  /** QuickPay or POS (case-sensitive). */
  channel: string;
  /** The charges: 1 to 25. */
  charges: Charge[];
  /** The customer. */
  clientUser?: ClientUser;
  /** The POS user (POS channel). */
  posUser?: string;
  /** Your unique reference (a reuse is refused). */
  clientReference?: string;
  /** Statement descriptor. */
  paymentDescriptor?: string;
  /** Custom payment fields (keys are data: sent as given). */
  paymentFields?: Record<string, string>;
  /** Where the page goes after a payment. */
  successUrl?: string;
  /** Where the page goes when the customer leaves. */
  returnUrl?: string;
  /** A saved payment source to use. */
  paymentSourceIdentifier?: string;
  /** Unmodelled top-level wire fields, merged as given (never replacing a modelled one). */
  extra?: Record<string, unknown>;
}

/** The request of create_autopay_session and create_paperless_session. */
export interface AccountSessionRequest {
  /** Business unit slug. */
  businessUnitSlug: string;
  /** The account. */
  clientAccount: ClientAccount;
  /** The customer. */
  clientUser: ClientUser;
  /** Create or update the account on the gateway (true for a new account). */
  syncAccount?: boolean;
  /** Unmodelled top-level wire fields, merged as given (never replacing a modelled one). */
  extra?: Record<string, unknown>;
}

/** The request of create_wallet_session and create_notification_session. */
export interface CustomerSessionRequest {
  /** Business unit slug. */
  businessUnitSlug: string;
  /** The customer. */
  clientUser: ClientUser;
  /** Unmodelled top-level wire fields, merged as given (never replacing a modelled one). */
  extra?: Record<string, unknown>;
}

/** The request of update_customer (the Events API's Accounts.ManageCustomer). */
export interface UpdateCustomerRequest {
  /** Business unit slug. */
  businessUnitSlug: string;
  /** The customer's account. */
  accountNumber: string;
  /** The sub-account, when you use them (sent as "" when absent). */
  subAccountNumber?: string;
  /** The first name to set. */
  firstName: string;
  /** The last name to set. */
  lastName: string;
  /** The email address to set (the new one, for an email change). */
  emailAddress: string;
  /** The email address Paystar knows the customer by: only for an email change. */
  originalEmailAddress?: string;
}

/** The request of send_event (any Events API event type). */
export interface EventRequest {
  /** Business unit slug. */
  businessUnitSlug: string;
  /** Accounts.ManageCustomer or Accounts.UnenrollAutopay. */
  eventType: string;
  /** The event's fields in the Events API's names (camelCase); sent as JSON text. */
  payload: Record<string, unknown>;
}

/** The request of create_autopay_session. */
export type AutopaySessionRequest = AccountSessionRequest;
/** The request of create_wallet_session. */
export type WalletSessionRequest = CustomerSessionRequest;
/** The request of create_paperless_session. */
export type PaperlessSessionRequest = AccountSessionRequest;
/** The request of create_notification_session. */
export type NotificationSessionRequest = CustomerSessionRequest;

/** Every error code (`PaystarError.code`). */
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
  | 'internal_error'
  | 'webhook_error';

/** Every field-error rule (`FieldError.rule`). */
export type Rule =
  | 'required'
  | 'type'
  | 'integer'
  | 'positive_integer'
  | 'max_value'
  | 'max_length'
  | 'min_items'
  | 'max_items'
  | 'email'
  | 'url'
  | 'datetime'
  | 'json'
  | 'one_of'
  | 'forbidden'
  | 'control_characters'
  | 'unknown_field'
  | 'conflict'
  | 'max_depth';

/** Every reason a webhook is refused (`WebhookError.reason`). */
export type WebhookReason =
  | 'too_large'
  | 'missing_header'
  | 'malformed_header'
  | 'signature_mismatch'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'not_json'
  | 'not_object'
  | 'invalid_amount';

/** Every webhook authentication scheme. */
export type WebhookScheme =
  | 'shared_secret'
  | 'hmac_sha256'
  | 'standard_webhooks';

/** The client options core reads (`ClientOptions` adds `logger`); durations in milliseconds. */
export interface CoreClientOptions {
  /** The API key (default: the PAYSTAR_API_KEY environment variable). Never shown. */
  apiKey?: string;
  /** `development` (default, or PAYSTAR_ENVIRONMENT) or `production`. */
  environment?: 'development' | 'production';
  /** Any https URL instead of the environment's (default: PAYSTAR_BASE_URL when no environment is given; plain http only to loopback, e.g. a MockGateway's url). */
  baseUrl?: string;
  /** Per-attempt timeout (default 30 s). */
  timeout?: number;
  /** Connect timeout (default 10 s). */
  connectTimeout?: number;
  /** Retries after the first attempt (default 2, at most 10). */
  maxRetries?: number;
  /** Bound on the whole call, retries included (default: timeout x attempts + backoff). */
  deadline?: number;
  /** Appended to the User-Agent (e.g. `shop/1.2`). */
  userAgentSuffix?: string;
  /** An explicit proxy URL (HTTPS_PROXY / NO_PROXY are honoured by default). Never shown: it may carry credentials. */
  proxy?: string;
  /** Hosts reached without the proxy, as NO_PROXY writes them (`.example.com,10.0.0.0/8`). */
  noProxy?: string;
  /** A PEM file of extra trusted roots (a corporate CA), added to the system store and SSL_CERT_FILE. */
  caBundle?: string;
  /** PEM text of extra trusted roots, like `ca_bundle` without a file. */
  caCertificates?: string;
  /** Requests in flight at once, 1 to 10,000 (default 100); more calls wait within their deadline. */
  maxInFlight?: number;
  /** Validate requests before sending (default true). */
  clientValidation?: boolean;
  /** OpenTelemetry spans and metrics for this client's calls when the OpenTelemetry API is installed (default true). */
  telemetry?: boolean;
}

/** The per-call options core reads (`CallOptions` adds `signal`); durations in milliseconds. */
export interface CoreCallOptions {
  /** Per-attempt timeout for this call. */
  timeout?: number;
  /** Retries after the first attempt, for this call. */
  maxRetries?: number;
  /** A W3C `traceparent` sent on every attempt (default: the current span's, when telemetry is on). */
  traceparent?: string;
  /** The W3C `tracestate` sent with `traceparent`. */
  tracestate?: string;
}
