//! The async client: validate, send with retry, decode.

use std::sync::Arc;

use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::config::Collect;
use crate::config::{AttemptEvent, ClientBuilder, Config, LogLevel, RequestOptions};
use crate::decode::{decode_answer, decode_receipt};
use crate::error::{Error, ErrorCode, Result};
use crate::models::input::{self, Case};
use crate::models::{
    ApiRequest, AutopaySessionRequest, EventReceipt, EventRequest, FromReply,
    NotificationSessionRequest, Operation, PaperlessSessionRequest, PaymentSessionRequest, Reply,
    Session, UpdateCustomerRequest, WalletSessionRequest,
};
use crate::retry::{CallState, Decision, Failure, RetryPolicy};
use crate::runtime::PerProcess;
use crate::telemetry::TraceContext;
use crate::transport::{AttemptError, Transport};

/// The Paystar client (async, tokio). Cheap to clone; share one per process.
///
/// Every call runs on the crate's shared runtime, so it can be awaited from any executor and
/// its connection pool outlives short-lived runtimes (such as one per test). Dropping the
/// future cancels the call.
///
/// ```no_run
/// # async fn demo() -> paystar::Result<()> {
/// use paystar::{Channel, Charge, Client, PaymentSessionRequest};
///
/// let client = Client::builder().api_key("sk_dev_...").build()?;
/// let request = PaymentSessionRequest::new(
///     "acme-utilities",
///     Channel::QuickPay,
///     vec![Charge::new(15000, "January Water Bill")],
/// );
/// let session = client.create_payment_session(&request).await?;
/// println!("open {} before {}", session.url, session.expires_at);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    transport: Transport,
    /// The in-flight limit of this process (`max_in_flight` slots), rebuilt after a fork: a
    /// child inherits the parent's semaphore with the slots of calls that do not run in the
    /// child taken, and would wait on them forever.
    in_flight: PerProcess<Arc<tokio::sync::Semaphore>>,
    /// Each operation's URL, in [`Operation::ALL`]'s order (or why it cannot be joined: a
    /// `base_url` error when that operation is called).
    endpoints: [std::result::Result<url::Url, String>; Operation::ALL.len()],
}

