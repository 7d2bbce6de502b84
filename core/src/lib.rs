//! # paystar
//!
//! A client for the Paystar Embedded Session API: your backend asks Paystar's gateway for a
//! short-lived session URL (payment, AutoPay, wallet, paperless, notification), and your page
//! opens it with Paystar's JavaScript loader.
//!
//! - Every request is validated before anything is sent: all violations at once, by wire path
//!   (`Charges[1].Amount`).
//! - Transient failures are retried with backoff and `Retry-After` ([`retry`]).
//! - One [`Error`] type with a stable [`ErrorCode`].
//! - The API key is a secret: it never appears in `Debug`, `Display`, errors or logs.
//! - With the `mock` feature, [`mock::MockGateway`] is a real HTTP gateway on 127.0.0.1 for
//!   demos and tests.
//!
//! ```no_run
//! # async fn demo() -> paystar::Result<()> {
//! use paystar::{Channel, Charge, ClientAccount, ClientUser, Client, PaymentSessionRequest};
//!
//! let client = Client::builder().api_key("sk_dev_...").build()?; // development by default
//! let mut request = PaymentSessionRequest::new(
//!     "acme-utilities",
//!     Channel::QuickPay,
//!     vec![Charge::new(15000, "January Water Bill").with_account(ClientAccount::new("ACC-12345"))],
//! );
//! request.client_user = Some(ClientUser::new("jane@example.com"));
//! match client.create_payment_session(&request).await {
//!     Ok(session) => println!("open {} (id {:?})", session.url, session.id),
//!     Err(e) if e.code() == paystar::ErrorCode::Validation => {
//!         for f in e.field_errors() {
//!             eprintln!("{}: {}", f.path, f.message);
//!         }
//!     }
//!     Err(e) => eprintln!("{} ({}) after {} attempts", e, e.code(), e.attempts()),
//! }
//! # Ok(()) }
//! ```

#![cfg_attr(not(feature = "uniffi"), forbid(unsafe_code))]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!("paystar");

pub mod blocking;
pub mod bridge;
pub mod case;
mod client;
mod config;
mod decode;
mod error;
#[doc(hidden)]
pub mod fuzz;
pub mod models;
pub mod retry;
pub mod runtime;
pub mod telemetry;
mod transport;
pub mod validate;
pub mod webhook;

#[cfg(feature = "mock")]
pub mod mock;

#[cfg(feature = "cli")]
pub mod cli;

#[cfg(feature = "testing")]
pub mod testing;

pub use case::Case;
pub use client::Client;
pub use config::{
    API_KEY_ENV, ApiKey, AttemptEvent, AttemptObserver, BASE_URL_ENV, ClientBuilder, Collect,
    Config, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    ENVIRONMENT_ENV, Environment, LogLevel, MAX_MAX_IN_FLIGHT, RequestOptions, duration_from_units,
    is_loopback_host,
};
pub use error::{ApiErrorItem, Error, ErrorCode, FieldError, Result, Rule};
pub use models::{
    Address, ApiRequest, AutopaySessionRequest, Channel, Charge, ClientAccount, ClientUser,
    EVENT_TYPES, EventReceipt, EventRequest, FromReply, MANAGE_CUSTOMER,
    NotificationSessionRequest, Operation, PaperlessSessionRequest, PaymentSessionRequest, Reply,
    Session, SessionKind, UNENROLL_AUTOPAY, UpdateCustomerRequest, WalletSessionRequest,
};
pub use transport::{API_KEY_HEADER, MAX_BODY_BYTES, REQUEST_ID_HEADER};
pub use validate::Validate;

/// The README's Rust examples, compiled and run as doc tests so they cannot drift.
#[cfg(all(doctest, feature = "mock"))]
#[doc = include_str!("../../README.md")]
#[allow(rustdoc::invalid_codeblock_attributes)] // the other languages' fences: `python prelude=client`
pub struct ReadmeDoctests;

/// The Rust reference's examples (`docs/rust.md`), run as doc tests.
#[cfg(all(doctest, feature = "mock"))]
#[doc = include_str!("../../docs/rust.md")]
#[allow(rustdoc::invalid_codeblock_attributes)] // the other languages' fences: `python prelude=client`
pub struct RustReferenceDoctests;

/// The webhook guide's Rust examples (`docs/webhooks.md`), run as doc tests.
#[cfg(all(doctest, feature = "mock"))]
#[doc = include_str!("../../docs/webhooks.md")]
#[allow(rustdoc::invalid_codeblock_attributes)] // the other languages' fences: `python prelude=client`
pub struct WebhookGuideDoctests;
