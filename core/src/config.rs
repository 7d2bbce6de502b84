//! Client configuration: the builder, its defaults, and the API key's secret type.
//!
//! Every option is checked in [`ClientBuilder::build`]; a bad one is a `configuration_error`
//! there, never at the first call.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::error::{Error, Result};
use crate::validate::has_control_chars;

/// Default per-attempt timeout. Default: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default connect timeout. Default: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of retries after the first attempt. Default: 2 (at most 3 attempts).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Highest accepted `max_retries`.
pub const MAX_MAX_RETRIES: u32 = 10;
/// Longest accepted `timeout` or `deadline`: 10 minutes.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);
/// Environment variable read when no API key is given.
pub const API_KEY_ENV: &str = "PAYSTAR_API_KEY";
/// Environment variable read when neither an environment nor a base URL is given.
pub const ENVIRONMENT_ENV: &str = "PAYSTAR_ENVIRONMENT";

/// The Paystar API key: a secret whose `Debug` and `Display` print `***`.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Wraps a key, checking it can travel in an HTTP header.
    pub fn new(key: impl Into<String>) -> Result<ApiKey> {
        let key: String = key.into();
        if key.trim().is_empty() {
            return Err(Error::configuration("api_key: must not be empty"));
        }
        if key.len() > 512 {
            return Err(Error::configuration("api_key: longer than 512 characters"));
        }
        if key.chars().any(|c| !c.is_ascii_graphic()) {
            return Err(Error::configuration(
                "api_key: must be printable ASCII without spaces (check for a stray newline)",
            ));
        }
        Ok(ApiKey(SecretString::from(key)))
    }

    /// The key itself. Only the transport (and the mock's key check) should call this.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A Paystar environment with documented base URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    /// `https://dev-gateway.paystar.io` (loader `https://dev.paystar.io/app/embedded.loader.js`).
    Development,
    /// `https://secure.paystar.io` (loader `https://secure.paystar.io/app/embedded.loader.js`).
    Production,
}

impl Environment {
    /// The API base URL.
    pub const fn base_url(self) -> &'static str {
        match self {
            Environment::Development => "https://dev-gateway.paystar.io",
            Environment::Production => "https://secure.paystar.io",
        }
    }

    /// The URL of Paystar's JavaScript loader for this environment, for the page that opens
    /// the session.
    pub const fn loader_url(self) -> &'static str {
        match self {
            Environment::Development => "https://dev.paystar.io/app/embedded.loader.js",
            Environment::Production => "https://secure.paystar.io/app/embedded.loader.js",
        }
    }

    /// The lower-case name: `development` or `production`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }

    /// Parses `development`/`dev` or `production`/`prod` (any case).
    pub fn parse(name: &str) -> Result<Environment> {
        match name.trim().to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(Environment::Development),
            "production" | "prod" => Ok(Environment::Production),
            other => Err(Error::configuration(format!(
                "environment: {other:?} is not one of development, production"
            ))),
        }
    }
}

/// The checked configuration a [`Client`](crate::Client) runs with.
#[derive(Clone)]
pub struct Config {
    pub(crate) api_key: ApiKey,
    pub(crate) base_url: Url,
    pub(crate) environment: Option<Environment>,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) deadline: Option<Duration>,
    pub(crate) user_agent: String,
    pub(crate) proxy: Option<Url>,
    pub(crate) client_validation: bool,
    pub(crate) observer: Option<AttemptObserver>,
}

impl Config {
    /// The API base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
    /// The named environment, when one was chosen (not a custom base URL).
    pub fn environment(&self) -> Option<Environment> {
        self.environment
    }
    /// Per-attempt timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
    /// Connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }
    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }
    /// The `User-Agent` header sent.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }
    /// Whether requests are validated before sending.
    pub fn client_validation(&self) -> bool {
        self.client_validation
    }
    /// The overall deadline of a call with `max_retries` retries and per-attempt `timeout`:
    /// the configured one, else timeout × attempts plus the nominal backoff between them (so
    /// the default never cancels a retry the policy allows; a `Retry-After` wait that would
    /// cross it stops the call instead).
    pub fn deadline_for(&self, timeout: Duration, max_retries: u32) -> Duration {
        self.deadline.unwrap_or_else(|| {
            let waits: Duration = (0..max_retries)
                .map(|r| crate::retry::backoff(r, 1.0))
                .sum();
            timeout
                .saturating_mul(max_retries.saturating_add(1))
                .saturating_add(waits)
        })
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url.as_str())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("deadline", &self.deadline)
            .field("user_agent", &self.user_agent)
            .field("proxy", &self.proxy.as_ref().map(redact_url))
            .field("client_validation", &self.client_validation)
            .finish()
    }
}