impl Inner {
    /// This process's in-flight limit.
    fn slots(&self) -> Arc<tokio::sync::Semaphore> {
        let fresh = || {
            Ok(Arc::new(tokio::sync::Semaphore::new(
                self.config.max_in_flight,
            )))
        };
        self.in_flight.get(fresh).unwrap_or_else(|_: crate::Error| {
            Arc::new(tokio::sync::Semaphore::new(self.config.max_in_flight))
        })
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Client {
    /// A builder with every option at its default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_config(config: Config) -> Result<Client> {
        let transport = Transport::new(&config)?;
        let slots = Arc::new(tokio::sync::Semaphore::new(config.max_in_flight));
        // Each operation's URL, joined once here rather than parsed on every call.
        let endpoints = Operation::ALL.map(|op| {
            let base = if op.is_event() {
                &config.events_base_url
            } else {
                &config.base_url
            };
            base.join(op.path().trim_start_matches('/'))
                .map_err(|e| format!("cannot join path ({e})"))
        });
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                transport,
                in_flight: PerProcess::new(slots),
                endpoints,
            }),
        })
    }

    /// The checked configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Creates a payment session (`POST /integrations/embedded/initiate`).
    pub async fn create_payment_session(&self, request: &PaymentSessionRequest) -> Result<Session> {
        self.call(request, &RequestOptions::default()).await
    }

    /// Creates an AutoPay session (`POST /integrations/embedded/initiate-manage-autopay`).
    pub async fn create_autopay_session(&self, request: &AutopaySessionRequest) -> Result<Session> {
        self.call(request, &RequestOptions::default()).await
    }

    /// Creates a wallet session (`POST /integrations/embedded/initiate-manage-wallet`).
    pub async fn create_wallet_session(&self, request: &WalletSessionRequest) -> Result<Session> {
        self.call(request, &RequestOptions::default()).await
    }

    /// Creates a paperless session (`POST /integrations/embedded/initiate-manage-paperless`).
    pub async fn create_paperless_session(
        &self,
        request: &PaperlessSessionRequest,
    ) -> Result<Session> {
        self.call(request, &RequestOptions::default()).await
    }

    /// Creates a notification session
    /// (`POST /integrations/embedded/initiate-manage-notifications`).
    pub async fn create_notification_session(
        &self,
        request: &NotificationSessionRequest,
    ) -> Result<Session> {
        self.call(request, &RequestOptions::default()).await
    }

    /// Updates a customer's names or email address through the Events API
    /// (`Accounts.ManageCustomer` on `POST /integrations/events`): the only documented way to
    /// change them, since session requests keep the names first seen for an email.
    ///
    /// Goes to the environment's Events API host (`https://gateway.paystar.io` in production),
    /// or to the custom base URL.
    pub async fn update_customer(&self, request: &UpdateCustomerRequest) -> Result<EventReceipt> {
        self.call(request, &RequestOptions::default()).await
    }

    /// Sends any Events API event (`Accounts.UnenrollAutopay`, ...) with its payload as JSON
    /// text (`POST /integrations/events`).
    pub async fn send_event(&self, request: &EventRequest) -> Result<EventReceipt> {
        self.call(request, &RequestOptions::default()).await
    }

    /// Opens a connection to the gateway ahead of the first call (TCP, TLS, HTTP/2) and keeps
    /// it in the pool, with a `HEAD` of the base URL that carries no API key and creates
    /// nothing. Returns the answer's status (any status proves the connection), or why no
    /// connection could be made: a `connection_error` (saying so when the gateway's
    /// certificate is not trusted) or a `timeout`. Not retried. `paystar doctor` checks the path to the gateway with it.
    pub async fn warm_up(&self) -> Result<u16> {
        let inner = Arc::clone(&self.inner);
        let probe = async move {
            let config = &inner.config;
            inner.transport.probe(config, config.base_url()).await
        };
        if self.inner.config.on_caller_runtime && tokio::runtime::Handle::try_current().is_ok() {
            return probe.await;
        }
        crate::runtime::run(probe).await?
    }

    /// Sends any typed request (a session's or an event's), with per-call options.
    pub async fn call<R: ApiRequest>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<R::Output> {
        options.check()?;
        if self.inner.config.client_validation {
            request.validate()?;
        }
        let reply = self
            .send(R::OPERATION, request.to_body(), options, Collect::default())
            .await
            .0?;
        R::Output::from_reply(reply)
    }

    /// Calls `operation` with a request given as JSON with keys in `case` (how bindings call
    /// core; see [`input`](crate::models::input)): a [`Reply::Session`] for the session
    /// operations, a [`Reply::Event`] for the Events API ones.
    pub async fn execute(
        &self,
        operation: Operation,
        request: &Value,
        case: Case,
        options: &RequestOptions,
    ) -> Result<Reply> {
        self.execute_logged(operation, request, case, options, LogLevel::Off)
            .await
            .0
    }

    /// Like [`execute`](Self::execute), and also returns the call's attempt events that
    /// `collect` asks for (a [`LogLevel`] or a [`Collect`]: the log level's events, or every
    /// attempt for telemetry), in attempt order: bindings log them and record their spans on
    /// the caller's thread once the call ends, so nothing calls into the host language from
    /// the runtime's threads.
    pub async fn execute_logged(
        &self,
        operation: Operation,
        request: &Value,
        case: Case,
        options: &RequestOptions,
        collect: impl Into<Collect>,
    ) -> (Result<Reply>, Vec<AttemptEvent>) {
        let collect = collect.into();
        let body = options.check().and_then(|()| {
            input::prepare(
                operation,
                request,
                case,
                self.inner.config.client_validation,
            )
        });
        match body {
            Ok(body) => self.send(operation, body, options, collect).await,
            Err(e) => (Err(e), Vec::new()),
        }
    }

    async fn send(
        &self,
        op: Operation,
        body: Map<String, Value>,
        options: &RequestOptions,
        collect: Collect,
    ) -> (Result<Reply>, Vec<AttemptEvent>) {
        // Kept for an Events API call's receipt (empty for sessions).
        let event_type = body.get("eventType").map_or_else(String::new, |t| {
            t.as_str().map_or_else(|| t.to_string(), str::to_owned)
        });
        let body = match serde_json::to_vec(&body) {
            Ok(body) => body,
            Err(e) => {
                let e = Error::new(ErrorCode::Validation, format!("unserializable body: {e}"));
                return (Err(e), Vec::new());
            }
        };
        let inner = Arc::clone(&self.inner);
        let options = options.clone();
        let span = tracing::debug_span!("paystar", operation = op.name());
        let call = async move { inner.call(op, event_type, body, options, collect).await };
        let call = tracing::Instrument::instrument(call, span);
        if self.inner.config.on_caller_runtime && tokio::runtime::Handle::try_current().is_ok() {
            return call.await;
        }
        match crate::runtime::run(call).await {
            Ok(done) => done,
            Err(e) => (Err(e), Vec::new()),
        }
    }
}

