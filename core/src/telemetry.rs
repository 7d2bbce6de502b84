//! Telemetry: what a call tells OpenTelemetry, decided once for every language.
//!
//! Core gathers each attempt's facts on the path its log events already take
//! ([`AttemptEvent`](crate::AttemptEvent)): nothing is collected when nothing listens
//! ([`Collect`](crate::Collect)). A binding that found its host's OpenTelemetry API asks for them, and after the
//! call turns core's [`TelemetryRecord`](crate::bridge::TelemetryRecord) (span names,
//! attributes, times, metric points, all made here) into spans and metric points on the caller's
//! thread. The caller's trace travels to the gateway as a [`TraceContext`] sent on every attempt.
//!
//! What is recorded is listed once, in [`ATTRIBUTES`] and [`INSTRUMENTS`]
//! (`docs/observability.md` is generated from them). Never recorded: the API key, a request or
//! response body, an email, an account number, a session URL, an error's message.

use crate::error::{Error, Result};

/// The instrumentation scope's name: the tracer and the meter are `paystar`.
pub const SCOPE: &str = "paystar";

/// The W3C trace context a call carries to the gateway: `traceparent`, and `tracestate` when
/// given, sent on every attempt. Checked when given, as header values must be: a malformed one
/// is a `configuration_error` naming it, before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceContext {
    traceparent: String,
    tracestate: Option<String>,
}

/// Longest `tracestate` sent (W3C: 32 members of at most 256 characters; 512 is what a vendor
/// must propagate at least).
const MAX_TRACESTATE: usize = 8192;

impl TraceContext {
    /// A trace context from a `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`, lowercase, ids not
    /// all zero; a later version's longer form is accepted as W3C says) and an optional
    /// `tracestate` (printable ASCII).
    ///
    /// ```
    /// use paystar::telemetry::TraceContext;
    /// let ok = TraceContext::new("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", None);
    /// assert!(ok.is_ok());
    /// let bad = TraceContext::new("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", None);
    /// assert_eq!(bad.unwrap_err().code().as_str(), "configuration_error");
    /// ```
    pub fn new(traceparent: impl Into<String>, tracestate: Option<String>) -> Result<TraceContext> {
        let traceparent = traceparent.into();
        check_traceparent(&traceparent)?;
        if let Some(state) = &tracestate {
            let printable = state.bytes().all(|b| (0x20..0x7f).contains(&b));
            if !printable || state.len() > MAX_TRACESTATE {
                return Err(Error::option(
                    "Tracestate",
                    format!(
                        "must be printable ASCII of at most {MAX_TRACESTATE} characters (W3C trace context)"
                    ),
                ));
            }
        }
        let tracestate = tracestate.filter(|s| !s.trim().is_empty());
        Ok(TraceContext {
            traceparent,
            tracestate,
        })
    }

    /// The `traceparent` header's value.
    pub fn traceparent(&self) -> &str {
        &self.traceparent
    }

    /// The `tracestate` header's value, when there is one.
    pub fn tracestate(&self) -> Option<&str> {
        self.tracestate.as_deref()
    }
}

fn check_traceparent(t: &str) -> Result<()> {
    let bad = |why: &str| {
        Error::option(
            "Traceparent",
            format!("is not a W3C traceparent ({why}); expected 00-<32 hex>-<16 hex>-<2 hex>"),
        )
    };
    let parts: Vec<&str> = t.split('-').collect();
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    if parts.len() < 4 || !hex(parts[0], 2) || !hex(parts[1], 32) || !hex(parts[2], 16) {
        return Err(bad("wrong form"));
    }
    if !hex(parts[3], 2) {
        return Err(bad("wrong flags"));
    }
    match parts[0] {
        "ff" => return Err(bad("version ff is invalid")),
        "00" if parts.len() != 4 => return Err(bad("version 00 has four parts")),
        _ => {}
    }
    if parts[1].bytes().all(|b| b == b'0') {
        return Err(bad("the trace id is all zeros"));
    }
    if parts[2].bytes().all(|b| b == b'0') {
        return Err(bad("the parent id is all zeros"));
    }
    Ok(())
}

