//! A call's report across the boundary: the log events its caller's logger wants and, when its
//! caller records telemetry, the spans and metric points to record ([`crate::telemetry`]),
//! every name and attribute made here. A binding maps them onto its host's OpenTelemetry API.

use std::time::{Duration, SystemTime};

use serde::{Serialize, Serializer};

use super::records::LogRecord;
use crate::config::Collect;
use crate::config::{AttemptEvent, Config, LogLevel};
use crate::models::{Operation, Reply};
use crate::telemetry::{CALLS, DURATION, InstrumentSpec, Recorded, SCOPE, recorded_on};

/// The name of a call's span: `paystar.<operation>`, e.g. `paystar.create_payment_session`.
pub fn call_span_name(op: Operation) -> String {
    format!("{SCOPE}.{}", op.name())
}

/// An attribute's value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AttributeValue {
    /// Text.
    Text {
        /// The text.
        value: String,
    },
    /// A whole number.
    Int {
        /// The number.
        value: i64,
    },
    /// A flag.
    Bool {
        /// The flag.
        value: bool,
    },
}

impl Serialize for AttributeValue {
    /// The bare value: `"POST"`, `443`, `true`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AttributeValue::Text { value } => s.serialize_str(value),
            AttributeValue::Int { value } => s.serialize_i64(*value),
            AttributeValue::Bool { value } => s.serialize_bool(*value),
        }
    }
}

/// One attribute: a name from [`crate::telemetry::ATTRIBUTES`] and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Attribute {
    /// Its name (`http.request.method`, ...): never put in a dialect's case.
    pub key: String,
    /// Its value.
    pub value: AttributeValue,
}

/// An attempt: its CLIENT span and its `http.client.request.duration` point.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttemptSpanRecord {
    /// `POST /integrations/embedded/initiate` (method and `url.template`, as the HTTP
    /// conventions name client spans).
    pub name: String,
    /// When the attempt started, in nanoseconds since the Unix epoch.
    pub start_unix_nano: i64,
    /// When it ended.
    pub end_unix_nano: i64,
    /// The span's attributes.
    pub attributes: Vec<Attribute>,
    /// The error code when the attempt failed (the span's status is then Error, with this as
    /// its description).
    pub error_type: Option<String>,
    /// Its duration in seconds, for the histogram.
    pub duration_s: f64,
    /// The histogram point's attributes.
    pub metric_attributes: Vec<Attribute>,
}

/// A call's telemetry: its INTERNAL span's name and attributes (the binding starts that span
/// before the call, so it can carry the caller's trace to the gateway, and ends it after),
/// the attempts under it, and the `paystar.client.calls` point.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TelemetryRecord {
    /// `paystar.<operation>`.
    pub name: String,
    /// The call span's attributes.
    pub attributes: Vec<Attribute>,
    /// The error code when the call failed (status Error, with this as its description).
    pub error_type: Option<String>,
    /// The attempts, in order.
    pub attempts: Vec<AttemptSpanRecord>,
    /// The `paystar.client.calls` point's attributes (add 1).
    pub calls_attributes: Vec<Attribute>,
}

/// What a call reports to its caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallReportRecord {
    /// The log events the caller's logger wants, in attempt order.
    pub logs: Vec<LogRecord>,
    /// The spans and points, when the caller asked for telemetry.
    pub telemetry: Option<TelemetryRecord>,
}

/// A metric instrument, as a binding creates it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InstrumentRecord {
    /// Its name.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// Its description.
    pub description: String,
    /// A histogram's bucket boundaries (advice to the SDK); empty for a counter.
    pub buckets: Vec<f64>,
}

impl InstrumentRecord {
    fn of(i: &InstrumentSpec) -> InstrumentRecord {
        InstrumentRecord {
            name: i.name.to_owned(),
            unit: i.unit.to_owned(),
            description: i.description.to_owned(),
            buckets: i.buckets.to_vec(),
        }
    }
}

/// What a binding needs once, to record telemetry: the scope's name and version, and the
/// instruments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TelemetryScopeRecord {
    /// The tracer's and meter's name: `paystar`.
    pub name: String,
    /// paystar's version.
    pub version: String,
    /// The `http.client.request.duration` histogram.
    pub duration: InstrumentRecord,
    /// The `paystar.client.calls` counter.
    pub calls: InstrumentRecord,
    /// Each operation's call span name, for a binding that starts the span itself.
    pub call_spans: Vec<CallSpanName>,
}

/// An operation and its call span's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallSpanName {
    /// `create_payment_session`, ...
    pub operation: String,
    /// `paystar.create_payment_session`, ...
    pub name: String,
}

/// The scope and instruments every binding records with.
pub fn telemetry_scope() -> TelemetryScopeRecord {
    TelemetryScopeRecord {
        name: SCOPE.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        duration: InstrumentRecord::of(&DURATION),
        calls: InstrumentRecord::of(&CALLS),
        call_spans: Operation::ALL
            .iter()
            .map(|op| CallSpanName {
                operation: op.name().to_owned(),
                name: call_span_name(*op),
            })
            .collect(),
    }
}

fn text(key: &str, value: impl Into<String>) -> Attribute {
    Attribute {
        key: key.to_owned(),
        value: AttributeValue::Text {
            value: value.into(),
        },
    }
}

fn int(key: &str, value: impl TryInto<i64>) -> Attribute {
    Attribute {
        key: key.to_owned(),
        value: AttributeValue::Int {
            value: value.try_into().unwrap_or(i64::MAX),
        },
    }
}

fn flag(key: &str, value: bool) -> Attribute {
    Attribute {
        key: key.to_owned(),
        value: AttributeValue::Bool { value },
    }
}