/// One call's fixed facts: where it goes and its limits.
struct Plan {
    op: Operation,
    /// `eventType` of an Events API call (empty for sessions), for its receipt.
    event_type: String,
    url: url::Url,
    timeout: std::time::Duration,
    policy: RetryPolicy,
    deadline: Instant,
    collect: Collect,
    /// Sent as `traceparent`/`tracestate` on every attempt.
    trace: Option<TraceContext>,
}

/// What the attempts so far add up to.
#[derive(Default)]
struct Tally {
    attempts: u32,
    /// An attempt may have reached the gateway and acted ([`Failure::may_have_acted`]).
    ambiguous: bool,
    retry: CallState,
}

/// One attempt's result: a reply and the status it came with, or why it failed.
type Attempted = std::result::Result<(Reply, u16), AttemptError>;

impl Inner {
    async fn call(
        &self,
        op: Operation,
        event_type: String,
        body: Vec<u8>,
        options: RequestOptions,
        collect: Collect,
    ) -> (Result<Reply>, Vec<AttemptEvent>) {
        let mut events = Vec::new();
        let result = match self.plan(op, event_type, options, collect) {
            Ok(plan) => self.attempts(&plan, body, &mut events).await,
            Err(e) => Err(e),
        };
        (result, events)
    }

    fn plan(
        &self,
        op: Operation,
        event_type: String,
        options: RequestOptions,
        collect: Collect,
    ) -> Result<Plan> {
        let config = &self.config;
        let (timeout, max_retries) = config.resolve(&options);
        let url = Operation::ALL
            .iter()
            .position(|o| *o == op)
            .and_then(|i| self.endpoints.get(i))
            .ok_or_else(|| Error::internal(format!("no endpoint for {}", op.name())))?
            .clone()
            .map_err(|why| Error::option("base_url", why))?;
        Ok(Plan {
            op,
            event_type,
            url,
            timeout,
            policy: RetryPolicy { max_retries },
            deadline: Instant::now() + config.deadline_for(timeout, max_retries),
            collect,
            trace: options.trace,
        })
    }

