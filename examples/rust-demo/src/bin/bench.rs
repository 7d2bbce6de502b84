//! Prints numbers; asserts nothing (`make bench` runs it; see BENCHMARKS.md). One wallet-session
//! call against a mock gateway outside this process (`PAYSTAR_BENCH_URL`; else an in-process
//! one), made with paystar and with the fastest hand-rolled Rust clients — raw `reqwest` and
//! the `hyper` client — each doing the same work: send the JSON, parse the answer, check
//! `hasErrors`, take the link. Sequential (`PAYSTAR_BENCH_SEQ` calls, median and p99) and
//! concurrent (`PAYSTAR_BENCH_CONC` calls, `PAYSTAR_BENCH_INFLIGHT` in flight, calls/s). One
//! JSON line per result on stdout.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{Value, json};

const PATH: &str = "/integrations/embedded/initiate-manage-wallet";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn body() -> Vec<u8> {
    br#"{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}"#
        .to_vec()
}

/// The same check every client makes of the answer.
fn link(answer: &[u8]) -> String {
    let v: Value = serde_json::from_slice(answer).expect("JSON");
    assert_eq!(v["hasErrors"], json!(false), "the mock refused the call");
    v["data"]["SessionLink"].as_str().expect("link").to_owned()
}

async fn sequential<F, Fut>(n: usize, warm: usize, call: F) -> Value
where
    F: Fn() -> Fut,
    Fut: Future<Output = String>,
{
    for _ in 0..warm {
        call().await;
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        call().await;
        samples.push(t.elapsed());
    }
    samples.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    json!({"median_us": us(samples[n / 2]), "p99_us": us(samples[(n * 99 / 100).min(n - 1)])})
}

async fn concurrent<F, Fut>(n: usize, inflight: usize, call: F) -> Value
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = String> + Send + 'static,
{
    let call = Arc::new(call);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t = Instant::now();
    let workers: Vec<_> = (0..inflight)
        .map(|_| {
            let (call, next) = (Arc::clone(&call), Arc::clone(&next));
            tokio::spawn(async move {
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < n {
                    call().await;
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    json!({"calls_per_s": n as f64 / t.elapsed().as_secs_f64()})
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let (seq, conc, inflight) = (
        env("PAYSTAR_BENCH_SEQ", 2000),
        env("PAYSTAR_BENCH_CONC", 20_000),
        env("PAYSTAR_BENCH_INFLIGHT", 64),
    );
    let warm = env("PAYSTAR_BENCH_WARMUP", 200).min(seq);
    let own_mock;
    let (base, key) = match std::env::var("PAYSTAR_BENCH_URL") {
        Ok(url) => (
            url,
            std::env::var("PAYSTAR_BENCH_KEY")
                .unwrap_or_else(|_| paystar::mock::DEFAULT_MOCK_API_KEY.into()),
        ),
        Err(_) => {
            own_mock = paystar::mock::MockGateway::start().unwrap();
            (own_mock.url().to_owned(), own_mock.api_key().to_owned())
        }
    };
    let url = format!("{base}{PATH}");
    let report = |client: &str, kind: &str, seq: Value, conc: Value| {
        println!(
            "{}",
            json!({"language": "rust", "client": client, "kind": kind, "sequential": seq, "concurrent": conc})
        );
    };

    // paystar: the typed request, validated, sent, the envelope decoded into a Session; by
    // default on paystar's shared runtime, then in place on this one
    // (ClientBuilder::on_caller_runtime: no hop between runtimes).
    for (label, in_place) in [
        ("paystar::Client", false),
        ("paystar::Client (on_caller_runtime)", true),
    ] {
        let client = paystar::Client::builder()
            .api_key(key.clone())
            .base_url(base.clone())
            .on_caller_runtime(in_place)
            .build()
            .unwrap();
        let request = Arc::new(paystar::WalletSessionRequest::new(
            "acme-utilities",
            paystar::ClientUser::new("jane@example.com"),
        ));
        let (c, r) = (client.clone(), Arc::clone(&request));
        let s = sequential(seq, warm, || async {
            c.create_wallet_session(&r).await.unwrap().url
        })
        .await;
        let k = concurrent(conc, inflight, move || {
            let (c, r) = (client.clone(), Arc::clone(&request));
            async move { c.create_wallet_session(&r).await.unwrap().url }
        })
        .await;
        report(label, "paystar", s, k);
    }

    // reqwest, by hand.
    let raw = reqwest::Client::new();
    let post = |raw: reqwest::Client, url: String, key: String| async move {
        let r = raw
            .post(&url)
            .header("X-Paystar-Api-Key", &key)
            .header("content-type", "application/json")
            .body(body())
            .send()
            .await
            .unwrap();
        link(&r.bytes().await.unwrap())
    };
    let s = sequential(seq, warm, || post(raw.clone(), url.clone(), key.clone())).await;
    let (r2, u2, k2) = (raw.clone(), url.clone(), key.clone());
    let k = concurrent(conc, inflight, move || {
        post(r2.clone(), u2.clone(), k2.clone())
    })
    .await;
    report("reqwest", "peer", s, k);

    // hyper's client (hyper-util legacy pool), by hand.
    let hyper_client: hyper_util::client::legacy::Client<_, Full<Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http();
    let uri: hyper::Uri = url.parse().unwrap();
    let send = move |h: hyper_util::client::legacy::Client<_, Full<Bytes>>,
                     uri: hyper::Uri,
                     key: String| async move {
        let req = hyper::Request::post(uri)
            .header("X-Paystar-Api-Key", key)
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body())))
            .unwrap();
        let r = h.request(req).await.unwrap();
        link(&r.into_body().collect().await.unwrap().to_bytes())
    };
    let s = sequential(seq, warm, || {
        send(hyper_client.clone(), uri.clone(), key.clone())
    })
    .await;
    let (h2, u2, k2) = (hyper_client.clone(), uri.clone(), key.clone());
    let k = concurrent(conc, inflight, move || {
        send(h2.clone(), u2.clone(), k2.clone())
    })
    .await;
    report("hyper (client-legacy)", "peer", s, k);

    println!("{}", json!({"language": "rust", "rss_mb": rss_mb()}));
}
