//! Runs every webhook vector (`tests/vectors/webhooks/webhooks.json`) twice: through the bridge
//! (options as a binding sends them) and through the typed Rust API.

use std::time::Duration;

use paystar::bridge::{self, Dialect};
use paystar::webhook::{
    Scheme, SignOptions, SignatureEncoding, WebhookEvent, WebhookVerifier, parse, sign,
};
use serde_json::{Map, Value, json};

fn cases() -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/webhooks/webhooks.json"
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    file["cases"].as_array().unwrap().clone()
}

/// The vector's verifier or signing options as Python's bridge takes them (seconds).
fn options(spec: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in spec.as_object().unwrap() {
        match k.as_str() {
            "tolerance_s" => out.insert("tolerance".into(), v.clone()),
            _ => out.insert(k.clone(), v.clone()),
        };
    }
    Value::Object(out)
}

fn error(e: &paystar::Error) -> Value {
    json!({"error": {"code": e.code().as_str(), "reason": e.webhook_reason().map(|r| r.as_str()), "message": e.to_string()}})
}

fn via_bridge(case: &Value) -> Value {
    let d = Dialect::PYTHON;
    let body = bridge::vector_body(case);
    let result = match case["operation"].as_str().unwrap() {
        "verify" => bridge::webhook_verifier(&options(&case["verifier"]), d).and_then(|v| {
            bridge::webhook_verify(&v, &body, &case["headers"], case["now"].as_i64(), d)
        }),
        "parse" => bridge::webhook_parse(&body, d),
        "sign" => {
            bridge::webhook_sign(&body, &options(&case["sign"]), d).map(|h| json!({"headers": h}))
        }
        other => panic!("unknown operation {other}"),
    };
    match result {
        Ok(v) if v.get("headers").is_some() => v,
        Ok(event) => json!({ "event": event }),
        Err(e) => error(&e),
    }
}

fn event_outcome(e: &WebhookEvent) -> Value {
    json!({"event": {
        "action": e.action, "session_identifier": e.session_identifier(), "status": e.status(),
        "reference_number": e.reference_number(), "account_number": e.account_number(),
        "account_name": e.account_name(), "amount_cents": e.amount_cents(),
        "service_fee_cents": e.service_fee_cents(), "idempotency_key": e.idempotency_key(),
    }})
}

/// The typed API, for the cases it can express (`None` otherwise: unknown options or schemes
/// are the bridge's to refuse).
fn typed(case: &Value) -> Option<Value> {
    let body = bridge::vector_body(case);
    let text = |spec: &Value, k: &str| spec.get(k).and_then(Value::as_str).map(str::to_owned);
    let result = match case["operation"].as_str().unwrap() {
        "verify" => {
            let spec = &case["verifier"];
            let known = [
                "scheme",
                "secrets",
                "header",
                "encoding",
                "timestamp_header",
                "tolerance_s",
            ];
            if spec
                .as_object()?
                .keys()
                .any(|k| !known.contains(&k.as_str()))
            {
                return None;
            }
            let mut b = WebhookVerifier::builder(Scheme::from_name(&text(spec, "scheme")?)?);
            for s in spec["secrets"].as_array()? {
                b = b.secret(s.as_str()?);
            }
            if let Some(h) = text(spec, "header") {
                b = b.header(h);
            }
            if let Some(e) = text(spec, "encoding") {
                b = b.encoding(SignatureEncoding::from_name(&e)?);
            }
            if let Some(h) = text(spec, "timestamp_header") {
                b = b.timestamp_header(h);
            }
            if let Some(t) = spec["tolerance_s"].as_u64() {
                b = b.tolerance(Duration::from_secs(t));
            }
            let headers = bridge::webhook_headers(&case["headers"]).unwrap();
            let now = case["now"].as_i64()?;
            b.build()
                .and_then(|v| v.verify_at(&body, &headers, now))
                .map(|e| event_outcome(&e))
        }
        "parse" => parse(&body).map(|e| event_outcome(&e)),
        "sign" => {
            let spec = &case["sign"];
            let mut o = SignOptions::new(
                Scheme::from_name(&text(spec, "scheme")?)?,
                text(spec, "secret")?,
            );
            o.header = text(spec, "header");
            o.timestamp_header = text(spec, "timestamp_header");
            o.timestamp = spec["timestamp"].as_i64();
            o.id = text(spec, "id");
            if let Some(e) = text(spec, "encoding") {
                o.encoding = SignatureEncoding::from_name(&e)?;
            }
            sign(&body, &o).map(|h| {
                json!({"headers": h.into_iter().map(|(k, v)| (k, Value::String(v))).collect::<Map<_, _>>()})
            })
        }
        _ => return None,
    };
    Some(result.unwrap_or_else(|e| error(&e)))
}

#[test]
fn every_webhook_vector_through_the_bridge_and_the_typed_api() {
    let cases = cases();
    assert!(cases.len() >= 70, "{} cases", cases.len());
    let (mut failures, mut typed_runs) = (Vec::new(), 0);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        for p in bridge::check_webhook_vector(case, &via_bridge(case)) {
            failures.push(format!("{name} (bridge): {p}"));
        }
        if let Some(outcome) = typed(case) {
            typed_runs += 1;
            for p in bridge::check_webhook_vector(case, &outcome) {
                failures.push(format!("{name} (typed): {p}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!(
        "{} webhook vectors, {typed_runs} also through the typed API",
        cases.len()
    );
}

#[test]
fn every_reason_has_a_vector() {
    let reasons: std::collections::BTreeSet<String> = cases()
        .iter()
        .filter_map(|c| c["expect"]["error"]["reason"].as_str().map(str::to_owned))
        .collect();
    for r in paystar::webhook::WebhookReason::ALL {
        assert!(reasons.contains(r.as_str()), "no vector for {r}");
    }
}
