//! The native half of the Kotlin/JVM front door (uniffi, proc-macro interface). Options,
//! sessions, errors and log events cross in core's shapes (`paystar::bridge`, camelCase,
//! milliseconds), deserialized into uniffi records with `deny_unknown_fields`: an attribute
//! core adds and these records lack fails the first call of the test suite instead of being
//! dropped. The hand-written Kotlin layer (`src/main/kotlin`) adds `suspend`/blocking twins,
//! `java.time` types, key-safe `toString`s and the logging. Every Paystar rule is in core.

// uniffi passes errors by value across the boundary (a boxed error is not a uniffi type), so
// the error enum stays large on purpose.
#![allow(clippy::result_large_err)]

use std::time::{Duration, SystemTime};

use paystar::bridge::{self, Dialect};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

uniffi::setup_scaffolding!();

mod client;
mod mock;
mod records;
mod requests;
#[cfg(feature = "testing")]
mod testing;
mod webhook;

pub use client::*;
pub use mock::*;
pub use requests::*;
#[cfg(feature = "testing")]
pub use testing::*;
pub use webhook::*;

/// One broken rule: `path` is the wire path (`Charges[1].Amount`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    /// Wire path of the field.
    pub path: String,
    /// Rule name, one of core's `RULES` (`required`, `max_length`, `unknown_field`, ...).
    pub rule: String,
    /// Human-readable reason.
    pub message: String,
}

/// One item of the gateway's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GatewayError {
    /// `propertyName`, when sent.
    pub property_name: Option<String>,
    /// `errorMessage`.
    pub error_message: String,
    /// The item as received (JSON text).
    #[serde(rename = "raw", deserialize_with = "json_text")]
    pub raw_json: String,
}

/// Every attribute of a paystar error (core's error value); the Kotlin layer turns it into the
/// `PaystarException` subclass for its `code`. Never contains the API key.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErrorInfo {
    /// Stable code (`validation_error`, `timeout`, ...).
    pub code: String,
    /// The message (options named in camelCase).
    pub message: String,
    /// Whether trying again later may succeed.
    pub retryable: bool,
    /// HTTP status, when the gateway answered.
    pub status: Option<i32>,
    /// Every broken rule.
    pub field_errors: Vec<FieldError>,
    /// The gateway's `errors` items.
    pub api_errors: Vec<GatewayError>,
    /// HTTP attempts made.
    pub attempts: i32,
    /// Whether an earlier attempt may have reached the gateway.
    pub ambiguous: bool,
    /// `Retry-After`, when sent.
    #[serde(deserialize_with = "millis")]
    pub retry_after: Option<Duration>,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// The option a `configuration_error` is about (camelCase, or as written), else `null`.
    pub option: Option<String>,
    /// Why a webhook was refused (`webhook_error`), else `null`.
    pub reason: Option<String>,
    /// The HTTP status a webhook endpoint answers a `webhook_error` with.
    pub response_status: Option<i32>,
}

/// Core's error of `code` (an unknown code is an `internal_error`) with `message`, every
/// attribute set as core sets it (`retryable` from the code): for errors the Kotlin layer
/// raises itself.
#[uniffi::export]
pub fn error_info_for(code: String, message: String) -> ErrorInfo {
    error_info(&bridge::error_of(&code, message))
}

/// Refuses an operation that does not answer a session (core's rule), before anything is sent.
#[uniffi::export]
pub fn check_session_operation(name: String) -> Result<(), NativeError> {
    guarded(|| bridge::session_operation(&name).map(|_| ()))
}

/// A paystar failure thrown by a synchronous native function (construction, the mock).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum NativeError {
    /// Any failure, with every attribute of core's error.
    #[error("{}", info.message)]
    Failure {
        /// The error's attributes.
        info: ErrorInfo,
    },
}

/// Core's error value, as a record.
pub(crate) fn error_info(e: &paystar::Error) -> ErrorInfo {
    let value = bridge::error_value(e, Dialect::KOTLIN);
    serde_json::from_value(value).unwrap_or_else(|drift| ErrorInfo {
        code: "internal_error".into(),
        message: format!("paystar's Kotlin records lag core's error shape: {drift}"),
        ..ErrorInfo::default()
    })
}

impl From<paystar::Error> for NativeError {
    fn from(e: paystar::Error) -> Self {
        NativeError::Failure {
            info: error_info(&e),
        }
    }
}

/// Runs `f` guarded: a panic is an `internal_error`, never an unwind into the JVM.
pub(crate) fn guarded<T>(f: impl FnOnce() -> paystar::Result<T>) -> Result<T, NativeError> {
    bridge::guard(f).map_err(NativeError::from)
}

