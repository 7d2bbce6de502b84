//! The native half of the `paystar` npm package: a thin napi-rs shim over the `paystar` core
//! crate. It converts JSON in and out and runs calls on core's shared runtime; the JavaScript
//! half (`index.js`) maps errors to classes, wires `AbortSignal` and logging. Every Paystar
//! rule is in core.
//!
//! Errors cross the boundary as a JS `Error` whose message is `PAYSTAR_ERROR_MARK` followed by
//! the error as JSON (code, message, status, field errors, ...); `index.js` turns it into the
//! `PaystarError` subclass for its code. Nothing here panics across the boundary: napi catches
//! panics in exported functions, and nothing here unwraps.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use paystar::{AttemptEvent, Case, Operation, RequestOptions};
use serde_json::{Value, json};

/// Prefix of an error message that carries a paystar error as JSON.
const MARK: &str = "\u{1}paystar:";

fn to_napi(error: &paystar::Error) -> napi::Error {
    napi::Error::new(
        Status::GenericFailure,
        format!("{MARK}{}", error_json(error)),
    )
}

fn error_json(e: &paystar::Error) -> Value {
    json!({
        "code": e.code().as_str(),
        "message": e.message_in(Case::Camel),
        "status": e.status(),
        "fieldErrors": e.field_errors().iter().map(|f| json!({
            "path": f.path, "rule": f.rule, "message": f.message,
        })).collect::<Vec<_>>(),
        "apiErrors": e.api_errors().iter().map(|a| json!({
            "propertyName": a.property_name, "errorMessage": a.error_message, "raw": a.raw,
        })).collect::<Vec<_>>(),
        "attempts": e.attempts(),
        "ambiguous": e.ambiguous(),
        "retryAfter": e.retry_after().map(|d| d.as_secs_f64() * 1000.0),
        "requestId": e.request_id(),
    })
}

fn event_json(e: &AttemptEvent) -> Value {
    json!({
        "operation": e.operation.name(),
        "method": e.method,
        "path": e.path,
        "attempt": e.attempt,
        "status": e.status,
        "elapsedMs": e.elapsed.as_secs_f64() * 1000.0,
        "requestId": e.request_id,
        "errorCode": e.error_code.map(|c| c.as_str()),
        "retryInMs": e.retry_in.map(|d| d.as_secs_f64() * 1000.0),
    })
}

fn ms(name: &str, value: &Value) -> paystar::Result<Duration> {
    match value.as_f64() {
        Some(v) => paystar::duration_from_units(name, v, 0.001),
        None => Err(paystar::Error::configuration(format!(
            "{name}: must be a number of milliseconds"
        ))),
    }
}

fn retries(value: &Value) -> paystar::Result<u32> {
    value
        .as_u64()
        .and_then(|r| u32::try_from(r).ok())
        .ok_or_else(|| {
            paystar::Error::configuration(format!(
                "maxRetries: must be a whole number from 0 up (got {value})"
            ))
        })
}

fn text(name: &str, value: &Value) -> paystar::Result<String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| paystar::Error::configuration(format!("{name}: must be a string")))
}

const CLIENT_OPTIONS: &[&str] = &[
    "apiKey",
    "environment",
    "baseUrl",
    "timeout",
    "connectTimeout",
    "maxRetries",
    "deadline",
    "userAgentSuffix",
    "proxy",
    "clientValidation",
];

/// Checks an options object: every key known (`undefined` values skipped).
fn known_keys<'a>(
    options: &'a Value,
    known: &[&str],
) -> paystar::Result<Vec<(&'a str, &'a Value)>> {
    let Some(map) = options.as_object() else {
        return if options.is_null() {
            Ok(Vec::new())
        } else {
            Err(paystar::Error::configuration("options: must be an object"))
        };
    };
    let mut out = Vec::new();
    for (k, v) in map {
        if !known.contains(&k.as_str()) {
            let hint = paystar::models::input::did_you_mean(k, known)
                .map(|c| format!(" (did you mean {c}?)"))
                .unwrap_or_default();
            return Err(paystar::Error::configuration(format!(
                "{k}: is not a known option{hint}; known: {}",
                known.join(", ")
            )));
        }
        if !v.is_null() {
            out.push((k.as_str(), v));
        }
    }
    Ok(out)
}

/// JavaScript has one number type, so an integer-valued number (15000, 2**53) arrives here as a
/// float; it is turned back into an integer so core sees what the caller wrote. Fractional
/// numbers stay floats (core refuses them as amounts).
fn integers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                // 2^63 is exactly representable; anything below it fits an i64.
                if f.fract() == 0.0 && f.abs() < 9_223_372_036_854_775_808.0 {
                    #[allow(clippy::cast_possible_truncation)]
                    let i = f as i64;
                    *value = Value::from(i);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integers),
        Value::Object(map) => map.values_mut().for_each(integers),
        _ => {}
    }
}

