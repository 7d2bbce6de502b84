//! An in-process Paystar gateway: real HTTP on `127.0.0.1` (port 0), for demos and tests.
//!
//! It checks the API key, validates requests on its own (so the client's validation can be
//! switched off and the gateway path tested), syncs accounts and customers (names immutable
//! after first sight, `Note` never updated), refuses a reused `ClientReference`, issues ids and
//! links that point back at itself (a GET on one serves a small HTML page describing the
//! session, and whether it has expired), and answers in the documented envelope with an
//! `X-Request-Id`. It plays the customer too: a session page's button (or
//! [`MockGateway::complete`]) completes the session and delivers the signed webhook
//! ([`MockWebhook`]). It can be scripted with [`Fault`]s, per request or at a seeded random
//! rate, and records every request it receives with the API key masked.
//!
//! Starting and stopping take well under a millisecond once the shared runtime is up, so
//! every test can have its own.
//!
//! ```
//! use paystar::mock::{Fault, MockGateway};
//! use paystar::{ClientUser, WalletSessionRequest};
//!
//! let gateway = MockGateway::start()?;
//! gateway.script([Fault::status_retry_after(503, 0)]);
//! let client = paystar::blocking::Client::builder().mock(&gateway).build()?;
//! let session = client.create_wallet_session(&WalletSessionRequest::new("acme-utilities", ClientUser::new("jane@example.com")))?;
//! assert_eq!(session.attempts, 2);
//! assert!(session.url.starts_with(gateway.url()));
//! assert_eq!(gateway.requests()[0].headers["x-paystar-api-key"], "***");
//! # Ok::<(), paystar::Error>(())
//! ```

mod checks;
mod faults;
mod gateway;
mod log;
mod network;
mod page;
mod server;
mod tls;
mod webhooks;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

pub use faults::{Fault, RandomFaults, SOAK_TIMEOUT_MS, soak_faults};
pub use network::NetworkFaults;
pub use tls::MockTls;
pub use webhooks::{Completion, Delivery, MockWebhook};
#[cfg(feature = "cli")]
pub(crate) use webhooks::{delivery_client, post_signed};

use crate::error::{Error, Result};

/// How many requests the mock's log keeps (the oldest go first): 100,000.
pub const MAX_RECORDED: usize = 100_000;

/// How many bytes of bodies, paths and headers the mock's log keeps (the oldest requests go
/// first): 64 MiB, so a soak or a flood of large bodies cannot grow it without end.
pub const MAX_RECORDED_BYTES: usize = 64 * 1024 * 1024;

/// How many sessions a mock keeps before it forgets them all: 1,000,000.
pub const MAX_SESSIONS: usize = 1_000_000;

/// The API key a mock accepts unless told otherwise.
pub const DEFAULT_MOCK_API_KEY: &str = "sk_mock_paystar_0000";

/// One request the mock received.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct RecordedRequest {
    /// HTTP method.
    pub method: String,
    /// Path (with query, if any).
    pub path: String,
    /// Headers, names lower-case; the API key's value is `***`.
    pub headers: BTreeMap<String, String>,
    /// Whether the request carried the right API key.
    pub api_key_valid: bool,
    /// The body as JSON (`null` when it was not JSON).
    pub body: Value,
    /// Milliseconds since the gateway started when the request arrived.
    pub received_ms: u64,
    /// The fault applied to it, if any.
    pub fault: Option<Fault>,
    /// Which TCP connection it came on (1, 2, ...): equal numbers mean a reused connection.
    pub connection: u64,
    /// The HTTP version it came with: `HTTP/1.1` or `HTTP/2.0`.
    #[serde(default)]
    pub version: String,
    /// Whether it came over TLS.
    #[serde(default)]
    pub tls: bool,
}

/// Options for [`MockGateway::start_with`].
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// The API key accepted. Default: [`DEFAULT_MOCK_API_KEY`].
    pub api_key: String,
    /// Seed for session ids and the reference numbers of completed sessions. Default: `None`,
    /// a random seed per gateway, so ids differ from run to run as real ones do (a test that
    /// needs the same ids every run gives one).
    pub seed: Option<u64>,
    /// How many requests the log keeps, the oldest going first. Default: [`MAX_RECORDED`].
    pub max_recorded: usize,
    /// Where completed sessions' webhooks go (also [`MockGateway::set_webhook`]). Default:
    /// nowhere.
    pub webhook: Option<MockWebhook>,
    /// The port on 127.0.0.1 (0: one the OS picks). Default: 0.
    pub port: u16,
    /// How many sessions it keeps; past that it forgets them all (and their references) and
    /// starts again, so a long-running mock (`paystar-mock`, a benchmark) stays bounded.
    /// Default: [`MAX_SESSIONS`].
    pub max_sessions: usize,
    /// Serve HTTPS (on `https://localhost:<port>`) with a certificate from a CA generated at
    /// start ([`MockGateway::ca_pem`]). Default: plain HTTP on `http://127.0.0.1:<port>`.
    pub tls: Option<MockTls>,
    /// Added before every answer to a Paystar endpoint: a gateway that far away (for the
    /// benchmarks under latency). Default: none.
    pub latency: std::time::Duration,
    /// Faults below HTTP (latency, jitter, bandwidth, slicing, cuts, stalls) from a TCP proxy
    /// of the mock's own in front of it; the gateway's URL is then the proxy's. Default: none.
    pub network: Option<NetworkFaults>,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            api_key: DEFAULT_MOCK_API_KEY.to_owned(),
            seed: None,
            max_recorded: MAX_RECORDED,
            webhook: None,
            port: 0,
            max_sessions: MAX_SESSIONS,
            tls: None,
            latency: std::time::Duration::ZERO,
            network: None,
        }
    }
}

