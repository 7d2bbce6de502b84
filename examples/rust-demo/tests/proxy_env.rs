//! Proxy variables from the environment apply to real gateways, never to loopback (the mock):
//! a developer behind a corporate proxy can still run the demo and tests.
#![allow(clippy::unwrap_used)]

use std::process::Command;

#[test]
fn environment_proxies_do_not_capture_loopback_traffic() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let proxy = format!("http://127.0.0.1:{closed}");
    let out = Command::new(env!("CARGO_BIN_EXE_paystar-demo"))
        .arg("--no-wait")
        .env_remove("PAYSTAR_API_KEY")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("HTTP_PROXY", &proxy)
        .env("http_proxy", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .env("ALL_PROXY", &proxy)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout
            .matches("/app/embedded/acme-utilities/session/")
            .count(),
        5,
        "{stdout}"
    );
}
