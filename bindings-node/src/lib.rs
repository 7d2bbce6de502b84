//! The native half of the `paystar` npm package: a thin napi-rs shim over the `paystar` core
//! crate. Options, sessions, errors and log events cross in core's shapes (`paystar::bridge`,
//! camelCase, milliseconds); the JavaScript half (`index.js`) maps them onto classes and wires
//! `AbortSignal` and the logger. Every Paystar rule is in core.
//!
//! A call ends with the JSON text of an outcome `{ok, value, events}` (a session or an error
//! value, and the call's log events), queued on its client and handed to JavaScript in batches
//! through one threadsafe function per client; nothing calls into JavaScript from the runtime's
//! threads. Synchronous
//! failures throw a JS `Error` whose message is `MARK` followed by core's error value as JSON.
//! Every export catches unwinds (`catch_unwind`) and runs inside `bridge::guard`, so a panic is
//! an `internal_error`, never an abort of the Node process.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use paystar::Collect;
use paystar::Operation;
use paystar::bridge::records::to_value;
use paystar::bridge::{self, Dialect, MockHandle};
use serde_json::{Value, json};

#[cfg(feature = "testing")]
pub mod testing;

/// mimalloc for everything the addon allocates (never for V8's heap): see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prefix of an error message that carries a paystar error value as JSON.
const MARK: &str = "\u{1}paystar:";

fn to_napi(error: &paystar::Error) -> napi::Error {
    let value = bridge::error_value(error, Dialect::NODE);
    napi::Error::new(Status::GenericFailure, format!("{MARK}{value}"))
}

/// Runs `f` guarded (a panic is an `internal_error`), throwing a failure as a marked error.
fn run<T>(f: impl FnOnce() -> paystar::Result<T>) -> napi::Result<T> {
    bridge::guard(f).map_err(|e| to_napi(&e))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Calls in flight that JS may cancel (an `AbortSignal` fired), by call id.
static IN_FLIGHT: Mutex<Option<HashMap<i64, tokio::sync::oneshot::Sender<()>>>> = Mutex::new(None);

/// Call ids, unique in the process (every `worker_thread` shares this counter).
static NEXT_CALL: AtomicI64 = AtomicI64::new(1);

/// A call id no other call in this process has, in any `worker_thread`.
#[napi(catch_unwind)]
pub fn next_call_id() -> i64 {
    NEXT_CALL.fetch_add(1, Ordering::Relaxed)
}

/// The `paystar` command line, run on libuv's thread pool: Node's main thread stays in its event
/// loop, so its own signal handling works (bin/paystar.js ends the process on Ctrl-C/SIGTERM).
pub struct CliTask(Vec<String>);

impl Task for CliTask {
    type Output = i32;
    type JsValue = i32;

    fn compute(&mut self) -> napi::Result<i32> {
        let argv = std::mem::take(&mut self.0);
        Ok(paystar::cli::run_with(
            argv,
            paystar::cli::Signals::LeaveToHost,
        ))
    }

    fn resolve(&mut self, _env: Env, code: i32) -> napi::Result<i32> {
        Ok(code)
    }
}

/// Runs the `paystar` command line `argv` (program name first); resolves to its exit code: the
/// npm package's `bin` (bin/paystar.js). Core never panics out of it and installs no signal
/// handler (Node's are the process's).
#[napi]
pub fn cli_main(argv: Vec<String>) -> AsyncTask<CliTask> {
    AsyncTask::new(CliTask(argv))
}

/// Core's webhook endpoint: a verifier, a lease and a done TTL (wrapped by
/// `webhooks.WebhookVerifier` in index.js).
#[napi]
pub struct NativeWebhookVerifier(paystar::webhook::Endpoint);

#[napi]
impl NativeWebhookVerifier {
    /// From options (`{scheme, secrets, header, encoding, timestampHeader, tolerance, lease,
    /// doneTtl}`, durations in ms).
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Value) -> napi::Result<Self> {
        run(|| bridge::webhook_endpoint(&options, Dialect::NODE)).map(NativeWebhookVerifier)
    }

    /// Authenticates then parses; returns the event's value or throws a marked error.
    /// `headers`: `{name: string | string[]}`; `now`: Unix seconds, for tests.
    #[napi(catch_unwind)]
    pub fn verify(&self, body: Buffer, headers: Value, now: Option<i64>) -> napi::Result<Value> {
        run(|| bridge::webhook_verify(self.0.verifier(), &body, &headers, now, Dialect::NODE))
    }

    /// The endpoint's first step: `{refused: {answer, error}}` or `{delivery: {event, storeKey,
    /// lease, doneTtl}}` (ms).
    #[napi(catch_unwind)]
    pub fn receive(&self, body: Buffer, headers: Value, now: Option<i64>) -> napi::Result<Value> {
        run(|| bridge::webhook_receive(&self.0, &body, &headers, now, Dialect::NODE))
    }

    /// The endpoint's last step: `{store: 'complete' | 'release', ttl, answer}`.
    #[napi(catch_unwind)]
    pub fn settle(&self, raised: bool, status: Option<u32>) -> Value {
        let status = status.and_then(|s| u16::try_from(s).ok());
        bridge::webhook_settle(&self.0, raised, status, Dialect::NODE)
    }

    /// The verifier's description (scheme and header names, never a secret).
    #[napi(catch_unwind)]
    pub fn describe(&self) -> String {
        format!("{:?}", self.0.verifier())
    }
}

