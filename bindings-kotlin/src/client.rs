//! `NativeClient`: suspend (uniffi async) and blocking entry points per request shape.

use std::sync::Arc;

use paystar::{Case, Operation};
use serde_json::Value;

use crate::records::{parse_json, wire};
use crate::{
    AccountSessionRequest, CallOptions, ClientOptions, CustomerSessionRequest, NativeError,
    PaymentSessionRequest, Session,
};

/// The native client (wrapped by `PaystarClient` in Kotlin).
#[derive(uniffi::Object)]
pub struct NativeClient {
    inner: paystar::Client,
}

impl NativeClient {
    /// Core's call runs on the shared runtime (`paystar::runtime::run`); uniffi polls this
    /// future from Kotlin. A cancelled coroutine drops it, which aborts the call there.
    async fn run(
        &self,
        op: Operation,
        body: Value,
        case: Case,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let options = options.try_into()?;
        Ok(self.inner.execute(op, &body, case, &options).await?.into())
    }

    fn run_blocking(
        &self,
        op: Operation,
        body: Value,
        case: Case,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let client = self.inner.clone();
        let options = options.try_into()?;
        let result =
            paystar::runtime::block_on(
                async move { client.execute(op, &body, case, &options).await },
            )?;
        Ok(result?.into())
    }
}

fn operation(name: &str) -> Result<Operation, NativeError> {
    Operation::from_name(name)
        .ok_or_else(|| paystar::Error::configuration(format!("unknown operation {name}")).into())
}

#[uniffi::export]
impl NativeClient {
    /// Builds a client; a bad option is a `configuration_error`.
    #[uniffi::constructor(default(listener = None))]
    pub fn new(
        options: ClientOptions,
        listener: Option<Arc<dyn AttemptListener>>,
    ) -> Result<Arc<Self>, NativeError> {
        let mut b = paystar::Client::builder()
            .binding(options.binding.clone().unwrap_or_else(|| "kotlin".into()));
        if let Some(listener) = listener {
            b = b.on_attempt(move |e| listener.on_attempt(attempt_record(e)));
        }
        if let Some(k) = options.api_key {
            b = b.api_key(k);
        }
        if let Some(e) = options.environment {
            b = b.environment_name(e);
        }
        if let Some(u) = options.base_url {
            b = b.base_url(u);
        }
        if let Some(t) = options.timeout {
            b = b.timeout(t);
        }
        if let Some(t) = options.connect_timeout {
            b = b.connect_timeout(t);
        }
        if let Some(r) = options.max_retries {
            b = b.max_retries(crate::records::retries(r)?);
        }
        if let Some(d) = options.deadline {
            b = b.deadline(d);
        }
        if let Some(s) = options.user_agent_suffix {
            b = b.user_agent_suffix(s);
        }
        if let Some(p) = options.proxy {
            b = b.proxy(p);
        }
        if let Some(v) = options.client_validation {
            b = b.client_validation(v);
        }
        Ok(Arc::new(NativeClient { inner: b.build()? }))
    }

    /// `environment`, `baseUrl`, `timeout`, `maxRetries` (never the key).
    pub fn describe(&self) -> String {
        let c = self.inner.config();
        format!(
            "environment={}, baseUrl={}, timeout={:?}, maxRetries={}",
            c.environment().map_or("null", |e| e.as_str()),
            c.base_url(),
            c.timeout(),
            c.max_retries()
        )
    }

    /// The loader script URL for this environment (`None` with a custom base URL).
    pub fn loader_url(&self) -> Option<String> {
        self.inner
            .config()
            .environment()
            .map(|e| e.loader_url().to_owned())
    }

    /// Creates a payment session.
    pub async fn create_payment_session(
        &self,
        request: PaymentSessionRequest,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = wire(&request, request.extra_json.as_deref())?;
        self.run(Operation::CreatePaymentSession, body, Case::Pascal, options)
            .await
    }

