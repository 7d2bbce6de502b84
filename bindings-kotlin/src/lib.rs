//! The native half of the Kotlin/JVM front door (uniffi, proc-macro interface). Options,
//! sessions, errors and log events cross in core's shapes (`paystar::bridge`, camelCase,
//! milliseconds), deserialized into uniffi records with `deny_unknown_fields`: an attribute
//! core adds and these records lack fails the first call of the test suite instead of being
//! dropped. The hand-written Kotlin layer (`src/main/kotlin`) adds `suspend`/blocking twins,
//! `java.time` types, key-safe `toString`s and the logging. Every Paystar rule is in core.

// uniffi passes errors by value across the boundary (a boxed error is not a uniffi type), so
// the error enum stays large on purpose.
#![allow(clippy::result_large_err)]

use paystar::bridge::{self, Dialect};
use serde_json::Value;

uniffi::setup_scaffolding!();

mod client;
mod jni_entry;

/// mimalloc for everything the library allocates (never for the JVM's heap): see Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
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

pub use paystar::bridge::records::{
    AnswerRecord, AnswersRecord, CompletionRecord, DeliveryRecord, ErrorRecord, FieldErrorRecord,
    GatewayErrorRecord, Json, LogFields, LogRecord, ReceiptRecord, ReceptionRecord, SessionRecord,
    SettlementRecord, StoreFactsRecord, WebhookEventRecord,
};
pub use paystar::bridge::{
    AttemptSpanRecord, Attribute, AttributeValue, CallSpanName, InstrumentRecord, TelemetryRecord,
    TelemetryScopeRecord,
};

/// The tracer's and meter's name and version, the instruments and the call span names (core's).
#[uniffi::export]
pub fn telemetry_scope() -> TelemetryScopeRecord {
    bridge::telemetry_scope()
}

/// Core's error of `code` (an unknown code is an `internal_error`) with `message`, every
/// attribute set as core sets it (`retryable` from the code): for errors the Kotlin layer
/// raises itself.
#[uniffi::export]
pub fn error_info_for(code: String, message: String) -> ErrorRecord {
    error_info(&bridge::error_of(&code, message))
}

/// Runs the `paystar` command line `argv` (program name first) and returns its exit code: the
/// JAR's `Main-Class` (`io.paystar.Cli`). Blocks until the command ends; never panics. Installs
/// no signal handler: SIGINT and SIGTERM are the JVM's (its shutdown, exit 130 / 143), and a
/// native handler beside the JVM's needs libjsig.
#[uniffi::export]
pub fn cli_main(argv: Vec<String>) -> i32 {
    paystar::cli::run_with(argv, paystar::cli::Signals::LeaveToHost)
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
        info: ErrorRecord,
    },
}

/// Core's error record, its message and option named in camelCase.
pub(crate) fn error_info(e: &paystar::Error) -> ErrorRecord {
    ErrorRecord::of(e, Dialect::KOTLIN)
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

/// What a call ends with: a session, a receipt (Events API) or an error, its log events in
/// attempt order and its telemetry when asked (recorded by the Kotlin layer on the caller's
/// thread; nothing calls into the JVM from the runtime).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CallOutcome {
    /// The session, on a session call's success.
    pub session: Option<SessionRecord>,
    /// The receipt, on an Events API call's success.
    pub receipt: Option<ReceiptRecord>,
    /// The error, on failure.
    pub error: Option<ErrorRecord>,
    /// The events at the level asked for.
    pub events: Vec<LogRecord>,
    /// The spans and metric points, when asked for.
    pub telemetry: Option<TelemetryRecord>,
}

impl CallOutcome {
    pub(crate) fn of(
        config: &paystar::Config,
        op: paystar::Operation,
        collect: paystar::Collect,
        (result, events): (paystar::Result<paystar::Reply>, Vec<paystar::AttemptEvent>),
    ) -> CallOutcome {
        let report = bridge::call_report(config, op, &result, &events, collect);
        let mut outcome = match result {
            Ok(paystar::Reply::Session(s)) => CallOutcome {
                session: Some(SessionRecord::of(&s)),
                ..CallOutcome::empty()
            },
            Ok(paystar::Reply::Event(r)) => CallOutcome {
                receipt: Some(ReceiptRecord::of(&r)),
                ..CallOutcome::empty()
            },
            Err(e) => CallOutcome::failed(&e),
        };
        outcome.events = report.logs;
        outcome.telemetry = report.telemetry;
        outcome
    }

    fn empty() -> CallOutcome {
        CallOutcome {
            session: None,
            receipt: None,
            error: None,
            events: Vec::new(),
            telemetry: None,
        }
    }

    pub(crate) fn failed(e: &paystar::Error) -> CallOutcome {
        CallOutcome {
            error: Some(error_info(e)),
            ..CallOutcome::empty()
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
    /// A webhook scheme (core's enum; its name is core's).
    Scheme {
        /// The scheme.
        value: paystar::webhook::Scheme,
    },
    /// A signature encoding (core's enum).
    Encoding {
        /// The encoding.
        value: paystar::webhook::SignatureEncoding,
    },
    /// A nested option as JSON text (the mock's `network`), read by core as the object it is;
    /// text that is not JSON reaches core as a string, which core refuses naming the option.
    Json {
        /// The JSON text.
        value: String,
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
                    OptionValue::Scheme { value } => Value::String(value.as_str().to_owned()),
                    OptionValue::Encoding { value } => Value::String(value.as_str().to_owned()),
                    OptionValue::Json { value } => {
                        serde_json::from_str(&value).unwrap_or(Value::String(value))
                    }
                };
                (k, v)
            })
            .collect(),
    )
}