/// What kind of value an attribute holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeKind {
    /// Text.
    String,
    /// A whole number.
    Int,
    /// true or false.
    Boolean,
}

impl AttributeKind {
    /// `string`, `int` or `boolean`, as the semantic conventions write types.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::String => "string",
            AttributeKind::Int => "int",
            AttributeKind::Boolean => "boolean",
        }
    }
}

/// Where an attribute is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The call's INTERNAL span `paystar.<operation>`.
    CallSpan,
    /// Each attempt's CLIENT span.
    AttemptSpan,
    /// The `http.client.request.duration` histogram.
    Duration,
    /// The `paystar.client.calls` counter.
    Calls,
    /// The webhook endpoint's server span (the framework's own span, when there is one).
    Webhook,
}

impl Recorded {
    /// A short name for the documentation's table.
    pub fn as_str(self) -> &'static str {
        match self {
            Recorded::CallSpan => "call span",
            Recorded::AttemptSpan => "attempt span",
            Recorded::Duration => "duration",
            Recorded::Calls => "calls",
            Recorded::Webhook => "webhook span",
        }
    }
}

/// One attribute paystar records: its name, type, where, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeSpec {
    /// The attribute's name (the HTTP semantic conventions' where one exists).
    pub name: &'static str,
    /// Its type.
    pub kind: AttributeKind,
    /// Where it is recorded.
    pub on: &'static [Recorded],
    /// What it holds, and when it is present.
    pub doc: &'static str,
}

const fn attr(
    name: &'static str,
    kind: AttributeKind,
    on: &'static [Recorded],
    doc: &'static str,
) -> AttributeSpec {
    AttributeSpec {
        name,
        kind,
        on,
        doc,
    }
}

use AttributeKind::{Boolean, Int, String as Text};
use Recorded::{AttemptSpan, CallSpan, Calls, Duration as Dur, Webhook};

/// Every attribute paystar records, in the documentation's order. Nothing else is ever set.
pub const ATTRIBUTES: &[AttributeSpec] = &[
    attr(
        "paystar.operation",
        Text,
        &[CallSpan, Calls],
        "The operation: `create_payment_session`, `update_customer`, ...",
    ),
    attr(
        "paystar.attempts",
        Int,
        &[CallSpan],
        "How many attempts the call made (0 when it failed before sending).",
    ),
    attr(
        "http.request.method",
        Text,
        &[AttemptSpan, Dur],
        "Always `POST`.",
    ),
    attr(
        "server.address",
        Text,
        &[AttemptSpan, Dur],
        "The gateway's host (`gateway.paystar.io`).",
    ),
    attr(
        "server.port",
        Int,
        &[AttemptSpan, Dur],
        "The gateway's port (443).",
    ),
    attr(
        "url.full",
        Text,
        &[AttemptSpan],
        "The endpoint's URL, without credentials, query or fragment (it carries no ids).",
    ),
    attr(
        "url.template",
        Text,
        &[AttemptSpan, Dur],
        "The endpoint's path as documented, e.g. `/integrations/embedded/initiate`.",
    ),
    attr(
        "http.response.status_code",
        Int,
        &[AttemptSpan, Dur],
        "The HTTP status, when an answer came back.",
    ),
    attr(
        "error.type",
        Text,
        &[CallSpan, AttemptSpan, Dur, Calls],
        "On failure only: the error's `code` (`rate_limited`, `timeout`, `connection_error`, `validation_error`, ...).",
    ),
    attr(
        "http.request.resend_count",
        Int,
        &[AttemptSpan],
        "On a retry only: how many attempts came before this one (1 on the second).",
    ),
    attr(
        "paystar.request_id",
        Text,
        &[CallSpan, AttemptSpan],
        "The gateway's request id, when it sent one.",
    ),
    attr(
        "paystar.ambiguous",
        Boolean,
        &[CallSpan, AttemptSpan],
        "On failure only: an attempt may have reached the gateway and acted (see the `ambiguous` error attribute).",
    ),
    attr(
        "paystar.retry_after_ms",
        Int,
        &[AttemptSpan],
        "The gateway's `Retry-After`, in milliseconds, when it sent one.",
    ),
    attr(
        "paystar.retry_in_ms",
        Int,
        &[AttemptSpan],
        "When another attempt follows: how long paystar waits before it, in milliseconds.",
    ),
    attr(
        "paystar.webhook.outcome",
        Text,
        &[Webhook],
        "`handled`, `duplicate` (already handled: acknowledged without running the handler), `in_progress` (another delivery holds it), `handler_failed`, `refused`, `store_unavailable` (the dedupe store failed) or `misconfigured` (no secret).",
    ),
    attr(
        "paystar.webhook.reason",
        Text,
        &[Webhook],
        "When refused: why (`signature_mismatch`, `timestamp_too_old`, `missing_header`, ...).",
    ),
    attr(
        "paystar.webhook.event_type",
        Text,
        &[Webhook],
        "The authentic delivery's event type (`Payment.Succeeded`, ...).",
    ),
];

