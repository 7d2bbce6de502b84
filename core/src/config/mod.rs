//! Client configuration: the builder, its defaults, and the API key's secret type.
//!
//! Every option is checked in [`ClientBuilder::build`]; a bad one is a `configuration_error`
//! there, never at the first call.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use crate::error::{Error, Result, printable};
use crate::validate::has_control_chars;

mod environment;
mod observer;
mod secret;

pub use environment::Environment;
pub use observer::{AttemptEvent, AttemptObserver, Collect, LogLevel};
pub use secret::ApiKey;

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
/// Default of `max_in_flight`: requests one client has in flight at once.
/// Decision: docs/decisions.md#in-flight.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 100;
/// Largest accepted `max_in_flight`.
pub const MAX_MAX_IN_FLIGHT: usize = 10_000;
/// Environment variable read when no API key is given.
pub const API_KEY_ENV: &str = "PAYSTAR_API_KEY";
/// Environment variable read when neither an environment nor a base URL is given.
pub const ENVIRONMENT_ENV: &str = "PAYSTAR_ENVIRONMENT";
/// Environment variable naming a base URL (the mock, a proxy), read when neither an environment
/// nor a base URL is given. Setting it together with [`ENVIRONMENT_ENV`] is a configuration
/// error (decision: docs/decisions.md#base-url-env).
pub const BASE_URL_ENV: &str = "PAYSTAR_BASE_URL";

/// The checked configuration a [`Client`](crate::Client) runs with.
#[derive(Clone)]
pub struct Config {
    pub(crate) api_key: ApiKey,
    pub(crate) base_url: Url,
    pub(crate) events_base_url: Url,
    pub(crate) environment: Option<Environment>,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) deadline: Option<Duration>,
    pub(crate) user_agent: String,
    pub(crate) proxy: Option<Url>,
    pub(crate) no_proxy: Option<String>,
    pub(crate) client_validation: bool,
    pub(crate) observer: Option<AttemptObserver>,
    pub(crate) telemetry: bool,
    pub(crate) on_caller_runtime: bool,
    pub(crate) max_in_flight: usize,
    /// Extra trusted roots (`ca_bundle`, `ca_certificates`), on top of the system's.
    pub(crate) extra_roots: Vec<reqwest::Certificate>,
    /// A `localhost` base URL's addresses, checked to be loopback once and used for every
    /// connection (so a resolver cannot move plain http elsewhere later).
    pub(crate) pinned: Option<(String, Vec<std::net::SocketAddr>)>,
}

impl Config {
    /// The API base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }
    /// The base URL Events API calls go to: the environment's Events API host
    /// ([`Environment::events_base_url`]), or the custom base URL (which serves both APIs).
    pub fn events_base_url(&self) -> &Url {
        &self.events_base_url
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
    /// Whether the bindings record OpenTelemetry spans and metrics for this client's calls
    /// (when their host's OpenTelemetry API is installed). Default: true.
    pub fn telemetry(&self) -> bool {
        self.telemetry
    }
    /// The most requests in flight at once; more calls wait for a slot within their deadline.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }
    /// How many extra trusted roots were added (`ca_bundle`, `ca_certificates`).
    pub fn extra_root_count(&self) -> usize {
        self.extra_roots.len()
    }
    /// The proxy given to the builder, its credentials masked (`http://***@proxy:3128/`);
    /// `None` when the environment's (`HTTPS_PROXY`) applies or no proxy is used.
    pub fn proxy_redacted(&self) -> Option<String> {
        self.proxy.as_ref().map(redact_url)
    }
    /// The hosts reached without the proxy, as given to the builder.
    pub fn no_proxy(&self) -> Option<&str> {
        self.no_proxy.as_deref()
    }
    /// The per-attempt timeout and retries a call runs with: `options` where given, else the
    /// client's.
    pub fn resolve(&self, options: &RequestOptions) -> (Duration, u32) {
        (
            options.timeout.unwrap_or(self.timeout),
            options.max_retries.unwrap_or(self.max_retries),
        )
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
            .field("no_proxy", &self.no_proxy)
            .field("client_validation", &self.client_validation)
            .field("max_in_flight", &self.max_in_flight)
            .field("extra_roots", &self.extra_roots.len())
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
    binding: Option<String>,
    proxy: Option<String>,
    no_proxy: Option<String>,
    client_validation: Option<bool>,
    observer: Option<AttemptObserver>,
    telemetry: Option<bool>,
    on_caller_runtime: bool,
    max_in_flight: Option<usize>,
    ca_bundles: Vec<String>,
    ca_certificates: Vec<String>,
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
    /// loopback host (127.0.0.0/8, `::1`, `localhost`). Default: the `PAYSTAR_BASE_URL`
    /// environment variable when no environment is given, else the environment's URL.
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

    /// Names the language front door in the `User-Agent` (`paystar/0.1.0 (python 3.11)`).
    /// For bindings; default `rust`. Printable ASCII without `)`, else ignored.
    pub fn binding(mut self, name: impl Into<String>) -> Self {
        self.binding = Some(name.into());
        self
    }

    /// Appended to `User-Agent: paystar/<version> (<binding>)`. Default: nothing.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// An HTTP(S) proxy for every request. Default: `HTTPS_PROXY` / `NO_PROXY` from the
    /// environment, except for a loopback base URL (a mock gateway), which is reached directly.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Hosts reached without the proxy, in `NO_PROXY` form (`.example.com,10.0.0.0/8,localhost`).
    /// Default: `NO_PROXY` from the environment when no proxy is given; nothing otherwise.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.no_proxy = Some(hosts.into());
        self
    }

    /// The most requests this client has in flight at once, 1 to 10,000; more calls wait for a
    /// slot within their deadline, sending nothing meanwhile. It bounds the client's
    /// connections (and file descriptors). Default: 100.
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = Some(n);
        self
    }

