//! Webhooks for the JVM: core's verifier, parser and signer (`paystar::bridge`), events as a
//! uniffi record; and the mock's completion. The Kotlin layer (`io.paystar.webhooks`) adds the
//! typed options, `java.time` and the framework-free handler.

use std::collections::HashMap;
use std::sync::Arc;

use paystar::bridge::{self, Dialect};
use serde_json::Value;

use crate::{
    AnswerRecord, AnswersRecord, NativeError, OptionValue, ReceptionRecord, SettlementRecord,
    StoreFactsRecord, WebhookEventRecord, guarded, options_value,
};

/// Options, with `secrets` (a list, which `OptionValue` cannot carry) added.
fn with_secrets(options: HashMap<String, OptionValue>, secrets: Vec<Option<String>>) -> Value {
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

#[uniffi::export]
impl NativeWebhookVerifier {
    /// From options (`scheme`, `header`, `encoding`, `timestampHeader`, `tolerance`, `lease`,
    /// `doneTtl` in ms) and the secrets.
    #[uniffi::constructor]
    pub fn new(
        options: HashMap<String, OptionValue>,
        // Nullable: a Java list may hold a null (`System.getenv` of an unset variable), which
        // core then names instead of the JVM failing inside the marshalling.
        secrets: Vec<Option<String>>,
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
    ) -> Result<ReceptionRecord, NativeError> {
        guarded(|| {
            let headers = serde_json::to_value(headers).unwrap_or_default();
            bridge::webhook_receive_record(&self.0, &body, &headers, now, Dialect::KOTLIN)
        })
    }

    /// The endpoint's last step, for a handler that `raised` or answered `status` (`None`: no
    /// response of its own).
    pub fn settle(&self, raised: bool, status: Option<u16>) -> SettlementRecord {
        bridge::webhook_settle_record(&self.0, raised, status)
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
            bridge::webhook_verify_record(self.0.verifier(), &body, &headers, now)
        })
    }

    /// The headers verification reads (core's `WebhookVerifier::header_names`).
    pub fn header_names(&self) -> Vec<String> {
        self.0
            .verifier()
            .header_names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// Scheme and header names, never a secret.
    pub fn describe(&self) -> String {
        format!("{:?}", self.0.verifier())
    }
}

/// The endpoint's middle step: the answer for a store's claim (`claimed`, `in_progress`,
/// `done`), or `None` to run the handler.
#[uniffi::export]
pub fn webhook_after_claim(claim: String) -> Result<Option<AnswerRecord>, NativeError> {
    guarded(|| bridge::webhook_after_claim_record(&claim))
}

/// A shared store's claim when its atomic add failed, from the value it holds for the key.
#[uniffi::export]
pub fn claim_of_existing(stored: Option<String>) -> String {
    bridge::claim_of_existing(stored.as_deref()).to_owned()
}

/// Core's store facts: `pending`, `done`, the key prefix and how many body bytes to read at
/// most.
#[uniffi::export]
pub fn webhook_store_facts() -> StoreFactsRecord {
    bridge::store_facts_record()
}

/// The answers an adapter sends on its own: `misconfigured` (500) and `storeUnavailable` (503).
#[uniffi::export]
pub fn webhook_answers() -> AnswersRecord {
    bridge::answers_record()
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
    guarded(|| bridge::webhook_parse_record(&body))
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

/// The scheme named as in configuration (`hmac_sha256`, ...), else a `configuration_error`
/// naming `scheme` and listing every scheme.
#[uniffi::export]
pub fn webhook_scheme_named(name: String) -> Result<paystar::webhook::Scheme, NativeError> {
    guarded(|| bridge::scheme_named(&name, Dialect::KOTLIN))
}

/// Every webhook refusal reason.
#[uniffi::export]
pub fn webhook_reasons() -> Vec<String> {
    paystar::webhook::WebhookReason::ALL
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect()
}
