//! Proven under failure: many calls through a gateway that fails at a seeded random rate with
//! every fault kind, checked against invariants that must hold whatever the faults were.

use std::collections::HashMap;
use std::time::Duration;

use paystar::mock::{Fault, MockGateway, RandomFaults};
use paystar::{Case, Client, ErrorCode, Operation, RequestOptions};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_faults_never_break_the_accounting() {
    let mock = MockGateway::start().unwrap();
    mock.script_random(Some(RandomFaults {
        seed: 2026,
        rate: 0.35,
        faults: vec![
            Fault::status_retry_after(500, 0),
            Fault::status_retry_after(503, 0),
            Fault::status_retry_after(429, 0),
            Fault::Reset,
            Fault::Truncate,
            Fault::NonJson { status: 502 },
            Fault::Delay { ms: 1500 },
        ],
    }));
    let max_retries = 3;
    let client = Client::builder()
        .mock(&mock)
        .timeout(Duration::from_millis(500))
        .max_retries(max_retries)
        .build()
        .unwrap();
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    let calls: Vec<_> = (0..300)
        .map(|i| {
            let (client, permits) = (client.clone(), std::sync::Arc::clone(&permits));
            tokio::spawn(async move {
                let _p = permits.acquire_owned().await.unwrap();
                let input = json!({"BusinessUnitSlug": "acme-utilities", "ClientUser": {"EmailAddress": format!("c{i}@example.com")}});
                client.execute(Operation::CreateWalletSession, &input, Case::Pascal, &RequestOptions::default()).await
            })
        })
        .collect();
    let (mut ok, mut attempts_total) = (0u32, 0u32);
    let mut failures: HashMap<ErrorCode, u32> = HashMap::new();
    for call in calls {
        match call.await.unwrap() {
            Ok(s) => {
                assert!(
                    (1..=max_retries + 2).contains(&s.attempts),
                    "{} attempts",
                    s.attempts
                );
                ok += 1;
                attempts_total += s.attempts;
            }
            Err(e) => {
                // Only transient failures survive retries, after every allowed attempt.
                assert!(e.is_retryable(), "{} ({e})", e.code());
                assert!(
                    e.attempts() > max_retries && e.attempts() <= max_retries + 2,
                    "{e:?}"
                );
                *failures.entry(e.code()).or_default() += 1;
                attempts_total += e.attempts();
            }
        }
    }
    let log = mock.requests();
    // Every attempt reached the gateway exactly once, and nothing else did.
    assert_eq!(log.len() as u32, attempts_total);
    let faulted = log.iter().filter(|r| r.fault.is_some()).count();
    assert!(faulted > 60, "only {faulted} faults: the soak did not soak");
    assert!(ok >= 280, "{ok} of 300 succeeded; failures {failures:?}");
    eprintln!(
        "soak: 300 calls, {ok} ok, {attempts_total} attempts, {faulted} faults, failures {failures:?}"
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
        client.execute(
            Operation::CreateNotificationSession,
            &input,
            Case::Pascal,
            &RequestOptions::default(),
        )
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