/// The endpoint's middle step: the answer for a store's claim, or null to run the handler.
#[napi(catch_unwind)]
pub fn webhook_after_claim(claim: String) -> napi::Result<Value> {
    run(|| bridge::webhook_after_claim(&claim))
}

/// A shared store's claim when its atomic add failed, from the value it holds for the key.
#[napi(catch_unwind)]
pub fn claim_of_existing(stored: Option<String>) -> &'static str {
    bridge::claim_of_existing(stored.as_deref())
}

/// Core's in-memory dedupe store (wrapped by `webhooks.memoryStore()`); milliseconds.
#[napi]
pub struct NativeMemoryStore(bridge::MemoryStoreHandle);

#[napi]
impl NativeMemoryStore {
    /// An empty store.
    #[napi(constructor, catch_unwind)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeMemoryStore(bridge::MemoryStoreHandle::new())
    }

    /// `claimed`, `in_progress` or `done`.
    #[napi(catch_unwind)]
    pub fn claim(&self, key: String, lease_ms: f64) -> napi::Result<&'static str> {
        run(|| self.0.claim(&key, lease_ms, Dialect::NODE))
    }

    /// Marks `key` handled for `ttl_ms`.
    #[napi(catch_unwind)]
    pub fn complete(&self, key: String, ttl_ms: f64) -> napi::Result<()> {
        run(|| self.0.complete(&key, ttl_ms, Dialect::NODE))
    }

    /// Frees `key`.
    #[napi(catch_unwind)]
    pub fn release(&self, key: String) {
        self.0.release(&key);
    }

    /// `pending`, `done` or null.
    #[napi(catch_unwind)]
    pub fn state(&self, key: String) -> Option<&'static str> {
        self.0.state(&key)
    }

    /// Moves the store's clock forward by `ms`.
    #[napi(catch_unwind)]
    pub fn advance(&self, ms: f64) -> napi::Result<()> {
        run(|| self.0.advance(ms, Dialect::NODE))
    }
}

/// Parses a webhook body without authentication.
#[napi(catch_unwind)]
pub fn webhook_parse(body: Buffer) -> napi::Result<Value> {
    run(|| bridge::webhook_parse(&body, Dialect::NODE))
}

