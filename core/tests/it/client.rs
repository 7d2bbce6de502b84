//! The typed Rust API, the blocking client, concurrency, cancellation and the mock's own
//! behaviour, all against a real mock gateway on loopback.

use std::time::{Duration, Instant};

use paystar::mock::{Fault, MockGateway};
use paystar::{
    AutopaySessionRequest, Channel, Charge, Client, ClientAccount, ClientUser, ErrorCode,
    NotificationSessionRequest, PaperlessSessionRequest, PaymentSessionRequest, RequestOptions,
    SessionKind, WalletSessionRequest,
};

const SLUG: &str = "acme-utilities";

fn jane() -> ClientUser {
    ClientUser {
        first_name: Some("Jane".into()),
        ..ClientUser::new("jane@example.com")
    }
}

fn payment() -> PaymentSessionRequest {
    PaymentSessionRequest::new(SLUG, Channel::QuickPay, vec![Charge::new(15000, "Water")])
}

fn delay(ms: u64) -> Fault {
    Fault::Delay { ms }
}

#[tokio::test]
async fn typed_api_creates_every_session_kind() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let acct = ClientAccount::new("ACC-1");
    let mut autopay = AutopaySessionRequest::new(SLUG, acct.clone(), jane());
    autopay.sync_account = Some(true);
    let mut paperless = PaperlessSessionRequest::new(SLUG, acct, jane());
    paperless.sync_account = Some(true);
    let sessions = [
        client.create_payment_session(&payment()).await.unwrap(),
        client.create_autopay_session(&autopay).await.unwrap(),
        client
            .create_wallet_session(&WalletSessionRequest::new(SLUG, jane()))
            .await
            .unwrap(),
        client.create_paperless_session(&paperless).await.unwrap(),
        client
            .create_notification_session(&NotificationSessionRequest::new(SLUG, jane()))
            .await
            .unwrap(),
    ];
    let kinds: Vec<SessionKind> = sessions.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SessionKind::Payment,
            SessionKind::Autopay,
            SessionKind::Wallet,
            SessionKind::Paperless,
            SessionKind::Notification
        ]
    );
    for s in &sessions {
        assert!(s.url.starts_with(mock.url()), "{}", s.url);
        assert_eq!(s.attempts, 1);
        assert!(
            s.request_id
                .as_deref()
                .is_some_and(|r| r.starts_with("req_mock_"))
        );
        assert!(!s.raw.is_empty());
    }
    assert!(sessions[0].id.is_some());
    assert_eq!(mock.session_count(), 5);
}

#[tokio::test]
async fn invalid_requests_never_reach_the_network() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let mut req = payment();
    req.channel = Channel::Pos;
    req.charges = vec![Charge::new(0, "x"); 26];
    let e = client.create_payment_session(&req).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    let paths: Vec<&str> = e.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.contains(&"PosUser")
            && paths.contains(&"Charges")
            && paths.contains(&"Charges[25].Amount"),
        "{paths:?}"
    );
    assert_eq!((e.attempts(), e.ambiguous()), (0, false));
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn client_validation_off_lets_the_gateway_judge() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder()
        .mock(&mock)
        .client_validation(false)
        .build()
        .unwrap();
    let mut req = payment();
    req.charges[0].amount = -1;
    let e = client.create_payment_session(&req).await.unwrap_err();
    assert_eq!((e.code(), e.status()), (ErrorCode::Api, Some(200)));
    assert_eq!(
        e.api_errors()[0].property_name.as_deref(),
        Some("Charges[0].Amount")
    );
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn blocking_client_shared_by_16_threads() {
    let mock = MockGateway::start().unwrap();
    let client = paystar::blocking::Client::builder()
        .mock(&mock)
        .build()
        .unwrap();
    std::thread::scope(|scope| {
        for t in 0..16 {
            let client = client.clone();
            scope.spawn(move || {
                for i in 0..5 {
                    let mut req = payment();
                    req.client_reference = Some(format!("T{t}-{i}"));
                    let s = client.create_payment_session(&req).unwrap();
                    assert_eq!(s.kind, SessionKind::Payment);
                }
            });
        }
    });
    assert_eq!(mock.session_count(), 80);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_concurrent_calls_on_one_client() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let tasks: Vec<_> = (0..500)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut req = payment();
                req.client_reference = Some(format!("C-{i}"));
                client.create_payment_session(&req).await
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        ids.insert(t.await.unwrap().unwrap().id.unwrap());
    }
    assert_eq!(ids.len(), 500);
}

