//! The async client: validate, send with retry, decode.

use std::sync::Arc;

use serde_json::{Map, Value};
use time::OffsetDateTime;
use tokio::time::Instant;

use crate::config::{AttemptEvent, ClientBuilder, Config, LogLevel, RequestOptions};
use crate::error::{Error, ErrorCode, Result};
use crate::models::input::{self, Case};
use crate::models::{
    AutopaySessionRequest, EventReceipt, EventRequest, FromReply, NotificationSessionRequest,
    Operation, PaperlessSessionRequest, PaymentSessionRequest, Reply, Session, SessionRequest,
    UpdateCustomerRequest, WalletSessionRequest, decode_answer, decode_receipt,
};
use crate::retry::{CallState, Decision, Failure, RetryPolicy};
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

/// The most requests one client has in flight at once; more calls wait for a free slot (within
/// their deadline, sending nothing meanwhile). It bounds the client's connections, and so its
/// file descriptors: 10,000 concurrent calls opened 2,948 connections without it and ran the
/// process out of descriptors.
/// Decision: docs/decisions.md#in-flight.
pub const MAX_IN_FLIGHT: usize = 100;

struct Inner {
    config: Config,
    transport: Transport,
    in_flight: tokio::sync::Semaphore,
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
        Ok(Client {
            inner: Arc::new(Inner {
                config,
                transport,
                in_flight: tokio::sync::Semaphore::new(MAX_IN_FLIGHT),
            }),
        })
    }

    /// The checked configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Creates a payment session (`POST /integrations/embedded/initiate`).
    pub async fn create_payment_session(&self, request: &PaymentSessionRequest) -> Result<Session> {
        self.create(request, &RequestOptions::default()).await
    }

    /// Creates an AutoPay session (`POST /integrations/embedded/initiate-manage-autopay`).
    pub async fn create_autopay_session(&self, request: &AutopaySessionRequest) -> Result<Session> {
        self.create(request, &RequestOptions::default()).await
    }

    /// Creates a wallet session (`POST /integrations/embedded/initiate-manage-wallet`).
    pub async fn create_wallet_session(&self, request: &WalletSessionRequest) -> Result<Session> {
        self.create(request, &RequestOptions::default()).await
    }

    /// Creates a paperless session (`POST /integrations/embedded/initiate-manage-paperless`).
    pub async fn create_paperless_session(
        &self,
        request: &PaperlessSessionRequest,
    ) -> Result<Session> {
        self.create(request, &RequestOptions::default()).await
    }

    /// Creates a notification session
    /// (`POST /integrations/embedded/initiate-manage-notifications`).
    pub async fn create_notification_session(
        &self,
        request: &NotificationSessionRequest,
    ) -> Result<Session> {
        self.create(request, &RequestOptions::default()).await
    }

    /// Updates a customer's names or email address through the Events API
    /// (`Accounts.ManageCustomer` on `POST /integrations/events`): the only documented way to
    /// change them, since session requests keep the names first seen for an email.
    ///
    /// Goes to the environment's Events API host (`https://gateway.paystar.io` in production),
    /// or to the custom base URL.
    pub async fn update_customer(&self, request: &UpdateCustomerRequest) -> Result<EventReceipt> {
        self.create(request, &RequestOptions::default()).await
    }

    /// Sends any Events API event (`Accounts.UnenrollAutopay`, ...) with its payload as JSON
    /// text (`POST /integrations/events`).
    pub async fn send_event(&self, request: &EventRequest) -> Result<EventReceipt> {
        self.create(request, &RequestOptions::default()).await
    }

    /// Sends any typed request (a session's or an event's), with per-call options.
    pub async fn create<R: SessionRequest>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<R::Output> {
        options.check()?;
        if self.inner.config.client_validation {
            request.validate()?;
        }
        let reply = self
            .send(R::OPERATION, request.to_body(), options, LogLevel::Off)
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

    /// Like [`execute`](Self::execute), and also returns the call's attempt events at `level`
    /// or above, in attempt order: bindings log them on the caller's thread once the call
    /// ends, so nothing calls into the host language from the runtime's threads.
    pub async fn execute_logged(
        &self,
        operation: Operation,
        request: &Value,
        case: Case,
        options: &RequestOptions,
        level: LogLevel,
    ) -> (Result<Reply>, Vec<AttemptEvent>) {
        let body = options.check().and_then(|()| {
            input::prepare(
                operation,
                request,
                case,
                self.inner.config.client_validation,
            )
        });
        match body {
            Ok(body) => self.send(operation, body, options, level).await,
            Err(e) => (Err(e), Vec::new()),
        }
    }

    async fn send(
        &self,
        op: Operation,
        body: Map<String, Value>,
        options: &RequestOptions,
        level: LogLevel,
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
        let options = *options;
        let span = tracing::debug_span!("paystar", operation = op.name());
        let call = async move { inner.call(op, event_type, body, options, level).await };
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

impl Inner {
    async fn call(
        &self,
        op: Operation,
        event_type: String,
        body: Vec<u8>,
        options: RequestOptions,
        level: LogLevel,
    ) -> (Result<Reply>, Vec<AttemptEvent>) {
        let mut events = Vec::new();
        let result = self
            .attempts(op, &event_type, body, options, level, &mut events)
            .await;
        (result, events)
    }

    async fn attempts(
        &self,
        op: Operation,
        event_type: &str,
        body: Vec<u8>,
        options: RequestOptions,
        level: LogLevel,
        events: &mut Vec<AttemptEvent>,
    ) -> Result<Reply> {
        let config = &self.config;
        let (timeout, max_retries) = config.resolve(&options);
        let policy = RetryPolicy { max_retries };
        let deadline = Instant::now() + config.deadline_for(timeout, max_retries);
        let base = if op.is_event() {
            &config.events_base_url
        } else {
            &config.base_url
        };
        let url = base
            .join(op.path().trim_start_matches('/'))
            .map_err(|e| Error::configuration(format!("base_url: cannot join path ({e})")))?;
        let path = op.path();
        let mut state = CallState::default();
        let mut attempts = 0u32;
        let mut ambiguous = false;
        loop {
            // A free slot first, within the deadline; no request is sent while waiting.
            let Ok(Ok(slot)) = tokio::time::timeout_at(deadline, self.in_flight.acquire()).await
            else {
                let e = Error::new(
                    ErrorCode::Timeout,
                    format!(
                        "no connection was free before the deadline ({MAX_IN_FLIGHT} calls in flight)"
                    ),
                );
                return Err(e.with_attempts(attempts, ambiguous));
            };
            attempts += 1;
            let started = Instant::now();
            let budget = timeout.min(deadline.saturating_duration_since(started));
            let sent_at = OffsetDateTime::now_utc();
            let outcome =
                match tokio::time::timeout(budget, self.transport.post(config, &url, body.clone()))
                    .await
                {
                    Ok(Ok(answer)) => {
                        let reply = if op.is_event() {
                            decode_receipt(event_type, &answer).map(Reply::Event)
                        } else {
                            decode_answer(op, &answer, sent_at).map(Reply::Session)
                        };
                        reply.map(|r| (r, answer.status))
                    }
                    Ok(Err(failed)) => Err(failed),
                    Err(_) => Err(AttemptError {
                        failure: Failure::Timeout,
                        error: Error::new(
                            ErrorCode::Timeout,
                            format!("the attempt timed out after {} ms", budget.as_millis()),
                        ),
                    }),
                };
            drop(slot);
            let elapsed = started.elapsed();
            let elapsed_ms = elapsed.as_millis() as u64;
            let mut event = AttemptEvent {
                operation: op,
                method: "POST",
                path,
                attempt: attempts,
                status: None,
                elapsed,
                request_id: None,
                error_code: None,
                retry_in: None,
            };
            let AttemptError { failure, error } = match outcome {
                Ok((mut reply, status)) => {
                    tracing::debug!(
                        method = "POST",
                        path,
                        status,
                        attempt = attempts,
                        elapsed_ms,
                        request_id = reply.request_id().unwrap_or(""),
                        "paystar request succeeded"
                    );
                    event.status = Some(status);
                    event.request_id = reply.request_id().map(str::to_owned);
                    self.observe(event, level, events);
                    reply.set_call(attempts, ambiguous);
                    return Ok(reply);
                }
                Err(failed) => failed,
            };
            tracing::debug!(
                method = "POST",
                path,
                status = error.status().unwrap_or(0),
                attempt = attempts,
                elapsed_ms,
                request_id = error.request_id().unwrap_or(""),
                code = error.code().as_str(),
                "paystar request failed"
            );
            event.status = error.status();
            event.request_id = error.request_id().map(str::to_owned);
            event.error_code = Some(error.code());
            // docs/decisions.md#ambiguous. The gateway may have acted on an attempt without us seeing it: no answer after
            // sending, or a 500/502/503/504 (a proxy's 504 can follow a create that happened).
            if matches!(
                failure,
                Failure::Timeout
                    | Failure::Dropped
                    | Failure::Connection { sent: true }
                    | Failure::Status {
                        status: 500 | 502 | 503 | 504,
                        ..
                    }
            ) {
                ambiguous = true;
            }
            match policy.decide(failure, state, jitter()) {
                Decision::Retry(wait) if Instant::now() + wait < deadline => {
                    tracing::warn!(
                        path,
                        attempt = attempts,
                        code = error.code().as_str(),
                        status = error.status().unwrap_or(0),
                        wait_ms = wait.as_millis() as u64,
                        "paystar request failed; retrying"
                    );
                    event.retry_in = Some(wait);
                    self.observe(event, level, events);
                    state = RetryPolicy::record(failure, state);
                    tokio::time::sleep(wait).await;
                }
                _ => {
                    self.observe(event, level, events);
                    return Err(error.with_attempts(attempts, ambiguous));
                }
            }
        }
    }

    /// Hands an attempt's event to the Rust observer, and keeps it for the caller when its
    /// level is wanted.
    fn observe(&self, event: AttemptEvent, level: LogLevel, events: &mut Vec<AttemptEvent>) {
        if let Some(observer) = &self.config.observer {
            // A panicking observer must not take the call (or an FFI caller) down with it.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| observer(&event)));
        }
        if level != LogLevel::Off && event.level() <= level {
            events.push(event);
        }
    }
}

/// A number in `[0, 1)` that differs between calls (jitter need not be cryptographic).
fn jitter() -> f64 {
    (crate::runtime::random_u64() >> 11) as f64 / (1u64 << 53) as f64
}