/// The headers a sender attaches to `body` (`{scheme, secret, ...}`).
#[napi(catch_unwind)]
pub fn webhook_sign(body: Buffer, options: Value) -> napi::Result<Value> {
    run(|| bridge::webhook_sign(&body, &options, Dialect::NODE))
}

/// The batch a client's threadsafe function hands to JavaScript: the finished calls' tickets
/// and their outcomes (JSON text), in the same order.
type Batch = FnArgs<(Vec<f64>, Vec<String>)>;

/// A client's wake-up of the JavaScript thread: weak (never what keeps Node alive: the
/// JavaScript half refs a timer while calls are in flight).
type Wake = ThreadsafeFunction<(), (), Batch, Status, false, true>;

/// Finished calls waiting for the JavaScript thread: (ticket, outcome JSON text).
type Finished = Arc<Mutex<Vec<(f64, String)>>>;

/// The native client (wrapped by `Client` in index.js).
///
/// Calls finish on the runtime's threads into `finished`; the one that finds the queue empty
/// wakes the JavaScript thread (one threadsafe-function call), whose callback takes the whole
/// queue: under load many calls settle per wake-up, and no call allocates a threadsafe
/// function of its own.
#[napi]
pub struct NativeClient {
    inner: paystar::Client,
    finished: Finished,
    wake: Arc<Wake>,
}

#[napi]
impl NativeClient {
    /// Builds a client from an options object (camelCase keys, times in milliseconds); core
    /// reads and checks every option. `onFinished(tickets, outcomes)` is called on the
    /// JavaScript thread with each batch of finished calls.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "options: any, binding: string, onFinished: (tickets: number[], outcomes: string[]) => void"
    )]
    pub fn new(
        options: Value,
        binding: String,
        on_finished: Function<'_, Batch, ()>,
    ) -> napi::Result<Self> {
        let inner = run(|| bridge::client(&options, Dialect::NODE, &binding))?;
        let finished: Finished = Arc::default();
        let queue = Arc::clone(&finished);
        let wake: Wake = on_finished
            .build_threadsafe_function::<()>()
            .weak::<true>()
            .callee_handled::<false>()
            .build_callback(move |_| {
                let batch = std::mem::take(&mut *lock(&queue));
                let (tickets, outcomes) = batch.into_iter().unzip();
                Ok(FnArgs::from((tickets, outcomes)))
            })?;
        Ok(NativeClient {
            inner,
            finished,
            wake: Arc::new(wake),
        })
    }

    /// The client's public attributes (never the key).
    #[napi(catch_unwind)]
    pub fn describe(&self) -> Value {
        bridge::client_value(self.inner.config(), Dialect::NODE)
    }

    /// Runs one operation on paystar's runtime; its outcome reaches `onFinished` under
    /// `ticket`: the JSON text of `{ok, value, events, telemetry}` (or `{ok: false, aborted:
    /// true, events: []}` when `cancel(callId)` stopped it). `input` is the request as JSON text
    /// (`JSON.stringify` is V8's fastest way across); `callId` 0 means no `AbortSignal`.
    /// `level`: 0 no events, 1 retries only, 2 every attempt, plus 4 for the call's telemetry
    /// (core's `Collect::from_bits`). Nothing calls JavaScript from the runtime's threads, and
    /// no second runtime is involved.
    #[napi(catch_unwind)]
    pub fn execute(
        &self,
        ticket: f64,
        operation: String,
        input: String,
        options: Value,
        call_id: i64,
        level: u32,
    ) {
        let settle = self.settle(ticket);
        let client = self.inner.clone();
        let collect = Collect::from_bits(level);
        let prepared = bridge::guard(|| {
            let op = Operation::from_name(&operation).ok_or_else(|| {
                paystar::Error::internal(format!("unknown operation {operation}"))
            })?;
            let mut body: Value = serde_json::from_str(&input)
                .map_err(|e| paystar::Error::internal(format!("the request is not JSON: {e}")))?;
            bridge::integral_numbers(&mut body);
            Ok((
                op,
                body,
                bridge::call_options(&options, Dialect::NODE)?,
                paystar::runtime::handle()?,
            ))
        });
        let (op, body, options, handle) = match prepared {
            Ok(p) => p,
            Err(e) => return settle.done(failed(&e, Vec::new()).to_string()),
        };
        let cancel = (call_id != 0).then(|| {
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            lock(&IN_FLIGHT)
                .get_or_insert_with(HashMap::new)
                .insert(call_id, tx);
            rx
        });
        handle.spawn(async move {
            let call = client.execute_logged(op, &body, Dialect::NODE.case, &options, collect);
            let done = match cancel {
                None => Some(call.await),
                Some(cancelled) => {
                    let done = tokio::select! {
                        done = call => Some(done),
                        _ = cancelled => None,
                    };
                    if let Some(map) = lock(&IN_FLIGHT).as_mut() {
                        map.remove(&call_id);
                    }
                    done
                }
            };
            let out = match done {
                Some((result, events)) => {
                    let report = bridge::call_report(client.config(), op, &result, &events, collect);
                    let events = to_value(&report.logs, Dialect::NODE);
                    let telemetry = to_value(&report.telemetry, Dialect::NODE);
                    match result {
                        Ok(r) => json!({"ok": true, "value": bridge::reply_value(&r, Dialect::NODE), "events": events, "telemetry": telemetry}),
                        Err(e) => json!({"ok": false, "value": bridge::error_value(&e, Dialect::NODE), "events": events, "telemetry": telemetry}),
                    }
                }
                None => json!({"ok": false, "aborted": true, "events": []}),
            };
            settle.done(out.to_string());
        });
    }
}

