//! Webhooks across the boundary: verifier and signing options in a binding's dialect, headers
//! from any host's shape, events as JSON-ready values, and the shared checks of the webhook
//! conformance vectors (`tests/vectors/webhooks/`).

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::Dialect;
use super::options::{Reader, known};
use crate::error::{Error, Result};
use crate::webhook::{
    Scheme, SignOptions, SignatureEncoding, WebhookEvent, WebhookVerifier, parse, sign,
};

/// Every option of a webhook verifier (PascalCase; `Tolerance` in the dialect's unit).
pub const VERIFIER_OPTIONS: &[&str] = &[
    "Scheme",
    "Secrets",
    "Header",
    "Encoding",
    "TimestampHeader",
    "Tolerance",
];

/// Every option of [`webhook_sign`] (`Timestamp` in Unix seconds in every language).
pub const SIGN_OPTIONS: &[&str] = &[
    "Scheme",
    "Secret",
    "Header",
    "Encoding",
    "TimestampHeader",
    "Timestamp",
    "Id",
];

fn scheme(r: &Reader, v: &Value) -> Result<Scheme> {
    let name = r.text("Scheme", v)?;
    Scheme::from_name(&name).ok_or_else(|| {
        let all: Vec<&str> = Scheme::ALL.iter().map(|s| s.as_str()).collect();
        r.bad("Scheme", format!("must be one of {}", all.join(", ")))
    })
}

fn encoding(r: &Reader, v: &Value) -> Result<SignatureEncoding> {
    SignatureEncoding::from_name(&r.text("Encoding", v)?)
        .ok_or_else(|| r.bad("Encoding", "must be hex or base64".into()))
}

fn required<'a>(given: &[(&'static str, &'a Value)], wire: &str) -> Result<&'a Value> {
    given
        .iter()
        .find(|(w, _)| *w == wire)
        .map(|(_, v)| *v)
        .ok_or_else(|| Error::option(wire, "is required"))
}

/// A verifier from options (`{"scheme": "hmac_sha256", "secrets": ["..."], "header": ...}` for
/// Python); unknown names and wrong types are `configuration_error`s naming the option.
pub fn webhook_verifier(options: &Value, d: Dialect) -> Result<WebhookVerifier> {
    let r = Reader { d };
    let given = known(options, VERIFIER_OPTIONS, d)?;
    let mut b = WebhookVerifier::builder(scheme(&r, required(&given, "Scheme")?)?);
    for (wire, v) in given {
        b = match wire {
            "Secrets" => r.texts(wire, v)?.into_iter().fold(b, |b, s| b.secret(s)),
            "Header" => b.header(r.text(wire, v)?),
            "Encoding" => b.encoding(encoding(&r, v)?),
            "TimestampHeader" => b.timestamp_header(r.text(wire, v)?),
            "Tolerance" => b.tolerance(r.span(wire, v)?),
            _ => b,
        };
    }
    b.build()
}

/// The headers [`sign`] gives for `body`, as an object `{name: value}`.
pub fn webhook_sign(body: &[u8], options: &Value, d: Dialect) -> Result<Value> {
    let r = Reader { d };
    let given = known(options, SIGN_OPTIONS, d)?;
    let secret = r.text("Secret", required(&given, "Secret")?)?;
    let mut o = SignOptions::new(scheme(&r, required(&given, "Scheme")?)?, secret);
    for (wire, v) in given {
        match wire {
            "Header" => o.header = Some(r.text(wire, v)?),
            "Encoding" => o.encoding = encoding(&r, v)?,
            "TimestampHeader" => o.timestamp_header = Some(r.text(wire, v)?),
            "Timestamp" => o.timestamp = Some(r.integer(wire, v)?),
            "Id" => o.id = Some(r.text(wire, v)?),
            _ => {}
        }
    }
    let headers = sign(body, &o)?;
    Ok(Value::Object(
        headers
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    ))
}

/// Request headers from a host's shape: an object whose values are a text, a list of texts
/// (Node's repeated headers) or `null` (skipped), or a list of `[name, value]` pairs.
pub fn webhook_headers(headers: &Value) -> Result<Vec<(String, String)>> {
    let bad = || Error::configuration("headers: must map names to texts (or lists of texts)");
    let mut out = Vec::new();
    let mut add = |name: &str, v: &Value| -> Result<()> {
        match v {
            Value::Null => {}
            Value::String(s) => out.push((name.to_owned(), s.clone())),
            Value::Array(items) => {
                for i in items {
                    out.push((name.to_owned(), i.as_str().ok_or_else(bad)?.to_owned()));
                }
            }
            _ => return Err(bad()),
        }
        Ok(())
    };
    match headers {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                add(k, v)?;
            }
        }
        Value::Array(pairs) => {
            for p in pairs {
                match p.as_array().map(Vec::as_slice) {
                    Some([Value::String(k), v]) => add(k, v)?,
                    _ => return Err(bad()),
                }
            }
        }
        _ => return Err(bad()),
    }
    Ok(out)
}

