// Types of the `paystar` npm package. The request types and core's names (types.d.ts) and the
// error classes (lib/errors.d.ts) are generated from core (generated.json); this file declares
// the rest.

export * from './types';
export * from './lib/errors';
import type {
  PaymentSessionRequest, AutopaySessionRequest, WalletSessionRequest, PaperlessSessionRequest,
  NotificationSessionRequest, UpdateCustomerRequest, EventRequest, ErrorCode, Rule,
  WebhookReason, WebhookScheme, CoreClientOptions, CoreCallOptions,
} from './types';
import type { PaystarError, WebhookError } from './lib/errors';

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

/** An Events API call the gateway accepted (`updateCustomer`, `sendEvent`). */
export interface EventReceipt {
  /** The event type sent, e.g. 'Accounts.ManageCustomer'. */
  eventType: string;
  /** The HTTP status of the answer (2xx). */
  httpStatus: number;
  /** What the gateway answered (undocumented shape): the envelope's `data`, other JSON, or null. */
  raw: unknown;
  attempts: number;
  requestId: string | null;
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

/** Client options: core's (generated in types.d.ts, durations in milliseconds) and `logger`. */
export interface ClientOptions extends CoreClientOptions {
  /** Gets one line per attempt (debug; warn when a retry follows). Default: PAYSTAR_LOG. */
  logger?: LogFunction | LoggerObject;
}

/** Per-call options: core's (`timeout` in milliseconds, `maxRetries`) and `signal`. */
export interface CallOptions extends CoreCallOptions {
  /** Cancels the call; the promise rejects with a DOMException named 'AbortError'. */
  signal?: AbortSignal;
}

export declare class Client {
  constructor(options?: ClientOptions);
  readonly baseUrl: string;
  readonly environment: 'development' | 'production' | null;
  readonly loaderUrl: string | null;
  /** Where Events API calls go (https://gateway.paystar.io/ in production; else baseUrl). */
  readonly eventsBaseUrl: string;
  createPaymentSession(request: PaymentSessionRequest, options?: CallOptions): Promise<Session>;
  createAutopaySession(request: AutopaySessionRequest, options?: CallOptions): Promise<Session>;
  createWalletSession(request: WalletSessionRequest, options?: CallOptions): Promise<Session>;
  createPaperlessSession(request: PaperlessSessionRequest, options?: CallOptions): Promise<Session>;
  createNotificationSession(
    request: NotificationSessionRequest,
    options?: CallOptions,
  ): Promise<Session>;
  /** Updates a customer's names or email (Events API `Accounts.ManageCustomer`). */
  updateCustomer(request: UpdateCustomerRequest, options?: CallOptions): Promise<EventReceipt>;
  /** Sends an Events API event (e.g. 'Accounts.UnenrollAutopay'); the payload goes as JSON text. */
  sendEvent(request: EventRequest, options?: CallOptions): Promise<EventReceipt>;
  /**
   * Opens a connection to the gateway ahead of the first call (a key-less `HEAD` of the base
   * URL that creates nothing) and keeps it pooled; resolves to the answer's status. Call it at
   * start, before taking traffic, so the first call does not pay the TCP and TLS handshakes.
   */
  warmUp(): Promise<number>;
  /** The public attributes (never the key). */
  toJSON(): {
    environment: string | null;
    baseUrl: string;
    eventsBaseUrl: string;
    loaderUrl: string | null;
    timeout: number;
    connectTimeout: number;
    maxRetries: number;
    userAgent: string;
  };
}



/** A parsed webhook. Fields the template lacks (or leaves empty) are null. */
export interface WebhookEvent {
  /** The event type: 'Payment.Succeeded', 'AutoPay.Enrolled', ... */
  readonly action: string | null;
  /** `payload` as sent (the whole body when the template has none). */
  readonly payload: Record<string, unknown>;
  /** The whole body, parsed. */
  readonly raw: unknown;
  /** The payment session's id (`Session.id`). */
  readonly sessionIdentifier: string | null;
  readonly status: string | null;
  readonly referenceNumber: string | null;
  readonly accountNumber: string | null;
  readonly accountName: string | null;
  /** `payload.amount` (decimal dollars, "300.34") in cents, converted exactly. */
  readonly amountCents: number | null;
  /** `payload.serviceFee` (already in cents). */
  readonly serviceFeeCents: number | null;
  /** The same for every redelivery of one event: de-duplicate on it. */
  readonly idempotencyKey: string;
}

export interface WebhookVerifierOptions {
  scheme: WebhookScheme;
  /** One secret, or several while rotating (standard_webhooks: `whsec_` + base64). */
  secrets: string | string[];
  /** shared_secret: default 'X-Webhook-Secret'; hmac_sha256: default 'X-Webhook-Signature'. */
  header?: string;
  /** hmac_sha256 only: 'hex' (default) or 'base64'. */
  encoding?: 'hex' | 'base64';
  /**
   * hmac_sha256 only: sign `"{timestamp}.{body}"` and check the time. Without it a captured
   * delivery verifies forever: prefer it (or standard_webhooks).
   */
  timestampHeader?: string;
  /** How far a signed timestamp may be from now, in ms (default 300000). */
  tolerance?: number;
  /** `handle`: how long a claim holds an event's key while the handler runs, in ms (default 60000). */
  lease?: number;
  /** `handle`: how long a handled event's key is remembered, in ms (default 7 days). */
  doneTtl?: number;
}

export interface SignOptions {
  scheme: WebhookScheme;
  secret: string;
  header?: string;
  encoding?: 'hex' | 'base64';
  timestampHeader?: string;
  /** Unix seconds (default now). */
  timestamp?: number;
  /** standard_webhooks' `webhook-id`. */
  id?: string;
}

export type WebhookBody = Buffer | Uint8Array | string;
export type WebhookHeaders =
  | Record<string, string | string[] | undefined>
  | { forEach(cb: (value: string, key: string) => void): void; get(name: string): string | null }
  | Iterable<[string, string]>;

/** What a webhook endpoint answers: `status` and a JSON `body` ('' for none), or the handler's own `response`. */
export interface WebhookAnswer<R = unknown> {
  status: number;
  body?: string;
  response?: R;
  /** What happened, for the server's span (`paystar.webhook.outcome`, ...; set on the active span when `@opentelemetry/api` is installed). */
  attributes: Record<string, string | number | boolean>;
}

/** What a handler given to `handle` returns: nothing (204), a status, or `{ status, body }`. */
export type WebhookHandlerResult = void | null | number | { status: number; body?: unknown };

export declare class WebhookVerifier {
  constructor(options: WebhookVerifierOptions);
  verify(body: WebhookBody, headers: WebhookHeaders, options?: { now?: number }): WebhookEvent;
  /**
   * A whole endpoint: each event's handler runs once; a 2xx (or nothing) completes its key, a
   * throw or a non-2xx releases it. Resolves to what to answer.
   */
  handle<R extends WebhookHandlerResult>(
    body: WebhookBody,
    headers: WebhookHeaders,
    store: DedupeStore,
    handler: (event: WebhookEvent) => R | Promise<R>,
    options?: { now?: number; onError?: (error: unknown) => void },
  ): Promise<WebhookAnswer<R>>;
}

/** Where an endpoint remembers events; `claim` must be atomic across processes sharing it. */
export interface DedupeStore {
  /** Takes `key` for `leaseMs` if free; else says whether it is held or handled. */
  claim(key: string, leaseMs: number): 'claimed' | 'in_progress' | 'done' | Promise<'claimed' | 'in_progress' | 'done'>;
  /** Marks `key` handled for `ttlMs`. */
  complete(key: string, ttlMs: number): void | Promise<void>;
  /** Frees `key` (its handler failed). */
  release(key: string): void | Promise<void>;
}

/** The in-process store (core's): one process, at most 100,000 keys. */
export declare class MemoryStore implements DedupeStore {
  claim(key: string, leaseMs: number): 'claimed' | 'in_progress' | 'done';
  complete(key: string, ttlMs: number): void;
  release(key: string): void;
  /** What the store holds for `key` now. */
  state(key: string): 'pending' | 'done' | null;
  /** Moves the store's clock forward (for tests of lease expiry). */
  advance(ms: number): void;
}

/** A connected node-redis (v4+) or ioredis client, as far as `redisStore` uses it. */
export interface RedisLike {
  set(key: string, value: string, ...options: unknown[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<unknown>;
}

/** Node's request, as far as the middleware needs it (Express's `req` is one). */
export interface WebhookRequest extends NodeJS.ReadableStream {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  paystarEvent?: WebhookEvent;
  destroy(error?: Error): unknown;
}
export interface WebhookResponse {
  statusCode: number;
  writableFinished: boolean;
  status(code: number): WebhookResponse;
  type(type: string): WebhookResponse;
  set(name: string, value: string): unknown;
  send(body: unknown): unknown;
  end(): unknown;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

export declare const webhooks: {
  readonly WebhookVerifier: typeof WebhookVerifier;
  readonly MemoryStore: typeof MemoryStore;
  /** Parses a body WITHOUT authentication. */
  parse(body: WebhookBody): WebhookEvent;
  /** The headers a sender attaches to `body` (for tests). */
  sign(body: WebhookBody, options: SignOptions): Record<string, string>;
  /**
   * Express middleware on the raw body (at most 256 KiB + 1 byte read); the handler finds
   * `req.paystarEvent`, and its response decides: a 2xx completes the event, anything else (or
   * a connection closed first) releases it.
   */
  expressMiddleware(
    verifier: WebhookVerifier | WebhookVerifierOptions,
    options?: { store?: DedupeStore; onError?: (error: unknown) => void },
  ): (req: WebhookRequest, res: WebhookResponse, next: (error?: unknown) => void) => Promise<void>;
  /** The in-process store (one process). */
  memoryStore(): MemoryStore;
  /** A store on Redis shared by every process (`SET NX PX`). */
  redisStore(client: RedisLike): DedupeStore;
  readonly REASONS: readonly WebhookReason[];
  readonly SCHEMES: readonly WebhookScheme[];
  readonly MAX_BODY_BYTES: number;
};

/** Where the mock delivers completed sessions' webhooks. */
export interface MockWebhookOptions {
  url: string;
  scheme: WebhookScheme;
  secret: string;
  header?: string;
  encoding?: 'hex' | 'base64';
  timestampHeader?: string;
  /** Extra deliveries of each webhook (to exercise de-duplication). */
  redeliveries?: number;
}

/** Options of a MockGateway. */
export interface MockGatewayOptions {
  /** The API key it accepts (default: the mock's published test key). */
  apiKey?: string;
  /** Seeds its ids, for reproducible runs. */
  seed?: number;
  /** Where completed sessions' webhooks go. */
  webhook?: MockWebhookOptions;
  /**
   * HTTPS on `https://localhost:<port>` with a certificate from a CA made at start (`caPem`):
   * `true` (HTTP/2 and HTTP/1.1), `'http1'` (HTTP/1.1 only) or `'expired'` (an expired certificate).
   */
  tls?: boolean | 'http1' | 'expired';
  /** Delays every answer by this many milliseconds (a gateway far away). */
  latency?: number;
  /**
   * Faults below HTTP from a TCP proxy in front (the URL is then the proxy's): per-chunk
   * `latency` and `jitter` (ms), `bytesPerSecond`, `slice` (bytes per write), and the shares
   * (0 to 1) of chunks `cutRequest`, `cutResponse` or `stall`ed; `seed` for the draws.
   */
  network?: {
    seed?: number;
    latency?: number;
    jitter?: number;
    bytesPerSecond?: number;
    slice?: number;
    cutRequest?: number;
    cutResponse?: number;
    stall?: number;
  };
}

/** What completing a session on the mock did. */
export interface Completion {
  sessionId: string;
  kind: string;
  event: string | null;
  body: string | null;
  referenceNumber: string;
  deliveries: { status: number | null; error: string | null }[];
  nextUrl: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  api_key_valid: boolean;
  body: unknown;
  received_ms: number;
  fault: Record<string, unknown> | null;
  connection: number;
  /** `HTTP/1.1` or `HTTP/2.0`. */
  version: string;
  /** Whether it came over TLS. */
  tls: boolean;
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
  constructor(options?: MockGatewayOptions);
  static start(options?: MockGatewayOptions): MockGateway;
  readonly url: string;
  readonly apiKey: string;
  /** The PEM of the CA that signed its certificate (started with `tls`), else null. */
  readonly caPem: string | null;
  readonly requests: RecordedRequest[];
  readonly sessionCount: number;
  client(options?: ClientOptions): Client;
  script(faults: Fault[] | Fault | { random: Record<string, unknown> }): void;
  clearScript(): void;
  customer(email: string): Record<string, unknown> | null;
  account(accountNumber: string, subAccountNumber?: string): Record<string, unknown> | null;
  advanceClock(ms: number): void;
  /** Everything the gateway holds: its URL, the requests, customers and accounts. */
  snapshot(): { url: string; requests: unknown[]; customers: Record<string, unknown>; accounts: Record<string, unknown> };
  /** Forgets the requests and sessions recorded so far (customers and accounts stay). */
  forgetRequests(): void;
  /** Where completed sessions' webhooks go (null: nowhere). */
  setWebhook(options: MockWebhookOptions | null): void;
  /** Completes a session as the customer would, delivering its webhook. */
  complete(session: Session | string): Promise<Completion>;
  stop(): void;
  [Symbol.dispose](): void;
}

export declare const ERROR_CODES: readonly ErrorCode[];
export declare const OPERATIONS: readonly string[];
/** Every field-error rule name (`FieldError.rule`). */
export declare const RULES: readonly string[];
export declare const errorClasses: Readonly<Record<ErrorCode, typeof PaystarError>>;
export declare const version: string;