    /// A PEM file of certificates added to the trusted roots (a corporate or private CA), on
    /// top of the system store and `SSL_CERT_FILE` / `SSL_CERT_DIR`. Read when the client is
    /// built: a missing file or one without a certificate is a `configuration_error`.
    pub fn ca_bundle(mut self, path: impl Into<String>) -> Self {
        self.ca_bundles.push(path.into());
        self
    }

    /// PEM text of certificates added to the trusted roots, like [`ca_bundle`](Self::ca_bundle)
    /// without a file (the JVM binding passes its trust store's issuers this way).
    pub fn ca_certificates(mut self, pem: impl Into<String>) -> Self {
        self.ca_certificates.push(pem.into());
        self
    }

    /// Whether requests are validated before sending. Default: true. Turn it off only to
    /// exercise the gateway's own validation.
    pub fn client_validation(mut self, on: bool) -> Self {
        self.client_validation = Some(on);
        self
    }

    /// Whether the language bindings record OpenTelemetry traces and metrics for this client's
    /// calls when their host's OpenTelemetry API is installed. Default: true. Off, a call
    /// collects nothing for telemetry and sends no `traceparent` of its own.
    pub fn telemetry(mut self, on: bool) -> Self {
        self.telemetry = Some(on);
        self
    }

    /// Runs each call in place on the tokio runtime that awaits it, instead of on paystar's
    /// shared runtime. Saves the hop between runtimes (two thread wake-ups a call; see
    /// BENCHMARKS.md) for an async Rust service with one runtime. Default: false — keep it
    /// false when one client is used from several runtimes (a test per `#[tokio::test]`
    /// runtime: connections belong to the runtime that opened them), from blocking code, or in
    /// a process that forks; the language bindings always use the shared runtime.
    pub fn on_caller_runtime(mut self, on: bool) -> Self {
        self.on_caller_runtime = on;
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
                Error::option("api_key", format!("not given and {API_KEY_ENV} is not set"))
            })?,
        };
        let api_key = ApiKey::new(key)?;
        let set = |name: &str| env(name).filter(|s| !s.trim().is_empty());
        let (env_name, base_url_option) = match (&self.environment, &self.base_url) {
            (Some(e), _) => (Some(e.clone()), self.base_url.clone()),
            (None, Some(url)) => (None, Some(url.clone())),
            (None, None) => match (set(ENVIRONMENT_ENV), set(BASE_URL_ENV)) {
                (Some(_), Some(_)) => {
                    return Err(Error::option(
                        "base_url",
                        format!(
                            "{ENVIRONMENT_ENV} and {BASE_URL_ENV} are both set: unset one \
                             (a base URL serves both APIs and names no environment)"
                        ),
                    ));
                }
                (name, url) => (name, url),
            },
        };
        let environment = env_name.as_deref().map(Environment::parse).transpose()?;
        let (base_url, environment) = match (base_url_option, environment) {
            (Some(_), Some(_)) if self.environment.is_some() => {
                return Err(Error::option(
                    "base_url",
                    "give either environment or base_url, not both",
                ));
            }
            (Some(url), _) => (parse_base_url(&url)?, None),
            (None, env) => {
                let env = env.unwrap_or(Environment::Development);
                (parse_base_url(env.base_url())?, Some(env))
            }
        };
        let events_base_url = match environment {
            Some(env) => parse_base_url(env.events_base_url())?,
            None => base_url.clone(),
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
        let binding = self
            .binding
            .filter(|b| !b.is_empty() && b.chars().all(|c| (' '..='~').contains(&c) && c != ')'))
            .unwrap_or_else(|| "rust".to_owned());
        let mut user_agent = format!("paystar/{} ({binding})", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = self.user_agent_suffix.filter(|s| !s.is_empty()) {
            if suffix.len() > 200 || suffix.chars().any(|c| !(' '..='~').contains(&c)) {
                return Err(Error::option(
                    "user_agent_suffix",
                    "must be printable ASCII, at most 200 characters",
                ));
            }
            user_agent.push(' ');
            user_agent.push_str(suffix.trim());
        }
        let proxy = self.proxy.map(|p| parse_proxy(&p)).transpose()?;
        if proxy.is_some() && base_url.scheme() == "http" {
            // The key header would cross the proxy in plain text.
            return Err(Error::option(
                "proxy",
                "not allowed with a plain-http base_url (the proxy would see the API key); \
                 use https, or no proxy for a loopback mock",
            ));
        }
        let no_proxy = self
            .no_proxy
            .map(|n| {
                if has_control_chars(&n, false) || n.len() > 4096 {
                    Err(Error::option(
                        "no_proxy",
                        "must be a comma-separated list of hosts, at most 4096 characters",
                    ))
                } else {
                    Ok(n.trim().to_owned())
                }
            })
            .transpose()?
            .filter(|n| !n.is_empty());
        let max_in_flight = self.max_in_flight.unwrap_or(DEFAULT_MAX_IN_FLIGHT);
        if !(1..=MAX_MAX_IN_FLIGHT).contains(&max_in_flight) {
            return Err(Error::option(
                "max_in_flight",
                format!("must be between 1 and {MAX_MAX_IN_FLIGHT}"),
            ));
        }
        let mut extra_roots = Vec::new();
        for path in &self.ca_bundles {
            let pem = std::fs::read(path).map_err(|e| {
                Error::option(
                    "ca_bundle",
                    format!("cannot read {}: {e}", printable(path, 200)),
                )
            })?;
            extra_roots.extend(certificates("ca_bundle", &pem)?);
        }
        for pem in &self.ca_certificates {
            extra_roots.extend(certificates("ca_certificates", pem.as_bytes())?);
        }
        let pinned = pin_localhost(&base_url)?;
        Ok(Config {
            api_key,
            base_url,
            events_base_url,
            environment,
            timeout,
            connect_timeout,
            max_retries,
            deadline,
            user_agent,
            proxy,
            no_proxy,
            client_validation: self.client_validation.unwrap_or(true),
            observer: self.observer,
            telemetry: self.telemetry.unwrap_or(true),
            on_caller_runtime: self.on_caller_runtime,
            max_in_flight,
            extra_roots,
            pinned,
        })
    }
}