#[test]
fn one_client_outlives_the_runtimes_that_used_it() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    for _ in 0..3 {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let s = rt
            .block_on(client.create_payment_session(&payment()))
            .unwrap();
        assert_eq!(s.attempts, 1);
        drop(rt);
    }
}

#[tokio::test]
async fn dropping_the_future_cancels_the_call() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder()
        .mock(&mock)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    mock.script([delay(2000), delay(2000), delay(2000)]);
    let req = payment();
    let call = client.create_payment_session(&req);
    assert!(
        tokio::time::timeout(Duration::from_millis(100), call)
            .await
            .is_err()
    );
    // Uncancelled, the call would time out at 300 ms and retry within about 800 ms.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        mock.requests().len(),
        1,
        "the call kept retrying after it was dropped"
    );
}

#[tokio::test]
async fn per_call_options_override_the_client() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder()
        .mock(&mock)
        .max_retries(0)
        .build()
        .unwrap();
    mock.script([Fault::status_retry_after(503, 0)]);
    let opts = RequestOptions {
        max_retries: Some(1),
        timeout: Some(Duration::from_secs(5)),
        ..Default::default()
    };
    let s = client.call(&payment(), &opts).await.unwrap();
    assert_eq!(s.attempts, 2);
    let bad = RequestOptions {
        timeout: Some(Duration::ZERO),
        ..Default::default()
    };
    let e = client.call(&payment(), &bad).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Configuration);
}

#[tokio::test]
async fn user_agent_and_suffix_are_sent() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder()
        .mock(&mock)
        .binding("python 3.11")
        .user_agent_suffix("acme-billing/2.4")
        .build()
        .unwrap();
    client.create_payment_session(&payment()).await.unwrap();
    let ua = &mock.requests()[0].headers["user-agent"];
    assert_eq!(
        ua,
        &format!(
            "paystar/{} (python 3.11) acme-billing/2.4",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[tokio::test]
async fn an_explicit_proxy_carries_the_requests_through_a_tunnel_that_hides_the_key() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let proxy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = proxy.local_addr().unwrap().port();
    let seen = tokio::spawn(async move {
        let (mut socket, _) = proxy.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let _ = socket.write_all(b"HTTP/1.1 403 Forbidden\r\n\r\n").await;
        String::from_utf8_lossy(&head).into_owned()
    });
    let client = Client::builder()
        .api_key("sk_test_never_in_the_clear")
        .base_url("https://gateway.example")
        .proxy(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .unwrap();
    let e = client.create_payment_session(&payment()).await.unwrap_err();
    assert_eq!(e.code(), paystar::ErrorCode::Connection, "{e}");
    let head = seen.await.unwrap();
    assert!(head.starts_with("CONNECT gateway.example:443 "), "{head}");
    assert!(!head.contains("sk_test_never_in_the_clear"), "{head}");
}

#[test]
fn an_explicit_proxy_with_a_plain_http_base_url_is_refused() {
    let e = Client::builder()
        .api_key("k")
        .base_url("http://127.0.0.1:9")
        .proxy("http://127.0.0.1:3128")
        .build()
        .unwrap_err();
    assert_eq!(e.code(), paystar::ErrorCode::Configuration);
    assert!(e.message().starts_with("proxy: not allowed"), "{e}");
}

#[tokio::test]
async fn session_links_serve_a_page_that_shows_expiry() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let mut req = payment();
    req.client_user = Some(jane());
    let s = client.create_payment_session(&req).await.unwrap();
    let get = |url: String| async move {
        let r = reqwest::get(url).await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    let (status, html) = get(s.url.clone()).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(s.id.as_deref().unwrap())
            && html.contains("$150.00")
            && html.contains("jane@example.com")
    );
    assert!(!html.contains("expired"));
    mock.advance_clock(Duration::from_secs(31 * 60)).unwrap();
    let (status, html) = get(s.url.clone()).await;
    assert_eq!(status, 410);
    assert!(html.contains("expired"));
    let (status, index) = get(format!("{}/", mock.url())).await;
    assert_eq!(status, 200);
    assert!(index.contains(s.id.as_deref().unwrap()));
    assert_eq!(
        get(format!("{}/app/embedded/x/session/nope", mock.url()))
            .await
            .0,
        404
    );
}

#[test]
fn mock_starts_and_stops_quickly_and_frees_its_port() {
    drop(MockGateway::start().unwrap()); // the shared runtime is up from here on
    let started = Instant::now();
    let mock = MockGateway::start().unwrap();
    let addr = mock.url().trim_start_matches("http://").to_owned();
    assert!(std::net::TcpStream::connect(&addr).is_ok());
    mock.stop();
    let took = started.elapsed();
    assert!(
        std::net::TcpStream::connect(&addr).is_err(),
        "port still open after stop"
    );
    eprintln!("mock start+stop: {took:?}");
}

#[test]
fn mock_scripts_from_json_and_rejects_bad_scripts() {
    let mock = MockGateway::start().unwrap();
    mock.script_json(&serde_json::json!([{"kind": "status", "status": 500}]))
        .unwrap();
    mock.script_json(
        &serde_json::json!({"random": {"seed": 1, "rate": 0.0, "faults": [{"kind": "reset"}]}}),
    )
    .unwrap();
    let e = mock
        .script_json(&serde_json::json!([{"kind": "explode"}]))
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Configuration);
    let client = paystar::blocking::Client::builder()
        .mock(&mock)
        .build()
        .unwrap();
    assert_eq!(
        client.create_payment_session(&payment()).unwrap().attempts,
        2
    );
}

