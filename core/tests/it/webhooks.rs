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
    let body = paystar::testing::vector_body(case);
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
    let body = paystar::testing::vector_body(case);
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
        for p in paystar::testing::check_webhook_vector(case, &via_bridge(case)) {
            failures.push(format!("{name} (bridge): {p}"));
        }
        if let Some(outcome) = typed(case) {
            typed_runs += 1;
            for p in paystar::testing::check_webhook_vector(case, &outcome) {
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

// ------------------------------------------------------------ the mock plays the customer

mod receiver {
    //! A tiny webhook endpoint on loopback: records each delivery, answers 204.
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};

    use http_body_util::{BodyExt, Full};
    use hyper::body::Bytes;
    use hyper::server::conn::http1;
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;

    pub type Seen = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

    pub async fn start() -> (SocketAddr, Seen) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen: Seen = Arc::default();
        let record = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let record = Arc::clone(&record);
                tokio::spawn(http1::Builder::new().serve_connection(
                    TokioIo::new(stream),
                    service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let record = Arc::clone(&record);
                        async move {
                            let headers = req
                                .headers()
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                                .collect();
                            let body = req.into_body().collect().await?.to_bytes().to_vec();
                            record.lock().unwrap().push((headers, body));
                            let mut r = hyper::Response::new(Full::new(Bytes::new()));
                            *r.status_mut() = hyper::StatusCode::NO_CONTENT;
                            Ok::<_, hyper::Error>(r)
                        }
                    }),
                ));
            }
        });
        (addr, seen)
    }
}

#[tokio::test]
async fn completing_a_session_delivers_signed_webhooks_the_verifier_accepts_once() {
    use paystar::mock::{MockGateway, MockWebhook};
    use paystar::{Channel, Charge, ClientAccount, PaymentSessionRequest};

    let (addr, seen) = receiver::start().await;
    let mock = MockGateway::start().unwrap();
    let mut sign = SignOptions::new(Scheme::HmacSha256, "whsk_mock");
    sign.timestamp_header = Some("X-Webhook-Timestamp".into());
    mock.set_webhook(Some(MockWebhook {
        redeliveries: 2,
        ..MockWebhook::new(format!("http://{addr}/hook"), sign)
    }));
    let client = paystar::Client::builder().mock(&mock).build().unwrap();
    let mut charge = Charge::new(30034, "January");
    charge.client_account = Some(ClientAccount {
        name: Some("John Smith".into()),
        ..ClientAccount::new("123-45")
    });
    let request = PaymentSessionRequest::new("acme", Channel::QuickPay, vec![charge]);
    let session = client.create_payment_session(&request).await.unwrap();
    let done = mock.complete_async(&session.url).await.unwrap();
    assert_eq!(done.event.as_deref(), Some("Payment.Succeeded"));
    assert_eq!(done.deliveries.len(), 3);
    assert!(
        done.deliveries.iter().all(|d| d.status == Some(204)),
        "{done:?}"
    );

    let verifier = WebhookVerifier::builder(Scheme::HmacSha256)
        .secret("whsk_mock")
        .timestamp_header("X-Webhook-Timestamp")
        .build()
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let keys: std::collections::BTreeSet<String> = seen
        .iter()
        .map(|(headers, body)| {
            let e = verifier.verify(body, headers).unwrap();
            assert_eq!(e.session_identifier().as_deref(), session.id.as_deref());
            assert_eq!(e.amount_cents(), Some(30034));
            assert_eq!(e.account_name().as_deref(), Some("John Smith"));
            assert_eq!(e.reference_number(), Some(done.reference_number.clone()));
            e.idempotency_key().to_owned()
        })
        .collect();
    assert_eq!(keys.len(), 1, "every redelivery has one idempotency key");
    let (headers, body) = &seen[0];
    let wrong = WebhookVerifier::builder(Scheme::HmacSha256)
        .secret("another")
        .timestamp_header("X-Webhook-Timestamp")
        .build()
        .unwrap();
    assert_eq!(
        wrong.verify(body, headers).unwrap_err().webhook_reason(),
        Some(paystar::webhook::WebhookReason::SignatureMismatch)
    );

    // Once only; the page says so.
    let again = mock
        .complete_async(session.id.as_deref().unwrap())
        .await
        .unwrap_err();
    assert!(again.to_string().contains("already completed"), "{again}");
    let page = reqwest::get(&session.url)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&done.reference_number), "{page}");
    assert!(!page.contains("id=\"complete\""));
}

#[tokio::test]
async fn the_pages_button_completes_and_goes_on_to_the_success_url() {
    use paystar::mock::MockGateway;
    use paystar::{Channel, Charge, PaymentSessionRequest};

    let mock = MockGateway::start().unwrap();
    let client = paystar::Client::builder().mock(&mock).build().unwrap();
    let mut request =
        PaymentSessionRequest::new("acme", Channel::QuickPay, vec![Charge::new(500, "x")]);
    request.success_url = Some("https://shop.example/paid".into());
    let session = client.create_payment_session(&request).await.unwrap();
    let page = reqwest::get(&session.url)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Pay $5.00"), "{page}");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .post(format!("{}/complete", session.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "https://shop.example/paid");
    let twice = http
        .post(format!("{}/complete", session.url))
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status(), 409);
}

/// The mock plays the customer only on its own page: another site's form (a cross-site POST,
/// no key needed) must not complete a session and fire its signed webhook.
#[tokio::test]
async fn a_cross_site_post_cannot_complete_a_session() {
    use paystar::mock::{MockGateway, MockWebhook};
    use paystar::webhook::{Scheme, SignOptions};
    use paystar::{Channel, Charge, PaymentSessionRequest};

    let deliveries = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    let counted = std::sync::Arc::clone(&deliveries);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            use tokio::io::AsyncWriteExt;
            let _ = socket
                .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                .await;
        }
    });
    let mock = MockGateway::start().unwrap();
    mock.set_webhook(Some(MockWebhook::new(
        hook,
        SignOptions::new(Scheme::HmacSha256, "whsk_x"),
    )));
    let client = paystar::Client::builder().mock(&mock).build().unwrap();
    let request =
        PaymentSessionRequest::new("acme", Channel::QuickPay, vec![Charge::new(500, "x")]);
    let session = client.create_payment_session(&request).await.unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let complete = format!("{}/complete", session.url);
    let own = mock.url().to_owned();
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("origin", "http://127.0.0.1:1"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ] {
        let r = http
            .post(&complete)
            .header(header, value)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}: {value}");
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(deliveries.load(std::sync::atomic::Ordering::SeqCst), 0);
    // Its own page's form (same origin) completes it, and the webhook goes out.
    let r = http
        .post(&complete)
        .header("origin", own.replace("127.0.0.1", "localhost"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(deliveries.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn session_ids_are_random_unless_a_seed_is_given() {
    use paystar::mock::{MockGateway, MockOptions};
    use paystar::{ClientUser, WalletSessionRequest};

    let first_id = |seed: Option<u64>| {
        let mock = MockGateway::start_with(MockOptions {
            seed,
            ..MockOptions::default()
        })
        .unwrap();
        let client = paystar::blocking::Client::builder()
            .mock(&mock)
            .build()
            .unwrap();
        let request = WalletSessionRequest::new("acme", ClientUser::new("a@b.co"));
        client.create_wallet_session(&request).unwrap().url
    };
    let path = |url: String| url.rsplit('/').next().unwrap().to_owned();
    assert_ne!(path(first_id(None)), path(first_id(None)));
    assert_eq!(path(first_id(Some(7))), path(first_id(Some(7))));
}