/// Per-call overrides of the client's options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    /// Per-attempt timeout for this call. Default: the client's.
    pub timeout: Option<Duration>,
    /// Retries for this call. Default: the client's.
    pub max_retries: Option<u32>,
    /// The caller's trace, sent as `traceparent`/`tracestate` on every attempt. Bindings fill
    /// it from their host's OpenTelemetry propagator when telemetry is on.
    pub trace: Option<crate::telemetry::TraceContext>,
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

/// A duration given by a binding as a number of `unit_secs`-long units (Python passes seconds,
/// so 1.0; Node passes milliseconds, so 0.001). NaN, infinities, negatives and zero are a
/// `configuration_error` naming the option, as is anything over 600 seconds.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(paystar::duration_from_units("timeout", 1.5, 1.0).unwrap(), Duration::from_millis(1500));
/// assert_eq!(paystar::duration_from_units("timeout", 250.0, 0.001).unwrap(), Duration::from_millis(250));
/// assert_eq!(paystar::duration_from_units("timeout", f64::NAN, 1.0).unwrap_err().code().as_str(), "configuration_error");
/// ```
pub fn duration_from_units(name: &str, value: f64, unit_secs: f64) -> Result<Duration> {
    let secs = value * unit_secs;
    if !secs.is_finite() || secs <= 0.0 {
        return Err(Error::option(
            name,
            format!("must be a positive, finite number (got {value})"),
        ));
    }
    let d = Duration::try_from_secs_f64(secs)
        .map_err(|_| Error::option(name, "must be at most 600 seconds"))?;
    check_duration(name, d)
}