    /// Creates a payment session, blocking the calling thread.
    pub fn create_payment_session_blocking(
        &self,
        request: PaymentSessionRequest,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = wire(&request, request.extra_json.as_deref())?;
        self.run_blocking(Operation::CreatePaymentSession, body, Case::Pascal, options)
    }

    /// Creates an AutoPay or paperless session (`operation_name` says which).
    pub async fn create_account_session(
        &self,
        operation_name: String,
        request: AccountSessionRequest,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = wire(&request, request.extra_json.as_deref())?;
        self.run(operation(&operation_name)?, body, Case::Pascal, options)
            .await
    }

    /// Blocking twin of `create_account_session`.
    pub fn create_account_session_blocking(
        &self,
        operation_name: String,
        request: AccountSessionRequest,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = wire(&request, request.extra_json.as_deref())?;
        self.run_blocking(operation(&operation_name)?, body, Case::Pascal, options)
    }

    /// Creates a wallet or notification session (`operation_name` says which).
    pub async fn create_customer_session(
        &self,
        operation_name: String,
        request: CustomerSessionRequest,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = wire(&request, request.extra_json.as_deref())?;
        self.run(operation(&operation_name)?, body, Case::Pascal, options)
            .await
    }

    /// Blocking twin of `create_customer_session`.
    pub fn create_customer_session_blocking(
        &self,
        operation_name: String,
        request: CustomerSessionRequest,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = wire(&request, request.extra_json.as_deref())?;
        self.run_blocking(operation(&operation_name)?, body, Case::Pascal, options)
    }

    /// Any operation from raw JSON with camelCase keys (unknown keys are validation errors).
    pub async fn execute_json(
        &self,
        operation_name: String,
        request_json: String,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = parse_json(&request_json)?;
        self.run(operation(&operation_name)?, body, Case::Camel, options)
            .await
    }

    /// Blocking twin of `execute_json`.
    pub fn execute_json_blocking(
        &self,
        operation_name: String,
        request_json: String,
        options: CallOptions,
    ) -> Result<Session, NativeError> {
        let body = parse_json(&request_json)?;
        self.run_blocking(operation(&operation_name)?, body, Case::Camel, options)
    }
}

/// Every core error code.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    paystar::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// Every operation name (snake_case, as in the vectors).
#[uniffi::export]
pub fn operation_names() -> Vec<String> {
    Operation::ALL.iter().map(|o| o.name().to_owned()).collect()
}

/// One HTTP attempt, for the JVM logging bridge.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttemptRecord {
    /// The operation (`create_payment_session`, ...).
    pub operation: String,
    /// `POST`.
    pub method: String,
    /// The endpoint path.
    pub path: String,
    /// 1 for the first attempt.
    pub attempt: i32,
    /// The HTTP status, when an answer came back.
    pub status: Option<i32>,
    /// How long the attempt took.
    pub elapsed: std::time::Duration,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// The failure's code, when it failed.
    pub error_code: Option<String>,
    /// Set when another attempt follows after this long.
    pub retry_in: Option<std::time::Duration>,
}

/// Receives one [`AttemptRecord`] per HTTP attempt (implemented in Kotlin: it logs them).
#[uniffi::export(with_foreign)]
pub trait AttemptListener: Send + Sync {
    /// Called after every attempt, on a runtime thread; must not block.
    fn on_attempt(&self, event: AttemptRecord);
}

pub(crate) fn attempt_record(e: &paystar::AttemptEvent) -> AttemptRecord {
    AttemptRecord {
        operation: e.operation.name().to_owned(),
        method: e.method.to_owned(),
        path: e.path.to_owned(),
        attempt: i32::try_from(e.attempt).unwrap_or(i32::MAX),
        status: e.status.map(i32::from),
        elapsed: e.elapsed,
        request_id: e.request_id.clone(),
        error_code: e.error_code.map(|c| c.as_str().to_owned()),
        retry_in: e.retry_in,
    }
}