#[test]
fn seeded_random_faults_are_survived_by_retries() {
    let mock = MockGateway::start().unwrap();
    mock.script_random(Some(paystar::mock::RandomFaults {
        seed: 42,
        rate: 0.3,
        faults: vec![Fault::Reset, Fault::status_retry_after(503, 0)],
    }));
    let client = paystar::blocking::Client::builder()
        .mock(&mock)
        .max_retries(5)
        .build()
        .unwrap();
    for _ in 0..40 {
        client.create_payment_session(&payment()).unwrap();
    }
    let faulted = mock.requests().iter().filter(|r| r.fault.is_some()).count();
    assert!(faulted > 0, "the seeded rate produced no faults");
    assert_eq!(mock.requests().len(), 40 + faulted);
}

#[test]
fn the_attempt_observer_sees_every_attempt_and_cannot_break_the_call() {
    use std::sync::{Arc, Mutex};
    let mock = MockGateway::start().unwrap();
    let seen: Arc<Mutex<Vec<paystar::AttemptEvent>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let client = paystar::blocking::Client::builder()
        .mock(&mock)
        .on_attempt(move |e| sink.lock().unwrap().push(e.clone()))
        .build()
        .unwrap();
    mock.script([Fault::status_retry_after(503, 0), Fault::Reset]);
    let s = client.create_payment_session(&payment()).unwrap();
    let events = seen.lock().unwrap().clone();
    let summary: Vec<_> = events
        .iter()
        .map(|e| (e.attempt, e.status, e.error_code, e.retry_in.is_some()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, Some(503), Some(ErrorCode::Server), true),
            (2, None, Some(ErrorCode::Connection), true),
            (3, Some(200), None, false),
        ]
    );
    assert_eq!(events[2].request_id, s.request_id);
    assert!(
        events
            .iter()
            .all(|e| e.path == "/integrations/embedded/initiate" && e.method == "POST")
    );

    let panicky = paystar::blocking::Client::builder()
        .mock(&mock)
        .on_attempt(|_| panic!("observer bug"))
        .build()
        .unwrap();
    assert_eq!(
        panicky.create_payment_session(&payment()).unwrap().attempts,
        1
    );
}