/// Builds a [`Client`](crate::Client). Every setter documents its default.
#[derive(Clone, Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    environment: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_retries: Option<u32>,
    deadline: Option<Duration>,
    user_agent_suffix: Option<String>,
    proxy: Option<String>,
    client_validation: Option<bool>,
    observer: Option<AttemptObserver>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("environment", &self.environment)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The secret API key (header `X-Paystar-Api-Key`). Default: the `PAYSTAR_API_KEY`
    /// environment variable; without either, `build` fails.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// `development` or `production`. Default: the `PAYSTAR_ENVIRONMENT` environment variable,
    /// else development (so a misplaced production key fails loudly instead of moving money).
    pub fn environment(mut self, env: Environment) -> Self {
        self.environment = Some(env.as_str().to_owned());
        self
    }

    /// Like [`environment`](Self::environment), by name (for bindings and settings files).
    pub fn environment_name(mut self, name: impl Into<String>) -> Self {
        self.environment = Some(name.into());
        self
    }

    /// Any base URL (a proxy path prefix is kept). `https` only, except plain `http` to a
    /// loopback host (127.0.0.0/8, `::1`, `localhost`). Default: the environment's URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Per-attempt timeout (sending and reading the whole answer). Default: 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Connect timeout. Default: 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retries after the first attempt, 0 to 10. Default: 2.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The overall deadline of one call, retries and waits included.
    /// Default: timeout × attempts, plus the backoff between them.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Appended to `User-Agent: paystar-rust/<version>`. Default: nothing.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// An HTTP(S) proxy for every request. Default: `HTTPS_PROXY` / `NO_PROXY` from the
    /// environment.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Whether requests are validated before sending. Default: true. Turn it off only to
    /// exercise the gateway's own validation.
    pub fn client_validation(mut self, on: bool) -> Self {
        self.client_validation = Some(on);
        self
    }

    /// Calls `observer` after every HTTP attempt with what happened (no key, no body): the hook
    /// language bindings use to log one line per attempt. It runs on the runtime's threads, so
    /// it must be quick and must not block. Default: none (events still go to `tracing`).
    pub fn on_attempt(mut self, observer: impl Fn(&AttemptEvent) + Send + Sync + 'static) -> Self {
        self.observer = Some(std::sync::Arc::new(observer));
        self
    }

    /// Whether an API key was given explicitly.
    pub(crate) fn has_api_key(&self) -> bool {
        self.api_key.is_some()
    }

    /// Checks every option and builds the client.
    pub fn build(self) -> Result<crate::Client> {
        self.build_config().and_then(crate::Client::from_config)
    }

    /// Checks every option.
    pub fn build_config(self) -> Result<Config> {
        self.build_config_with_env(|name| std::env::var(name).ok())
    }

    /// Like [`build_config`](Self::build_config), reading environment variables through `env`.
    fn build_config_with_env(self, env: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let key = match self.api_key {
            Some(k) => k,
            None => env(API_KEY_ENV).ok_or_else(|| {
                Error::configuration(format!("api_key: not given and {API_KEY_ENV} is not set"))
            })?,
        };
        let api_key = ApiKey::new(key)?;
        let env_name = match (&self.environment, &self.base_url) {
            (Some(e), _) => Some(e.clone()),
            (None, None) => env(ENVIRONMENT_ENV).filter(|s| !s.is_empty()),
            (None, Some(_)) => None,
        };
        let environment = env_name.as_deref().map(Environment::parse).transpose()?;
        let (base_url, environment) = match (self.base_url, environment) {
            (Some(_), Some(_)) if self.environment.is_some() => {
                return Err(Error::configuration(
                    "base_url: give either environment or base_url, not both",
                ));
            }
            (Some(url), _) => (parse_base_url(&url)?, None),
            (None, env) => {
                let env = env.unwrap_or(Environment::Development);
                (parse_base_url(env.base_url())?, Some(env))
            }
        };
        let timeout = check_duration("timeout", self.timeout.unwrap_or(DEFAULT_TIMEOUT))?;
        let connect_timeout = check_duration(
            "connect_timeout",
            self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        )?;
        let max_retries = check_retries(self.max_retries.unwrap_or(DEFAULT_MAX_RETRIES))?;
        let deadline = self
            .deadline
            .map(|d| check_duration("deadline", d))
            .transpose()?;
        let mut user_agent = format!("paystar-rust/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = self.user_agent_suffix.filter(|s| !s.is_empty()) {
            if suffix.len() > 200 || suffix.chars().any(|c| !(' '..='~').contains(&c)) {
                return Err(Error::configuration(
                    "user_agent_suffix: must be printable ASCII, at most 200 characters",
                ));
            }
            user_agent.push(' ');
            user_agent.push_str(suffix.trim());
        }
        let proxy = self.proxy.map(|p| parse_proxy(&p)).transpose()?;
        Ok(Config {
            api_key,
            base_url,
            environment,
            timeout,
            connect_timeout,
            max_retries,
            deadline,
            user_agent,
            proxy,
            client_validation: self.client_validation.unwrap_or(true),
            observer: self.observer,
        })
    }
}