/// A created session (core's session value).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Session {
    /// `payment`, `autopay`, `wallet`, `paperless` or `notification`.
    pub kind: String,
    /// The payment session id, when sent.
    pub id: Option<String>,
    /// The short-lived session URL.
    pub url: String,
    /// The gateway's status, when sent.
    pub status: Option<String>,
    /// When the link stops working.
    #[serde(deserialize_with = "instant")]
    pub expires_at: SystemTime,
    /// The gateway's `data` object (JSON text).
    #[serde(rename = "raw", deserialize_with = "json_text")]
    pub raw_json: String,
    /// HTTP attempts the call took.
    pub attempts: i32,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// The loader function that opens it (`completePayment` or `startFlow`).
    pub loader_call: String,
    /// True when an earlier attempt may have reached the gateway without an answer.
    pub ambiguous: bool,
}

/// An Events API call the gateway accepted (core's receipt value).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, uniffi::Record)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EventReceipt {
    /// The event type sent (`Accounts.ManageCustomer`, ...).
    pub event_type: String,
    /// The HTTP status of the answer (2xx).
    pub http_status: i32,
    /// What the gateway answered, as JSON text: the envelope's `data`, other JSON, or `null`.
    #[serde(rename = "raw", deserialize_with = "json_text")]
    pub raw_json: String,
    /// HTTP attempts the call took.
    pub attempts: i32,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// True when an earlier attempt may have reached the gateway without an answer.
    pub ambiguous: bool,
}

/// One log event: `level` is `debug` or `warn`, `message` the line core formatted.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogRecord {
    /// `debug` or `warn`.
    pub level: String,
    /// The line, as every language prints it.
    pub message: String,
}

/// What a call ends with: a session, a receipt (Events API) or an error, and its log events in attempt order (logged
/// by the Kotlin layer on the caller's thread; nothing calls into the JVM from the runtime).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Outcome {
    /// The session, on a session call's success.
    pub session: Option<Session>,
    /// The receipt, on an Events API call's success.
    pub receipt: Option<EventReceipt>,
    /// The error, on failure.
    pub error: Option<ErrorInfo>,
    /// The events at the level asked for.
    pub events: Vec<LogRecord>,
}

impl Outcome {
    pub(crate) fn of(
        (result, events): (paystar::Result<paystar::Reply>, Vec<paystar::AttemptEvent>),
    ) -> Outcome {
        let events = events
            .iter()
            .map(|e| LogRecord {
                level: if e.level() == paystar::LogLevel::Warn {
                    "warn"
                } else {
                    "debug"
                }
                .into(),
                message: bridge::log_message(e),
            })
            .collect();
        let drift = |drift: serde_json::Error| {
            paystar::Error::internal(format!(
                "paystar's Kotlin records lag core's result shapes: {drift}"
            ))
        };
        let value = result.and_then(|r| {
            let v = bridge::reply_value(&r, Dialect::KOTLIN);
            Ok(match r {
                paystar::Reply::Session(_) => {
                    (Some(serde_json::from_value(v).map_err(drift)?), None)
                }
                paystar::Reply::Event(_) => (None, Some(serde_json::from_value(v).map_err(drift)?)),
            })
        });
        match value {
            Ok((session, receipt)) => Outcome {
                session,
                receipt,
                error: None,
                events,
            },
            Err(e) => Outcome {
                session: None,
                receipt: None,
                error: Some(error_info(&e)),
                events,
            },
        }
    }

    pub(crate) fn failed(e: &paystar::Error) -> Outcome {
        Outcome {
            session: None,
            receipt: None,
            error: Some(error_info(e)),
            events: Vec::new(),
        }
    }
}

/// An option's value, as the Kotlin layer passes its typed config (durations in milliseconds).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum OptionValue {
    /// A text option (`apiKey`, `baseUrl`, ...).
    Text {
        /// The text.
        value: String,
    },
    /// A number (`timeout` in milliseconds, `maxRetries`).
    Number {
        /// The number.
        value: f64,
    },
    /// A flag (`clientValidation`).
    Flag {
        /// The flag.
        value: bool,
    },
}

/// Options (name → value, camelCase) as the JSON object core reads.
pub(crate) fn options_value(options: std::collections::HashMap<String, OptionValue>) -> Value {
    Value::Object(
        options
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    OptionValue::Text { value } => Value::String(value),
                    OptionValue::Number { value } => serde_json::Number::from_f64(value)
                        .map_or(Value::String(format!("{value}")), Value::Number),
                    OptionValue::Flag { value } => Value::Bool(value),
                };
                (k, v)
            })
            .collect(),
    )
}

fn json_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Value::deserialize(d).map(|v| v.to_string())
}

fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let ms = Option::<f64>::deserialize(d)?;
    Ok(ms.and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok()))
}

fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
    let text = String::deserialize(d)?;
    let t = time::OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339)
        .map_err(serde::de::Error::custom)?;
    let nanos = u64::try_from(t.unix_timestamp_nanos()).map_err(serde::de::Error::custom)?;
    Ok(SystemTime::UNIX_EPOCH + Duration::from_nanos(nanos))
}
