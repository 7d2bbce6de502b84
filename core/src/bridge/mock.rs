//! The mock gateway as the bindings hold it: shareable between threads, stoppable once, and
//! every method a typed error (never a panic) once it is stopped.

use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

use super::options::{Reader, known};
use super::records::CompletionRecord;
use super::{Dialect, TimeUnit};
use crate::error::{Error, Result};
use crate::mock::{MockGateway, MockOptions, MockTls, MockWebhook, NetworkFaults};
use crate::webhook::{Scheme, SignOptions, SignatureEncoding};

/// Every option of a mock gateway.
pub const MOCK_OPTIONS: &[&str] = &["ApiKey", "Seed", "Webhook", "Tls", "Latency", "Network"];

/// Every option of the mock's fault proxy ([`NetworkFaults`]): durations in the dialect's
/// unit, shares from 0 to 1.
pub const MOCK_NETWORK_OPTIONS: &[&str] = &[
    "Seed",
    "Latency",
    "Jitter",
    "BytesPerSecond",
    "Slice",
    "CutRequest",
    "CutResponse",
    "Stall",
];

fn network(options: &Value, d: Dialect) -> Result<NetworkFaults> {
    let r = Reader { d };
    let mut n = NetworkFaults::default();
    let share = |wire: &str, v: &Value| {
        v.as_f64()
            .filter(|s| (0.0..=1.0).contains(s))
            .ok_or_else(|| r.bad(wire, "must be a share from 0 to 1".into()))
    };
    for (wire, v) in known(options, MOCK_NETWORK_OPTIONS, d)? {
        match wire {
            "Seed" => n.seed = r.count(wire, v, 0, u64::MAX)?,
            "Latency" => n.latency = r.duration(wire, v)?,
            "Jitter" => n.jitter = r.duration(wire, v)?,
            "BytesPerSecond" => n.bytes_per_second = r.count(wire, v, 0, u64::MAX)?,
            "Slice" => {
                n.slice = usize::try_from(r.count(wire, v, 0, 65_536)?).unwrap_or(65_536);
            }
            "CutRequest" => n.cut_request = share(wire, v)?,
            "CutResponse" => n.cut_response = share(wire, v)?,
            "Stall" => n.stall = share(wire, v)?,
            _ => {}
        }
    }
    n.check()?;
    Ok(n)
}

/// Every option of the mock's webhook deliveries: where (`Url`), how many extra times
/// (`Redeliveries`), and the signing options of [`webhook_sign`](super::webhook_sign) (bar
/// `Timestamp`, which is the mock's clock, and `Id`).
pub const MOCK_WEBHOOK_OPTIONS: &[&str] = &[
    "Url",
    "Scheme",
    "Secret",
    "Header",
    "Encoding",
    "TimestampHeader",
    "Redeliveries",
];

fn webhook(options: &Value, d: Dialect) -> Result<MockWebhook> {
    let r = Reader { d };
    let given = known(options, MOCK_WEBHOOK_OPTIONS, d)?;
    let get = |wire: &str| given.iter().find(|(w, _)| *w == wire).map(|(_, v)| *v);
    let need = |wire: &str| get(wire).ok_or_else(|| r.bad(wire, "is required".into()));
    let url = r.text("Url", need("Url")?)?;
    let scheme = r.text("Scheme", need("Scheme")?)?;
    let scheme = Scheme::from_name(&scheme).ok_or_else(|| {
        r.bad(
            "Scheme",
            "must be shared_secret, hmac_sha256 or standard_webhooks".into(),
        )
    })?;
    let mut sign = SignOptions::new(scheme, r.text("Secret", need("Secret")?)?);
    sign.header = get("Header").map(|v| r.text("Header", v)).transpose()?;
    sign.timestamp_header = get("TimestampHeader")
        .map(|v| r.text("TimestampHeader", v))
        .transpose()?;
    if let Some(v) = get("Encoding") {
        sign.encoding = SignatureEncoding::from_name(&r.text("Encoding", v)?)
            .ok_or_else(|| r.bad("Encoding", "must be hex or base64".into()))?;
    }
    // Checked now, not at the first delivery.
    crate::webhook::sign(b"{}", &sign)?;
    let redeliveries = match get("Redeliveries") {
        Some(v) => u32::try_from(r.integer("Redeliveries", v)?)
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| {
                r.bad(
                    "Redeliveries",
                    "must be a whole number from 0 to 100".into(),
                )
            })?,
        None => 0,
    };
    Ok(MockWebhook {
        url,
        sign,
        redeliveries,
    })
}