/// What happened in one HTTP attempt (see [`ClientBuilder::on_attempt`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptEvent {
    /// The operation called.
    pub operation: crate::Operation,
    /// Always `POST`.
    pub method: &'static str,
    /// The endpoint path, e.g. `/integrations/embedded/initiate`.
    pub path: &'static str,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The HTTP status, when an answer came back.
    pub status: Option<u16>,
    /// How long the attempt took.
    pub elapsed: Duration,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// `None` on success, else the failure's code.
    pub error_code: Option<crate::ErrorCode>,
    /// `Some(wait)` when another attempt follows after `wait` (log it as a warning).
    pub retry_in: Option<Duration>,
}

/// A callback receiving [`AttemptEvent`]s.
pub type AttemptObserver = std::sync::Arc<dyn Fn(&AttemptEvent) + Send + Sync>;

/// Per-call overrides of the client's options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Per-attempt timeout for this call. Default: the client's.
    pub timeout: Option<Duration>,
    /// Retries for this call. Default: the client's.
    pub max_retries: Option<u32>,
}

impl RequestOptions {
    /// Checks the overrides (a bad one is a `configuration_error`).
    pub fn check(&self) -> Result<()> {
        if let Some(t) = self.timeout {
            check_duration("timeout", t)?;
        }
        if let Some(r) = self.max_retries {
            check_retries(r)?;
        }
        Ok(())
    }
}

fn check_duration(name: &str, d: Duration) -> Result<Duration> {
    if d.is_zero() {
        return Err(Error::configuration(format!(
            "{name}: must be greater than zero"
        )));
    }
    if d > MAX_TIMEOUT {
        return Err(Error::configuration(format!(
            "{name}: must be at most 600 seconds"
        )));
    }
    Ok(d)
}

fn check_retries(r: u32) -> Result<u32> {
    if r > MAX_MAX_RETRIES {
        return Err(Error::configuration(format!(
            "max_retries: must be between 0 and {MAX_MAX_RETRIES}"
        )));
    }
    Ok(r)
}

/// Whether a URL host is loopback (where plain http is allowed).
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn parse_base_url(raw: &str) -> Result<Url> {
    if has_control_chars(raw, false) {
        return Err(Error::configuration(
            "base_url: contains control characters",
        ));
    }
    let mut url = Url::parse(raw.trim())
        .map_err(|e| Error::configuration(format!("base_url: not a valid URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        "http" => {
            return Err(Error::configuration(
                "base_url: plain http is allowed only for loopback hosts; use https",
            ));
        }
        other => {
            return Err(Error::configuration(format!(
                "base_url: scheme {other:?} is not http(s)"
            )));
        }
    }
    if url.host().is_none() {
        return Err(Error::configuration("base_url: has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::configuration(
            "base_url: must not contain credentials",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::configuration(
            "base_url: must not have a query or fragment",
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn parse_proxy(raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::configuration(format!("proxy: not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::configuration(
            "proxy: must be an http:// or https:// URL",
        ));
    }
    Ok(url)
}

/// A URL with any user:password replaced, for logs.
pub(crate) fn redact_url(url: &Url) -> String {
    let mut u = url.clone();
    if !u.username().is_empty() || u.password().is_some() {
        let _ = u.set_username("***");
        let _ = u.set_password(None);
    }
    u.to_string()
}

#[cfg(test)]
mod tests {
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
        let src = include_str!("config.rs");
        assert!(src.contains(&format!("Default: {} seconds.", DEFAULT_TIMEOUT.as_secs())));
        assert!(src.contains(&format!(
            "Default: {} seconds.",
            DEFAULT_CONNECT_TIMEOUT.as_secs()
        )));
        assert!(src.contains(&format!(
            "Default: {DEFAULT_MAX_RETRIES} (at most 3 attempts)"
        )));
        assert!(cfg.user_agent().starts_with("paystar-rust/"));
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
    }

    #[test]
    fn user_agent_suffix_is_appended() {
        let cfg = base()
            .user_agent_suffix("paystar-python/0.1")
            .build_config()
            .unwrap();
        assert!(cfg.user_agent().ends_with(" paystar-python/0.1"));
    }
}