#[tokio::test]
async fn the_overall_deadline_bounds_the_retries() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder()
        .mock(&mock)
        .timeout(Duration::from_millis(300))
        .max_retries(5)
        .deadline(Duration::from_millis(700))
        .build()
        .unwrap();
    mock.script(std::iter::repeat_n(delay(2000), 6));
    let e = client.create_payment_session(&payment()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout);
    // Six attempts would need 1.8 s of timeouts alone; the 700 ms deadline allows two at most.
    assert!(e.attempts() <= 2, "{} attempts", e.attempts());
    assert!(e.ambiguous());
}

#[tokio::test]
async fn a_connect_timeout_is_a_connection_error_and_not_ambiguous() {
    use socket2::{Domain, Socket, Type};
    // A listener that never accepts, with its queue already full: new connects hang.
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    listener
        .bind(
            &"127.0.0.1:0"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        )
        .unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        let s = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        s.set_nonblocking(true).unwrap();
        let _ = s.connect(&addr.into());
        fillers.push(s);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let client = Client::builder()
        .api_key("sk_test")
        .base_url(format!("http://{addr}"))
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .build()
        .unwrap();
    let e = client.create_payment_session(&payment()).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Connection, "{e}");
    assert!(!e.ambiguous(), "{e}");
    assert!(e.message().contains("connecting timed out"), "{e}");
}

#[tokio::test]
async fn the_mock_answers_only_loopback_host_names() {
    let mock = MockGateway::start().unwrap();
    let http = reqwest::Client::new();
    let url = format!(
        "{}/integrations/embedded/initiate-manage-wallet",
        mock.url()
    );
    let body = r#"{"BusinessUnitSlug":"acme","ClientUser":{"EmailAddress":"a@b.co"}}"#;
    let send = |host: &'static str| {
        http.post(&url)
            .header("host", host)
            .header(paystar::API_KEY_HEADER, mock.api_key())
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    // DNS rebinding: a page on another origin whose name resolves to 127.0.0.1.
    let rebound = send("evil.example:80").await.unwrap();
    assert_eq!(rebound.status().as_u16(), 421);
    assert_eq!(mock.session_count(), 0);
    for ok in ["127.0.0.1:1234", "localhost", "[::1]:80"] {
        assert_eq!(send(ok).await.unwrap().status().as_u16(), 200, "{ok}");
    }
    assert_eq!(mock.session_count(), 3);
}

#[tokio::test]
async fn the_mock_escapes_what_its_pages_echo_and_bounds_its_log() {
    let mock = MockGateway::start_with(paystar::mock::MockOptions {
        max_recorded: 5,
        ..Default::default()
    })
    .unwrap();
    let client = Client::builder()
        .mock(&mock)
        .client_validation(false)
        .build()
        .unwrap();
    let slug = "<script>alert(1)</script>";
    let req = WalletSessionRequest::new(slug, jane());
    let s = client.create_wallet_session(&req).await;
    assert!(s.is_ok(), "{s:?}");
    let index = reqwest::get(format!("{}/", mock.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!index.contains("<script>"), "{index}");
    assert!(index.contains("&lt;script&gt;"), "{index}");
    for _ in 0..8 {
        let _ = reqwest::get(format!("{}/", mock.url())).await.unwrap();
    }
    let log = mock.requests();
    assert_eq!(log.len(), 5);
    assert!(
        log.iter().all(|r| r.method == "GET"),
        "the oldest went first"
    );
}

#[test]
fn on_caller_runtime_runs_the_call_in_place_and_the_default_does_not() {
    let mock = MockGateway::start().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let here = std::thread::current().id();
    for in_place in [true, false] {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = std::sync::Arc::clone(&seen);
        let client = Client::builder()
            .mock(&mock)
            .on_caller_runtime(in_place)
            .on_attempt(move |_| record.lock().unwrap().push(std::thread::current().id()))
            .build()
            .unwrap();
        let request = WalletSessionRequest::new(SLUG, jane());
        let session = rt.block_on(client.create_wallet_session(&request)).unwrap();
        assert!(session.url.starts_with(mock.url()));
        let threads = seen.lock().unwrap().clone();
        assert_eq!(threads.len(), 1);
        assert_eq!(threads[0] == here, in_place, "in place: {in_place}");
    }
}