pub(crate) struct Shared {
    pub gateway: Mutex<gateway::Gateway>,
    pub script: Mutex<faults::Script>,
    pub log: Mutex<log::Log>,
    pub started: std::time::Instant,
    pub base: String,
    pub max_recorded: usize,
    pub webhook: Mutex<Option<MockWebhook>>,
    pub latency: std::time::Duration,
    /// Connections accepted since start (TCP, before any TLS handshake).
    pub connections: std::sync::atomic::AtomicU64,
}

impl Shared {
    pub fn gateway(&self) -> MutexGuard<'_, gateway::Gateway> {
        self.gateway.lock().unwrap_or_else(|p| p.into_inner())
    }
    pub fn script(&self) -> MutexGuard<'_, faults::Script> {
        self.script.lock().unwrap_or_else(|p| p.into_inner())
    }
    pub fn log(&self) -> MutexGuard<'_, log::Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }
    pub fn webhook(&self) -> MutexGuard<'_, Option<MockWebhook>> {
        self.webhook.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A running mock gateway; it stops when dropped (or on [`stop`](MockGateway::stop)).
pub struct MockGateway {
    shared: Arc<Shared>,
    url: String,
    api_key: String,
    ca_pem: Option<String>,
    stop: Option<server::StopHandle>,
    /// Stops the fault proxy in front (when there is one) and every connection it holds.
    proxy: Option<tokio::sync::watch::Sender<bool>>,
}

