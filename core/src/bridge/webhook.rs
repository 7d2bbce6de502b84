//! Webhooks across the boundary: verifier and signing options in a binding's dialect, headers
//! from any host's shape, events as JSON-ready values, and the shared checks of the webhook
//! conformance vectors (`tests/vectors/webhooks/`).

use serde_json::Value;

use super::Dialect;
use super::options::{Reader, known};
use super::records::{WebhookEventRecord, to_value};
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

/// The scheme named `name` (`hmac_sha256`, ...), else a `configuration_error` naming the
/// `scheme` option and listing every scheme.
pub fn scheme_named(name: &str, d: Dialect) -> Result<Scheme> {
    scheme(&Reader { d }, &Value::String(name.to_owned()))
}

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
        Value::Array(pairs) if pairs.iter().any(Value::is_string) => {
            return Err(Error::configuration(
                "headers: a flat list of names and values (like Node's req.rawHeaders) cannot \
                 be read safely: give an object of names to values (req.headers) or a list of \
                 [name, value] pairs",
            ));
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
    to_value(&WebhookEventRecord::of(e), d)
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
    Ok(to_value(
        &webhook_verify_record(verifier, body, headers, now)?,
        d,
    ))
}

/// [`webhook_verify`]'s record.
pub fn webhook_verify_record(
    verifier: &WebhookVerifier,
    body: &[u8],
    headers: &Value,
    now: Option<i64>,
) -> Result<WebhookEventRecord> {
    let headers = webhook_headers(headers)?;
    let event = match now {
        Some(now) => verifier.verify_at(body, &headers, now)?,
        None => verifier.verify(body, &headers)?,
    };
    Ok(WebhookEventRecord::of(&event))
}

/// Parses `body` without authentication, giving the event's value in the dialect.
pub fn webhook_parse(body: &[u8], d: Dialect) -> Result<Value> {
    Ok(to_value(&webhook_parse_record(body)?, d))
}

/// [`webhook_parse`]'s record.
pub fn webhook_parse_record(body: &[u8]) -> Result<WebhookEventRecord> {
    Ok(WebhookEventRecord::of(&parse(body)?))
}
