//! Webhooks for the JVM: core's verifier, parser and signer (`paystar::bridge`), events as a
//! uniffi record; and the mock's completion. The Kotlin layer (`io.paystar.webhooks`) adds the
//! typed options, `java.time` and the framework-free handler.

use std::collections::HashMap;
use std::sync::Arc;

use paystar::bridge::{self, Dialect};
use serde::Deserialize;
use serde_json::Value;

use crate::records::parse_json;
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

/// Core's webhook verifier (wrapped by `io.paystar.webhooks.WebhookVerifier`).
#[derive(uniffi::Object)]
pub struct NativeWebhookVerifier(paystar::webhook::WebhookVerifier);

#[uniffi::export]
impl NativeWebhookVerifier {
    /// From options (`scheme`, `header`, `encoding`, `timestampHeader`, `tolerance` in ms) and
    /// the secrets.
    #[uniffi::constructor]
    pub fn new(
        options: HashMap<String, OptionValue>,
        secrets: Vec<String>,
    ) -> Result<Arc<Self>, NativeError> {
        let v =
            guarded(|| bridge::webhook_verifier(&with_secrets(options, secrets), Dialect::KOTLIN))?;
        Ok(Arc::new(NativeWebhookVerifier(v)))
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
                &self.0,
                &body,
                &headers,
                now,
                Dialect::KOTLIN,
            )?)
        })
    }

    /// Scheme and header names, never a secret.
    pub fn describe(&self) -> String {
        format!("{:?}", self.0)
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

/// For the vector runner: a webhook vector's body.
#[uniffi::export]
pub fn vector_body(case_json: String) -> Result<Vec<u8>, NativeError> {
    guarded(|| Ok(bridge::vector_body(&parse_json(&case_json)?)))
}

/// For the vector runner: core's checks of a webhook vector's outcome (JSON texts).
#[uniffi::export]
pub fn check_webhook_vector(
    case_json: String,
    outcome_json: String,
) -> Result<Vec<String>, NativeError> {
    guarded(|| {
        Ok(bridge::check_webhook_vector(
            &parse_json(&case_json)?,
            &parse_json(&outcome_json)?,
        ))
    })
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