impl NativeClient {
    /// Where the work under `ticket` ends: this client's queue of finished calls.
    fn settle(&self, ticket: f64) -> Settle {
        Settle {
            ticket,
            finished: Some(Arc::clone(&self.finished)),
            wake: Arc::clone(&self.wake),
        }
    }
}

#[napi]
impl NativeClient {
    /// Opens a connection to the gateway ahead of the first call (core's `Client::warm_up`:
    /// a `HEAD` of the base URL without the key); its outcome reaches `onFinished` under
    /// `ticket`: `{ok: true, value: status}` or `{ok: false, value: error}`.
    #[napi(catch_unwind)]
    pub fn warm_up(&self, ticket: f64) {
        let settle = self.settle(ticket);
        let handle = match paystar::runtime::handle() {
            Ok(handle) => handle,
            Err(e) => return settle.done(failed(&e, Vec::new()).to_string()),
        };
        let client = self.inner.clone();
        handle.spawn(async move {
            let out = match client.warm_up().await {
                Ok(status) => json!({"ok": true, "value": status, "events": []}),
                Err(e) => failed(&e, Vec::new()),
            };
            settle.done(out.to_string());
        });
    }
}

/// A call's outcome, queued exactly once: the outcome, or (if the task ends any other way: a
/// panic, the runtime shutting down) an `internal_error`, so no call is left pending.
struct Settle {
    ticket: f64,
    /// `None` once queued.
    finished: Option<Finished>,
    wake: Arc<Wake>,
}

impl Settle {
    fn done(mut self, out: String) {
        self.queue(out);
    }