fn unix_nanos(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Where an operation's requests go, as the conventions split it: host, port and the full URL
/// without credentials, query or fragment (paystar's URLs carry no ids).
struct Server {
    address: String,
    port: u16,
    full: String,
}

fn server(config: &Config, op: Operation) -> Server {
    let base = if op.is_event() {
        config.events_base_url()
    } else {
        config.base_url()
    };
    let mut url = base
        .join(op.path().trim_start_matches('/'))
        .unwrap_or_else(|_| base.clone());
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    let address = match url.host() {
        Some(url::Host::Ipv6(a)) => a.to_string(),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    Server {
        address,
        port: url.port_or_known_default().unwrap_or(0),
        full: url.to_string(),
    }
}

/// One attempt's span and point.
fn attempt_span(e: &AttemptEvent, server: &Server) -> AttemptSpanRecord {
    let start = unix_nanos(e.started_at);
    let elapsed = i64::try_from(e.elapsed.as_nanos()).unwrap_or(i64::MAX);
    let error_type = e.error_code.map(|c| c.as_str().to_owned());
    let mut metric = vec![
        text("http.request.method", e.method),
        text("server.address", server.address.clone()),
        int("server.port", server.port),
        text("url.template", e.path),
    ];
    if let Some(status) = e.status {
        metric.push(int("http.response.status_code", status));
    }
    if let Some(code) = &error_type {
        metric.push(text("error.type", code.clone()));
    }
    let mut attributes = metric.clone();
    attributes.insert(3, text("url.full", server.full.clone()));
    if e.attempt > 1 {
        attributes.push(int("http.request.resend_count", e.attempt - 1));
    }
    if let Some(id) = &e.request_id {
        attributes.push(text("paystar.request_id", id.clone()));
    }
    if error_type.is_some() {
        attributes.push(flag("paystar.ambiguous", e.ambiguous));
    }
    if let Some(after) = e.retry_after {
        attributes.push(int("paystar.retry_after_ms", millis(after)));
    }
    if let Some(wait) = e.retry_in {
        attributes.push(int("paystar.retry_in_ms", millis(wait)));
    }
    AttemptSpanRecord {
        name: format!("{} {}", e.method, e.path),
        start_unix_nano: start,
        end_unix_nano: start.saturating_add(elapsed),
        attributes,
        error_type,
        duration_s: e.elapsed.as_secs_f64(),
        metric_attributes: metric,
    }
}

/// The telemetry of a call of `op` that ended with `result` after `events` (every attempt: the
/// call collected them with [`Collect::telemetry`]).
pub fn telemetry_record(
    config: &Config,
    op: Operation,
    result: &crate::Result<Reply>,
    events: &[AttemptEvent],
) -> TelemetryRecord {
    let server = server(config, op);
    let mut attributes = vec![text("paystar.operation", op.name())];
    let mut calls = attributes.clone();
    let error_type = match result {
        Ok(reply) => {
            attributes.push(int("paystar.attempts", events.len()));
            if let Some(id) = reply.request_id() {
                attributes.push(text("paystar.request_id", id));
            }
            None
        }
        Err(e) => {
            attributes.push(int("paystar.attempts", e.attempts()));
            if let Some(id) = e.request_id() {
                attributes.push(text("paystar.request_id", id));
            }
            attributes.push(text("error.type", e.code().as_str()));
            attributes.push(flag("paystar.ambiguous", e.ambiguous()));
            calls.push(text("error.type", e.code().as_str()));
            Some(e.code().as_str().to_owned())
        }
    };
    TelemetryRecord {
        name: call_span_name(op),
        attributes,
        error_type,
        attempts: events.iter().map(|e| attempt_span(e, &server)).collect(),
        calls_attributes: calls,
    }
}

/// A call's report: the log events `collect.log` wants, and its telemetry when
/// `collect.telemetry`.
pub fn call_report(
    config: &Config,
    op: Operation,
    result: &crate::Result<Reply>,
    events: &[AttemptEvent],
    collect: Collect,
) -> CallReportRecord {
    let logs = events
        .iter()
        .filter(|e| collect.log != LogLevel::Off && e.level() <= collect.log)
        .map(LogRecord::of)
        .collect();
    CallReportRecord {
        logs,
        telemetry: collect
            .telemetry
            .then(|| telemetry_record(config, op, result, events)),
    }
}

/// Whether every attribute of `record` is one [`crate::telemetry::ATTRIBUTES`] lists for where
/// it is recorded (tests).
pub fn attributes_are_documented(record: &TelemetryRecord) -> bool {
    let all = |attrs: &[Attribute], on: Recorded| attrs.iter().all(|a| recorded_on(&a.key, on));
    all(&record.attributes, Recorded::CallSpan)
        && all(&record.calls_attributes, Recorded::Calls)
        && record.attempts.iter().all(|a| {
            all(&a.attributes, Recorded::AttemptSpan)
                && all(&a.metric_attributes, Recorded::Duration)
        })
}

/// What a webhook endpoint did with a delivery, as attributes of the server's span (the
/// framework's own span, when it has one): `paystar.webhook.outcome`, and the refusal's
/// `paystar.webhook.reason` or the delivery's `paystar.webhook.event_type`. Never the body.
pub fn webhook_attributes(outcome: &str, reason: Option<&str>) -> Vec<Attribute> {
    let mut out = vec![text("paystar.webhook.outcome", outcome)];
    if let Some(reason) = reason {
        out.push(text("paystar.webhook.reason", reason));
    }
    out
}

/// The authentic delivery's `paystar.webhook.event_type` (none when it names no type).
pub fn webhook_event_attributes(event_type: Option<&str>) -> Vec<Attribute> {
    event_type
        .map(|t| vec![text("paystar.webhook.event_type", t)])
        .unwrap_or_default()
}
