//! `paystar mock`: the mock gateway as a process. Its base URL is the first line on stdout
//! (with `--json`, one object with the URL, key and CA file), so a script or a parent process
//! reads it; messages go to stderr. It serves until Ctrl-C or SIGTERM (or, with
//! `--until-stdin-closes`, until its parent closes stdin).

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use super::args::MockArgs;
use super::output::Out;
use super::{Failure, Outcome, Signals, interrupted};
use crate::mock::{MockGateway, MockOptions, MockTls, MockWebhook, soak_faults};
use crate::webhook::SignOptions;

/// `paystar mock`.
pub(super) async fn run(a: MockArgs, out: &Out, signals: Signals) -> Outcome {
    if !(0.0..=1.0).contains(&a.faults) {
        return Err(Failure::Usage(format!(
            "--faults {}: a share from 0 to 1",
            a.faults
        )));
    }
    let mut options = MockOptions {
        port: a.port,
        seed: a.seed,
        latency: Duration::from_millis(a.latency),
        tls: a.tls.then_some(if a.http1 {
            MockTls::Http1Only
        } else {
            MockTls::On
        }),
        ..MockOptions::default()
    };
    if let Some(key) = a.api_key {
        options.api_key = key;
    }
    if let Some(n) = a.max_sessions {
        options.max_sessions = n;
    }
    if let Some(n) = a.max_recorded {
        options.max_recorded = n;
    }
    if let (Some(url), Some(scheme), Some(secret)) =
        (&a.webhook_url, a.webhook_scheme, &a.webhook_secret)
    {
        options.webhook = Some(MockWebhook {
            redeliveries: a.webhook_redeliveries,
            ..MockWebhook::new(
                url.clone(),
                SignOptions::new(scheme.scheme(), secret.clone()),
            )
        });
    }
    let seed = options.seed.unwrap_or(0);
    // Started off this runtime's thread: the gateway runs on paystar's shared runtime.
    let gateway = MockGateway::start_with(options)?;
    if a.faults > 0.0 {
        gateway.script_random(Some(soak_faults(seed, a.faults)));
    }
    let ca_file = match gateway.ca_pem() {
        Some(pem) => Some(write_ca(a.ca_out, pem)?),
        None => None,
    };
    if out.json {
        out.value(
            &json!({
                "url": gateway.url(),
                "api_key": gateway.api_key(),
                "ca_bundle": ca_file.as_ref().map(|p| p.display().to_string()),
                "webhook_url": a.webhook_url,
            }),
            true,
        );
    } else {
        out.line(gateway.url());
    }
    out.note(&format!(
        "paystar mock: serving {url}\n  \
         export PAYSTAR_BASE_URL={url} PAYSTAR_API_KEY={key}{ca}{hook}\n  \
         Ctrl-C stops it.",
        url = gateway.url(),
        key = gateway.api_key(),
        ca = ca_file
            .as_ref()
            .map(|p| format!(" SSL_CERT_FILE={}", p.display()))
            .unwrap_or_default(),
        hook = a
            .webhook_url
            .as_ref()
            .map(|u| format!("\n  completed sessions' webhooks go to {u}"))
            .unwrap_or_default(),
    ));
    if a.until_stdin_closes {
        let stdin_closed = tokio::task::spawn_blocking(|| {
            let mut sink = [0u8; 256];
            let mut stdin = std::io::stdin();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        });
        tokio::select! {
            _ = stdin_closed => {}
            () = interrupted(signals) => {}
        }
    } else {
        interrupted(signals).await;
    }
    gateway.stop();
    Ok(())
}

/// Writes the CA's PEM to `to`, or to a file of this process in the temporary directory.
fn write_ca(to: Option<PathBuf>, pem: &str) -> Result<PathBuf, Failure> {
    let path = to.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("paystar-mock-ca-{}.pem", std::process::id()))
    });
    std::fs::write(&path, pem)
        .map_err(|e| Failure::Usage(format!("--ca-out {}: {e}", path.display())))?;
    Ok(path)
}