tokio::task_local! {
    /// The attempt events of the call running in this task (for the JS logger).
    static EVENTS: Arc<Mutex<Vec<Value>>>;
}

fn record(event: &AttemptEvent) {
    let _ = EVENTS.try_with(|events| {
        lock(events).push(event_json(event));
    });
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn build_client(options: &Value, node_version: &str) -> paystar::Result<paystar::Client> {
    let mut b = paystar::Client::builder()
        .binding(format!("node {node_version}"))
        .on_attempt(record);
    for (key, v) in known_keys(options, CLIENT_OPTIONS)? {
        b = match key {
            "apiKey" => b.api_key(text(key, v)?),
            "environment" => b.environment_name(text(key, v)?),
            "baseUrl" => b.base_url(text(key, v)?),
            "timeout" => b.timeout(ms(key, v)?),
            "connectTimeout" => b.connect_timeout(ms(key, v)?),
            "maxRetries" => b.max_retries(retries(v)?),
            "deadline" => b.deadline(ms(key, v)?),
            "userAgentSuffix" => b.user_agent_suffix(text(key, v)?),
            "proxy" => b.proxy(text(key, v)?),
            "clientValidation" => match v.as_bool() {
                Some(on) => b.client_validation(on),
                None => {
                    return Err(paystar::Error::configuration(
                        "clientValidation: must be true or false",
                    ));
                }
            },
            _ => b,
        };
    }
    b.build()
}

/// Calls in flight that JS may cancel (an `AbortSignal` fired), by call id.
static IN_FLIGHT: Mutex<Option<HashMap<u32, tokio::task::AbortHandle>>> = Mutex::new(None);

/// The native client (wrapped by `Client` in index.js).
#[napi]
pub struct NativeClient {
    inner: paystar::Client,
}

#[napi]
impl NativeClient {
    /// Builds a client from an options object (camelCase keys, times in milliseconds).
    #[napi(constructor)]
    pub fn new(options: Value, node_version: String) -> napi::Result<Self> {
        build_client(&options, &node_version)
            .map(|inner| NativeClient { inner })
            .map_err(|e| to_napi(&e))
    }

    /// A description without the key: environment, base URL, timeout (ms), retries.
    #[napi]
    pub fn describe(&self) -> Value {
        let c = self.inner.config();
        json!({
            "environment": c.environment().map(|e| e.as_str()),
            "baseUrl": c.base_url().as_str(),
            "timeout": c.timeout().as_secs_f64() * 1000.0,
            "maxRetries": c.max_retries(),
            "loaderUrl": c.environment().map(|e| e.loader_url()),
        })
    }

    /// Runs one operation; resolves to `{session, events}` or rejects with a marked error
    /// (whose JSON also carries `events`). `callId` lets `cancel(callId)` abort it.
    #[napi]
    pub async fn execute(
        &self,
        operation: String,
        mut input: Value,
        options: Value,
        call_id: u32,
    ) -> napi::Result<Value> {
        integers(&mut input);
        let client = self.inner.clone();
        let run = async move {
            let op = Operation::from_name(&operation).ok_or_else(|| {
                paystar::Error::configuration(format!("unknown operation {operation}"))
            })?;
            let mut opts = RequestOptions::default();
            for (key, v) in known_keys(&options, &["timeout", "maxRetries", "signal"])? {
                match key {
                    "timeout" => opts.timeout = Some(ms(key, v)?),
                    "maxRetries" => opts.max_retries = Some(retries(v)?),
                    _ => {}
                }
            }
            let handle = paystar::runtime::handle()?;
            let events = Arc::new(Mutex::new(Vec::new()));
            let task_events = Arc::clone(&events);
            let task = handle.spawn(EVENTS.scope(task_events, async move {
                client.execute(op, &input, Case::Camel, &opts).await
            }));
            lock(&IN_FLIGHT)
                .get_or_insert_with(HashMap::new)
                .insert(call_id, task.abort_handle());
            let joined = task.await;
            if let Some(map) = lock(&IN_FLIGHT).as_mut() {
                map.remove(&call_id);
            }
            let events = Value::Array(std::mem::take(&mut *lock(&events)));
            Ok::<_, paystar::Error>(match joined {
                Ok(Ok(session)) => Ok(json!({ "session": session, "events": events })),
                Ok(Err(e)) => {
                    let mut j = error_json(&e);
                    j["events"] = events;
                    Err(j)
                }
                Err(join) if join.is_cancelled() => {
                    Err(json!({ "code": "aborted", "events": events }))
                }
                Err(join) => Err(json!({ "code": "internal", "message": join.to_string() })),
            })
        };
        match run.await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(j)) => Err(napi::Error::new(
                Status::GenericFailure,
                format!("{MARK}{j}"),
            )),
            Err(e) => Err(to_napi(&e)),
        }
    }
}

