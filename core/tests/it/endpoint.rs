//! Runs every webhook endpoint vector (`tests/vectors/webhooks/endpoint.json`) twice: through
//! the typed API (`Endpoint::handle_at` with a `MemoryStore`), and through the bridge's steps
//! as a binding's adapter drives them (receive, claim, settle, with core's `MemoryStoreHandle`).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use paystar::bridge::{self, Dialect, MemoryStoreHandle};
use paystar::webhook::{Claim, DedupeStore, Endpoint, MemoryStore};
use serde_json::{Map, Value, json};

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/webhooks/endpoint.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The case's verifier options as Python's bridge takes them (seconds).
fn options(spec: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in spec.as_object().unwrap() {
        let name = match k.as_str() {
            "lease_s" => "lease",
            "done_ttl_s" => "done_ttl",
            other => other,
        };
        out.insert(name.into(), v.clone());
    }
    Value::Object(out)
}

/// A delivery's body and headers, signed at `now`.
fn delivery(file: &Value, name: &str, now: i64) -> (Vec<u8>, Value) {
    let spec = &file["deliveries"][name];
    let body = paystar::testing::vector_body(spec);
    let headers = match spec.get("sign") {
        Some(sign) => {
            let mut sign = sign.clone();
            sign["timestamp"] = json!(now);
            bridge::webhook_sign(&body, &sign, Dialect::PYTHON).unwrap()
        }
        None => json!({}),
    };
    (body, headers)
}

/// What the handler does for a step: `Ok(status)` or how it failed.
fn outcome_of(handler: &str) -> Result<Option<u16>, Fail> {
    match handler {
        "ok" => Ok(None),
        "raise" => Err(Fail::Raised),
        "never_returns" => Err(Fail::Died),
        status => Ok(Some(status.trim_start_matches("status_").parse().unwrap())),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fail {
    Raised,
    Died,
}

/// A store that counts its operations and can "die": once the process died inside a handler,
/// nothing it would still have done reaches the store.
#[derive(Default)]
struct Recording {
    inner: MemoryStore,
    ops: AtomicU32,
    dead: AtomicBool,
}

impl DedupeStore for Recording {
    async fn claim(&self, key: &str, lease: Duration) -> paystar::Result<Claim> {
        self.ops.fetch_add(1, Ordering::SeqCst);
        self.inner.claim(key, lease).await
    }
    async fn complete(&self, key: &str, ttl: Duration) -> paystar::Result<()> {
        if !self.dead.load(Ordering::SeqCst) {
            self.ops.fetch_add(1, Ordering::SeqCst);
            self.inner.complete(key, ttl).await?;
        }
        Ok(())
    }
    async fn release(&self, key: &str) -> paystar::Result<()> {
        if !self.dead.load(Ordering::SeqCst) {
            self.ops.fetch_add(1, Ordering::SeqCst);
            self.inner.release(key).await?;
        }
        Ok(())
    }
}

/// One case through the typed API.
struct Typed<'a> {
    file: &'a Value,
    endpoint: Endpoint,
    store: Recording,
    now: Cell<i64>,
    calls: Cell<u64>,
}

impl Typed<'_> {
    fn deliver<'s>(&'s self, step: &'s Value) -> Pin<Box<dyn Future<Output = Value> + 's>> {
        Box::pin(async move {
            let (body, headers) =
                delivery(self.file, step["deliver"].as_str().unwrap(), self.now.get());
            let headers = bridge::webhook_headers(&headers).unwrap();
            let outer_ops = self.store.ops.swap(0, Ordering::SeqCst);
            let handler = |_event| async move {
                self.calls.set(self.calls.get() + 1);
                if let Some(during) = step.get("during") {
                    let outcome = self.deliver(during).await;
                    let problems = paystar::testing::check_endpoint_step(during, &outcome);
                    assert!(problems.is_empty(), "during: {problems:?}");
                }
                let outcome = outcome_of(step["handler"].as_str().unwrap());
                if outcome == Err(Fail::Died) {
                    self.store.dead.store(true, Ordering::SeqCst);
                }
                outcome
            };
            let result = self
                .endpoint
                .handle_at(&body, &headers, self.now.get(), &self.store, handler)
                .await;
            let answer = match result {
                Ok(a) => json!({"status": a.status, "body": a.body_text()}),
                Err(Fail::Raised) => json!("raised"),
                Err(Fail::Died) => json!("died"),
            };
            self.store.dead.store(false, Ordering::SeqCst);
            let ops = self.store.ops.swap(outer_ops, Ordering::SeqCst);
            let states = store_states(step, |k| self.store.inner.state(k));
            json!({"answer": answer, "handler_calls": self.calls.get(), "store": states, "store_ops": ops})
        })
    }
}

