//! Prints numbers; asserts nothing (`make bench` runs it; see BENCHMARKS.md). One wallet-session
//! call against a mock gateway outside this process (`PAYSTAR_BENCH_URL`; else an in-process
//! one), made with paystar and with the fastest hand-rolled Rust clients — raw `reqwest` and
//! the `hyper` client — each doing the same work: send the JSON, parse the answer, check
//! `hasErrors`, take the link. Sequential (`PAYSTAR_BENCH_SEQ` calls, median and p99) and
//! concurrent (`PAYSTAR_BENCH_CONC` calls, `PAYSTAR_BENCH_INFLIGHT` in flight, calls/s), then
//! `PAYSTAR_BENCH_FIRST` new clients in this warm process: building one, and its first call
//! (the connection, and over HTTPS the handshake, included; medians), and paystar's first call
//! after `warm_up()`. One JSON line per result on stdout.
//!
//! Over HTTPS (`PAYSTAR_BENCH_CA`: the PEM file of the mock's CA, trusted by every client) the
//! protocol is the one the server's ALPN gives each client (`paystar mock --tls` offers HTTP/2,
//! `--tls --http1` HTTP/1.1 only); the hyper row is plain HTTP only. `PAYSTAR_BENCH_CLIENTS`
//! (comma-separated words) keeps only the clients whose name contains one, for profiling.
//! `bench --cold <paystar|reqwest>` is the cold-start program: one client, one call, exit.
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

/// Whether the client named `name` runs (`PAYSTAR_BENCH_CLIENTS`).
fn wanted(name: &str) -> bool {
    std::env::var("PAYSTAR_BENCH_CLIENTS").map_or(true, |only| {
        only.split(',')
            .any(|w| !w.is_empty() && name.to_lowercase().contains(&w.to_lowercase()))
    })
}

/// The median of `samples`, in microseconds.
fn median_us(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples
        .get(samples.len() / 2)
        .map_or(0.0, |d| d.as_secs_f64() * 1e6)
}

/// paystar's client for the gateway at `base`, trusting `ca` (a PEM file) if given.
fn paystar_client(base: &str, key: &str, ca: Option<&str>, in_place: bool) -> paystar::Client {
    let mut b = paystar::Client::builder()
        .api_key(key)
        .base_url(base)
        .on_caller_runtime(in_place);
    if let Some(ca) = ca {
        b = b.ca_bundle(ca);
    }
    b.build().unwrap()
}

/// A reqwest client trusting `ca` (a PEM file) if given.
fn reqwest_client(ca: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder();
    if let Some(ca) = ca {
        let pem = std::fs::read(ca).unwrap();
        b = b.add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap());
    }
    b.build().unwrap()
}

fn wallet_request() -> paystar::WalletSessionRequest {
    paystar::WalletSessionRequest::new(
        "acme-utilities",
        paystar::ClientUser::new("jane@example.com"),
    )
}

async fn reqwest_post(raw: &reqwest::Client, url: &str, key: &str) -> String {
    let r = raw
        .post(url)
        .header("X-Paystar-Api-Key", key)
        .header("content-type", "application/json")
        .body(body())
        .send()
        .await
        .unwrap();
    link(&r.bytes().await.unwrap())
}

