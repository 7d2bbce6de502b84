//! `paystar.testing.MockGateway`: core's in-process gateway (real HTTP on 127.0.0.1).

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use paystar::mock::{MockGateway as Core, MockOptions};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::convert::{self, to_py};
use crate::errors::py_err;

/// An in-process Paystar gateway on `127.0.0.1` (port 0): checks the key, validates, syncs
/// customers and accounts, issues session links, and can be scripted with faults. A context
/// manager; stops on `stop()`, on exit, or when collected.
#[pyclass(module = "paystar._native", name = "MockGateway", frozen)]
pub struct MockGateway {
    inner: Mutex<Option<Core>>,
    url: String,
    api_key: String,
}

impl MockGateway {
    fn with<T>(&self, py: Python<'_>, f: impl FnOnce(&Core) -> T) -> PyResult<T> {
        let guard: MutexGuard<'_, Option<Core>> =
            self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(core) => Ok(f(core)),
            None => Err(py_err(py)(paystar::Error::configuration(
                "this MockGateway is stopped",
            ))),
        }
    }
}

#[pymethods]
impl MockGateway {
    /// Starts a gateway accepting `api_key` (default `sk_mock_paystar_0000`); `seed` fixes its
    /// ids and random faults.
    #[new]
    #[pyo3(signature = (*, api_key = None, seed = None))]
    fn new(py: Python<'_>, api_key: Option<String>, seed: Option<u64>) -> PyResult<Self> {
        let mut options = MockOptions::default();
        if let Some(k) = api_key {
            options.api_key = k;
        }
        if let Some(s) = seed {
            options.seed = s;
        }
        let core = py
            .detach(|| Core::start_with(options))
            .map_err(py_err(py))?;
        Ok(MockGateway {
            url: core.url().to_owned(),
            api_key: core.api_key().to_owned(),
            inner: Mutex::new(Some(core)),
        })
    }

    /// The base URL (`http://127.0.0.1:<port>`): pass it as `base_url`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The API key this gateway accepts.
    #[getter]
    fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Queues faults, one per coming request, in order: a list of dicts such as
    /// `{"kind": "status", "status": 503, "retry_after": 1}`, `{"kind": "delay", "ms": 2000}`,
    /// `{"kind": "reset"}`; or `{"random": {"rate": 0.3, "seed": 7}}`.
    fn script(&self, py: Python<'_>, faults: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = convert::any(faults).map_err(py_err(py))?;
        self.with(py, |g| g.script_json(&value))?
            .map_err(py_err(py))
    }

    /// Forgets every queued fault.
    fn clear_script(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, Core::clear_script)
    }

    /// Every request received so far, oldest first, as dicts (`method`, `path`, `headers`
    /// with the key masked as `***`, `api_key_valid`, `body`, `received_ms`, `fault`,
    /// `connection`).
    #[getter]
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let requests = self.with(py, Core::requests)?;
        let value = serde_json::to_value(requests)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        to_py(py, &value)
    }

    /// The gateway's record of a customer, or `None`.
    fn customer<'py>(&self, py: Python<'py>, email: &str) -> PyResult<Bound<'py, PyAny>> {
        match self.with(py, |g| g.customer(email))? {
            Some(v) => to_py(py, &v),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// The gateway's record of an account, or `None`.
    #[pyo3(signature = (account_number, sub_account_number = None))]
    fn account<'py>(
        &self,
        py: Python<'py>,
        account_number: &str,
        sub_account_number: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.with(py, |g| g.account(account_number, sub_account_number))? {
            Some(v) => to_py(py, &v),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// How many sessions it has issued.
    #[getter]
    fn session_count(&self, py: Python<'_>) -> PyResult<usize> {
        self.with(py, Core::session_count)
    }

    /// Moves the gateway's clock forward (to expire links).
    fn advance_clock(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        let by = Duration::try_from_secs_f64(seconds)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        self.with(py, |g| g.advance_clock(by))
    }

    /// Stops the gateway (idempotent).
    fn stop(&self, py: Python<'_>) {
        let core = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(core) = core {
            py.detach(|| core.stop());
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) {
        self.stop(py);
    }

    fn __repr__(&self) -> String {
        let running = self
            .inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some();
        format!(
            "MockGateway(url={:?}, {})",
            self.url,
            if running { "running" } else { "stopped" }
        )
    }
}
