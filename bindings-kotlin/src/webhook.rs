//! Webhooks for the JVM: core's verifier, parser and signer (`paystar::bridge`), events as a
//! uniffi record; and the mock's completion. The Kotlin layer (`io.paystar.webhooks`) adds the
//! typed options, `java.time` and the framework-free handler.

use std::collections::HashMap;
use std::sync::Arc;

use paystar::bridge::{self, Dialect};
use serde::Deserialize;
use serde_json::Value;

use crate::{NativeError, OptionValue, guarded, options_value};

fn json_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Value::deserialize(d).map(|v| v.to_string())
}

/// A parsed webhook (core's event value). Fields the template lacks are `null`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WebhookEventRecord {
    /// The event type (`Payment.Succeeded`, ...).
    pub action: Option<String>,
    /// `payload` as JSON text.
    #[serde(rename = "payload", deserialize_with = "json_text")]
    pub payload_json: String,
    /// The whole body as JSON text.
    #[serde(rename = "raw", deserialize_with = "json_text")]
    pub raw_json: String,
    /// The payment session's id.
    pub session_identifier: Option<String>,
    /// `payload.status`.
    pub status: Option<String>,
    /// Paystar's reference number.
    pub reference_number: Option<String>,
    /// `payload.accountNumber`.
    pub account_number: Option<String>,
    /// `payload.accountName`.
    pub account_name: Option<String>,
    /// `payload.amount` in cents, converted exactly.
    pub amount_cents: Option<i64>,
    /// `payload.serviceFee` in cents.
    pub service_fee_cents: Option<i64>,
    /// The same for every redelivery of one event.
    pub idempotency_key: String,
}

fn event(value: Value) -> paystar::Result<WebhookEventRecord> {
    serde_json::from_value(value).map_err(|drift| {
        paystar::Error::internal(format!(
            "paystar's Kotlin records lag core's webhook event shape: {drift}"
        ))
    })
}

/// Options, with `secrets` (a list, which `OptionValue` cannot carry) added.
fn with_secrets(options: HashMap<String, OptionValue>, secrets: Vec<String>) -> Value {
    let mut v = options_value(options);
    if let Some(map) = v.as_object_mut() {
        map.insert("secrets".into(), secrets.into());
    }
    v
}

/// Core's webhook endpoint: a verifier, a lease and a done TTL (wrapped by
/// `io.paystar.webhooks.WebhookVerifier`).
#[derive(uniffi::Object)]
pub struct NativeWebhookVerifier(paystar::webhook::Endpoint);

/// What an endpoint answers: a status and a JSON body (empty for none).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct WebhookAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body, `""` for none.
    pub body: String,
}

/// The endpoint's first step, as core decided it: refused, or a delivery to claim.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Reception {
    /// The answer to a refused delivery (touch no store).
    pub refused: Option<WebhookAnswer>,
    /// Why it was refused.
    pub error: Option<crate::ErrorInfo>,
    /// The authentic event.
    pub event: Option<WebhookEventRecord>,
    /// The key to claim.
    pub store_key: String,
    /// The claim's lease, in milliseconds.
    pub lease_ms: f64,
}

/// The endpoint's last step: complete the key for `ttl_ms` or release it, and core's answer
/// (`None`: the handler's own, or its exception).
#[derive(Debug, Clone, PartialEq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// `complete` or `release`.
    pub store: String,
    /// How long to remember a completed key, in milliseconds.
    pub ttl: Option<f64>,
    /// Core's answer.
    pub answer: Option<WebhookAnswer>,
}

fn record<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> paystar::Result<T> {
    serde_json::from_value(value).map_err(|drift| {
        paystar::Error::internal(format!(
            "paystar's Kotlin records lag core's {what} shape: {drift}"
        ))
    })
}

#[uniffi::export]
impl NativeWebhookVerifier {
    /// From options (`scheme`, `header`, `encoding`, `timestampHeader`, `tolerance`, `lease`,
    /// `doneTtl` in ms) and the secrets.
    #[uniffi::constructor]
    pub fn new(
        options: HashMap<String, OptionValue>,
        secrets: Vec<String>,
    ) -> Result<Arc<Self>, NativeError> {
        let v =
            guarded(|| bridge::webhook_endpoint(&with_secrets(options, secrets), Dialect::KOTLIN))?;
        Ok(Arc::new(NativeWebhookVerifier(v)))
    }

    /// The endpoint's first step. `now`: Unix seconds, for tests.
    pub fn receive(
        &self,
        body: Vec<u8>,
        headers: HashMap<String, Vec<String>>,
        now: Option<i64>,
    ) -> Result<Reception, NativeError> {
        guarded(|| {
            let headers = serde_json::to_value(headers).unwrap_or_default();
            let mut step = bridge::webhook_receive(&self.0, &body, &headers, now, Dialect::KOTLIN)?;
            if let Some(refused) = step.get_mut("refused") {
                return Ok(Reception {
                    refused: Some(record(refused["answer"].take(), "webhook answer")?),
                    error: Some(record(refused["error"].take(), "error")?),
                    event: None,
                    store_key: String::new(),
                    lease_ms: 0.0,
                });
            }
            let d = &mut step["delivery"];
            Ok(Reception {
                refused: None,
                error: None,
                event: Some(event(d["event"].take())?),
                store_key: d["storeKey"].as_str().unwrap_or_default().to_owned(),
                lease_ms: d["lease"].as_f64().unwrap_or_default(),
            })
        })
    }

    /// The endpoint's last step, for a handler that `raised` or answered `status` (`None`: no
    /// response of its own).
    pub fn settle(&self, raised: bool, status: Option<u16>) -> Result<Settlement, NativeError> {
        guarded(|| {
            record(
                bridge::webhook_settle(&self.0, raised, status, Dialect::KOTLIN),
                "settlement",
            )
        })
    }

