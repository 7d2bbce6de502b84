//! The webhook vectors' checks (`tests/vectors/webhooks/`), shared by every language's runner.

use base64::Engine as _;
use serde_json::{Map, Value};

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

/// The problems (empty when it passes) of one endpoint vector step's `outcome` against its
/// `expect` (`tests/vectors/webhooks/endpoint.json`). The outcome is `{"answer": {status, body}
/// | "raised" | "died", "handler_calls", "store": {key: state | null}, "store_ops"}`, `body`
/// being the answer's text as sent.
pub fn check_endpoint_step(step: &Value, outcome: &Value) -> Vec<String> {
    let x = &step["expect"];
    let mut problems = Vec::new();
    let mut want = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    let (answer, got) = (&x["answer"], &outcome["answer"]);
    match answer {
        Value::String(end) => want(got == answer, format!("answer: {got} != {end}")),
        _ => {
            want(
                got["status"] == answer["status"],
                format!("status: {} != {}", got["status"], answer["status"]),
            );
            if let Some(body) = answer.get("body") {
                let text = got["body"].as_str().unwrap_or_default();
                let sent = if text.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(text).unwrap_or(Value::String(text.to_owned()))
                };
                want(&sent == body, format!("body: {sent} != {body}"));
            }
        }
    }
    want(
        outcome["handler_calls"] == x["handler_calls"],
        format!(
            "handler calls: {} != {}",
            outcome["handler_calls"], x["handler_calls"]
        ),
    );
    for (key, state) in x["store"].as_object().into_iter().flatten() {
        let have = outcome["store"].get(key).unwrap_or(&Value::Null);
        want(have == state, format!("store[{key}]: {have} != {state}"));
    }
    if let Some(ops) = x.get("store_ops") {
        want(
            &outcome["store_ops"] == ops,
            format!("store operations: {} != {ops}", outcome["store_ops"]),
        );
    }
    problems
}
