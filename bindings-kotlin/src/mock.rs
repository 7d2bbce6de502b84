//! `MockGateway`: core's in-process gateway for Kotlin tests and demos.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::records::parse_json;
use crate::{NativeError, lock};

/// One request the mock received.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    pub body_json: String,
    /// Milliseconds since the mock started.
    pub received_ms: i64,
    /// Which connection (equal numbers: reused).
    pub connection: i64,
}

/// An in-process Paystar gateway on 127.0.0.1 for tests and demos.
#[derive(uniffi::Object)]
pub struct MockGateway {
    inner: Mutex<Option<paystar::mock::MockGateway>>,
    url: String,
    api_key: String,
}

impl MockGateway {
    fn with<T>(&self, f: impl FnOnce(&paystar::mock::MockGateway) -> T) -> Result<T, NativeError> {
        lock(&self.inner)
            .as_ref()
            .map(f)
            .ok_or_else(|| paystar::Error::configuration("this MockGateway is stopped").into())
    }
}

#[uniffi::export]
impl MockGateway {
    /// Starts a gateway accepting `api_key` (default `sk_mock_paystar_0000`).
    #[uniffi::constructor(default(api_key = None, seed = None))]
    pub fn new(api_key: Option<String>, seed: Option<i64>) -> Result<Arc<Self>, NativeError> {
        let mut o = paystar::mock::MockOptions::default();
        if let Some(k) = api_key {
            o.api_key = k;
        }
        if let Some(s) = seed {
            o.seed = s.unsigned_abs();
        }
        let g = paystar::mock::MockGateway::start_with(o)?;
        Ok(Arc::new(MockGateway {
            url: g.url().to_owned(),
            api_key: g.api_key().to_owned(),
            inner: Mutex::new(Some(g)),
        }))
    }

    /// The base URL.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The API key it accepts.
    pub fn api_key(&self) -> String {
        self.api_key.clone()
    }

    /// Queues faults from JSON: a list such as `[{"kind":"status","status":503}]`.
    pub fn script_json(&self, faults_json: String) -> Result<(), NativeError> {
        let value = parse_json(&faults_json)?;
        Ok(self.with(|g| g.script_json(&value))??)
    }

    /// Forgets queued faults.
    pub fn clear_script(&self) -> Result<(), NativeError> {
        self.with(paystar::mock::MockGateway::clear_script)
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Result<Vec<RecordedRequest>, NativeError> {
        Ok(self
            .with(paystar::mock::MockGateway::requests)?
            .into_iter()
            .map(|r| RecordedRequest {
                method: r.method,
                path: r.path,
                headers: r.headers.into_iter().collect(),
                api_key_valid: r.api_key_valid,
                body_json: r.body.to_string(),
                received_ms: i64::try_from(r.received_ms).unwrap_or(i64::MAX),
                connection: i64::try_from(r.connection).unwrap_or(i64::MAX),
            })
            .collect())
    }

    /// The gateway's record of a customer (JSON text), or `None`.
    pub fn customer_json(&self, email: String) -> Result<Option<String>, NativeError> {
        Ok(self.with(|g| g.customer(&email))?.map(|v| v.to_string()))
    }

    /// The gateway's record of an account (JSON text), or `None`.
    pub fn account_json(
        &self,
        account_number: String,
        sub_account_number: Option<String>,
    ) -> Result<Option<String>, NativeError> {
        Ok(self
            .with(|g| g.account(&account_number, sub_account_number.as_deref()))?
            .map(|v| v.to_string()))
    }

    /// How many sessions it has issued.
    pub fn session_count(&self) -> Result<i64, NativeError> {
        self.with(|g| i64::try_from(g.session_count()).unwrap_or(i64::MAX))
    }

    /// Stops it (idempotent).
    pub fn stop(&self) {
        if let Some(g) = lock(&self.inner).take() {
            g.stop();
        }
    }

    /// Whether it is running.
    pub fn is_running(&self) -> bool {
        lock(&self.inner).is_some()
    }
}
