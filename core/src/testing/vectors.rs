//! The conformance vectors' checks (`tests/README.md`), shared by the runners of every language:
//! a runner drives its own API (client, setup, script, call) and reports what came back as an
//! *outcome*; this compares it, and the mock's record of the wire, with the case's `expect`.
//!
//! An outcome is `{"session": {...}}`, `{"receipt": {...}}` (an Events API call) or
//! `{"error": {...}}` with snake_case keys and seconds, as
//! [`session_value`](crate::bridge::session_value) / [`receipt_value`](crate::bridge::receipt_value) /
//! [`error_value`](crate::bridge::error_value)
//! give them for [`Dialect::PYTHON`](crate::bridge::Dialect::PYTHON), built by the runner from
//! its native objects' attributes (so the check sees what a user of that language sees). An
//! error may add `repr` (its native printed form), which `message_excludes` also searches.

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::Case;
use crate::mock::RecordedRequest;

/// The case's wire path, compared ignoring `_` and case for `unknown_field` (which names the
/// key as the caller spelled it).
fn norm(path: &str, rule: &str) -> String {
    if rule == "unknown_field" {
        path.replace('_', "").to_ascii_lowercase()
    } else {
        path.to_owned()
    }
}

/// An expected message part as this caller's message says it: a part that is, or starts with,
/// the option the error names (`max_retries` or `max_retries: ...`, as the vectors write it in
/// snake_case) names it the way the error's `option` attribute does (`maxRetries` for camelCase
/// callers).
fn as_the_caller_says(part: &str, option: Option<&str>) -> String {
    match option {
        Some(shown) => {
            let snake = Case::Snake.convert(shown);
            match part.strip_prefix(snake.as_str()) {
                Some(rest) if rest.is_empty() || rest.starts_with(':') => format!("{shown}{rest}"),
                _ => part.to_owned(),
            }
        }
        None => part.to_owned(),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn list<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The problems (empty when it passes) of `outcome` against `case` (a whole vector case), with
/// the gateway's requests after the first `skip` (the setup's). An error outcome carries its
/// `option` attribute as the runner's language spells it.
pub fn check_vector(case: &Value, outcome: &Value, snapshot: &Value, skip: usize) -> Vec<String> {
    let x = &case["expect"];
    let mut problems = Vec::new();
    let mut want = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    let (session, error) = (outcome.get("session"), outcome.get("error"));
    let receipt = outcome.get("receipt");
    let attempts = match (session.or(receipt), error, x.get("result"), x.get("error")) {
        // A session or a receipt: each expected key is compared with the result's (a session's
        // `kind`, a receipt's `event_type`; an expectation of the other kind fails on them).
        (Some(s), _, Some(r), _) => {
            for key in ["kind", "status", "event_type"] {
                if let Some(w) = text(r, key) {
                    want(text(s, key) == Some(w), format!("{key} {} != {w}", s[key]));
                }
            }
            for key in ["ambiguous", "http_status", "raw"] {
                if let Some(w) = r.get(key) {
                    want(&s[key] == w, format!("{key} {} != {w}", s[key]));
                }
            }
            for (flag, key) in [("has_id", "id"), ("has_request_id", "request_id")] {
                if let Some(h) = r.get(flag).and_then(Value::as_bool) {
                    want(s[key].is_null() != h, format!("{key} {}", s[key]));
                }
            }
            if let Some(p) = text(r, "url_prefix") {
                let p = p.replace("{mock}", text(snapshot, "url").unwrap_or_default());
                let url = text(s, "url").unwrap_or_default();
                want(
                    url.starts_with(&p),
                    format!("url {url} does not start with {p}"),
                );
            }
            let expires =
                text(s, "expires_at").and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok());
            if session.is_some() {
                want(
                    expires.is_some(),
                    format!("expires_at {} is not RFC 3339", s["expires_at"]),
                );
            }
            if let (Some(at), Some(got)) = (text(r, "expires_at"), expires) {
                let off = OffsetDateTime::parse(at, &Rfc3339).map(|w| (got - w).abs());
                want(
                    off.is_ok_and(|d| d < time::Duration::milliseconds(1)),
                    format!("expires_at {got} != {at}"),
                );
            }
            if let (Some(secs), Some(got)) =
                (r.get("expires_in_s").and_then(Value::as_i64), expires)
            {
                let off = (got - OffsetDateTime::now_utc()).whole_seconds() - secs;
                want(off.abs() <= 120, format!("expires_at off by {off} s"));
            }
            s["attempts"].as_u64()
        }
        (_, Some(e), _, Some(er)) => {
            let code = text(er, "code").unwrap_or_default();
            let message = text(e, "message").unwrap_or_default();
            want(
                text(e, "code") == Some(code),
                format!("code {} != {code} ({message})", e["code"]),
            );
            if er.get("field_errors").is_some() {
                let pairs = |v: &Value, key| -> Vec<(String, String)> {
                    let mut out: Vec<_> = list(v, key)
                        .map(|f| {
                            let rule = text(f, "rule").unwrap_or_default();
                            (
                                norm(text(f, "path").unwrap_or_default(), rule),
                                rule.to_owned(),
                            )
                        })
                        .collect();
                    out.sort();
                    out
                };
                let (got, exp) = (pairs(e, "field_errors"), pairs(er, "field_errors"));
                want(got == exp, format!("field errors {got:?} != {exp:?}"));
            }
            for key in ["status", "ambiguous"] {
                if let Some(w) = er.get(key) {
                    want(&e[key] == w, format!("{key} {} != {w}", e[key]));
                }
            }
            if let Some(ra) = er.get("retry_after_s").and_then(Value::as_f64) {
                let got = e["retry_after"].as_f64();
                want(
                    got.is_some_and(|g| (g - ra).abs() < 1e-6),
                    format!("retry_after {got:?} != {ra}"),
                );
            }
            if let Some(items) = er.get("api_errors").and_then(Value::as_array) {
                let got: Vec<&Value> = list(e, "api_errors").collect();
                want(
                    got.len() == items.len(),
                    format!("api errors {got:?} != {items:?}"),
                );
                for (g, w) in got.iter().zip(items) {
                    for (wire, key) in [
                        ("propertyName", "property_name"),
                        ("errorMessage", "error_message"),
                    ] {
                        if let Some(v) = text(w, wire) {
                            want(text(g, key) == Some(v), format!("{wire} {} != {v}", g[key]));
                        }
                    }
                }
            }
            for s in list(er, "message_contains").filter_map(Value::as_str) {
                let s = as_the_caller_says(s, text(e, "option"));
                want(
                    message.contains(&s),
                    format!("message {message:?} lacks {s}"),
                );
            }
            for s in list(er, "message_excludes").filter_map(Value::as_str) {
                let shown = format!("{message} {}", text(e, "repr").unwrap_or_default());
                want(!shown.contains(s), format!("error shows {s}"));
            }
            e["attempts"].as_u64()
        }
        (Some(s), ..) => {
            return vec![format!(
                "expected an error, got a result {}",
                s.get("url").unwrap_or(&s["event_type"])
            )];
        }
        (_, Some(e), ..) => {
            return vec![format!(
                "expected a result, got {} ({})",
                e["code"], e["message"]
            )];
        }
        _ => {
            return vec![format!(
                "the outcome is neither a session, a receipt nor an error: {outcome}"
            )];
        }
    };
    if let Some(n) = x.get("attempts").and_then(Value::as_u64) {
        want(attempts == Some(n), format!("attempts {attempts:?} != {n}"));
    }
    let requests: Vec<RecordedRequest> = list(snapshot, "requests")
        .skip(skip)
        .filter_map(|r| serde_json::from_value(r.clone()).ok())
        .collect();
    if let Some(n) = x.get("requests").and_then(Value::as_u64) {
        want(
            requests.len() as u64 == n,
            format!("requests {} != {n}", requests.len()),
        );
    }
    if let Some(w) = x.get("wire") {
        match requests.first() {
            None => want(false, "no request reached the mock".into()),
            Some(r) => {
                if let Some(m) = text(w, "method") {
                    want(r.method == m, format!("method {}", r.method));
                }
                if let Some(p) = text(w, "path") {
                    want(r.path == p, format!("path {}", r.path));
                }
                for (k, v) in w
                    .get("headers")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let got = r.headers.get(k).map(String::as_str);
                    want(got == v.as_str(), format!("header {k}: {got:?} != {v}"));
                }
                if let Some(p) = text(w, "user_agent_prefix") {
                    let ua = r.headers.get("user-agent").cloned().unwrap_or_default();
                    want(ua.starts_with(p), format!("user-agent {ua}"));
                }
                if let Some(b) = w.get("body") {
                    want(&r.body == b, format!("body {} != {b}", r.body));
                }
            }
        }
    }
    for (i, gap) in list(x, "min_gaps_ms").filter_map(Value::as_u64).enumerate() {
        let waited = match (requests.get(i), requests.get(i + 1)) {
            (Some(a), Some(b)) => b.received_ms.saturating_sub(a.received_ms),
            _ => 0,
        };
        want(
            waited >= gap,
            format!("gap {i} was {waited} ms, want >= {gap}"),
        );
    }
    for c in list(x, "customers") {
        let email = text(c, "email").unwrap_or_default().to_ascii_lowercase();
        let got = snapshot["customers"].get(&email).cloned();
        want(
            got.as_ref() == Some(&c["record"]),
            format!("customer {got:?} != {}", c["record"]),
        );
    }
    for a in list(x, "accounts") {
        let key = format!(
            "{}|{}",
            text(a, "account_number").unwrap_or_default(),
            text(a, "sub_account_number").unwrap_or_default()
        );
        let got = snapshot["accounts"].get(&key).cloned();
        want(
            got.as_ref() == Some(&a["record"]),
            format!("account {got:?} != {}", a["record"]),
        );
    }
    problems
}

/// The keys whose contents are data, passed as they are when a runner converts a case's input
/// to its key style (tests/README.md).
pub const VECTOR_DATA_KEYS: [&str; 3] = ["PaymentFields", "Extra", "Payload"];

/// A case's `input` (PascalCase keys) with keys in `case`'s style, except inside
/// [`VECTOR_DATA_KEYS`]; key order is kept (a payload's order is on the wire). For runners whose
/// JSON library does not keep order (org.json on the JVM).
pub fn vector_input(input: &Value, case: Case) -> Value {
    match input {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if VECTOR_DATA_KEYS.contains(&k.as_str()) {
                        v.clone()
                    } else {
                        vector_input(v, case)
                    };
                    (case.convert(k), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| vector_input(v, case)).collect()),
        other => other.clone(),
    }
}
