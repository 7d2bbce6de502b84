//! The soak (its own test binary, so nothing else loads the machine while it runs). Proven under failure: many calls through a gateway that fails at a seeded random rate with
//! every fault kind, checked against invariants that must hold whatever the faults were.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use paystar::mock::{Fault, MockGateway};
use paystar::{Case, Client, FromReply, Operation, RequestOptions, Session};
use serde_json::json;

/// Open file descriptors and resident memory (KiB) of this process (Linux).
fn fds_and_rss() -> (usize, u64) {
    let fds = std::fs::read_dir("/proc/self/fd").map_or(0, Iterator::count);
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0);
    (fds, rss)
}

/// One wallet-session call per customer `{prefix}{i}@example.com` for each `i` in `range`, 16
/// in flight: each call's outcome as the soak audits take it.
async fn soak_calls(
    client: &Client,
    prefix: &str,
    range: std::ops::Range<usize>,
) -> Vec<serde_json::Value> {
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    let tasks: Vec<_> = range
        .map(|i| {
            let (client, permits) = (client.clone(), std::sync::Arc::clone(&permits));
            let email = format!("{prefix}{i}@example.com");
            tokio::spawn(async move {
                let _p = permits.acquire_owned().await.unwrap();
                let input = json!({"BusinessUnitSlug": "acme-utilities", "ClientUser": {"EmailAddress": email}});
                let r = client
                    .execute(Operation::CreateWalletSession, &input, Case::Pascal, &RequestOptions::default())
                    .await
                    .and_then(Session::from_reply);
                match r {
                    Ok(s) => json!({"email": email, "session": {"attempts": s.attempts, "ambiguous": s.ambiguous}}),
                    Err(e) => json!({"email": email, "error": {"code": e.code().as_str(), "attempts": e.attempts(), "ambiguous": e.ambiguous()}}),
                }
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// The fault soak of RELIABILITY.md: `PAYSTAR_SOAK_CALLS` calls (300 in CI; 10,000 for the
/// documented run), 16 at a time, at a 30 % seeded fault rate, audited by core against the
/// mock's log.
/// The heavy tests here run one at a time.
static ALONE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_faults_never_break_the_accounting() {
    let _alone = ALONE.lock().await;
    let calls: usize = std::env::var("PAYSTAR_SOAK_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let max_retries = 2;
    let mock = MockGateway::start().unwrap();
    let client = Client::builder()
        .mock(&mock)
        .timeout(Duration::from_millis(paystar::mock::SOAK_TIMEOUT_MS))
        .max_retries(max_retries)
        .build()
        .unwrap();
    soak_calls(&client, "soak", 1_000_000_000..1_000_000_050).await; // warm: the pool and the runtime exist before measuring
    mock.forget_requests();
    // Equal passes (2, or PAYSTAR_SOAK_PASSES), each audited and its log then freed: a leak
    // shows as growth from the first pass to the last (the mock's own log is gone by then).
    let passes: usize = std::env::var("PAYSTAR_SOAK_PASSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(2, |p: usize| p.max(2));
    let mut after = Vec::new();
    for pass in 0..passes {
        mock.script_random(Some(paystar::mock::soak_faults(2026 + pass as u64, 0.3)));
        let outcomes = soak_calls(&client, "soak", 0..calls).await; // the same customers each pass
        mock.clear_script();
        let report = paystar::testing::audit_soak(&outcomes, &mock.requests(), max_retries);
        mock.forget_requests();
        drop(outcomes);
        eprintln!("soak (rust) pass {}: {report}", pass + 1);
        assert_eq!(report["problems"], json!([]), "{report}");
        assert_eq!(report["calls"], calls);
        after.push(fds_and_rss());
    }
    eprintln!("soak (rust): (fds, rss KiB) after each pass: {after:?}");
    let (first, last) = (after[0], after[after.len() - 1]);
    assert!(last.0 <= first.0 + 10, "fds {after:?}");
    assert!(
        last.1 <= first.1 + first.1 / 5 + 10_240,
        "rss grew: {after:?}"
    );
}

/// 10,000 tasks on one client at once: every call completes, and the connection pool keeps
/// the number of connections bounded (reqwest's idle pool; each in-flight request holds one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_concurrent_tasks() {
    let _alone = ALONE.lock().await;
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let tasks: Vec<_> = (0..10_000)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let input = json!({"BusinessUnitSlug": "acme-utilities", "ClientUser": {"EmailAddress": format!("t{i}@example.com")}});
                client
                    .execute(Operation::CreateWalletSession, &input, Case::Pascal, &RequestOptions::default())
                    .await
            })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap().is_ok());
    }
    let connections: std::collections::HashSet<u64> =
        mock.requests().iter().map(|r| r.connection).collect();
    eprintln!(
        "10,000 tasks: {ok} ok over {} connections",
        connections.len()
    );
    assert_eq!(ok, 10_000);
    assert_eq!(mock.session_count(), 10_000);
    // The in-flight cap bounds the connections (and so the descriptors): without it, 10,000
    // tasks opened about 2,900 connections. A slot is given back when the answer has been
    // read, a moment before hyper returns its connection to the pool, so a call can open a new
    // connection in that moment: a few more than the cap over the whole run, never thousands.
    let bound = paystar::DEFAULT_MAX_IN_FLIGHT * 3 / 2;
    assert!(
        connections.len() <= bound,
        "{} connections for a cap of {} in flight",
        connections.len(),
        paystar::DEFAULT_MAX_IN_FLIGHT
    );
}

#[test]
fn sequential_calls_reuse_one_keep_alive_connection() {
    let mock = MockGateway::start().unwrap();
    let client = paystar::blocking::Client::builder()
        .mock(&mock)
        .build()
        .unwrap();
    let input = json!({"BusinessUnitSlug": "acme-utilities", "ClientUser": {"EmailAddress": "a@example.com"}});
    let notify = || {
        client
            .execute(
                Operation::CreateNotificationSession,
                &input,
                Case::Pascal,
                &RequestOptions::default(),
            )
            .and_then(Session::from_reply)
    };
    for _ in 0..10 {
        notify().unwrap();
    }
    let connections: std::collections::HashSet<u64> =
        mock.requests().iter().map(|r| r.connection).collect();
    assert_eq!(connections.len(), 1, "{connections:?}");
    // A reset kills that connection; the free retry opens a new one.
    mock.script([Fault::Reset]);
    let s = notify().unwrap();
    assert_eq!(s.attempts, 2);
    let last: Vec<u64> = mock
        .requests()
        .iter()
        .rev()
        .take(2)
        .map(|r| r.connection)
        .collect();
    assert_ne!(last[0], last[1]);
}

/// The network soak of RELIABILITY.md: `PAYSTAR_SOAK_CALLS` calls (300 in CI), 16 at a time,
/// through the mock's fault proxy — latency with jitter, a slow link, data in tiny segments,
/// connections cut mid-request and mid-response, a gateway that stops answering — audited by
/// core: nothing lost, nothing sent twice without `ambiguous`, attempts within bounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_faults_never_break_the_accounting() {
    let _alone = ALONE.lock().await;
    let calls: usize = std::env::var("PAYSTAR_SOAK_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let max_retries = 2;
    let mock = MockGateway::start_with(paystar::mock::MockOptions {
        network: Some(paystar::mock::NetworkFaults {
            seed: 2026,
            latency: Duration::from_millis(2),
            jitter: Duration::from_millis(8),
            bytes_per_second: 512 * 1024,
            slice: 64,
            cut_request: 0.05,
            cut_response: 0.05,
            stall: 0.03,
        }),
        ..Default::default()
    })
    .unwrap();
    let client = Client::builder()
        .mock(&mock)
        .timeout(Duration::from_millis(paystar::mock::SOAK_TIMEOUT_MS))
        .max_retries(max_retries)
        .build()
        .unwrap();
    let outcomes = soak_calls(&client, "net", 0..calls).await;
    let report = paystar::testing::audit_network_soak(&outcomes, &mock.requests(), max_retries);
    eprintln!("soak (rust, network faults): {report}");
    assert_eq!(report["problems"], json!([]), "{report}");
    assert_eq!(report["calls"], calls);
    // The faults happened: some calls needed a retry, and the proxy's cuts reached the client.
    assert!(
        report["attempts"]["2"].as_u64().unwrap_or(0) > 0,
        "{report}"
    );
}
