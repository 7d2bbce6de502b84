//! `paystar-mock`: the mock gateway as a process, for benchmarks (the server outside the
//! measured process), manual clicking in a browser, and teams in languages paystar does not
//! bind. It prints its base URL on the first line of stdout, then serves until stdin closes
//! or it is killed.
//!
//! ```text
//! paystar-mock [--port N] [--api-key KEY] [--seed N] [--faults RATE]
//!              [--webhook-url URL --webhook-scheme SCHEME --webhook-secret SECRET
//!               [--webhook-redeliveries N]] [--max-sessions N] [--max-recorded N] [--latency-ms N]
//! ```
//!
//! `--faults RATE` applies seeded random faults (statuses, delays, resets, ...) to that share
//! of session requests (0 to 1; default 0, none). `--latency-ms N` delays every API answer by N
//! ms (a gateway far away); `GET /__mock/stats` answers `{"connections": n, "sessions": n}`. Build it with
//! `cargo build --release -p paystar --features mock --bin paystar-mock`.

// A command-line program: stdout carries its URL, stderr its messages.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Read;

use paystar::mock::{MockGateway, MockOptions, MockWebhook, soak_faults};
use paystar::webhook::{Scheme, SignOptions};

fn usage(problem: &str) -> ! {
    eprintln!("paystar-mock: {problem}");
    eprintln!(
        "usage: paystar-mock [--port N] [--api-key KEY] [--seed N] [--faults RATE] \
         [--webhook-url URL --webhook-scheme shared_secret|hmac_sha256|standard_webhooks \
         --webhook-secret SECRET [--webhook-redeliveries N]] [--max-sessions N] [--max-recorded N] \
         [--latency-ms N]"
    );
    std::process::exit(2)
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> T {
    value
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| usage(&format!("{flag} takes a number")))
}

fn main() {
    let mut options = MockOptions::default();
    let mut faults: f64 = 0.0;
    let (mut url, mut scheme, mut secret, mut redeliveries) = (None, None, None, 0u32);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--port" => options.port = number(&flag, args.next()),
            "--api-key" => {
                options.api_key = args
                    .next()
                    .unwrap_or_else(|| usage("--api-key takes a key"));
            }
            "--seed" => options.seed = Some(number(&flag, args.next())),
            "--faults" => faults = number(&flag, args.next()),
            "--max-sessions" => options.max_sessions = number(&flag, args.next()),
            "--max-recorded" => options.max_recorded = number(&flag, args.next()),
            "--latency-ms" => {
                options.latency = std::time::Duration::from_millis(number(&flag, args.next()));
            }
            "--webhook-url" => url = args.next(),
            "--webhook-scheme" => {
                scheme = args.next().map(|s| {
                    Scheme::from_name(&s).unwrap_or_else(|| usage(&format!("unknown scheme {s}")))
                });
            }
            "--webhook-secret" => secret = args.next(),
            "--webhook-redeliveries" => redeliveries = number(&flag, args.next()),
            "-h" | "--help" => usage("the mock Paystar gateway as a process"),
            other => usage(&format!("unknown option {other}")),
        }
    }
    if let Some(url) = url {
        let (Some(scheme), Some(secret)) = (scheme, secret) else {
            usage("--webhook-url needs --webhook-scheme and --webhook-secret")
        };
        options.webhook = Some(MockWebhook {
            redeliveries,
            ..MockWebhook::new(url, SignOptions::new(scheme, secret))
        });
    }
    let seed = options.seed.unwrap_or(0);
    let gateway = MockGateway::start_with(options).unwrap_or_else(|e| {
        eprintln!("paystar-mock: {e}");
        std::process::exit(1)
    });
    if faults > 0.0 {
        gateway.script_random(Some(soak_faults(seed, faults.min(1.0))));
    }
    println!("{}", gateway.url());
    eprintln!(
        "paystar-mock: serving {} (API key {}); close stdin or press Ctrl-C to stop",
        gateway.url(),
        gateway.api_key()
    );
    // Serve until stdin closes (a parent process exiting) or a signal ends the process.
    let mut sink = [0u8; 256];
    let mut stdin = std::io::stdin();
    while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
    gateway.stop();
}
