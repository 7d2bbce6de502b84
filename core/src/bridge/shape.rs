//! Sessions, errors and log events as JSON-ready values in a binding's dialect.

use serde_json::{Map, Value, json};

use super::Dialect;
use super::records::{ErrorRecord, LogRecord, ReceiptRecord, SessionRecord, to_value};
use crate::config::{AttemptEvent, Config};
use crate::error::Error;
use crate::models::{EventReceipt, Reply, Session};

/// An object whose keys (given PascalCase) are put in the dialect's style.
fn object<const N: usize>(d: Dialect, fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (d.key(k), v))
            .collect::<Map<String, Value>>(),
    )
}

/// The one form a time crosses the boundary in: RFC 3339 in UTC with exactly three fractional
/// digits and a numeric offset (`2026-12-04T01:28:29.200+00:00`), rounded down to the
/// millisecond (an expiry is never later than the real one). Fixed width on purpose: Python
/// 3.9 and 3.10's `datetime.fromisoformat` read only 3- or 6-digit fractions and no `Z`, while
/// `Date` (Node) and `Instant.parse` (JVM) read this form too, so no binding parses per version.
pub fn boundary_time(t: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+00:00"
    );
    boundary_utc(t).format(FORMAT).unwrap_or_default()
}

/// The instant [`boundary_time`] writes: `t` in UTC, rounded down to the millisecond, and a
/// time whose UTC date is outside years 0..=9999 (which RFC 3339 cannot write) clamped to the
/// nearest one that is inside (sessions' times are within minutes of now).
pub(crate) fn boundary_utc(t: time::OffsetDateTime) -> time::OffsetDateTime {
    let utc = t
        .checked_to_offset(time::UtcOffset::UTC)
        .filter(|u| (0..=9999).contains(&u.year()))
        .unwrap_or_else(|| {
            if t.year() < 5000 {
                time::macros::datetime!(0000-01-01 00:00 UTC)
            } else {
                time::macros::datetime!(9999-12-31 23:59:59.999 UTC)
            }
        });
    utc.replace_millisecond(utc.millisecond()).unwrap_or(utc)
}

/// Every attribute of a session ([`SessionRecord`]): `kind`, `id`, `url`, `status`,
/// `expires_at` ([`boundary_time`]), `raw` (the `data` object as received; its keys are the
/// gateway's), `attempts`, `request_id`, `loader_call` (the Paystar.js function that opens it)
/// and `ambiguous`.
pub fn session_value(s: &Session, d: Dialect) -> Value {
    to_value(&SessionRecord::of(s), d)
}

/// Every attribute of an Events API receipt ([`ReceiptRecord`]): `event_type`, `http_status`,
/// `raw` (what the gateway answered: the envelope's `data`, other JSON, or `null`),
/// `attempts`, `request_id` and `ambiguous`.
pub fn receipt_value(r: &EventReceipt, d: Dialect) -> Value {
    to_value(&ReceiptRecord::of(r), d)
}

/// A call's result: [`session_value`] or [`receipt_value`].
pub fn reply_value(r: &Reply, d: Dialect) -> Value {
    match r {
        Reply::Session(s) => session_value(s, d),
        Reply::Event(e) => receipt_value(e, d),
    }
}

/// The type of an error attribute, for the generators of each language's error classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    /// Text.
    Text,
    /// Text or nothing.
    OptionalText,
    /// A flag.
    Flag,
    /// A whole number.
    Count,
    /// A whole number or nothing (an HTTP status).
    OptionalStatus,
    /// A duration in the dialect's unit, or nothing.
    OptionalDuration,
    /// The field errors (`{path, rule, message}`).
    FieldErrors,
    /// The gateway's error items (`{property_name, error_message, raw}`).
    GatewayErrors,
}

/// One attribute every language's errors carry: its wire name (PascalCase), type and meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorAttribute {
    /// `Code`, `FieldErrors`, ... (each binding spells it in its case).
    pub name: &'static str,
    /// Its type.
    pub ty: AttributeType,
    /// One line on what it holds.
    pub doc: &'static str,
}

/// Every attribute of [`error_value`], in its order: what each binding's generated error class
/// declares (`core/tests/generated`).
pub const ERROR_ATTRIBUTES: &[ErrorAttribute] = &[
    ErrorAttribute {
        name: "Code",
        ty: AttributeType::Text,
        doc: "The stable code: `validation_error`, `timeout`, ...",
    },
    ErrorAttribute {
        name: "Message",
        ty: AttributeType::Text,
        doc: "The message (never the API key); an option is named in this language's case.",
    },
    ErrorAttribute {
        name: "Retryable",
        ty: AttributeType::Flag,
        doc: "Whether trying the same call again later may succeed (core decides, per code).",
    },
    ErrorAttribute {
        name: "Status",
        ty: AttributeType::OptionalStatus,
        doc: "The HTTP status, when the gateway answered.",
    },
    ErrorAttribute {
        name: "FieldErrors",
        ty: AttributeType::FieldErrors,
        doc: "Every broken rule (`validation_error`), by wire path (`Charges[0].Amount`).",
    },
    ErrorAttribute {
        name: "ApiErrors",
        ty: AttributeType::GatewayErrors,
        doc: "The gateway's `errors` items (`api_error`), kept verbatim in `raw`.",
    },
    ErrorAttribute {
        name: "Attempts",
        ty: AttributeType::Count,
        doc: "HTTP attempts made (0 when no request was sent).",
    },
    ErrorAttribute {
        name: "Ambiguous",
        ty: AttributeType::Flag,
        doc: "True when an earlier attempt may have reached the gateway (a retried create could collide with a unique client reference).",
    },
    ErrorAttribute {
        name: "RetryAfter",
        ty: AttributeType::OptionalDuration,
        doc: "How long the gateway asked to wait (`Retry-After`), when it did.",
    },
    ErrorAttribute {
        name: "RequestId",
        ty: AttributeType::OptionalText,
        doc: "The gateway's request id, when sent.",
    },
    ErrorAttribute {
        name: "Option",
        ty: AttributeType::OptionalText,
        doc: "The option a `configuration_error` is about, as this language spells it (or as you wrote it, when unknown).",
    },
    ErrorAttribute {
        name: "Reason",
        ty: AttributeType::OptionalText,
        doc: "Why a webhook was refused (`webhook_error`): `signature_mismatch`, ...",
    },
    ErrorAttribute {
        name: "ResponseStatus",
        ty: AttributeType::OptionalStatus,
        doc: "The HTTP status a webhook endpoint answers a `webhook_error` with (401, 400, 413).",
    },
];

