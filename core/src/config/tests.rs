//! Tests of the configuration.

use super::*;

fn base() -> ClientBuilder {
    crate::Client::builder().api_key("sk_test_123")
}

#[test]
fn defaults_match_the_docs() {
    let cfg = base().build_config().unwrap();
    assert_eq!(cfg.timeout(), DEFAULT_TIMEOUT);
    assert_eq!(cfg.connect_timeout(), DEFAULT_CONNECT_TIMEOUT);
    assert_eq!(cfg.max_retries(), DEFAULT_MAX_RETRIES);
    assert!(cfg.client_validation());
    assert_eq!(
        cfg.deadline_for(cfg.timeout(), cfg.max_retries()),
        Duration::from_millis(91_500)
    );
    // The doc comments state these numbers; keep them in agreement.
    let src = include_str!("mod.rs");
    assert!(src.contains(&format!("Default: {} seconds.", DEFAULT_TIMEOUT.as_secs())));
    assert!(src.contains(&format!(
        "Default: {} seconds.",
        DEFAULT_CONNECT_TIMEOUT.as_secs()
    )));
    assert!(src.contains(&format!(
        "Default: {DEFAULT_MAX_RETRIES} (at most 3 attempts)"
    )));
    assert!(cfg.user_agent().starts_with("paystar/"));
}

#[test]
fn debug_and_display_mask_the_key() {
    let cfg = base().build_config().unwrap();
    let shown = format!("{cfg:?} {} {:?} {:?}", cfg.api_key, cfg.api_key, base());
    assert!(!shown.contains("sk_test_123"), "{shown}");
    assert!(shown.contains("***"));
}

#[test]
fn base_url_rules() {
    let ok = |u: &str| {
        base()
            .base_url(u)
            .build_config()
            .map(|c| c.base_url().to_string())
    };
    assert_eq!(
        ok("http://127.0.0.1:8080").unwrap(),
        "http://127.0.0.1:8080/"
    );
    assert_eq!(ok("http://localhost/x").unwrap(), "http://localhost/x/");
    assert_eq!(ok("http://[::1]:9").unwrap(), "http://[::1]:9/");
    assert_eq!(
        ok("https://gateway.paystar.io").unwrap(),
        "https://gateway.paystar.io/"
    );
    for bad in [
        "http://example.com",
        "ftp://127.0.0.1",
        "not a url",
        "https://u:p@example.com",
        "https://example.com/?q=1",
        "javascript:alert(1)",
    ] {
        let e = ok(bad).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Configuration, "{bad}");
        assert!(e.message().starts_with("base_url:"), "{bad}: {e}");
    }
}

#[test]
fn bad_options_fail_at_build_naming_the_option() {
    let cases: Vec<(ClientBuilder, &str)> = vec![
        (base().timeout(Duration::ZERO), "timeout:"),
        (
            base().connect_timeout(Duration::from_secs(601)),
            "connect_timeout:",
        ),
        (base().max_retries(11), "max_retries:"),
        (base().environment_name("staging"), "environment:"),
        (
            base().user_agent_suffix("bad\nsuffix"),
            "user_agent_suffix:",
        ),
        (base().proxy("socks9://x"), "proxy:"),
        (crate::Client::builder().api_key(" "), "api_key:"),
        (crate::Client::builder().api_key("sk_test\n"), "api_key:"),
        (
            base()
                .environment(Environment::Production)
                .base_url("https://x.io"),
            "base_url:",
        ),
    ];
    for (b, prefix) in cases {
        let e = b.build_config().unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Configuration);
        assert!(e.message().starts_with(prefix), "{e}");
    }
}

#[test]
fn environments_have_documented_urls() {
    let prod = base()
        .environment(Environment::Production)
        .build_config()
        .unwrap();
    assert_eq!(prod.base_url().as_str(), "https://secure.paystar.io/");
    let dev = base().environment_name("DEV").build_config().unwrap();
    assert_eq!(dev.base_url().as_str(), "https://dev-gateway.paystar.io/");
    assert_eq!(
        Environment::Production.loader_url(),
        "https://secure.paystar.io/app/embedded.loader.js"
    );
    // The Events API's own page gives another production host; a custom base URL serves both.
    assert_eq!(
        prod.events_base_url().as_str(),
        "https://gateway.paystar.io/"
    );
    assert_eq!(
        dev.events_base_url().as_str(),
        "https://dev-gateway.paystar.io/"
    );
    let custom = base()
        .base_url("http://127.0.0.1:9/gw")
        .build_config()
        .unwrap();
    assert_eq!(custom.events_base_url(), custom.base_url());
}