fn check_duration(name: &str, d: Duration) -> Result<Duration> {
    if d.is_zero() {
        return Err(Error::option(name, "must be greater than zero"));
    }
    if d > MAX_TIMEOUT {
        return Err(Error::option(name, "must be at most 600 seconds"));
    }
    Ok(d)
}

fn check_retries(r: u32) -> Result<u32> {
    if r > MAX_MAX_RETRIES {
        return Err(Error::option(
            "max_retries",
            format!("must be between 0 and {MAX_MAX_RETRIES}"),
        ));
    }
    Ok(r)
}

/// Whether a URL host is loopback (where plain http is allowed): an address in 127.0.0.0/8 or
/// `::1`, or `localhost` when it resolves only to such addresses (asked of the resolver).
/// Decision: docs/decisions.md#loopback.
pub fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") && loopback_addresses(url).is_some()
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// The addresses `url`'s host resolves to, when there are some and every one is loopback.
fn loopback_addresses(url: &Url) -> Option<Vec<std::net::SocketAddr>> {
    use std::net::ToSocketAddrs;
    let host = url.host_str()?;
    let port = url.port_or_known_default()?;
    let addrs: Vec<_> = (host, port).to_socket_addrs().ok()?.collect();
    (!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())).then_some(addrs)
}

/// A plain-http `localhost` base URL's addresses, pinned for every connection.
fn pin_localhost(url: &Url) -> Result<Option<(String, Vec<std::net::SocketAddr>)>> {
    match url.host() {
        Some(url::Host::Domain(d)) if url.scheme() == "http" => {
            let addrs = loopback_addresses(url).ok_or_else(|| {
                Error::option(
                    "base_url",
                    format!(
                        "{d} does not resolve only to loopback addresses: plain http is allowed \
                         only to loopback; use 127.0.0.1, [::1] or https"
                    ),
                )
            })?;
            Ok(Some((d.to_owned(), addrs)))
        }
        _ => Ok(None),
    }
}

/// The certificates of a PEM bundle given as `option`: at least one, each parseable.
fn certificates(option: &str, pem: &[u8]) -> Result<Vec<reqwest::Certificate>> {
    let certs = reqwest::Certificate::from_pem_bundle(pem)
        .map_err(|e| Error::option(option, format!("is not PEM certificates ({e})")))?;
    if certs.is_empty() {
        return Err(Error::option(option, "holds no PEM certificate"));
    }
    Ok(certs)
}

fn parse_base_url(raw: &str) -> Result<Url> {
    if has_control_chars(raw, false) {
        return Err(Error::option("base_url", "contains control characters"));
    }
    let mut url = Url::parse(raw.trim())
        .map_err(|e| Error::option("base_url", format!("not a valid URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        "http" => {
            return Err(Error::option(
                "base_url",
                "plain http is allowed only for loopback hosts; use https",
            ));
        }
        other => {
            return Err(Error::option(
                "base_url",
                format!("scheme {other:?} is not http(s)"),
            ));
        }
    }
    if url.host().is_none() {
        return Err(Error::option("base_url", "has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::option("base_url", "must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::option(
            "base_url",
            "must not have a query or fragment",
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
        .map_err(|e| Error::option("proxy", format!("not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::option("proxy", "must be an http:// or https:// URL"));
    }
    Ok(url)
}

/// A URL with any user:password replaced, for logs.
/// `url` with its credentials masked, for messages about a proxy.
pub fn redact_url(url: &Url) -> String {
    let mut u = url.clone();
    if !u.username().is_empty() || u.password().is_some() {
        let _ = u.set_username("***");
        let _ = u.set_password(None);
    }
    u.to_string()
}

#[cfg(test)]
mod tests;
