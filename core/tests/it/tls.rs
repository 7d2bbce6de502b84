//! Real networks: HTTPS to the mock (its CA generated at start), HTTP/2 and HTTP/1.1, every
//! certificate failure final, the trust options, and the in-flight cap.

use std::time::{Duration, Instant};

use paystar::mock::{Fault, MockGateway, MockOptions, MockTls};
use paystar::{Client, ClientUser, ErrorCode, WalletSessionRequest};

fn wallet() -> WalletSessionRequest {
    WalletSessionRequest::new("acme-utilities", ClientUser::new("jane@example.com"))
}

fn https(mode: MockTls) -> MockGateway {
    MockGateway::start_with(MockOptions {
        tls: Some(mode),
        ..Default::default()
    })
    .unwrap()
}

/// A client of `mock` that trusts its CA.
fn trusting(mock: &MockGateway) -> Client {
    Client::builder()
        .base_url(mock.url())
        .api_key(mock.api_key())
        .ca_certificates(mock.ca_pem().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_with_the_ca_configured_speaks_http2_or_http1() {
    for (mode, version) in [(MockTls::On, "HTTP/2.0"), (MockTls::Http1Only, "HTTP/1.1")] {
        let mock = https(mode);
        assert!(
            mock.url().starts_with("https://localhost:"),
            "{}",
            mock.url()
        );
        let client = trusting(&mock);
        for _ in 0..3 {
            let s = client.create_wallet_session(&wallet()).await.unwrap();
            assert!(s.url.starts_with("https://localhost:"), "{}", s.url);
        }
        let requests = mock.requests();
        assert_eq!(requests.len(), 3);
        assert!(
            requests.iter().all(|r| r.tls && r.version == version),
            "{requests:?}"
        );
        let connections: std::collections::HashSet<u64> =
            requests.iter().map(|r| r.connection).collect();
        assert_eq!(connections.len(), 1, "one TLS connection, reused");
    }
}

/// `warm_up` opens the connection (handshake included) that the first call then reuses, over
/// both protocols, and sends no key and creates nothing.
#[tokio::test]
async fn warm_up_opens_the_connection_the_first_call_reuses() {
    for (mode, version) in [(MockTls::On, "HTTP/2.0"), (MockTls::Http1Only, "HTTP/1.1")] {
        let mock = https(mode);
        let client = trusting(&mock);
        let status = client.warm_up().await.unwrap();
        assert!((100..600).contains(&status), "{status}");
        assert_eq!(mock.session_count(), 0, "a warm-up creates nothing");
        client.create_wallet_session(&wallet()).await.unwrap();
        let requests = mock.requests();
        assert_eq!(requests.len(), 2, "{requests:?}");
        let (head, call) = (&requests[0], &requests[1]);
        assert_eq!(
            (head.method.as_str(), call.method.as_str()),
            ("HEAD", "POST")
        );
        assert!(
            !head
                .headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case("x-paystar-api-key")),
            "the warm-up carries no key: {head:?}"
        );
        assert!(requests.iter().all(|r| r.tls && r.version == version));
        assert_eq!(
            head.connection, call.connection,
            "the first call reuses the warm-up's connection"
        );
    }
}

/// Every certificate failure is one attempt, not retryable, not ambiguous, says why, and
/// nothing reaches the gateway.
#[tokio::test]
async fn certificate_failures_are_final_with_the_reason() {
    let valid = https(MockTls::On);
    let expired = https(MockTls::Expired);
    let port = |m: &MockGateway| m.url().rsplit(':').next().unwrap().to_owned();
    let cases = [
        // No CA given: the system store does not know the mock's CA.
        (
            &valid,
            valid.url().to_owned(),
            false,
            "issuer is not trusted",
        ),
        // The certificate names localhost; 127.0.0.1 is another name.
        (
            &valid,
            format!("https://127.0.0.1:{}", port(&valid)),
            true,
            "not valid for the gateway's host name",
        ),
        (&expired, expired.url().to_owned(), true, "expired"),
    ];
    for (mock, url, trust, why) in cases {
        let mut b = Client::builder()
            .base_url(url.as_str())
            .api_key(mock.api_key())
            .max_retries(3);
        if trust {
            b = b.ca_certificates(mock.ca_pem().unwrap());
        }
        let started = Instant::now();
        let e = b
            .build()
            .unwrap()
            .create_wallet_session(&wallet())
            .await
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Connection, "{url}: {e}");
        assert!(e.message().contains(why), "{url}: {e}");
        assert!(e.message().contains("not retried"), "{e}");
        assert_eq!(e.attempts(), 1, "{url}: retried a certificate failure");
        assert!(!e.is_retryable(), "{url}");
        assert!(!e.ambiguous(), "{url}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{url}: backed off"
        );
    }
    assert!(valid.requests().is_empty() && expired.requests().is_empty());
}