    /// Queues the outcome; the call that finds the queue empty wakes the JavaScript thread,
    /// whose callback takes everything queued by then.
    fn queue(&mut self, out: String) {
        let Some(finished) = self.finished.take() else {
            return;
        };
        let first = {
            let mut queue = lock(&finished);
            queue.push((self.ticket, out));
            queue.len() == 1
        };
        if first {
            // Fails only while Node is shutting down, when nothing is waiting any more.
            let _ = self.wake.call((), ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

impl Drop for Settle {
    fn drop(&mut self) {
        if self.finished.is_some() {
            let e = paystar::Error::internal("the call stopped before it finished (a bug)");
            self.queue(failed(&e, Vec::new()).to_string());
        }
    }
}

fn failed(e: &paystar::Error, events: Vec<Value>) -> Value {
    json!({"ok": false, "value": bridge::error_value(e, Dialect::NODE), "events": Value::Array(events)})
}

/// Aborts the call with this id, if it is still running (an `AbortSignal` fired).
#[napi(catch_unwind)]
pub fn cancel(call_id: i64) {
    if let Some(cancel) = lock(&IN_FLIGHT).as_mut().and_then(|m| m.remove(&call_id)) {
        let _ = cancel.send(());
    }
}

/// Core's constants: error codes, field-error rules, operations, the nesting limit, the
/// telemetry scope.
#[napi(catch_unwind)]
pub fn constants() -> Value {
    json!({
        "errorCodes": paystar::ErrorCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "rules": paystar::Rule::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "operations": Operation::ALL.iter().map(|o| o.name()).collect::<Vec<_>>(),
        "maxDepth": bridge::MAX_DEPTH,
        "defaultMockApiKey": paystar::mock::DEFAULT_MOCK_API_KEY,
        "webhookReasons": paystar::webhook::WebhookReason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "webhookSchemes": paystar::webhook::Scheme::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "maxWebhookBytes": paystar::webhook::MAX_WEBHOOK_BYTES,
        "webhookAnswers": bridge::webhook_answers(Dialect::NODE),
        "webhookStore": bridge::webhook_store_facts(Dialect::NODE),
        "telemetry": to_value(&bridge::telemetry_scope(), Dialect::NODE),
        "telemetryBit": Collect::TELEMETRY,
    })
}

/// The field error a converter reports (`kind`: `too_deep`, `too_large`, `undefined` or `not_json`, with
/// `what` it was) at the value reached through `parts` (keys and indices), in core's words.
#[napi(catch_unwind)]
pub fn field_problem(kind: String, parts: Vec<Value>, what: String) -> Value {
    let path = bridge::wire_path(&parts);
    let f = match kind.as_str() {
        "too_deep" => bridge::too_deep(&path),
        "too_large" => bridge::too_large(&path),
        "undefined" => bridge::undefined(&path),
        _ => bridge::not_json(&path, &what),
    };
    json!({"path": f.path, "rule": f.rule.as_str(), "message": f.message})
}

/// The error value for a list of converter problems: a `validation_error` for a request, a
/// `configuration_error` naming the option for options.
#[napi(catch_unwind)]
pub fn conversion_error(problems: Value, options: bool) -> napi::Result<Value> {
    let problems: Vec<paystar::FieldError> = serde_json::from_value(problems)
        .map_err(|e| to_napi(&paystar::Error::internal(e.to_string())))?;
    let e = if options {
        bridge::converted_options(Value::Null, problems)
    } else {
        bridge::converted(Value::Null, problems)
    };
    Ok(e.err()
        .map_or(Value::Null, |e| bridge::error_value(&e, Dialect::NODE)))
}

/// The native mock gateway (wrapped by `MockGateway` in index.js).
#[napi]
pub struct NativeMock(MockHandle);

#[napi]
impl NativeMock {
    /// Starts a gateway on 127.0.0.1 (port 0): options `{ apiKey, seed, webhook, tls, latency }`.
    #[napi(constructor, catch_unwind)]
    pub fn new(options: Value) -> napi::Result<Self> {
        run(|| MockHandle::start(&options, Dialect::NODE)).map(NativeMock)
    }

    /// The base URL (`http://127.0.0.1:<port>`).
    #[napi(getter, catch_unwind)]
    pub fn url(&self) -> String {
        self.0.url().to_owned()
    }

    /// The API key it accepts.
    #[napi(getter, catch_unwind)]
    pub fn api_key(&self) -> String {
        self.0.api_key().to_owned()
    }

    /// The PEM of the CA that signed its certificate (`tls` on), else null.
    #[napi(getter, catch_unwind)]
    pub fn ca_pem(&self) -> Option<String> {
        self.0.ca_pem().map(str::to_owned)
    }

    /// Queues faults (a list, one per coming request, or `{random: {...}}`).
    #[napi(catch_unwind)]
    pub fn script(&self, faults: Value) -> napi::Result<()> {
        run(|| self.0.script(&faults))
    }

    /// Forgets queued faults.
    #[napi(catch_unwind)]
    pub fn clear_script(&self) -> napi::Result<()> {
        run(|| self.0.clear_script())
    }

    /// Every request received, oldest first (key masked).
    #[napi(catch_unwind)]
    pub fn requests(&self) -> napi::Result<Value> {
        run(|| self.0.requests())
    }

    /// The gateway's record of a customer, or null.
    #[napi(catch_unwind)]
    pub fn customer(&self, email: String) -> napi::Result<Value> {
        run(|| self.0.customer(&email))
    }

    /// The gateway's record of an account, or null.
    #[napi(catch_unwind)]
    pub fn account(&self, number: String, sub: Option<String>) -> napi::Result<Value> {
        run(|| self.0.account(&number, sub.as_deref()))
    }

    /// How many sessions it has issued.
    #[napi(getter, catch_unwind)]
    pub fn session_count(&self) -> napi::Result<f64> {
        #[allow(clippy::cast_precision_loss)]
        run(|| self.0.session_count().map(|n| n as f64))
    }

    /// Moves its clock forward by `ms` milliseconds (at most 100 years in all).
    #[napi(catch_unwind)]
    pub fn advance_clock(&self, ms: f64) -> napi::Result<()> {
        run(|| self.0.advance_clock(ms, Dialect::NODE))
    }

    /// Everything the gateway holds: `url`, `requests`, `customers`, `accounts`.
    #[napi(catch_unwind)]
    pub fn snapshot(&self) -> napi::Result<Value> {
        run(|| self.0.snapshot())
    }

    /// Forgets the requests and sessions recorded so far (customers and accounts stay).
    #[napi(catch_unwind)]
    pub fn forget_requests(&self) -> napi::Result<()> {
        run(|| self.0.forget_requests())
    }

    /// Where completed sessions' webhooks go (`{url, scheme, secret, ...}`), or null.
    #[napi(catch_unwind)]
    pub fn set_webhook(&self, options: Value) -> napi::Result<()> {
        run(|| self.0.set_webhook(&options, Dialect::NODE))
    }

    /// Completes a session (id or URL) and delivers its webhook, on paystar's runtime (the
    /// receiving server may be on this very event loop, which stays free meanwhile). Resolves
    /// to `{ok, value}` like `execute`.
    #[napi(catch_unwind)]
    pub async fn complete(&self, session: String) -> napi::Result<Value> {
        let started = bridge::guard(|| {
            Ok((
                self.0.complete_future(&session)?,
                paystar::runtime::handle()?,
            ))
        });
        let (pending, handle) = match started {
            Ok(s) => s,
            Err(e) => return Ok(failed(&e, Vec::new())),
        };
        Ok(match handle.spawn(pending).await {
            Ok(Ok(done)) => {
                json!({"ok": true, "value": bridge::records::to_value(&done, Dialect::NODE)})
            }
            Ok(Err(e)) => failed(&e, Vec::new()),
            Err(join) => failed(
                &paystar::Error::internal(format!("complete failed: {join}")),
                Vec::new(),
            ),
        })
    }

    /// Stops it (idempotent).
    #[napi(catch_unwind)]
    pub fn stop(&self) {
        self.0.stop();
    }

    /// `MockGateway(url=..., running)`.
    #[napi(catch_unwind)]
    pub fn describe(&self) -> String {
        self.0.describe()
    }
}
