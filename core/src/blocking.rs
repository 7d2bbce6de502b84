//! The blocking client: the same calls, for threads that do not run an async executor.

use serde_json::Value;

use crate::config::{ClientBuilder, Config, RequestOptions};
use crate::error::Result;
use crate::models::input::Case;
use crate::models::{
    ApiRequest, AutopaySessionRequest, EventReceipt, EventRequest, NotificationSessionRequest,
    Operation, PaperlessSessionRequest, PaymentSessionRequest, Reply, Session,
    UpdateCustomerRequest, WalletSessionRequest,
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

/// Builds a [`blocking::Client`](Client): the same options as [`ClientBuilder`].
#[derive(Debug, Clone, Default)]
pub struct Builder(ClientBuilder);

/// Forwards setters to the async builder.
macro_rules! forward {
    ($($(#[$doc:meta])* $name:ident($arg:ident: $ty:ty);)*) => {
        $(
            $(#[$doc])*
            pub fn $name(self, $arg: $ty) -> Builder {
                Builder(self.0.$name($arg))
            }
        )*
    };
}

impl Builder {
    forward! {
        /// See [`ClientBuilder::api_key`].
        api_key(key: impl Into<String>);
        /// See [`ClientBuilder::environment`].
        environment(env: crate::Environment);
        /// See [`ClientBuilder::environment_name`].
        environment_name(name: impl Into<String>);
        /// See [`ClientBuilder::base_url`].
        base_url(url: impl Into<String>);
        /// See [`ClientBuilder::timeout`].
        timeout(timeout: std::time::Duration);
        /// See [`ClientBuilder::connect_timeout`].
        connect_timeout(timeout: std::time::Duration);
        /// See [`ClientBuilder::max_retries`].
        max_retries(retries: u32);
        /// See [`ClientBuilder::deadline`].
        deadline(deadline: std::time::Duration);
        /// See [`ClientBuilder::user_agent_suffix`].
        user_agent_suffix(suffix: impl Into<String>);
        /// See [`ClientBuilder::proxy`].
        proxy(url: impl Into<String>);
        /// See [`ClientBuilder::client_validation`].
        client_validation(on: bool);
    }

    /// See [`ClientBuilder::on_attempt`].
    pub fn on_attempt(
        self,
        observer: impl Fn(&crate::AttemptEvent) + Send + Sync + 'static,
    ) -> Builder {
        Builder(self.0.on_attempt(observer))
    }

    /// Adjusts the underlying [`ClientBuilder`] directly.
    pub fn with(self, f: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Builder {
        Builder(f(self.0))
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
        self.call(request, &RequestOptions::default())
    }

    /// Creates an AutoPay session.
    pub fn create_autopay_session(&self, request: &AutopaySessionRequest) -> Result<Session> {
        self.call(request, &RequestOptions::default())
    }

    /// Creates a wallet session.
    pub fn create_wallet_session(&self, request: &WalletSessionRequest) -> Result<Session> {
        self.call(request, &RequestOptions::default())
    }

    /// Creates a paperless session.
    pub fn create_paperless_session(&self, request: &PaperlessSessionRequest) -> Result<Session> {
        self.call(request, &RequestOptions::default())
    }

    /// Creates a notification session.
    pub fn create_notification_session(
        &self,
        request: &NotificationSessionRequest,
    ) -> Result<Session> {
        self.call(request, &RequestOptions::default())
    }

    /// Updates a customer's names or email address (Events API `Accounts.ManageCustomer`;
    /// see [`crate::Client::update_customer`]).
    pub fn update_customer(&self, request: &UpdateCustomerRequest) -> Result<EventReceipt> {
        self.call(request, &RequestOptions::default())
    }

    /// Sends any Events API event (see [`crate::Client::send_event`]).
    pub fn send_event(&self, request: &EventRequest) -> Result<EventReceipt> {
        self.call(request, &RequestOptions::default())
    }

    /// Sends any typed request (a session's or an event's), with per-call options.
    pub fn call<R: ApiRequest + Clone + 'static>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<R::Output> {
        let (client, request, options) = (self.inner.clone(), request.clone(), options.clone());
        crate::runtime::block_on(async move { client.call(&request, &options).await })?
    }

    /// Calls `operation` with JSON input with keys in `case` (see [`crate::Client::execute`]).
    pub fn execute(
        &self,
        operation: Operation,
        request: &Value,
        case: Case,
        options: &RequestOptions,
    ) -> Result<Reply> {
        let (client, request, options) = (self.inner.clone(), request.clone(), options.clone());
        crate::runtime::block_on(async move {
            client.execute(operation, &request, case, &options).await
        })?
    }
}
