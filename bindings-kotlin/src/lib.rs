//! The native half of the Kotlin/JVM front door (uniffi, proc-macro interface). It converts
//! records and errors and runs calls on core's shared runtime; the hand-written Kotlin layer
//! (`src/main/kotlin`) adds `suspend`/blocking twins, `java.time` types and key-safe
//! `toString`s. Every Paystar rule is in core.
//!
//! Requests are uniffi records that serialize to the wire shape (PascalCase); core validates
//! them exactly as it validates every other language's input.

// uniffi passes errors by value across the boundary (a boxed error is not a uniffi type), so
// the error enum stays large on purpose.
#![allow(clippy::result_large_err)]

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

uniffi::setup_scaffolding!();

/// One broken rule: `path` is the wire path (`Charges[1].Amount`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldError {
    /// Wire path of the field.
    pub path: String,
    /// Rule name (`required`, `max_length`, `unknown_field`, ...).
    pub rule: String,
    /// Human-readable reason.
    pub message: String,
}

/// One item of the gateway's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GatewayError {
    /// `propertyName`, when sent.
    pub property_name: Option<String>,
    /// `errorMessage`.
    pub error_message: String,
    /// The item as received (JSON text).
    pub raw_json: String,
}

/// A paystar failure as it crosses the boundary; the Kotlin layer turns it into the
/// `PaystarException` subclass for its `code`. Never contains the API key.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum NativeError {
    /// Any failure, with every attribute of core's error.
    #[error("{reason}")]
    Failure {
        /// Stable code (`validation_error`, `timeout`, ...).
        code: String,
        /// The message.
        reason: String,
        /// HTTP status, when the gateway answered.
        status: Option<i32>,
        /// Every broken rule.
        field_errors: Vec<FieldError>,
        /// The gateway's `errors` items.
        api_errors: Vec<GatewayError>,
        /// HTTP attempts made.
        attempts: i32,
        /// Whether an earlier attempt may have reached the gateway.
        ambiguous: bool,
        /// `Retry-After`, when sent.
        retry_after: Option<Duration>,
        /// The gateway's request id, when sent.
        request_id: Option<String>,
    },
}

impl From<paystar::Error> for NativeError {
    fn from(e: paystar::Error) -> Self {
        NativeError::Failure {
            code: e.code().as_str().to_owned(),
            reason: e.message_in(paystar::Case::Camel),
            status: e.status().map(i32::from),
            field_errors: e
                .field_errors()
                .iter()
                .map(|f| FieldError {
                    path: f.path.clone(),
                    rule: f.rule.clone(),
                    message: f.message.clone(),
                })
                .collect(),
            api_errors: e
                .api_errors()
                .iter()
                .map(|a| GatewayError {
                    property_name: a.property_name.clone(),
                    error_message: a.error_message.clone(),
                    raw_json: a.raw.to_string(),
                })
                .collect(),
            attempts: i32::try_from(e.attempts()).unwrap_or(i32::MAX),
            ambiguous: e.ambiguous(),
            retry_after: e.retry_after(),
            request_id: e.request_id().map(str::to_owned),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

mod client;
mod mock;
mod records;

pub use client::*;
pub use mock::*;
pub use records::*;