/// Aborts the call with this id, if it is still running (an `AbortSignal` fired).
#[napi]
pub fn cancel(call_id: u32) {
    if let Some(handle) = lock(&IN_FLIGHT).as_mut().and_then(|m| m.remove(&call_id)) {
        handle.abort();
    }
}

/// Every core error code.
#[napi]
pub fn error_codes() -> Vec<&'static str> {
    paystar::ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// Every operation name (snake_case, as in the vectors).
#[napi]
pub fn operations() -> Vec<&'static str> {
    paystar::Operation::ALL.iter().map(|o| o.name()).collect()
}

/// The wire field paths of an operation's request with whether each is required (keeps the
/// TypeScript interfaces in step with core).
#[napi]
pub fn request_fields(operation: String) -> napi::Result<Vec<(String, bool)>> {
    let op = Operation::from_name(&operation).ok_or_else(|| {
        napi::Error::new(Status::InvalidArg, format!("unknown operation {operation}"))
    })?;
    Ok(paystar::models::input::field_paths(op))
}

/// The native mock gateway (wrapped by `MockGateway` in index.js).
#[napi]
pub struct NativeMock {
    inner: Mutex<Option<paystar::mock::MockGateway>>,
    url: String,
    api_key: String,
}

impl NativeMock {
    fn with<T>(&self, f: impl FnOnce(&paystar::mock::MockGateway) -> T) -> napi::Result<T> {
        match lock(&self.inner).as_ref() {
            Some(g) => Ok(f(g)),
            None => Err(to_napi(&paystar::Error::configuration(
                "this MockGateway is stopped",
            ))),
        }
    }
}

#[napi]
impl NativeMock {
    /// Starts a gateway on 127.0.0.1 (port 0): options `{ apiKey, seed }`.
    #[napi(constructor)]
    pub fn new(options: Value) -> napi::Result<Self> {
        let mut o = paystar::mock::MockOptions::default();
        for (key, v) in known_keys(&options, &["apiKey", "seed"]).map_err(|e| to_napi(&e))? {
            match key {
                "apiKey" => o.api_key = text(key, v).map_err(|e| to_napi(&e))?,
                "seed" => {
                    o.seed = v.as_u64().ok_or_else(|| {
                        to_napi(&paystar::Error::configuration(
                            "seed: must be a whole number",
                        ))
                    })?
                }
                _ => {}
            }
        }
        let g = paystar::mock::MockGateway::start_with(o).map_err(|e| to_napi(&e))?;
        Ok(NativeMock {
            url: g.url().to_owned(),
            api_key: g.api_key().to_owned(),
            inner: Mutex::new(Some(g)),
        })
    }

    /// The base URL (`http://127.0.0.1:<port>`).
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The API key it accepts.
    #[napi(getter)]
    pub fn api_key(&self) -> String {
        self.api_key.clone()
    }

    /// Queues faults (a list, one per coming request, or `{random: {...}}`).
    #[napi]
    pub fn script(&self, faults: Value) -> napi::Result<()> {
        self.with(|g| g.script_json(&faults))?
            .map_err(|e| to_napi(&e))
    }

    /// Forgets queued faults.
    #[napi]
    pub fn clear_script(&self) -> napi::Result<()> {
        self.with(paystar::mock::MockGateway::clear_script)
    }

    /// Every request received, oldest first (key masked).
    #[napi]
    pub fn requests(&self) -> napi::Result<Value> {
        let list = self.with(paystar::mock::MockGateway::requests)?;
        serde_json::to_value(list).map_err(|e| napi::Error::from_reason(e.to_string()))
    }

    /// The gateway's record of a customer, or null.
    #[napi]
    pub fn customer(&self, email: String) -> napi::Result<Value> {
        Ok(self.with(|g| g.customer(&email))?.unwrap_or(Value::Null))
    }

    /// The gateway's record of an account, or null.
    #[napi]
    pub fn account(&self, number: String, sub: Option<String>) -> napi::Result<Value> {
        Ok(self
            .with(|g| g.account(&number, sub.as_deref()))?
            .unwrap_or(Value::Null))
    }

    /// How many sessions it has issued.
    #[napi(getter)]
    pub fn session_count(&self) -> napi::Result<u32> {
        self.with(|g| u32::try_from(g.session_count()).unwrap_or(u32::MAX))
    }

    /// Moves its clock forward by `ms` milliseconds.
    #[napi]
    pub fn advance_clock(&self, ms: f64) -> napi::Result<()> {
        let by = Duration::try_from_secs_f64(ms / 1000.0)
            .map_err(|e| napi::Error::new(Status::InvalidArg, e.to_string()))?;
        self.with(|g| g.advance_clock(by))
    }

    /// Stops it (idempotent).
    #[napi]
    pub fn stop(&self) {
        if let Some(g) = lock(&self.inner).take() {
            g.stop();
        }
    }

    /// Whether it is running.
    #[napi(getter)]
    pub fn running(&self) -> bool {
        lock(&self.inner).is_some()
    }
}
