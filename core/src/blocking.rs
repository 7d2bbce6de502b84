//! The blocking client: the same calls, for threads that do not run an async executor.

use serde_json::Value;

use crate::config::{ClientBuilder, Config, RequestOptions};
use crate::error::Result;
use crate::models::input::Case;
use crate::models::{
    AutopaySessionRequest, NotificationSessionRequest, Operation, PaperlessSessionRequest,
    PaymentSessionRequest, Session, SessionRequest, WalletSessionRequest,
};

/// A blocking Paystar client. Cheap to clone and safe to share across threads; each call
/// blocks the calling thread while it runs on the shared runtime. It does not panic when
/// called from inside an async runtime, but it does block that thread: use
/// [`crate::Client`] there.
///
/// ```no_run
/// use paystar::{ClientUser, WalletSessionRequest, blocking::Client};
///
/// let client = Client::builder().api_key("sk_dev_...").build()?;
/// let session = client.create_wallet_session(&WalletSessionRequest::new(
///     "acme-utilities",
///     ClientUser::new("jane@example.com"),
/// ))?;
/// println!("{}", session.url);
/// # Ok::<(), paystar::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
}

/// Builds a [`blocking::Client`](Client).
pub struct Builder(ClientBuilder);

impl Builder {
    /// Adjusts the underlying [`ClientBuilder`].
    pub fn with(self, f: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Builder {
        Builder(f(self.0))
    }

    /// The secret API key (see [`ClientBuilder::api_key`]).
    pub fn api_key(self, key: impl Into<String>) -> Builder {
        Builder(self.0.api_key(key))
    }

    /// Checks every option and builds the client.
    pub fn build(self) -> Result<Client> {
        Ok(Client {
            inner: self.0.build()?,
        })
    }
}

impl Client {
    /// A builder with every option at its default.
    pub fn builder() -> Builder {
        Builder(ClientBuilder::default())
    }

    /// Wraps an async client (they share configuration and connection pool).
    pub fn from_async(inner: crate::Client) -> Client {
        Client { inner }
    }

    /// The checked configuration.
    pub fn config(&self) -> &Config {
        self.inner.config()
    }

    /// Creates a payment session.
    pub fn create_payment_session(&self, request: &PaymentSessionRequest) -> Result<Session> {
        self.create(request, &RequestOptions::default())
    }

    /// Creates an AutoPay session.
    pub fn create_autopay_session(&self, request: &AutopaySessionRequest) -> Result<Session> {
        self.create(request, &RequestOptions::default())
    }

    /// Creates a wallet session.
    pub fn create_wallet_session(&self, request: &WalletSessionRequest) -> Result<Session> {
        self.create(request, &RequestOptions::default())
    }

    /// Creates a paperless session.
    pub fn create_paperless_session(&self, request: &PaperlessSessionRequest) -> Result<Session> {
        self.create(request, &RequestOptions::default())
    }

    /// Creates a notification session.
    pub fn create_notification_session(
        &self,
        request: &NotificationSessionRequest,
    ) -> Result<Session> {
        self.create(request, &RequestOptions::default())
    }

    /// Creates any session from a typed request, with per-call options.
    pub fn create<R: SessionRequest + Clone + 'static>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<Session> {
        let (client, request, options) = (self.inner.clone(), request.clone(), *options);
        crate::runtime::block_on(async move { client.create(&request, &options).await })?
    }

    /// Creates a session from JSON input with keys in `case` (see [`crate::Client::execute`]).
    pub fn execute(
        &self,
        operation: Operation,
        request: &Value,
        case: Case,
        options: &RequestOptions,
    ) -> Result<Session> {
        let (client, request, options) = (self.inner.clone(), request.clone(), *options);
        crate::runtime::block_on(async move {
            client.execute(operation, &request, case, &options).await
        })?
    }
}