    /// The pipeline: for each attempt, a free slot → send → decode → success, or retry by the
    /// policy within the deadline, or fail with every attempt counted.
    async fn attempts(
        &self,
        plan: &Plan,
        body: Vec<u8>,
        events: &mut Vec<AttemptEvent>,
    ) -> Result<Reply> {
        let mut tally = Tally::default();
        loop {
            // A free slot first, within the deadline; no request is sent while waiting.
            let slots = self.slots();
            // A slot free now is taken without arming the deadline's timer (the common case).
            let slot = match Arc::clone(&slots).try_acquire_owned() {
                Ok(slot) => Ok(Ok(slot)),
                Err(_) => tokio::time::timeout_at(plan.deadline, slots.acquire_owned()).await,
            };
            let Ok(Ok(slot)) = slot else {
                let e = Error::new(
                    ErrorCode::Timeout,
                    format!(
                        "no connection was free before the deadline ({} calls in flight: \
                         max_in_flight)",
                        self.config.max_in_flight
                    ),
                );
                return Err(e.with_attempts(tally.attempts, tally.ambiguous));
            };
            tally.attempts += 1;
            let started = Instant::now();
            let started_at = std::time::SystemTime::now();
            let attempted = self.attempt(plan, body.clone(), started).await;
            drop(slot);
            let mut event = AttemptEvent {
                operation: plan.op,
                method: "POST",
                path: plan.op.path(),
                attempt: tally.attempts,
                status: None,
                started_at,
                elapsed: started.elapsed(),
                request_id: None,
                error_code: None,
                retry_in: None,
                retry_after: None,
                ambiguous: false,
            };
            let AttemptError { failure, error } = match attempted {
                Ok((mut reply, status)) => {
                    event.status = Some(status);
                    event.request_id = reply.request_id().map(str::to_owned);
                    trace_attempt(&event);
                    self.observe(event, plan.collect, events);
                    reply.set_call(tally.attempts, tally.ambiguous);
                    return Ok(reply);
                }
                Err(failed) => failed,
            };
            event.status = error.status();
            event.request_id = error.request_id().map(str::to_owned);
            event.error_code = Some(error.code());
            event.retry_after = error.retry_after();
            event.ambiguous = failure.may_have_acted();
            tally.ambiguous |= event.ambiguous;
            let wait = match plan.policy.decide(failure, tally.retry, jitter()) {
                Decision::Retry(wait) if Instant::now() + wait < plan.deadline => Some(wait),
                _ => None,
            };
            event.retry_in = wait;
            trace_attempt(&event);
            self.observe(event, plan.collect, events);
            let Some(wait) = wait else {
                return Err(error.with_attempts(tally.attempts, tally.ambiguous));
            };
            tally.retry = RetryPolicy::record(failure, tally.retry);
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: the POST within the attempt's budget (the timeout, or what is left of the
    /// deadline), its answer decoded into a reply or the error it stands for.
    async fn attempt(&self, plan: &Plan, body: Vec<u8>, started: Instant) -> Attempted {
        let budget = plan
            .timeout
            .min(plan.deadline.saturating_duration_since(started));
        let sent_at = OffsetDateTime::now_utc();
        let post = self
            .transport
            .post(&self.config, &plan.url, body, plan.trace.as_ref());
        let answer = match tokio::time::timeout(budget, post).await {
            Ok(answer) => answer?,
            Err(_) => {
                return Err(AttemptError {
                    failure: Failure::Timeout,
                    error: Error::new(
                        ErrorCode::Timeout,
                        format!("the attempt timed out after {} ms", budget.as_millis()),
                    ),
                });
            }
        };
        let reply = if plan.op.is_event() {
            decode_receipt(&plan.event_type, &answer).map(Reply::Event)
        } else {
            decode_answer(plan.op, &answer, sent_at).map(Reply::Session)
        };
        reply.map(|r| (r, answer.status))
    }

    /// Hands an attempt's event to the Rust observer, and keeps it for the caller when its
    /// level is wanted or the caller records telemetry.
    fn observe(&self, event: AttemptEvent, collect: Collect, events: &mut Vec<AttemptEvent>) {
        if let Some(observer) = &self.config.observer {
            // A panicking observer must not take the call (or an FFI caller) down with it.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| observer(&event)));
        }
        if collect.telemetry || (collect.log != LogLevel::Off && event.level() <= collect.log) {
            events.push(event);
        }
    }
}

/// The attempt's line for `tracing` (target `paystar`): DEBUG, or WARN when a retry follows.
fn trace_attempt(e: &AttemptEvent) {
    let elapsed_ms = e.elapsed.as_millis() as u64;
    let status = e.status.unwrap_or(0);
    let request_id = e.request_id.as_deref().unwrap_or("");
    let code = e.error_code.map_or("", |c| c.as_str());
    match e.retry_in {
        Some(wait) => tracing::warn!(
            path = e.path,
            attempt = e.attempt,
            code,
            status,
            wait_ms = wait.as_millis() as u64,
            "paystar request failed; retrying"
        ),
        None if e.error_code.is_some() => tracing::debug!(
            method = e.method,
            path = e.path,
            status,
            attempt = e.attempt,
            elapsed_ms,
            request_id,
            code,
            "paystar request failed"
        ),
        None => tracing::debug!(
            method = e.method,
            path = e.path,
            status,
            attempt = e.attempt,
            elapsed_ms,
            request_id,
            "paystar request succeeded"
        ),
    }
}

/// A number in `[0, 1)` that differs between calls (jitter need not be cryptographic).
fn jitter() -> f64 {
    (crate::runtime::random_u64() >> 11) as f64 / (1u64 << 53) as f64
}