/// A [`MockGateway`] behind a lock, for bindings: `stop()` may come from any thread, and every
/// later call is a `configuration_error` ("this MockGateway is stopped").
#[derive(Debug)]
pub struct MockHandle {
    inner: Mutex<Option<MockGateway>>,
    url: String,
    api_key: String,
    ca_pem: Option<String>,
}

impl MockHandle {
    /// Starts a gateway on 127.0.0.1 (port 0). Options ([`MOCK_OPTIONS`]): `api_key`, `seed`,
    /// `webhook` (see [`set_webhook`](Self::set_webhook)), `tls` (`true`, or `"http1"` /
    /// `"expired"`: HTTPS on `https://localhost:<port>`, its CA in [`ca_pem`](Self::ca_pem)) and
    /// `latency` (added before every answer, in the dialect's unit) and `network` (faults below
    /// HTTP from a proxy in front, `MOCK_NETWORK_OPTIONS`), in the dialect's style;
    /// unknown names are refused with a hint.
    pub fn start(options: &Value, d: Dialect) -> Result<MockHandle> {
        let r = Reader { d };
        let mut o = MockOptions::default();
        for (wire, v) in known(options, MOCK_OPTIONS, d)? {
            match wire {
                "ApiKey" => o.api_key = r.text(wire, v)?,
                "Seed" => {
                    o.seed = Some(r.integer(wire, v).and_then(|s| {
                        u64::try_from(s).map_err(|_| r.bad(wire, "must not be negative".into()))
                    })?)
                }
                "Webhook" => o.webhook = Some(webhook(v, d)?),
                "Tls" => {
                    o.tls = match v {
                        Value::Bool(on) => on.then_some(MockTls::On),
                        Value::String(name) => Some(MockTls::from_name(name).ok_or_else(|| {
                            r.bad(wire, "must be true, false, \"http1\" or \"expired\"".into())
                        })?),
                        _ => {
                            return Err(r.bad(
                                wire,
                                "must be true, false, \"http1\" or \"expired\"".into(),
                            ));
                        }
                    }
                }
                "Latency" => o.latency = r.duration(wire, v)?,
                "Network" => o.network = Some(network(v, d)?),
                _ => {}
            }
        }
        let gateway = MockGateway::start_with(o)?;
        Ok(MockHandle {
            url: gateway.url().to_owned(),
            api_key: gateway.api_key().to_owned(),
            ca_pem: gateway.ca_pem().map(str::to_owned),
            inner: Mutex::new(Some(gateway)),
        })
    }

