//! The one boundary between core and the language bindings.
//!
//! Every binding (Python, Node, Kotlin) crosses into core here, in one shape that core defines:
//!
//! - **options**: client and per-call options as a JSON-like object in the caller's key style,
//!   with durations in the caller's unit ([`client`], [`call_options`]); unknown names are
//!   refused with a "did you mean" hint;
//! - **requests**: JSON in the caller's key style ([`Client::execute_logged`](crate::Client::execute_logged)); what a host
//!   value cannot carry (a cycle, nesting past [`MAX_DEPTH`], NaN) is refused by the binding's
//!   converter with [`too_deep`] / [`not_json`] before anything is sent;
//! - **results**: a session, an Events API receipt, an error and a log event as JSON-ready values with every attribute,
//!   keys in the caller's style ([`session_value`], [`receipt_value`], [`error_value`],
//!   [`log_value`]);
//! - **telemetry**: a call's report ([`call_report`]): the log events its logger wants and its
//!   spans and metric points, every name and attribute made here ([`crate::telemetry`]);
//! - **webhooks**: verifier and signing options, headers and events ([`webhook_verifier`],
//!   [`webhook_verify`], [`webhook_sign`]);
//! - **the mock**: a [`MockHandle`] that can be shared between threads and stopped (feature
//!   `mock`).
//!
//! A binding maps these values onto native classes and bridges async; nothing else. So a new
//! option, attribute or log field is one change here, and the text of a log line is formatted
//! once, here.

mod endpoint;
mod options;
pub mod records;
mod shape;
mod telemetry;
mod webhook;

#[cfg(feature = "mock")]
mod mock;

pub use endpoint::{
    ENDPOINT_OPTIONS, MemoryStoreHandle, answer_value, answers_record, claim_named,
    claim_of_existing, store_facts_record, webhook_after_claim, webhook_after_claim_record,
    webhook_answers, webhook_endpoint, webhook_receive, webhook_receive_record, webhook_settle,
    webhook_settle_record, webhook_store_facts,
};
pub use options::{
    CALL_OPTIONS, CLIENT_OPTIONS, OptionKind, OptionSpec, call_options, client, client_builder,
    option_names,
};
pub use shape::{
    AttributeType, ERROR_ATTRIBUTES, ErrorAttribute, boundary_time, client_value, error_of,
    error_value, log_message, log_value, receipt_value, reply_value, session_operation,
    session_value,
};
pub use telemetry::{
    AttemptSpanRecord, Attribute, AttributeValue, CallReportRecord, CallSpanName, InstrumentRecord,
    TelemetryRecord, TelemetryScopeRecord, attributes_are_documented, call_report, call_span_name,
    telemetry_record, telemetry_scope,
};
pub use webhook::{
    SIGN_OPTIONS, VERIFIER_OPTIONS, scheme_named, webhook_event_value, webhook_headers,
    webhook_parse, webhook_parse_record, webhook_sign, webhook_verifier, webhook_verify,
    webhook_verify_record,
};

#[cfg(feature = "mock")]
pub use mock::{MOCK_OPTIONS, MOCK_WEBHOOK_OPTIONS, MockHandle};

use serde_json::Value;

use crate::error::{Error, FieldError, Result, Rule};
use crate::models::input::Case;

pub use crate::validate::limits::MAX_DEPTH;

/// The unit a binding gives and receives durations in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Seconds, as floats (Python).
    Seconds,
    /// Milliseconds (Node, and the JVM's `Duration`s as they cross).
    Milliseconds,
}

impl TimeUnit {
    /// How many seconds one unit is.
    pub const fn secs(self) -> f64 {
        match self {
            TimeUnit::Seconds => 1.0,
            TimeUnit::Milliseconds => 0.001,
        }
    }

    /// A duration in this unit.
    pub fn of(self, d: std::time::Duration) -> f64 {
        d.as_secs_f64() / self.secs()
    }
}

/// A binding's conventions: its key style and its time unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dialect {
    /// Key style of options, requests and results.
    pub case: Case,
    /// Unit of durations.
    pub time: TimeUnit,
}

impl Dialect {
    /// Python: snake_case keys, seconds.
    pub const PYTHON: Dialect = Dialect {
        case: Case::Snake,
        time: TimeUnit::Seconds,
    };
    /// Node: camelCase keys, milliseconds.
    pub const NODE: Dialect = Dialect {
        case: Case::Camel,
        time: TimeUnit::Milliseconds,
    };
    /// Kotlin/JVM: camelCase keys, milliseconds (the Kotlin layer converts `java.time`).
    pub const KOTLIN: Dialect = Dialect {
        case: Case::Camel,
        time: TimeUnit::Milliseconds,
    };

    /// A wire (PascalCase) name in this dialect's style.
    pub fn key(self, wire: &str) -> String {
        self.case.convert(wire)
    }
}