impl std::fmt::Debug for MockGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockGateway")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl MockGateway {
    /// Starts a gateway on `127.0.0.1` with an OS-chosen port and the default key.
    pub fn start() -> Result<MockGateway> {
        MockGateway::start_with(MockOptions::default())
    }

    /// Starts a gateway with options.
    pub fn start_with(options: MockOptions) -> Result<MockGateway> {
        let (listener, port) = listen(options.port)?;
        let tls = options.tls.map(tls::setup).transpose()?;
        // Behind the fault proxy, clients reach the gateway through it: its port is the URL's.
        let (port, proxy) = match options.network {
            Some(faults) => {
                let upstream = std::net::SocketAddr::from(([127, 0, 0, 1], port));
                let (proxy_port, stop) = network::spawn(upstream, faults)?;
                (proxy_port, Some(stop))
            }
            None => (port, None),
        };
        let url = match tls {
            Some(_) => format!("https://localhost:{port}"),
            None => format!("http://127.0.0.1:{port}"),
        };
        let shared = Arc::new(Shared {
            gateway: Mutex::new(gateway::Gateway::new(
                options.api_key.clone(),
                options.seed.unwrap_or_else(crate::runtime::random_u64),
                options.max_sessions.max(1),
            )),
            script: Mutex::new(faults::Script::default()),
            log: Mutex::new(log::Log::default()),
            started: std::time::Instant::now(),
            base: format!("{url}/"),
            max_recorded: options.max_recorded.max(1),
            webhook: Mutex::new(options.webhook),
            latency: options.latency,
            connections: std::sync::atomic::AtomicU64::new(0),
        });
        let ca_pem = tls.as_ref().map(|t| t.ca_pem.clone());
        let stop = server::spawn(listener, Arc::clone(&shared), tls.map(|t| t.acceptor))?;
        Ok(MockGateway {
            shared,
            url,
            api_key: options.api_key,
            ca_pem,
            stop: Some(stop),
            proxy,
        })
    }

    /// The PEM of the CA that signed this gateway's certificate, when it serves HTTPS: give it
    /// to a client as `ca_certificates` (or write it to a file for `ca_bundle` /
    /// `SSL_CERT_FILE`).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The API key this gateway accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Appends faults, taken one per request to a session endpoint, in order.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.shared.script().push(faults);
    }

    /// Applies faults at a seeded random rate once the scripted queue is empty (`None` stops).
    pub fn script_random(&self, random: Option<RandomFaults>) {
        self.shared.script().set_random(random);
    }

    /// Scripts from JSON (for bindings): a list of faults, or `{"random": {...}}`.
    pub fn script_json(&self, script: &Value) -> Result<()> {
        let bad = |e: serde_json::Error| Error::configuration(format!("mock script: {e}"));
        match script {
            Value::Object(o) if o.contains_key("random") => {
                let r: RandomFaults = serde_json::from_value(o["random"].clone()).map_err(bad)?;
                self.script_random(Some(r));
            }
            Value::Array(_) => {
                let f: Vec<Fault> = serde_json::from_value(script.clone()).map_err(bad)?;
                self.script(f);
            }
            _ => {
                let f: Fault = serde_json::from_value(script.clone()).map_err(bad)?;
                self.script([f]);
            }
        }
        Ok(())
    }

    /// Forgets every scripted fault.
    pub fn clear_script(&self) {
        self.shared.script().clear();
    }

    /// Forgets the requests and sessions recorded so far (a long soak audits one pass, then
    /// frees what the mock kept of it; customers and accounts stay).
    pub fn forget_requests(&self) {
        self.shared.log().clear();
        self.shared.gateway().forget_sessions();
    }

    /// Every request received so far (any method and path), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log().requests()
    }

    /// The customer record for an email (names as first seen).
    pub fn customer(&self, email: &str) -> Option<Value> {
        self.shared
            .gateway()
            .customers
            .get(&email.to_ascii_lowercase())
            .cloned()
    }

    /// Everything the gateway holds, as JSON: `url`, `requests` (the log, oldest first, the key
    /// masked), `customers` (`{email: record}`, emails lower-case) and `accounts`
    /// (`{"<number>|<sub-number>": record}`). For inspecting a test's end state, and for the
    /// conformance harness.
    pub fn snapshot(&self) -> Value {
        let g = self.shared.gateway();
        let customers: serde_json::Map<String, Value> = g
            .customers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let accounts: serde_json::Map<String, Value> = g
            .accounts
            .iter()
            .map(|((n, s), v)| (format!("{n}|{s}"), v.clone()))
            .collect();
        drop(g);
        serde_json::json!({
            "url": self.url,
            "requests": self.requests(),
            "customers": customers,
            "accounts": accounts,
        })
    }

    /// The synced account record.
    pub fn account(&self, account_number: &str, sub_account_number: Option<&str>) -> Option<Value> {
        let key = (
            account_number.to_owned(),
            sub_account_number.unwrap_or_default().to_owned(),
        );
        self.shared.gateway().accounts.get(&key).cloned()
    }

    /// How many connections it has accepted (also served as `GET /__mock/stats`, for a
    /// benchmark in another process).
    pub fn connections_accepted(&self) -> u64 {
        self.shared
            .connections
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many sessions were created.
    pub fn session_count(&self) -> usize {
        self.shared.gateway().sessions.len()
    }

    /// Moves the mock's clock forward (to see sessions expire). Past 100 years in all it is a
    /// `configuration_error` and the clock stays where it was.
    pub fn advance_clock(&self, by: Duration) -> Result<()> {
        if self.shared.gateway().advance(by) {
            Ok(())
        } else {
            Err(Error::configuration(
                "advance_clock: the mock's clock moves at most 100 years in all",
            ))
        }
    }

    /// Stops the gateway: the port is closed and open connections are dropped when this
    /// returns.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(proxy) = self.proxy.take() {
            proxy.send_replace(true);
        }
        if let Some(stop) = self.stop.take() {
            stop.stop();
        }
    }
}

/// A non-blocking listener on 127.0.0.1 (`port` 0: one the OS picks) and its port.
pub(crate) fn listen(port: u16) -> Result<(std::net::TcpListener, u16)> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|e| Error::configuration(format!("mock: cannot listen on 127.0.0.1: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::configuration(format!("mock: no local address: {e}")))?
        .port();
    Ok((listener, port))
}

impl Drop for MockGateway {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl crate::blocking::Builder {
    /// Points the client at a mock gateway (see [`ClientBuilder::mock`](crate::ClientBuilder::mock)).
    pub fn mock(self, gateway: &MockGateway) -> Self {
        self.with(|b| b.mock(gateway))
    }
}

impl crate::config::ClientBuilder {
    /// Points the client at a mock gateway: its URL, (unless a key was given) its key, and
    /// when it serves HTTPS, its CA among the trusted roots.
    pub fn mock(self, gateway: &MockGateway) -> Self {
        let mut b = self.base_url(gateway.url());
        if let Some(pem) = gateway.ca_pem() {
            b = b.ca_certificates(pem);
        }
        if b.has_api_key() {
            b
        } else {
            b.api_key(gateway.api_key())
        }
    }
}