fn store_states(step: &Value, state: impl Fn(&str) -> Option<&'static str>) -> Value {
    Value::Object(
        step["expect"]["store"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| (k.clone(), json!(state(k))))
            .collect(),
    )
}

/// One case through the bridge, as a binding's adapter runs it: the same three steps, the
/// store and the handler in the "host language" (here, plain code), every rule from core.
struct Bridged<'a> {
    file: &'a Value,
    endpoint: Endpoint,
    store: MemoryStoreHandle,
    now: Cell<i64>,
    calls: Cell<u64>,
}

impl Bridged<'_> {
    fn deliver(&self, step: &Value) -> Value {
        let d = Dialect::PYTHON;
        let (body, headers) =
            delivery(self.file, step["deliver"].as_str().unwrap(), self.now.get());
        let mut ops = 0;
        let reception =
            bridge::webhook_receive(&self.endpoint, &body, &headers, Some(self.now.get()), d)
                .unwrap();
        let answer = 'answer: {
            if let Some(refused) = reception.get("refused") {
                break 'answer refused["answer"].clone();
            }
            let delivery = &reception["delivery"];
            let key = delivery["store_key"].as_str().unwrap();
            ops += 1;
            let claim = self
                .store
                .claim(key, delivery["lease"].as_f64().unwrap(), d)
                .unwrap();
            let early = bridge::webhook_after_claim(claim).unwrap();
            if !early.is_null() {
                break 'answer early;
            }
            self.calls.set(self.calls.get() + 1);
            if let Some(during) = step.get("during") {
                let outcome = self.deliver(during);
                let problems = paystar::testing::check_endpoint_step(during, &outcome);
                assert!(problems.is_empty(), "during: {problems:?}");
            }
            let outcome = outcome_of(step["handler"].as_str().unwrap());
            if outcome == Err(Fail::Died) {
                // The process is gone: nothing after the handler runs.
                break 'answer json!("died");
            }
            let (raised, status) = match outcome {
                Ok(status) => (false, status),
                Err(_) => (true, None),
            };
            let settle = bridge::webhook_settle(&self.endpoint, raised, status, d);
            ops += 1;
            match settle["store"].as_str().unwrap() {
                "complete" => self
                    .store
                    .complete(key, settle["ttl"].as_f64().unwrap(), d)
                    .unwrap(),
                _ => self.store.release(key),
            }
            match (&settle["answer"], raised) {
                (Value::Null, true) => json!("raised"),
                (Value::Null, false) => json!({"status": status.unwrap(), "body": ""}),
                (answer, _) => answer.clone(),
            }
        };
        let states = store_states(step, |k| self.store.state(k));
        json!({"answer": answer, "handler_calls": self.calls.get(), "store": states, "store_ops": ops})
    }
}

#[test]
fn every_endpoint_vector_through_the_typed_api_and_the_bridge() {
    let file = vectors();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut problems = Vec::new();
    let mut steps = 0;
    for case in file["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let endpoint = bridge::webhook_endpoint(&options(&case["verifier"]), Dialect::PYTHON)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let now = file["now_default"].as_i64().unwrap();
        let typed = Typed {
            file: &file,
            endpoint: endpoint.clone(),
            store: Recording::default(),
            now: Cell::new(now),
            calls: Cell::new(0),
        };
        let bridged = Bridged {
            file: &file,
            endpoint,
            store: MemoryStoreHandle::new(),
            now: Cell::new(now),
            calls: Cell::new(0),
        };
        for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            if let Some(s) = step.get("advance_s").and_then(Value::as_i64) {
                typed.now.set(typed.now.get() + s);
                bridged.now.set(bridged.now.get() + s);
                typed.store.inner.advance(Duration::from_secs(s as u64));
                bridged.store.advance(s as f64, Dialect::PYTHON).unwrap();
                continue;
            }
            steps += 1;
            let outcome = runtime.block_on(typed.deliver(step));
            for p in paystar::testing::check_endpoint_step(step, &outcome) {
                problems.push(format!("{name} step {i} (typed): {p}"));
            }
            let outcome = bridged.deliver(step);
            for p in paystar::testing::check_endpoint_step(step, &outcome) {
                problems.push(format!("{name} step {i} (bridge): {p}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(steps >= 30, "only {steps} delivery steps");
}