/// The cold-start program: build one client, make one call, print the link and the peak RSS,
/// exit.
async fn cold(which: &str, base: &str, key: &str, ca: Option<&str>) {
    let link = match which {
        "paystar" => {
            let client = paystar_client(base, key, ca, false);
            client
                .create_wallet_session(&wallet_request())
                .await
                .unwrap()
                .url
        }
        "reqwest" => reqwest_post(&reqwest_client(ca), &format!("{base}{PATH}"), key).await,
        other => panic!("bench --cold {other}: paystar or reqwest"),
    };
    println!("{link}");
    // This process's peak resident memory (VmHWM): benches/run.py reads it from the last line
    // (the kernel's rusage of a child counts its parent's memory at the fork).
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:")) {
        println!("{line}");
    }
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
    let first = env("PAYSTAR_BENCH_FIRST", 20).max(1);
    let ca = std::env::var("PAYSTAR_BENCH_CA").ok();
    let ca = ca.as_deref();
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
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, which] = args.as_slice() {
        if flag == "--cold" {
            return cold(which, &base, &key, ca).await;
        }
    }
    let url = format!("{base}{PATH}");
    let report = |client: &str, kind: &str, seq: Value, conc: Value, first: (f64, f64)| {
        println!(
            "{}",
            json!({"language": "rust", "client": client, "kind": kind, "sequential": seq,
                   "concurrent": conc, "new_client_us": first.0, "first_call_us": first.1})
        );
    };

    // paystar: the typed request, validated, sent, the envelope decoded into a Session; by
    // default on paystar's shared runtime, then in place on this one
    // (ClientBuilder::on_caller_runtime: no hop between runtimes).
    for (label, in_place) in [
        ("paystar::Client", false),
        ("paystar::Client (on_caller_runtime)", true),
    ] {
        if !wanted(label) {
            continue;
        }
        let client = paystar_client(&base, &key, ca, in_place);
        let request = Arc::new(wallet_request());
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
        // A new client: building it, then its first call (connection and handshake included).
        let (mut builds, mut firsts) = (Vec::new(), Vec::new());
        for _ in 0..first {
            let t = Instant::now();
            let c = paystar_client(&base, &key, ca, in_place);
            builds.push(t.elapsed());
            let t = Instant::now();
            c.create_wallet_session(&wallet_request()).await.unwrap();
            firsts.push(t.elapsed());
        }
        report(
            label,
            "paystar",
            s,
            k,
            (median_us(builds), median_us(firsts)),
        );
    }

    // warm_up(): the connection opened ahead of the first call (what a service does at start,
    // before it takes traffic). The first call after it, and warm_up's own time.
    if wanted("warm_up") {
        let (mut ups, mut calls) = (Vec::new(), Vec::new());
        for _ in 0..first {
            let c = paystar_client(&base, &key, ca, false);
            let t = Instant::now();
            c.warm_up().await.unwrap();
            ups.push(t.elapsed());
            let t = Instant::now();
            c.create_wallet_session(&wallet_request()).await.unwrap();
            calls.push(t.elapsed());
        }
        println!(
            "{}",
            json!({"language": "rust", "warm_up": {"client": "paystar::Client",
                   "method": "warm_up()", "warm_up_us": median_us(ups), "first_call_us": median_us(calls)}})
        );
    }

    // reqwest, by hand.
    if wanted("reqwest") {
        let raw = reqwest_client(ca);
        let s = sequential(seq, warm, || {
            let (raw, url, key) = (raw.clone(), url.clone(), key.clone());
            async move { reqwest_post(&raw, &url, &key).await }
        })
        .await;
        let (r2, u2, k2) = (raw.clone(), url.clone(), key.clone());
        let k = concurrent(conc, inflight, move || {
            let (raw, url, key) = (r2.clone(), u2.clone(), k2.clone());
            async move { reqwest_post(&raw, &url, &key).await }
        })
        .await;
        let (mut builds, mut firsts) = (Vec::new(), Vec::new());
        for _ in 0..first {
            let t = Instant::now();
            let c = reqwest_client(ca);
            builds.push(t.elapsed());
            let t = Instant::now();
            reqwest_post(&c, &url, &key).await;
            firsts.push(t.elapsed());
        }
        report(
            "reqwest",
            "peer",
            s,
            k,
            (median_us(builds), median_us(firsts)),
        );
    }

    // hyper's client (hyper-util legacy pool), by hand; plain HTTP only.
    if ca.is_none() && wanted("hyper") {
        let build = || -> hyper_util::client::legacy::Client<_, Full<Bytes>> {
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http()
        };
        let hyper_client = build();
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
        let (mut builds, mut firsts) = (Vec::new(), Vec::new());
        for _ in 0..first {
            let t = Instant::now();
            let c = build();
            builds.push(t.elapsed());
            let t = Instant::now();
            send(c, uri.clone(), key.clone()).await;
            firsts.push(t.elapsed());
        }
        report(
            "hyper (client-legacy)",
            "peer",
            s,
            k,
            (median_us(builds), median_us(firsts)),
        );
    }

    println!("{}", json!({"language": "rust", "rss_mb": rss_mb()}));
}