/// Every attribute of a webhook event: `action`, `payload`, `raw`, `session_identifier`,
/// `status`, `reference_number`, `account_number`, `account_name`, `amount_cents`,
/// `service_fee_cents` and `idempotency_key` (keys in the dialect's style; `payload` and `raw`
/// as received).
pub fn webhook_event_value(e: &WebhookEvent, d: Dialect) -> Value {
    let fields = [
        ("Action", json!(e.action)),
        ("Payload", Value::Object(e.payload.clone())),
        ("Raw", e.raw.clone()),
        ("SessionIdentifier", json!(e.session_identifier())),
        ("Status", json!(e.status())),
        ("ReferenceNumber", json!(e.reference_number())),
        ("AccountNumber", json!(e.account_number())),
        ("AccountName", json!(e.account_name())),
        ("AmountCents", json!(e.amount_cents())),
        ("ServiceFeeCents", json!(e.service_fee_cents())),
        ("IdempotencyKey", json!(e.idempotency_key())),
    ];
    Value::Object(fields.into_iter().map(|(k, v)| (d.key(k), v)).collect())
}

/// Verifies `body` with `headers` (a host's shape, see [`webhook_headers`]) at `now` (Unix
/// seconds; the clock when `None`), giving the event's value in the dialect.
pub fn webhook_verify(
    verifier: &WebhookVerifier,
    body: &[u8],
    headers: &Value,
    now: Option<i64>,
    d: Dialect,
) -> Result<Value> {
    let headers = webhook_headers(headers)?;
    let event = match now {
        Some(now) => verifier.verify_at(body, &headers, now)?,
        None => verifier.verify(body, &headers)?,
    };
    Ok(webhook_event_value(&event, d))
}

/// Parses `body` without authentication, giving the event's value in the dialect.
pub fn webhook_parse(body: &[u8], d: Dialect) -> Result<Value> {
    Ok(webhook_event_value(&parse(body)?, d))
}

/// The body of a webhook vector: `body` as text, `{"prefix", "repeat", "times", "suffix"}`, or
/// `{"base64": ...}` (bytes that are not UTF-8).
pub fn vector_body(case: &Value) -> Vec<u8> {
    match &case["body"] {
        Value::String(s) => s.as_bytes().to_vec(),
        Value::Object(o) if o.contains_key("base64") => base64::engine::general_purpose::STANDARD
            .decode(o["base64"].as_str().unwrap_or_default())
            .unwrap_or_default(),
        Value::Object(o) => {
            let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default();
            let times = o.get("times").and_then(Value::as_u64).unwrap_or(1);
            let middle = text("repeat").repeat(usize::try_from(times).unwrap_or(0));
            [text("prefix"), &middle, text("suffix")]
                .concat()
                .into_bytes()
        }
        _ => Vec::new(),
    }
}

/// The problems (empty when it passes) of a webhook vector's `outcome` against its `expect`.
/// The outcome is `{"event": {...}}` (snake_case keys, built from the native object's
/// attributes), `{"headers": {...}}` or `{"error": {"code", "reason", "message"}}`.
pub fn check_webhook_vector(case: &Value, outcome: &Value) -> Vec<String> {
    let x = &case["expect"];
    let mut problems = Vec::new();
    match (x, outcome) {
        (x, o) if x.get("event").is_some() => match o.get("event") {
            Some(got) => {
                for (k, want) in x["event"].as_object().into_iter().flatten() {
                    let have = got.get(k).unwrap_or(&Value::Null);
                    if have != want {
                        problems.push(format!("event.{k}: {have} != {want}"));
                    }
                }
            }
            None => problems.push(format!("expected an event, got {o}")),
        },
        (x, o) if x.get("headers").is_some() => match o.get("headers").and_then(Value::as_object) {
            Some(got) => {
                let lower = |m: &Map<String, Value>| -> Map<String, Value> {
                    m.iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                        .collect()
                };
                let want = x["headers"].as_object().map(lower).unwrap_or_default();
                if lower(got) != want {
                    problems.push(format!("headers {got:?} != {want:?}"));
                }
            }
            None => problems.push(format!("expected headers, got {o}")),
        },
        (x, o) => {
            let want = &x["error"];
            let Some(got) = o.get("error") else {
                return vec![format!("expected error {want}, got {o}")];
            };
            for key in ["code", "reason"] {
                if want.get(key).is_some() && got.get(key) != want.get(key) {
                    problems.push(format!("{key} {} != {}", got[key], want[key]));
                }
            }
            let message = got["message"].as_str().unwrap_or_default();
            for part in want["message_contains"].as_array().into_iter().flatten() {
                let part = part.as_str().unwrap_or_default();
                if !message.contains(part) {
                    problems.push(format!("message {message:?} lacks {part:?}"));
                }
            }
            // A secret never appears in an error.
            let secrets = case["verifier"]["secrets"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for s in secrets.iter().chain([&case["sign"]["secret"]]) {
                if let Some(s) = s.as_str().filter(|s| s.len() >= 4) {
                    if message.contains(s) {
                        problems.push(format!("message {message:?} shows a secret"));
                    }
                }
            }
        }
    }
    problems
}
