//! The records that cross the boundary, each defined once: a session, an Events API receipt, an
//! error (with its field errors and the gateway's error items), a log event, a webhook event and
//! the mock's completion.
//!
//! Python and Node receive them as JSON-ready values ([`to_value`]: keys in the dialect's case,
//! durations in its unit, times in [`boundary_time`](super::boundary_time)'s form, the
//! gateway's own JSON untouched). Kotlin receives the same structs as uniffi records (feature
//! `uniffi`; the Kotlin names are in each `uniffi(name)`): no binding declares a result shape.
//!
//! Fields are typed for every host: counts and statuses are `i32` (a JVM `Int`, not an unsigned
//! value class Java cannot call), times are `SystemTime` (`java.time.Instant`), durations
//! `Duration` (`java.time.Duration`), and JSON the gateway sent is [`Json`] (JSON text on the
//! JVM).

use std::time::{Duration, SystemTime};

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::Dialect;
use super::telemetry::Attribute;
use crate::config::{AttemptEvent, LogLevel};
use crate::error::{ApiErrorItem, Error, FieldError};
use crate::models::{EventReceipt, Session};
use crate::webhook::{Answer, WebhookEvent};

/// JSON as the gateway (or a webhook's sender) wrote it: an object or array in Python and Node,
/// JSON text on the JVM. Its keys are never put in a dialect's case.
#[derive(Debug, Clone, PartialEq)]
pub struct Json(pub Value);

/// How [`Json`] and durations are marked in the serialized form, for [`to_value`] to finish:
/// a one-key object no record field can produce (its key is not an identifier).
const VERBATIM: &str = "\u{0}json";
const MILLIS: &str = "\u{0}ms";

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(VERBATIM, &self.0)?;
        m.end()
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(Json, String, {
    lower: |j| j.0.to_string(),
    try_lift: |text| Ok(Json(serde_json::from_str(&text)?)),
});

fn millis<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    match d {
        None => s.serialize_none(),
        Some(d) => {
            let mut m = s.serialize_map(Some(1))?;
            m.serialize_entry(MILLIS, &(d.as_secs_f64() * 1000.0))?;
            m.end()
        }
    }
}

fn time_text<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&super::boundary_time(OffsetDateTime::from(*t)))
}

/// `t` as a `SystemTime`: the instant [`boundary_time`](super::boundary_time) writes.
fn instant(t: OffsetDateTime) -> SystemTime {
    SystemTime::from(super::shape::boundary_utc(t))
}

/// A count as the hosts' `Int`: saturating, never wrapping.
fn count(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

/// `record` as a JSON-ready value in the dialect `d`: keys in its case, durations in its unit,
/// [`Json`] untouched.
pub fn to_value<T: Serialize>(record: &T, d: Dialect) -> Value {
    // A record is plain data: serializing it to a Value cannot fail.
    serde_json::to_value(record).map_or(Value::Null, |v| finish(v, d))
}

fn finish(v: Value, d: Dialect) -> Value {
    match v {
        Value::Object(mut m) if m.len() == 1 && m.contains_key(VERBATIM) => {
            m.remove(VERBATIM).unwrap_or(Value::Null)
        }
        Value::Object(m) if m.len() == 1 && m.contains_key(MILLIS) => {
            let ms = m.get(MILLIS).and_then(Value::as_f64).unwrap_or_default();
            serde_json::json!(ms * 0.001 / d.time.secs())
        }
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (d.case.convert(&k), finish(v, d)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| finish(v, d)).collect()),
        other => other,
    }
}

/// A created session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "Session"))]
pub struct SessionRecord {
    /// `payment`, `autopay`, `wallet`, `paperless` or `notification`.
    pub kind: String,
    /// The session id, when sent (`PaymentSessionIdentifier` for payments).
    pub id: Option<String>,
    /// The short-lived session URL to hand to the page.
    pub url: String,
    /// The gateway's status, when sent.
    pub status: Option<String>,
    /// When the link stops working.
    #[serde(serialize_with = "time_text")]
    pub expires_at: SystemTime,
    /// The gateway's `data` object as received (`raw`; JSON text on the JVM).
    #[serde(rename = "raw")]
    pub raw_json: Json,
    /// HTTP attempts the call took.
    pub attempts: i32,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// The Paystar.js function that opens it (`completePayment` or `startFlow`).
    pub loader_call: String,
    /// True when an earlier attempt may have reached the gateway without an answer.
    pub ambiguous: bool,
}