    /// Authenticates then parses. `now`: Unix seconds, for tests.
    pub fn verify(
        &self,
        body: Vec<u8>,
        headers: HashMap<String, Vec<String>>,
        now: Option<i64>,
    ) -> Result<WebhookEventRecord, NativeError> {
        guarded(|| {
            let headers = serde_json::to_value(headers).unwrap_or_default();
            event(bridge::webhook_verify(
                self.0.verifier(),
                &body,
                &headers,
                now,
                Dialect::KOTLIN,
            )?)
        })
    }

    /// Scheme and header names, never a secret.
    pub fn describe(&self) -> String {
        format!("{:?}", self.0.verifier())
    }
}

/// The endpoint's middle step: the answer for a store's claim (`claimed`, `in_progress`,
/// `done`), or `None` to run the handler.
#[uniffi::export]
pub fn webhook_after_claim(claim: String) -> Result<Option<WebhookAnswer>, NativeError> {
    guarded(|| {
        let answer = bridge::webhook_after_claim(&claim)?;
        if answer.is_null() {
            return Ok(None);
        }
        record(answer, "webhook answer").map(Some)
    })
}

/// A shared store's claim when its atomic add failed, from the value it holds for the key.
#[uniffi::export]
pub fn claim_of_existing(stored: Option<String>) -> String {
    bridge::claim_of_existing(stored.as_deref()).to_owned()
}

/// What an adapter needs of the store and the body: `pending`, `done`, the key prefix and how
/// many body bytes to read at most.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct WebhookStoreFacts {
    /// The value of a claimed key in a shared store.
    pub pending: String,
    /// The value of a handled key.
    pub done: String,
    /// What every key starts with.
    pub key_prefix: String,
    /// The most body bytes an endpoint reads (one more than it accepts).
    pub read_limit: u32,
}

/// Core's store facts.
#[uniffi::export]
pub fn webhook_store_facts() -> Result<WebhookStoreFacts, NativeError> {
    guarded(|| record(bridge::webhook_store_facts(), "store facts"))
}

/// The answers an adapter sends on its own: `misconfigured` (500) and `storeUnavailable` (503).
#[uniffi::export]
pub fn webhook_answers() -> Result<HashMap<String, WebhookAnswer>, NativeError> {
    guarded(|| record(bridge::webhook_answers(), "webhook answers"))
}

/// Core's in-memory dedupe store (wrapped by `io.paystar.webhooks.MemoryDedupeStore`);
/// milliseconds.
#[derive(uniffi::Object)]
pub struct NativeMemoryStore(bridge::MemoryStoreHandle);

#[uniffi::export]
impl NativeMemoryStore {
    /// An empty store.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(NativeMemoryStore(bridge::MemoryStoreHandle::new()))
    }

    /// `claimed`, `in_progress` or `done`.
    pub fn claim(&self, key: String, lease_ms: f64) -> Result<String, NativeError> {
        guarded(|| {
            self.0
                .claim(&key, lease_ms, Dialect::KOTLIN)
                .map(str::to_owned)
        })
    }

    /// Marks `key` handled for `ttl_ms`.
    pub fn complete(&self, key: String, ttl_ms: f64) -> Result<(), NativeError> {
        guarded(|| self.0.complete(&key, ttl_ms, Dialect::KOTLIN))
    }

    /// Frees `key`.
    pub fn release(&self, key: String) {
        self.0.release(&key);
    }

    /// `pending`, `done` or `None`.
    pub fn state(&self, key: String) -> Option<String> {
        self.0.state(&key).map(str::to_owned)
    }

    /// Moves the store's clock forward by `ms`.
    pub fn advance(&self, ms: f64) -> Result<(), NativeError> {
        guarded(|| self.0.advance(ms, Dialect::KOTLIN))
    }
}

/// Parses a webhook body without authentication.
#[uniffi::export]
pub fn webhook_parse(body: Vec<u8>) -> Result<WebhookEventRecord, NativeError> {
    guarded(|| event(bridge::webhook_parse(&body, Dialect::KOTLIN)?))
}

/// The headers a sender attaches to `body`.
#[uniffi::export]
pub fn webhook_sign(
    body: Vec<u8>,
    options: HashMap<String, OptionValue>,
) -> Result<HashMap<String, String>, NativeError> {
    guarded(|| {
        let headers = bridge::webhook_sign(&body, &options_value(options), Dialect::KOTLIN)?;
        Ok(headers
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect())
    })
}

/// Every webhook refusal reason.
#[uniffi::export]
pub fn webhook_reasons() -> Vec<String> {
    paystar::webhook::WebhookReason::ALL
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect()
}

/// One delivery of a webhook by the mock.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// The endpoint's status (`null` when unreachable).
    pub status: Option<i32>,
    /// Why it was unreachable.
    pub error: Option<String>,
}

/// What completing a session on the mock did.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Completion {
    /// The session's id.
    pub session_id: String,
    /// Its kind.
    pub kind: String,
    /// The webhook's event type (`null` for kinds Paystar documents no webhook for).
    pub event: Option<String>,
    /// The body sent.
    pub body: Option<String>,
    /// The reference number given.
    pub reference_number: String,
    /// Each delivery, in order.
    pub deliveries: Vec<Delivery>,
    /// Where the session page sends the browser next.
    pub next_url: Option<String>,
}

pub(crate) fn completion(value: Value) -> paystar::Result<Completion> {
    serde_json::from_value(value).map_err(|drift| {
        paystar::Error::internal(format!(
            "paystar's Kotlin records lag core's completion shape: {drift}"
        ))
    })
}