#[test]
fn environment_variables_are_the_fallback() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let cfg = ClientBuilder::default()
        .build_config_with_env(env(&[
            (API_KEY_ENV, "sk_env"),
            (ENVIRONMENT_ENV, "production"),
        ]))
        .unwrap();
    assert_eq!(cfg.api_key.expose(), "sk_env");
    assert_eq!(cfg.environment(), Some(Environment::Production));
    // Explicit options win over the environment.
    let cfg = base()
        .base_url("http://127.0.0.1:9")
        .build_config_with_env(env(&[
            (API_KEY_ENV, "sk_env"),
            (ENVIRONMENT_ENV, "production"),
        ]))
        .unwrap();
    assert_eq!(
        (cfg.api_key.expose(), cfg.environment()),
        ("sk_test_123", None)
    );
    let e = ClientBuilder::default()
        .build_config_with_env(env(&[]))
        .unwrap_err();
    assert!(e.message().contains(API_KEY_ENV), "{e}");
    let e = ClientBuilder::default()
        .build_config_with_env(env(&[(API_KEY_ENV, "k"), (ENVIRONMENT_ENV, "staging")]))
        .unwrap_err();
    assert!(e.message().starts_with("environment:"), "{e}");
    // A swapped variable (the key in PAYSTAR_ENVIRONMENT) is never echoed.
    let e = ClientBuilder::default()
        .build_config_with_env(env(&[
            (API_KEY_ENV, "k"),
            (ENVIRONMENT_ENV, "sk_live_SECRET_KEY"),
        ]))
        .unwrap_err();
    assert!(!e.message().contains("SECRET"), "{e}");
    // PAYSTAR_BASE_URL points every client at the mock (what the docs' snippets run with)...
    let cfg = ClientBuilder::default()
        .build_config_with_env(env(&[
            (API_KEY_ENV, "k"),
            (BASE_URL_ENV, "http://127.0.0.1:8099"),
        ]))
        .unwrap();
    assert_eq!(
        (cfg.base_url().as_str(), cfg.environment()),
        ("http://127.0.0.1:8099/", None)
    );
    assert_eq!(cfg.events_base_url(), cfg.base_url());
    // ...an explicit environment or base URL wins over it...
    let cfg = ClientBuilder::default()
        .environment(Environment::Development)
        .build_config_with_env(env(&[
            (API_KEY_ENV, "k"),
            (BASE_URL_ENV, "http://127.0.0.1:8099"),
        ]))
        .unwrap();
    assert_eq!(cfg.environment(), Some(Environment::Development));
    // ...and with PAYSTAR_ENVIRONMENT beside it, neither is guessed at.
    let e = ClientBuilder::default()
        .build_config_with_env(env(&[
            (API_KEY_ENV, "k"),
            (ENVIRONMENT_ENV, "production"),
            (BASE_URL_ENV, "http://127.0.0.1:8099"),
        ]))
        .unwrap_err();
    assert!(e.message().starts_with("base_url:"), "{e}");
    assert!(e.message().contains(BASE_URL_ENV), "{e}");
    let e = ClientBuilder::default()
        .build_config_with_env(env(&[(API_KEY_ENV, "k"), (BASE_URL_ENV, "ftp://x")]))
        .unwrap_err();
    assert!(e.message().starts_with("base_url:"), "{e}");
}

#[test]
fn an_explicit_proxy_is_refused_with_a_plain_http_base_url() {
    let e = base()
        .base_url("http://127.0.0.1:9")
        .proxy("http://proxy.example:3128")
        .build_config()
        .unwrap_err();
    assert!(e.message().starts_with("proxy: not allowed"), "{e}");
    assert!(
        base()
            .base_url("https://gateway.example")
            .proxy("http://proxy.example:3128")
            .build_config()
            .is_ok()
    );
}

#[test]
fn user_agent_suffix_is_appended() {
    let cfg = base()
        .user_agent_suffix("paystar-python/0.1")
        .build_config()
        .unwrap();
    assert!(cfg.user_agent().ends_with(" paystar-python/0.1"));
}