impl SessionRecord {
    /// The record of `s`.
    pub fn of(s: &Session) -> SessionRecord {
        SessionRecord {
            kind: s.kind.as_str().to_owned(),
            id: s.id.clone(),
            url: s.url.clone(),
            status: s.status.clone(),
            expires_at: instant(s.expires_at),
            raw_json: Json(Value::Object(s.raw.clone())),
            attempts: count(s.attempts),
            request_id: s.request_id.clone(),
            loader_call: s.kind.loader_call().to_owned(),
            ambiguous: s.ambiguous,
        }
    }
}

/// An Events API call the gateway accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "EventReceipt")
)]
pub struct ReceiptRecord {
    /// The event type sent (`Accounts.ManageCustomer`, ...).
    pub event_type: String,
    /// The HTTP status of the answer (2xx).
    pub http_status: i32,
    /// What the gateway answered (`raw`): the envelope's `data`, other JSON, or `null`.
    #[serde(rename = "raw")]
    pub raw_json: Json,
    /// HTTP attempts the call took.
    pub attempts: i32,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// True when an earlier attempt may have reached the gateway without an answer.
    pub ambiguous: bool,
}

impl ReceiptRecord {
    /// The record of `r`.
    pub fn of(r: &EventReceipt) -> ReceiptRecord {
        ReceiptRecord {
            event_type: r.event_type.clone(),
            http_status: i32::from(r.http_status),
            raw_json: Json(r.raw.clone().unwrap_or(Value::Null)),
            attempts: count(r.attempts),
            request_id: r.request_id.clone(),
            ambiguous: r.ambiguous,
        }
    }
}

/// One broken rule of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "FieldError")
)]
pub struct FieldErrorRecord {
    /// The wire path (`Charges[1].Amount`).
    pub path: String,
    /// The rule: a [`Rule`](crate::Rule)'s name (`required`, `max_length`, ...).
    pub rule: String,
    /// Why, in a sentence.
    pub message: String,
}

impl FieldErrorRecord {
    /// The record of `f`.
    pub fn of(f: &FieldError) -> FieldErrorRecord {
        FieldErrorRecord {
            path: f.path.clone(),
            rule: f.rule.as_str().to_owned(),
            message: f.message.clone(),
        }
    }
}

/// One item of the gateway's `errors` list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "GatewayError")
)]
pub struct GatewayErrorRecord {
    /// `propertyName`, when sent.
    pub property_name: Option<String>,
    /// `errorMessage` (or the whole item when it was text).
    pub error_message: String,
    /// The item as received (`raw`).
    #[serde(rename = "raw")]
    pub raw_json: Json,
}

impl GatewayErrorRecord {
    /// The record of `a`.
    pub fn of(a: &ApiErrorItem) -> GatewayErrorRecord {
        GatewayErrorRecord {
            property_name: a.property_name.clone(),
            error_message: a.error_message.clone(),
            raw_json: Json(a.raw.clone()),
        }
    }
}

/// Every attribute of a paystar error, in the order of
/// [`ERROR_ATTRIBUTES`](super::ERROR_ATTRIBUTES). Never contains the API key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "ErrorInfo"))]
pub struct ErrorRecord {
    /// The stable code (`validation_error`, `timeout`, ...).
    pub code: String,
    /// The message, options named in the dialect's case.
    pub message: String,
    /// Whether trying the same call again later may succeed (core decides, per code).
    pub retryable: bool,
    /// The HTTP status, when the gateway answered.
    pub status: Option<i32>,
    /// Every broken rule.
    pub field_errors: Vec<FieldErrorRecord>,
    /// The gateway's `errors` items.
    pub api_errors: Vec<GatewayErrorRecord>,
    /// HTTP attempts made (0 when nothing was sent).
    pub attempts: i32,
    /// True when an earlier attempt may have reached the gateway.
    pub ambiguous: bool,
    /// How long the gateway asked to wait (`Retry-After`), when it did.
    #[serde(serialize_with = "millis")]
    pub retry_after: Option<Duration>,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// The option a `configuration_error` is about, in the dialect's case (or as written).
    pub option: Option<String>,
    /// Why a webhook was refused (`webhook_error`), else `None`.
    pub reason: Option<String>,
    /// The HTTP status a webhook endpoint answers a `webhook_error` with.
    pub response_status: Option<i32>,
}