/// The wire path of `key` (in any style: `client_user`, `clientUser`) below `parent`, for
/// binding converters that report a problem before core sees the request:
/// `child_path("Charges[0]", "client_account") == "Charges[0].ClientAccount"`.
///
/// ```
/// assert_eq!(paystar::bridge::child_path("", "client_user"), "ClientUser");
/// assert_eq!(paystar::bridge::child_path("Charges[0]", "clientAccount"), "Charges[0].ClientAccount");
/// ```
pub fn child_path(parent: &str, key: &str) -> String {
    let wire = crate::case::to_pascal(key);
    if parent.is_empty() {
        wire
    } else {
        format!("{parent}.{wire}")
    }
}

/// The wire path of a value a converter walked to, from its keys (in any case) and list
/// indices: `["charges", 0, "clientAccount"]` is `Charges[0].ClientAccount`. For converters
/// that keep the raw steps and ask for a path only when they report a problem.
///
/// ```
/// use serde_json::json;
/// assert_eq!(paystar::bridge::wire_path(&[json!("charges"), json!(0), json!("clientAccount")]), "Charges[0].ClientAccount");
/// ```
pub fn wire_path(parts: &[Value]) -> String {
    parts.iter().fold(String::new(), |path, part| match part {
        Value::Number(i) => format!("{path}[{i}]"),
        Value::String(key) => child_path(&path, key),
        other => child_path(&path, &other.to_string()),
    })
}

/// JSON text a binding received as text (a JVM request given as JSON, a JSON-text field such as
/// `extraJson` or `payloadJson`, a mock script), parsed; text that is not JSON is a
/// `validation_error` at `path` (`""` for a whole request) with rule `json`. serde_json stops at
/// 128 levels, so no input can overflow the stack.
pub fn json_text(path: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::validation(vec![FieldError {
            path: path.to_owned(),
            rule: Rule::Json,
            message: format!("is not JSON ({e})"),
        }])
    })
}

/// The problem a converter reports at depth [`MAX_DEPTH`] (a cycle ends here too).
pub fn too_deep(path: &str) -> FieldError {
    FieldError {
        path: path.to_owned(),
        rule: Rule::MaxDepth,
        message: format!("nests deeper than {MAX_DEPTH} levels (or contains itself)"),
    }
}

/// The problem a converter reports for an integer beyond what JSON numbers carry exactly
/// (a JavaScript `BigInt` over 2^53 − 1).
pub fn too_large(path: &str) -> FieldError {
    FieldError {
        path: path.to_owned(),
        rule: Rule::MaxValue,
        message: format!(
            "must be at most {}",
            crate::validate::limits::MAX_SAFE_INTEGER
        ),
    }
}

/// The problem a converter reports for a value JSON cannot carry (`what` says what it was:
/// "a NaN", "a Decimal", "a function").
pub fn not_json(path: &str, what: &str) -> FieldError {
    FieldError {
        path: path.to_owned(),
        rule: Rule::Type,
        message: format!("cannot be sent as JSON: {what} {AMOUNTS_HINT}"),
    }
}

/// What every "not JSON" problem adds: the likeliest cause is an amount written as money.
const AMOUNTS_HINT: &str = "(amounts are integer cents, e.g. 15000 for $150.00)";

/// The problem a converter reports for a missing value where one is needed (JavaScript's
/// `undefined` in a list, such as `secrets: [process.env.UNSET]`).
pub fn undefined(path: &str) -> FieldError {
    FieldError {
        path: path.to_owned(),
        rule: Rule::Required,
        message: "is undefined (read from an environment variable that is not set?)".to_owned(),
    }
}

/// The converter's verdict on a request: the value, or one `validation_error` listing every
/// problem.
pub fn converted(value: Value, problems: Vec<FieldError>) -> Result<Value> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(Error::validation(problems))
    }
}

/// The converter's verdict on options: the value, or a `configuration_error` naming the first
/// bad option in the dialect's style (`timeout: cannot be sent as JSON: a NaN`).
pub fn converted_options(value: Value, problems: Vec<FieldError>) -> Result<Value> {
    match problems.first() {
        None => Ok(value),
        Some(p) => {
            let what = p.message.trim_end_matches(AMOUNTS_HINT).trim_end();
            Err(Error::option(&p.path, what))
        }
    }
}

/// JavaScript has one number type, so an integer-valued number (15000, 2**53) reaches core as a
/// float; this turns such numbers back into integers so core sees what the caller wrote.
/// Fractional numbers stay floats (core refuses them as amounts).
pub fn integral_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                // 2^63 is exactly representable; anything below it in magnitude fits an i64.
                if f.fract() == 0.0 && f.abs() < 9_223_372_036_854_775_808.0 {
                    #[allow(clippy::cast_possible_truncation)]
                    let i = f as i64;
                    *value = Value::from(i);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Runs `f`, turning a panic into an `internal_error`: for binding entry points that must never
/// unwind into a host language.
pub fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::internal(format!("paystar panicked (a bug): {what}")))
    })
}

#[cfg(test)]
mod tests;