    /// The PEM of the CA of a gateway started with `tls`, else `None`.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Option<MockGateway>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with<T>(&self, f: impl FnOnce(&MockGateway) -> Result<T>) -> Result<T> {
        match self.lock().as_ref() {
            Some(g) => f(g),
            None => Err(Error::configuration("this MockGateway is stopped")),
        }
    }

    /// Where completed sessions' webhooks go: options as [`MOCK_WEBHOOK_OPTIONS`] lists them,
    /// or `null` for nowhere.
    pub fn set_webhook(&self, options: &Value, d: Dialect) -> Result<()> {
        let target = match options {
            Value::Null => None,
            o => Some(webhook(o, d)?),
        };
        self.with(|g| {
            g.set_webhook(target);
            Ok(())
        })
    }

    /// Completes a session (its id or URL) and delivers its webhook, blocking the calling
    /// thread (never a runtime thread) until every delivery is done; the gateway's lock is not
    /// held meanwhile, so the receiving server may use this mock.
    /// Python and Node take its value with [`to_value`](super::records::to_value).
    pub fn complete(&self, session: &str) -> Result<CompletionRecord> {
        crate::runtime::block_on(self.complete_future(session)?)?
    }

    /// [`complete`](Self::complete) as a future for async bindings (Node), holding no lock.
    pub fn complete_future(
        &self,
        session: &str,
    ) -> Result<impl std::future::Future<Output = Result<CompletionRecord>> + Send + use<>> {
        let pending = self.with(|g| Ok(g.complete_async(session)))?;
        Ok(async move { pending.await.map(|done| CompletionRecord::of(&done)) })
    }

    /// The base URL (`http://127.0.0.1:<port>`), also after it stopped.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The API key it accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Whether it still runs.
    pub fn is_running(&self) -> bool {
        self.lock().is_some()
    }

    /// Queues faults (see [`MockGateway::script_json`]).
    pub fn script(&self, faults: &Value) -> Result<()> {
        self.with(|g| g.script_json(faults))
    }

    /// Forgets queued faults.
    pub fn clear_script(&self) -> Result<()> {
        self.with(|g| {
            g.clear_script();
            Ok(())
        })
    }

    /// Every request received, oldest first (the key masked), as JSON.
    pub fn requests(&self) -> Result<Value> {
        self.with(|g| {
            serde_json::to_value(g.requests()).map_err(|e| Error::internal(e.to_string()))
        })
    }

    /// The gateway's record of a customer, or `null`.
    pub fn customer(&self, email: &str) -> Result<Value> {
        self.with(|g| Ok(g.customer(email).unwrap_or(Value::Null)))
    }

    /// The gateway's record of an account, or `null`.
    pub fn account(&self, number: &str, sub: Option<&str>) -> Result<Value> {
        self.with(|g| Ok(g.account(number, sub).unwrap_or(Value::Null)))
    }

    /// How many sessions it has issued.
    pub fn session_count(&self) -> Result<u64> {
        self.with(|g| Ok(u64::try_from(g.session_count()).unwrap_or(u64::MAX)))
    }

    /// Moves its clock forward by `amount` in the dialect's unit. A negative, non-finite or
    /// too large amount is a `configuration_error`; the clock never overflows.
    pub fn advance_clock(&self, amount: f64, d: Dialect) -> Result<()> {
        let unit = match d.time {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Milliseconds => "milliseconds",
        };
        let by = std::time::Duration::try_from_secs_f64(amount * d.time.secs()).map_err(|_| {
            Error::configuration(format!(
                "advance_clock: must be a non-negative, finite number of {unit} (got {amount})"
            ))
        })?;
        self.with(|g| g.advance_clock(by))
    }

    /// Everything the gateway holds (see [`MockGateway::snapshot`](crate::mock::MockGateway::snapshot)).
    pub fn snapshot(&self) -> Result<Value> {
        self.with(|g| Ok(g.snapshot()))
    }

    /// Forgets the requests and sessions recorded so far.
    pub fn forget_requests(&self) -> Result<()> {
        self.with(|g| {
            g.forget_requests();
            Ok(())
        })
    }

    /// Stops it (idempotent); the port is closed when this returns.
    pub fn stop(&self) {
        let gateway = self.lock().take();
        if let Some(g) = gateway {
            g.stop();
        }
    }

    /// `MockGateway(url="http://127.0.0.1:1234", running)`.
    pub fn describe(&self) -> String {
        let state = if self.is_running() {
            "running"
        } else {
            "stopped"
        };
        format!("MockGateway(url={:?}, {state})", self.url)
    }
}
