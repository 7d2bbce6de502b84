//! The API key appears nowhere: not in any log line at TRACE level (ours, reqwest's, hyper's),
//! not in Debug/Display of the client, config, errors or sessions, not in the mock's log.
//! Its own test binary: the global TRACE subscriber must not slow down other tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use paystar::mock::{Fault, MockGateway, MockOptions, MockTls};
use paystar::{Case, Client, Operation, Reply, RequestOptions};
use serde_json::json;

const KEY: &str = "sk_live_SECRET_4f9a8b7c6d5e";
const WRONG: &str = "sk_live_WRONG_0a1b2c3d4e5f";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs a global TRACE subscriber (also bridging the `log` crate) once for this binary.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let cap = Capture::default();
        let writer = cap.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .try_init()
            .expect("first subscriber");
        cap
    })
}

fn wallet() -> serde_json::Value {
    json!({"BusinessUnitSlug": "acme-utilities", "ClientUser": {"EmailAddress": "jane@example.com"}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_never_appears_in_logs_errors_or_debug_output() {
    leaks_nothing(None).await;
}

/// The same over TLS and HTTP/2 (hpack, h2's frame tracing, rustls's logging).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_never_appears_over_tls_and_http2() {
    leaks_nothing(Some(MockTls::On)).await;
}

async fn leaks_nothing(tls: Option<MockTls>) {
    let cap = capture();
    let mock = MockGateway::start_with(MockOptions {
        api_key: KEY.into(),
        seed: Some(1),
        tls,
        ..Default::default()
    })
    .unwrap();
    let client = Client::builder()
        .mock(&mock)
        .timeout(Duration::from_millis(1000))
        .max_retries(3)
        .build()
        .unwrap();
    let op = Operation::CreateWalletSession;
    let opts = RequestOptions::default();
    let mut shown = Vec::new();

    // Success, retry after 503 / reset / truncation / timeout.
    mock.script([
        Fault::status_retry_after(503, 0),
        Fault::Reset,
        Fault::Truncate,
    ]);
    let Reply::Session(s) = client
        .execute(op, &wallet(), Case::Pascal, &opts)
        .await
        .unwrap()
    else {
        panic!("a wallet session call returned a receipt")
    };
    assert_eq!(s.attempts, 4);
    // An Events API call, retried, and one refused: its receipt and error show no key either.
    mock.script([Fault::status_retry_after(503, 0)]);
    let event = json!({"BusinessUnitSlug": "acme-utilities", "AccountNumber": "A-1",
        "FirstName": "Jane", "LastName": "Doe", "EmailAddress": "jane@example.com"});
    let receipt = client
        .execute(Operation::UpdateCustomer, &event, Case::Pascal, &opts)
        .await
        .unwrap();
    shown.push(format!("{receipt:?}"));
    let refused = client
        .execute(
            Operation::SendEvent,
            &json!({"BusinessUnitSlug": "b", "EventType": "Accounts.Nope", "Payload": {}}),
            Case::Pascal,
            &opts,
        )
        .await
        .unwrap_err();
    shown.push(format!("{refused:?} {refused}"));
    shown.push(format!("{s:?} {client:?} {:?}", client.config()));
    mock.script([
        Fault::Delay { ms: 2500 },
        Fault::Delay { ms: 2500 },
        Fault::Delay { ms: 2500 },
        Fault::Delay { ms: 2500 },
    ]);
    let e = client
        .execute(op, &wallet(), Case::Pascal, &opts)
        .await
        .unwrap_err();
    assert_eq!(e.code(), paystar::ErrorCode::Timeout);
    shown.push(format!("{e} {e:?}"));

    // Validation failure and a wrong key.
    let e = client
        .execute(op, &json!({}), Case::Pascal, &opts)
        .await
        .unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let wrong = Client::builder()
        .mock(&mock)
        .api_key(WRONG)
        .build()
        .unwrap();
    let e = wrong
        .execute(op, &wallet(), Case::Pascal, &opts)
        .await
        .unwrap_err();
    assert_eq!(e.code(), paystar::ErrorCode::Authentication);
    shown.push(format!("{e} {e:?} {wrong:?}"));
    shown.push(format!("{:?}", Client::builder().api_key(KEY)));
    shown.push(format!("{:?}", mock.requests()));
    shown.push(serde_json::to_string(&mock.requests()).unwrap());

    tokio::time::sleep(Duration::from_millis(100)).await;
    let logs = String::from_utf8_lossy(&cap.0.lock().unwrap()).into_owned();
    assert!(
        logs.contains("paystar request succeeded"),
        "our own DEBUG lines were not captured"
    );
    assert!(
        logs.contains("retrying"),
        "the WARN retry line was not captured"
    );
    assert!(
        logs.contains("TRACE"),
        "TRACE output from dependencies was not captured"
    );
    for secret in [KEY, WRONG] {
        assert!(!logs.contains(secret), "key leaked into logs");
        for s in &shown {
            assert!(!s.contains(secret), "key leaked into {s}");
        }
    }
    assert!(
        mock.requests()
            .iter()
            .all(|r| r.headers["x-paystar-api-key"] == "***")
    );
    if tls.is_some() {
        assert!(
            mock.requests()
                .iter()
                .all(|r| r.tls && r.version == "HTTP/2.0"),
            "not TLS + HTTP/2: {:?}",
            mock.requests().first().map(|r| (&r.version, r.tls))
        );
    }
    let _ = std::io::stderr().flush();
}
