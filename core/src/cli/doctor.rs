//! `paystar doctor`: what a backend's configuration amounts to — key (present, never shown),
//! environment and hosts, proxy and CA settings — and whether a TLS connection to the gateway
//! can be made (a `HEAD` without the key: nothing is created, nothing is charged).

use std::time::Instant;

use serde_json::{Value, json};

use super::api::{KeySource, builder, key_source};
use super::args::GatewayArgs;
use super::output::Out;
use super::{Failure, Outcome};
use crate::{API_KEY_ENV, is_loopback_host};

/// The proxy variables reqwest reads, in its order.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "NO_PROXY",
];

/// One finding.
struct Check {
    name: &'static str,
    /// `None`: information only.
    ok: Option<bool>,
    detail: String,
}

fn info(name: &'static str, detail: impl Into<String>) -> Check {
    Check {
        name,
        ok: None,
        detail: detail.into(),
    }
}

fn verdict(name: &'static str, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        name,
        ok: Some(ok),
        detail: detail.into(),
    }
}

/// A proxy variable's value with any credentials masked.
fn masked(value: &str) -> String {
    url::Url::parse(value).map_or_else(|_| value.to_owned(), |u| crate::config::redact_url(&u))
}

/// `paystar doctor`.
pub(super) async fn run(gateway: GatewayArgs, out: &Out) -> Outcome {
    let mut checks = Vec::new();
    let source = key_source(&gateway)?;
    let key_check = match &source {
        KeySource::File(key) => verdict(
            "api_key",
            !key.is_empty(),
            format!(
                "from --api-key-file ({} characters, not shown)",
                key.chars().count()
            ),
        ),
        KeySource::Environment => {
            let n = std::env::var(API_KEY_ENV).map_or(0, |k| k.trim().chars().count());
            verdict(
                "api_key",
                true,
                format!(
                    "from {API_KEY_ENV} ({n} characters, not shown; its acceptance is not checked: that takes a call)"
                ),
            )
        }
        KeySource::Missing => verdict(
            "api_key",
            false,
            format!("missing: set {API_KEY_ENV} or pass --api-key-file"),
        ),
    };
    checks.push(key_check);
    let client = match builder(&gateway, source, false)?.build() {
        Ok(client) => client,
        Err(e) => {
            checks.push(verdict("configuration", false, e.to_string()));
            return finish(&checks, out);
        }
    };
    let config = client.config();
    let environment = config
        .environment()
        .map_or_else(|| "custom base URL".to_owned(), |e| e.as_str().to_owned());
    checks.push(info("environment", environment));
    checks.push(info("sessions_url", config.base_url().as_str()));
    checks.push(info("events_url", config.events_base_url().as_str()));
    let origin = config.base_url().origin().ascii_serialization();
    let proxies: Vec<String> = PROXY_VARIABLES
        .iter()
        .filter_map(|v| {
            std::env::var(v)
                .ok()
                .map(|value| format!("{v}={}", masked(&value)))
        })
        .collect();
    let proxy = match (config.proxy_redacted(), is_loopback_host(config.base_url())) {
        (_, true) => "none: a loopback gateway is reached directly".to_owned(),
        (Some(p), false) => format!("{p} (given)"),
        (None, false) if proxies.is_empty() => "none (no proxy variables set)".to_owned(),
        (None, false) => proxies.join(" "),
    };
    checks.push(info("proxy", proxy));
    let mut trust = vec![format!(
        "the system's roots + {} extra (--ca-bundle)",
        config.extra_root_count()
    )];
    for v in ["SSL_CERT_FILE", "SSL_CERT_DIR"] {
        if let Ok(path) = std::env::var(v) {
            let there = std::path::Path::new(&path).exists();
            trust.push(format!(
                "{v}={path}{}",
                if there { "" } else { " (missing!)" }
            ));
        }
    }
    checks.push(info("trust", trust.join("; ")));
    let started = Instant::now();
    let reached = client.warm_up().await;
    let ms = started.elapsed().as_millis();
    let https = config.base_url().scheme() == "https";
    checks.push(match reached {
        Ok(status) => verdict(
            "connection",
            true,
            format!(
                "{origin}: {} in {ms} ms (HTTP {status} to a HEAD without the key)",
                if https {
                    "TLS handshake ok"
                } else {
                    "connected (plain HTTP, loopback)"
                }
            ),
        ),
        Err(e) => verdict(
            "connection",
            false,
            format!("{origin}: {} ({})", e.message(), e.code()),
        ),
    });
    finish(&checks, out)
}

fn finish(checks: &[Check], out: &Out) -> Outcome {
    let ok = checks.iter().all(|c| c.ok != Some(false));
    if out.json {
        let list: Vec<Value> = checks
            .iter()
            .map(|c| json!({"name": c.name, "ok": c.ok, "detail": c.detail}))
            .collect();
        out.value(&json!({"ok": ok, "checks": list}), false);
    } else {
        let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for c in checks {
            let mark = match c.ok {
                Some(true) => "ok  ",
                Some(false) => "FAIL",
                None => "    ",
            };
            out.line(&format!("{mark} {:<width$}  {}", c.name, c.detail));
        }
    }
    if ok { Ok(()) } else { Err(Failure::Reported) }
}