impl ErrorRecord {
    /// The record of `e`, its message and option named in `d`'s case.
    pub fn of(e: &Error, d: Dialect) -> ErrorRecord {
        ErrorRecord {
            code: e.code().as_str().to_owned(),
            message: e.message_in(d.case),
            retryable: e.is_retryable(),
            status: e.status().map(i32::from),
            field_errors: e.field_errors().iter().map(FieldErrorRecord::of).collect(),
            api_errors: e.api_errors().iter().map(GatewayErrorRecord::of).collect(),
            attempts: count(e.attempts()),
            ambiguous: e.ambiguous(),
            retry_after: e.retry_after(),
            request_id: e.request_id().map(str::to_owned),
            option: e.option_in(d.case),
            reason: e.webhook_reason().map(|r| r.as_str().to_owned()),
            response_status: e.webhook_reason().map(|r| i32::from(r.response_status())),
        }
    }
}

/// One attempt's log event: `level` (`debug` or `warn`), the line every language prints, and
/// its fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "LogRecord"))]
pub struct LogRecord {
    /// `debug` or `warn`.
    pub level: String,
    /// The line ([`log_message`](super::log_message)).
    pub message: String,
    /// The same facts, one by one.
    pub fields: LogFields,
}

/// The facts of one attempt (times in milliseconds in every language, as in the line).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LogFields {
    /// The operation (`create_payment_session`, ...).
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The path.
    pub path: String,
    /// Which attempt (from 1).
    pub attempt: i32,
    /// The HTTP status, `None` when there was no answer.
    pub status: Option<i32>,
    /// How long the attempt took, in milliseconds.
    pub elapsed_ms: f64,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// The error code the attempt ended with, if any.
    pub error_code: Option<String>,
    /// How long until the next attempt, in milliseconds, when there is one.
    pub retry_in_ms: Option<f64>,
}

impl LogRecord {
    /// The record of `e`.
    pub fn of(e: &AttemptEvent) -> LogRecord {
        LogRecord {
            level: match e.level() {
                LogLevel::Warn => "warn",
                _ => "debug",
            }
            .to_owned(),
            message: super::log_message(e),
            fields: LogFields {
                operation: e.operation.name().to_owned(),
                method: e.method.to_string(),
                path: e.path.to_owned(),
                attempt: count(e.attempt),
                status: e.status.map(i32::from),
                elapsed_ms: e.elapsed.as_secs_f64() * 1000.0,
                request_id: e.request_id.clone(),
                error_code: e.error_code.map(|c| c.as_str().to_owned()),
                retry_in_ms: e.retry_in.map(|w| w.as_secs_f64() * 1000.0),
            },
        }
    }
}

/// A parsed (or verified) webhook. Fields the template lacks are `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "WebhookEvent")
)]
pub struct WebhookEventRecord {
    /// The event type (`Payment.Succeeded`, ...).
    pub action: Option<String>,
    /// `payload` as sent.
    #[serde(rename = "payload")]
    pub payload_json: Json,
    /// The whole body.
    #[serde(rename = "raw")]
    pub raw_json: Json,
    /// `payload.sessionIdentifier`: the payment session's id.
    pub session_identifier: Option<String>,
    /// `payload.status`.
    pub status: Option<String>,
    /// Paystar's reference number.
    pub reference_number: Option<String>,
    /// `payload.accountNumber`.
    pub account_number: Option<String>,
    /// `payload.accountName`.
    pub account_name: Option<String>,
    /// `payload.amount` in cents, converted exactly.
    pub amount_cents: Option<i64>,
    /// `payload.serviceFee` in cents.
    pub service_fee_cents: Option<i64>,
    /// The same for every redelivery of one event.
    pub idempotency_key: String,
}

impl WebhookEventRecord {
    /// The record of `e`.
    pub fn of(e: &WebhookEvent) -> WebhookEventRecord {
        WebhookEventRecord {
            action: e.action.clone(),
            payload_json: Json(Value::Object(e.payload.clone())),
            raw_json: Json(e.raw.clone()),
            session_identifier: e.session_identifier(),
            status: e.status(),
            reference_number: e.reference_number(),
            account_number: e.account_number(),
            account_name: e.account_name(),
            amount_cents: e.amount_cents(),
            service_fee_cents: e.service_fee_cents(),
            idempotency_key: e.idempotency_key().to_owned(),
        }
    }
}

/// What a webhook endpoint answers: an HTTP status and a JSON body (`""` for none; its content
/// type is `application/json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "WebhookAnswer")
)]
pub struct AnswerRecord {
    /// The HTTP status.
    pub status: i32,
    /// The JSON body, `""` for none.
    pub body: String,
    /// What to set on the server's span (`paystar.webhook.outcome`, ...; see
    /// [`crate::telemetry::ATTRIBUTES`]).
    pub attributes: Vec<Attribute>,
}