/// The kind of a metric instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstrumentKind {
    /// A histogram of values.
    Histogram,
    /// A monotonic counter.
    Counter,
}

/// A metric instrument paystar records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstrumentSpec {
    /// Its name.
    pub name: &'static str,
    /// Histogram or counter.
    pub kind: InstrumentKind,
    /// Its unit (UCUM).
    pub unit: &'static str,
    /// Its description.
    pub description: &'static str,
    /// A histogram's bucket boundaries (the conventions' advice); empty for a counter.
    pub buckets: &'static [f64],
}

/// The duration of each attempt, as the HTTP client semantic conventions name it.
pub const DURATION: InstrumentSpec = InstrumentSpec {
    name: "http.client.request.duration",
    kind: InstrumentKind::Histogram,
    unit: "s",
    description: "Duration of HTTP client requests.",
    buckets: &[
        0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
    ],
};

/// Calls by operation and outcome.
pub const CALLS: InstrumentSpec = InstrumentSpec {
    name: "paystar.client.calls",
    kind: InstrumentKind::Counter,
    unit: "{call}",
    description: "Paystar calls, by operation and outcome (`error.type` on failure).",
    buckets: &[],
};

/// Every instrument paystar records.
pub const INSTRUMENTS: &[InstrumentSpec] = &[DURATION, CALLS];

/// Whether `name` is recorded on `on` (tests check every attribute a record carries).
pub fn recorded_on(name: &str, on: Recorded) -> bool {
    ATTRIBUTES
        .iter()
        .any(|a| a.name == name && a.on.contains(&on))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceparents_are_checked_as_w3c_says() {
        let ok = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert!(TraceContext::new(ok, Some("congo=t61rcWkgMzE".into())).is_ok());
        // A later version may carry more parts.
        assert!(
            TraceContext::new(
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                None
            )
            .is_ok()
        );
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nX-Evil: 1",
        ] {
            let e = TraceContext::new(bad, None).unwrap_err();
            assert_eq!(e.code().as_str(), "configuration_error", "{bad:?}");
            assert!(e.to_string().starts_with("traceparent: "), "{e}");
        }
        let e = TraceContext::new(ok, Some("a=b\r\nX-Evil: 1".into())).unwrap_err();
        assert!(e.to_string().starts_with("tracestate: "), "{e}");
        assert_eq!(
            TraceContext::new(ok, Some(" ".into()))
                .unwrap()
                .tracestate(),
            None
        );
    }

    #[test]
    fn every_attribute_is_recorded_somewhere_and_named_once() {
        let mut names: Vec<&str> = ATTRIBUTES.iter().map(|a| a.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ATTRIBUTES.len());
        assert!(ATTRIBUTES.iter().all(|a| !a.on.is_empty()));
    }
}