/// Every attribute of an error: `code`, `message` (options named in the dialect's style),
/// `retryable`, `status`, `field_errors` (`{path, rule, message}`), `api_errors`
/// (`{property_name, error_message, raw}`), `attempts`, `ambiguous`, `retry_after` (in the
/// dialect's unit), `request_id`, `option` (the option a `configuration_error` is about, in the
/// dialect's case or as the caller wrote it), and for a `webhook_error` its `reason`
/// ([`WebhookReason`](crate::webhook::WebhookReason)) and the `response_status` an endpoint
/// answers with (both `null` otherwise).
pub fn error_value(e: &Error, d: Dialect) -> Value {
    to_value(&ErrorRecord::of(e, d), d)
}

/// An error of the code named `code` (an unknown name is an `internal_error`) with `message`:
/// for a binding that raises one of core's errors itself (a misused entry point).
pub fn error_of(code: &str, message: impl Into<String>) -> Error {
    let code = crate::ErrorCode::from_str_code(code).unwrap_or(crate::ErrorCode::Internal);
    Error::new(code, message)
}

/// The session operation named `name`, for entry points that answer a session (a JVM
/// `execute`): an Events API operation (it answers a receipt) or an unknown name is a
/// `configuration_error` naming `operation`, before anything is sent.
pub fn session_operation(name: &str) -> crate::Result<crate::Operation> {
    match crate::Operation::from_name(name) {
        Some(op) if op.kind().is_some() => Ok(op),
        Some(_) => Err(Error::option(
            "operation",
            format!("{name} answers an event receipt, not a session: call its own method"),
        )),
        None => {
            let known: Vec<&str> = crate::Operation::SESSIONS
                .iter()
                .map(|o| o.name())
                .collect();
            Err(Error::option(
                "operation",
                format!(
                    "{name:?} is not a session operation; known: {}",
                    known.join(", ")
                ),
            ))
        }
    }
}

/// The one text of an attempt's log line, in every language:
/// `POST /integrations/embedded/initiate -> 503 server_error (attempt 1, 0.9 ms, request id
/// req_1); retrying in 480 ms`. Never the key, never a body (events carry neither).
pub fn log_message(e: &AttemptEvent) -> String {
    let status = e
        .status
        .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
    let outcome = e
        .error_code
        .map(|c| format!(" {}", c.as_str()))
        .unwrap_or_default();
    let retry = e
        .retry_in
        .map(|wait| format!("; retrying in {} ms", wait.as_millis()))
        .unwrap_or_default();
    format!(
        "{} {} -> {status}{outcome} (attempt {}, {:.1} ms, request id {}){retry}",
        e.method,
        e.path,
        e.attempt,
        e.elapsed.as_secs_f64() * 1000.0,
        e.request_id.as_deref().unwrap_or("-"),
    )
}

/// A log event: `{level: "debug" | "warn", message, fields}`, where `fields` holds
/// `operation`, `method`, `path`, `attempt`, `status`, `elapsed_ms`, `request_id`,
/// `error_code` and `retry_in_ms` (times always in milliseconds, as in the message).
pub fn log_value(e: &AttemptEvent, d: Dialect) -> Value {
    to_value(&LogRecord::of(e), d)
}

/// A client's public attributes, never the key: `environment` (`null` with a custom base URL),
/// `base_url`, `loader_url` (the Paystar.js script for the environment, `null` with a custom
/// base URL), `events_base_url` (where Events API calls go), `timeout`, `connect_timeout` (in the dialect's unit), `max_retries`,
/// `user_agent` and `telemetry`.
pub fn client_value(c: &Config, d: Dialect) -> Value {
    object(
        d,
        [
            ("Environment", json!(c.environment().map(|e| e.as_str()))),
            ("BaseUrl", json!(c.base_url().as_str())),
            ("EventsBaseUrl", json!(c.events_base_url().as_str())),
            ("LoaderUrl", json!(c.environment().map(|e| e.loader_url()))),
            ("Timeout", json!(d.time.of(c.timeout()))),
            ("ConnectTimeout", json!(d.time.of(c.connect_timeout()))),
            ("MaxRetries", json!(c.max_retries())),
            ("UserAgent", json!(c.user_agent())),
            ("Telemetry", json!(c.telemetry())),
        ],
    )
}
