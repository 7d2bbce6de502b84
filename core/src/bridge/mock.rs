//! The mock gateway as the bindings hold it: shareable between threads, stoppable once, and
//! every method a typed error (never a panic) once it is stopped.

use std::sync::{Mutex, MutexGuard};

use serde_json::Value;

use super::{Dialect, TimeUnit};
use crate::error::{Error, Result};
use crate::mock::{MockGateway, MockOptions};

/// A [`MockGateway`] behind a lock, for bindings: `stop()` may come from any thread, and every
/// later call is a `configuration_error` ("this MockGateway is stopped").
#[derive(Debug)]
pub struct MockHandle {
    inner: Mutex<Option<MockGateway>>,
    url: String,
    api_key: String,
}

impl MockHandle {
    /// Starts a gateway on 127.0.0.1 (port 0). Options: `api_key`, `seed` (in the dialect's
    /// style); unknown names are refused with a hint.
    pub fn start(options: &Value, d: Dialect) -> Result<MockHandle> {
        let mut o = MockOptions::default();
        let map = match options {
            Value::Null => serde_json::Map::new(),
            Value::Object(map) => map.clone(),
            _ => return Err(Error::configuration("options: must be an object")),
        };
        let (key_name, seed_name) = (d.key("ApiKey"), d.key("Seed"));
        for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
            if *k == key_name {
                o.api_key = v
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Error::configuration(format!("{key_name}: must be a string")))?;
            } else if *k == seed_name {
                o.seed = v.as_u64().ok_or_else(|| {
                    Error::configuration(format!("{seed_name}: must be a whole number"))
                })?;
            } else {
                let known = [key_name.as_str(), seed_name.as_str()];
                let hint = crate::models::input::did_you_mean(k, known)
                    .map(|c| format!(" (did you mean {c}?)"))
                    .unwrap_or_default();
                return Err(Error::configuration(format!(
                    "{k}: is not a known option{hint}; known: {}",
                    known.join(", ")
                )));
            }
        }
        let gateway = MockGateway::start_with(o)?;
        Ok(MockHandle {
            url: gateway.url().to_owned(),
            api_key: gateway.api_key().to_owned(),
            inner: Mutex::new(Some(gateway)),
        })
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

    /// The problems of a conformance vector's outcome (see [`crate::mock::check_vector`]), for
    /// the vector runners of every language; empty when it passes.
    pub fn check_vector(
        &self,
        case: &Value,
        outcome: &Value,
        skip: usize,
        d: Dialect,
    ) -> Result<Vec<String>> {
        self.with(|g| Ok(crate::mock::check_vector(case, outcome, g, skip, d.case)))
    }

    /// Forgets the requests and sessions recorded so far.
    pub fn forget_requests(&self) -> Result<()> {
        self.with(|g| {
            g.forget_requests();
            Ok(())
        })
    }

    /// Starts the soak's faults (`mock::soak_faults`) at `rate` with `seed`.
    pub fn soak(&self, seed: u64, rate: f64) -> Result<()> {
        self.with(|g| {
            g.script_random(Some(crate::mock::soak_faults(seed, rate)));
            Ok(())
        })
    }

    /// Audits a soak's outcomes against this gateway's log (see [`crate::mock::audit_soak`]).
    pub fn audit_soak(&self, outcomes: &Value, max_retries: u32) -> Result<Value> {
        let outcomes = outcomes.as_array().map(Vec::as_slice).unwrap_or_default();
        self.with(|g| {
            Ok(crate::mock::audit_soak(
                outcomes,
                &g.requests(),
                max_retries,
            ))
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