/// A server that does not speak TLS where TLS was asked for (a plain-HTTP port behind an
/// `https` URL): the handshake fails, and that is final too.
#[tokio::test]
async fn a_failed_handshake_is_final() {
    let plain = MockGateway::start().unwrap();
    let port = plain.url().rsplit(':').next().unwrap().to_owned();
    let started = Instant::now();
    let e = Client::builder()
        .base_url(format!("https://localhost:{port}").as_str())
        .api_key(plain.api_key())
        .max_retries(3)
        .build()
        .unwrap()
        .create_wallet_session(&wallet())
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Connection, "{e}");
    assert!(e.message().contains("TLS"), "{e}");
    assert!(e.message().contains("not retried"), "{e}");
    assert_eq!(e.attempts(), 1, "retried a failed handshake: {e}");
    assert!(!e.is_retryable() && !e.ambiguous(), "{e}");
    assert!(started.elapsed() < Duration::from_secs(2), "backed off");
}

#[tokio::test]
async fn ca_bundle_reads_a_pem_file_and_refuses_a_bad_one() {
    let mock = https(MockTls::On);
    let dir = std::env::temp_dir().join(format!("paystar-ca-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("ca.pem");
    std::fs::write(&good, mock.ca_pem().unwrap()).unwrap();
    let client = Client::builder()
        .base_url(mock.url())
        .api_key(mock.api_key())
        .ca_bundle(good.to_str().unwrap())
        .build()
        .unwrap();
    client.create_wallet_session(&wallet()).await.unwrap();
    assert_eq!(client.config().extra_root_count(), 1);

    let empty = dir.join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    for (path, why) in [
        (dir.join("missing.pem"), "cannot read"),
        (empty, "no PEM certificate"),
    ] {
        let e = Client::builder()
            .base_url(mock.url())
            .api_key("k")
            .ca_bundle(path.to_str().unwrap())
            .build()
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Configuration);
        assert_eq!(
            e.option_in(paystar::Case::Snake).as_deref(),
            Some("ca_bundle"),
            "{e}"
        );
        assert!(e.message().contains(why), "{e}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// `max_in_flight` caps the requests in flight (and so the connections): with 4 slots, 12
/// calls the gateway holds 300 ms each take at least three rounds, on at most 4 connections.
/// Without the cap they would all be in flight at once (one round, 12 connections).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_in_flight_caps_requests_and_connections() {
    let mock = MockGateway::start().unwrap();
    mock.script((0..12).map(|_| Fault::Delay { ms: 300 }));
    let client = Client::builder()
        .mock(&mock)
        .max_in_flight(4)
        .build()
        .unwrap();
    assert_eq!(client.config().max_in_flight(), 4);
    let started = Instant::now();
    let calls: Vec<_> = (0..12)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.create_wallet_session(&wallet()).await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    let elapsed = started.elapsed();
    let connections: std::collections::HashSet<u64> =
        mock.requests().iter().map(|r| r.connection).collect();
    assert!(
        elapsed >= Duration::from_millis(880),
        "{elapsed:?}: more than 4 in flight"
    );
    assert!(connections.len() <= 4, "{} connections", connections.len());
    for bad in [0, 10_001] {
        let e = Client::builder()
            .mock(&mock)
            .max_in_flight(bad)
            .build()
            .unwrap_err();
        assert_eq!(
            e.option_in(paystar::Case::Snake).as_deref(),
            Some("max_in_flight"),
            "{e}"
        );
    }
}

/// A `localhost` base URL is plain-http only because it resolves to loopback, and the client
/// connects to the addresses it checked (pinned), whatever a resolver says later.
#[tokio::test]
async fn localhost_is_loopback_by_resolution() {
    let mock = MockGateway::start().unwrap();
    let port = mock.url().rsplit(':').next().unwrap().to_owned();
    let client = Client::builder()
        .base_url(format!("http://localhost:{port}"))
        .api_key(mock.api_key())
        .build()
        .unwrap();
    client.create_wallet_session(&wallet()).await.unwrap();
    assert!(paystar::is_loopback_host(
        &url::Url::parse("http://localhost:1/").unwrap()
    ));
    assert!(!paystar::is_loopback_host(
        &url::Url::parse("http://localhost.example.com/").unwrap()
    ));
}
