//! `MockGateway`: core's mock handle (`paystar::bridge::MockHandle`) for Kotlin tests and demos.

use std::collections::HashMap;
use std::sync::Arc;

use paystar::bridge::{Dialect, MockHandle};
use serde::Deserialize;
use serde_json::Value;

use crate::CompletionRecord;
use crate::records::parse_json;
use crate::{NativeError, OptionValue, guarded, options_value};

/// One request the mock received.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Headers (lower-case names; the key is `***`).
    pub headers: HashMap<String, String>,
    /// Whether the key was right.
    pub api_key_valid: bool,
    /// The body as JSON text (`null` when not JSON).
    #[serde(rename = "body", deserialize_with = "json_text")]
    pub body_json: String,
    /// Milliseconds since the mock started.
    pub received_ms: i64,
    /// The fault applied to it, as JSON text (`null` for none).
    #[serde(rename = "fault", deserialize_with = "json_text")]
    pub fault_json: String,
    /// Which connection (equal numbers: reused).
    pub connection: i64,
    /// `HTTP/1.1` or `HTTP/2.0`.
    pub version: String,
    /// Whether it came over TLS.
    pub tls: bool,
}

fn json_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Value::deserialize(d).map(|v| v.to_string())
}

/// An in-process Paystar gateway on 127.0.0.1 for tests and demos.
#[derive(uniffi::Object)]
pub struct MockGateway(MockHandle);

#[uniffi::export]
impl MockGateway {
    /// Starts a gateway; options `apiKey` (default `sk_mock_paystar_0000`) and `seed`.
    #[uniffi::constructor]
    pub fn new(options: HashMap<String, OptionValue>) -> Result<Arc<Self>, NativeError> {
        let handle = guarded(|| MockHandle::start(&options_value(options), Dialect::KOTLIN))?;
        Ok(Arc::new(MockGateway(handle)))
    }

    /// The base URL.
    pub fn url(&self) -> String {
        self.0.url().to_owned()
    }

    /// The API key it accepts.
    pub fn api_key(&self) -> String {
        self.0.api_key().to_owned()
    }

    /// The PEM of the CA that signed its certificate (started with TLS), else None.
    pub fn ca_pem(&self) -> Option<String> {
        self.0.ca_pem().map(str::to_owned)
    }

    /// Queues faults from JSON: a list such as `[{"kind":"status","status":503}]`.
    pub fn script_json(&self, faults_json: String) -> Result<(), NativeError> {
        guarded(|| self.0.script(&parse_json(&faults_json)?))
    }

    /// Forgets queued faults.
    pub fn clear_script(&self) -> Result<(), NativeError> {
        guarded(|| self.0.clear_script())
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Result<Vec<RecordedRequest>, NativeError> {
        guarded(|| {
            serde_json::from_value(self.0.requests()?).map_err(|drift| {
                paystar::Error::internal(format!("RecordedRequest lags core: {drift}"))
            })
        })
    }

    /// The gateway's record of a customer (JSON text), or `None`.
    pub fn customer_json(&self, email: String) -> Result<Option<String>, NativeError> {
        guarded(|| {
            Ok(Some(self.0.customer(&email)?)
                .filter(|v| !v.is_null())
                .map(|v| v.to_string()))
        })
    }

    /// The gateway's record of an account (JSON text), or `None`.
    pub fn account_json(
        &self,
        account_number: String,
        sub_account_number: Option<String>,
    ) -> Result<Option<String>, NativeError> {
        guarded(|| {
            let v = self
                .0
                .account(&account_number, sub_account_number.as_deref())?;
            Ok(Some(v).filter(|v| !v.is_null()).map(|v| v.to_string()))
        })
    }

    /// How many sessions it has issued.
    pub fn session_count(&self) -> Result<i64, NativeError> {
        guarded(|| {
            self.0
                .session_count()
                .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
        })
    }

    /// Moves its clock forward by `ms` milliseconds (at most 100 years in all).
    pub fn advance_clock(&self, ms: f64) -> Result<(), NativeError> {
        guarded(|| self.0.advance_clock(ms, Dialect::KOTLIN))
    }

    /// Forgets the requests and sessions recorded so far (customers and accounts stay).
    pub fn forget_requests(&self) -> Result<(), NativeError> {
        guarded(|| self.0.forget_requests())
    }

    /// Everything the gateway holds, as JSON text: `url`, `requests`, `customers`, `accounts`.
    pub fn snapshot_json(&self) -> Result<String, NativeError> {
        guarded(|| Ok(self.0.snapshot()?.to_string()))
    }

    /// Where completed sessions' webhooks go (`url`, `scheme`, `secret`, `header`,
    /// `encoding`, `timestampHeader`, `redeliveries`), or `null` for nowhere.
    pub fn set_webhook(
        &self,
        options: Option<HashMap<String, OptionValue>>,
    ) -> Result<(), NativeError> {
        let value = options.map_or(Value::Null, options_value);
        guarded(|| self.0.set_webhook(&value, Dialect::KOTLIN))
    }

    /// Completes a session (id or URL) and delivers its webhook; the calling thread waits.
    pub fn complete_blocking(&self, session: String) -> Result<CompletionRecord, NativeError> {
        guarded(|| self.0.complete(&session))
    }

    /// Completes a session (id or URL) and delivers its webhook, on core's runtime; uniffi
    /// polls this future from a coroutine.
    pub async fn complete(&self, session: String) -> Result<CompletionRecord, NativeError> {
        let started = guarded(|| {
            Ok((
                self.0.complete_future(&session)?,
                paystar::runtime::handle()?,
            ))
        })?;
        let (pending, handle) = started;
        let done = handle
            .spawn(pending)
            .await
            .map_err(|e| paystar::Error::internal(format!("complete failed: {e}")))
            .and_then(|r| r);
        done.map_err(NativeError::from)
    }

    /// Stops it (idempotent).
    pub fn stop(&self) {
        self.0.stop();
    }

    /// Whether it is running.
    pub fn is_running(&self) -> bool {
        self.0.is_running()
    }

    /// `MockGateway(url="...", running)`.
    pub fn describe(&self) -> String {
        self.0.describe()
    }
}