impl AnswerRecord {
    /// The record of `a`, answering `outcome` (`refused` with its `reason`, `duplicate`, ...).
    pub fn of(a: &Answer, outcome: &str, reason: Option<&str>) -> AnswerRecord {
        AnswerRecord {
            status: i32::from(a.status),
            body: a.body_text(),
            attributes: super::telemetry::webhook_attributes(outcome, reason),
        }
    }
}

/// The endpoint's first step: a refused delivery (send `answer`, log `error`, touch no store)
/// or an authentic one (claim `store_key` for `lease`, then run the handler).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "Reception"))]
pub enum ReceptionRecord {
    /// Refused: answer and error.
    Refused {
        /// What to send.
        answer: AnswerRecord,
        /// Why (a `webhook_error`).
        error: ErrorRecord,
    },
    /// Authentic: the event and its claim.
    Delivery {
        /// The event.
        event: WebhookEventRecord,
        /// The key to claim in the dedupe store.
        store_key: String,
        /// How long the claim holds while the handler runs.
        #[serde(serialize_with = "span")]
        lease: Duration,
        /// How long a handled key is remembered.
        #[serde(serialize_with = "span")]
        done_ttl: Duration,
        /// What to set on the server's span (`paystar.webhook.event_type`).
        attributes: Vec<Attribute>,
    },
}

fn span<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    millis(&Some(*d), s)
}

/// The endpoint's last step: `store` is `complete` (remember the key for `ttl`) or `release`;
/// send `answer` when there is one (else the handler's own response, or its exception).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "Settlement")
)]
pub struct SettlementRecord {
    /// `complete` or `release`.
    pub store: String,
    /// How long to remember a completed key.
    #[serde(serialize_with = "millis")]
    pub ttl: Option<Duration>,
    /// Core's answer, if it gives one.
    pub answer: Option<AnswerRecord>,
    /// What to set on the server's span (`paystar.webhook.outcome`: `handled` or
    /// `handler_failed`), whoever answers.
    pub attributes: Vec<Attribute>,
}

/// The answers an adapter sends on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "WebhookAnswers")
)]
pub struct AnswersRecord {
    /// 500: no settings or no secret (log why).
    pub misconfigured: AnswerRecord,
    /// 503: the store failed to claim (the sender redelivers).
    pub store_unavailable: AnswerRecord,
}

/// What an adapter needs of a shared store and the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "WebhookStoreFacts")
)]
pub struct StoreFactsRecord {
    /// The value of a claimed key in a shared store.
    pub pending: String,
    /// The value of a handled key.
    pub done: String,
    /// What every key starts with.
    pub key_prefix: String,
    /// The most body bytes an endpoint reads (one more than it accepts).
    pub read_limit: i32,
}

/// One delivery of a webhook by the mock gateway.
#[cfg(feature = "mock")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record), uniffi(name = "Delivery"))]
pub struct DeliveryRecord {
    /// The endpoint's HTTP status (`None` when it could not be reached).
    pub status: Option<i32>,
    /// Why it could not be reached.
    pub error: Option<String>,
}

/// What completing a session on the mock gateway did.
#[cfg(feature = "mock")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "Completion")
)]
pub struct CompletionRecord {
    /// The session's id.
    pub session_id: String,
    /// Its kind.
    pub kind: String,
    /// The webhook's event type (`None` for kinds Paystar documents no webhook for).
    pub event: Option<String>,
    /// The webhook body sent (`None` when none was).
    pub body: Option<String>,
    /// The reference number given to the payment or enrolment.
    pub reference_number: String,
    /// Each delivery, in order (empty when no webhook URL is configured).
    pub deliveries: Vec<DeliveryRecord>,
    /// Where the session page sends the browser next.
    pub next_url: Option<String>,
}

#[cfg(feature = "mock")]
impl CompletionRecord {
    /// The record of `c`.
    pub fn of(c: &crate::mock::Completion) -> CompletionRecord {
        CompletionRecord {
            session_id: c.session_id.clone(),
            kind: c.kind.clone(),
            event: c.event.clone(),
            body: c.body.clone(),
            reference_number: c.reference_number.clone(),
            deliveries: c
                .deliveries
                .iter()
                .map(|d| DeliveryRecord {
                    status: d.status.map(i32::from),
                    error: d.error.clone(),
                })
                .collect(),
            next_url: c.next_url.clone(),
        }
    }
}
