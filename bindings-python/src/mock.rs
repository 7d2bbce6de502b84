//! `paystar.testing.MockGateway`: core's mock handle (`paystar::bridge::MockHandle`), moved
//! into Python.

use paystar::bridge::{self, Dialect, MockHandle};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::{self, to_py};
use crate::shapes::py_err;

/// An in-process Paystar gateway on `127.0.0.1` (port 0): checks the key, validates, syncs
/// customers and accounts, issues session links, and can be scripted with faults. A context
/// manager; stops on `stop()`, on exit, or when collected.
#[pyclass(module = "paystar._native", name = "MockGateway", frozen)]
pub struct MockGateway(MockHandle);

/// Runs a handle method: a `paystar` error (or a panic, as `internal_error`) is raised as its
/// Python class.
fn run<T>(py: Python<'_>, f: impl FnOnce() -> paystar::Result<T>) -> PyResult<T> {
    bridge::guard(f).map_err(py_err(py))
}

fn json<'py>(
    py: Python<'py>,
    v: paystar::Result<serde_json::Value>,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &run(py, || v)?)
}

#[pymethods]
impl MockGateway {
    /// Starts a gateway; options `api_key` (default `sk_mock_paystar_0000`) and `seed` (fixes
    /// its ids and random faults).
    #[new]
    #[pyo3(signature = (**options))]
    fn new(py: Python<'_>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let options = convert::options(options.map(|o| o.as_any())).map_err(py_err(py))?;
        py.detach(|| bridge::guard(|| MockHandle::start(&options, Dialect::PYTHON)))
            .map(MockGateway)
            .map_err(py_err(py))
    }

    /// The base URL (`http://127.0.0.1:<port>`): pass it as `base_url`.
    #[getter]
    fn url(&self) -> &str {
        self.0.url()
    }

    /// The PEM of the CA that signed this gateway's certificate (``tls=True``), else ``None``:
    /// give it to a client as ``ca_certificates``.
    #[getter]
    fn ca_pem(&self) -> Option<&str> {
        self.0.ca_pem()
    }

    /// The API key this gateway accepts.
    #[getter]
    fn api_key(&self) -> &str {
        self.0.api_key()
    }

    /// Queues faults, one per coming request, in order: a list of dicts such as
    /// `{"kind": "status", "status": 503, "retry_after": "1"}`, `{"kind": "delay", "ms": 2000}`,
    /// `{"kind": "reset"}`; or `{"random": {"rate": 0.3, "seed": 7}}`.
    fn script(&self, py: Python<'_>, faults: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = convert::value(Some(faults)).map_err(py_err(py))?;
        run(py, || self.0.script(&value))
    }

    /// Forgets every queued fault.
    fn clear_script(&self, py: Python<'_>) -> PyResult<()> {
        run(py, || self.0.clear_script())
    }

    /// Every request received so far, oldest first, as dicts (`method`, `path`, `headers`
    /// with the key masked as `***`, `api_key_valid`, `body`, `received_ms`, `fault`,
    /// `connection`).
    #[getter]
    fn requests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json(py, self.0.requests())
    }

    /// The gateway's record of a customer, or `None`.
    fn customer<'py>(&self, py: Python<'py>, email: &str) -> PyResult<Bound<'py, PyAny>> {
        json(py, self.0.customer(email))
    }

    /// The gateway's record of an account, or `None`.
    #[pyo3(signature = (account_number, sub_account_number = None))]
    fn account<'py>(
        &self,
        py: Python<'py>,
        account_number: &str,
        sub_account_number: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        json(py, self.0.account(account_number, sub_account_number))
    }

    /// How many sessions it has issued.
    #[getter]
    fn session_count(&self, py: Python<'_>) -> PyResult<u64> {
        run(py, || self.0.session_count())
    }

    /// Moves the gateway's clock forward by `seconds` (to expire links); at most 100 years in
    /// all, else `ConfigurationError`.
    fn advance_clock(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        run(py, || self.0.advance_clock(seconds, Dialect::PYTHON))
    }

    /// Everything the gateway holds: `url`, `requests`, `customers`, `accounts`.
    fn snapshot<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json(py, self.0.snapshot())
    }

    /// Forgets the requests and sessions recorded so far (a long-running mock); customers and
    /// accounts stay.
    fn forget_requests(&self, py: Python<'_>) -> PyResult<()> {
        run(py, || self.0.forget_requests())
    }

    /// Where completed sessions' webhooks go: `set_webhook(url, scheme=..., secret=...,
    /// header=None, encoding=None, timestamp_header=None, redeliveries=0)`, or
    /// `set_webhook(None)` for nowhere.
    #[pyo3(signature = (url, **options))]
    fn set_webhook(
        &self,
        py: Python<'_>,
        url: Option<&str>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let value = match url {
            None => serde_json::Value::Null,
            Some(url) => {
                let mut v = convert::options(options.map(|o| o.as_any())).map_err(py_err(py))?;
                if let Some(map) = v.as_object_mut() {
                    map.insert("url".into(), url.into());
                }
                v
            }
        };
        run(py, || self.0.set_webhook(&value, Dialect::PYTHON))
    }

    /// Completes a session (a `Session`, its id or its URL) as the customer would on its page
    /// and delivers its webhook; returns what happened (`event`, `body`, `reference_number`,
    /// `deliveries`, ...). Releases the GIL meanwhile, so a server in this process (Django's
    /// live server) can receive the delivery.
    fn complete<'py>(
        &self,
        py: Python<'py>,
        session: &Bound<'_, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = match session.extract::<String>() {
            Ok(s) => s,
            Err(_) => session.getattr("url")?.extract::<String>()?,
        };
        let done = py.detach(|| {
            bridge::guard(|| {
                let record = self.0.complete(&text)?;
                Ok(bridge::records::to_value(&record, Dialect::PYTHON))
            })
        });
        json(py, done)
    }

    /// Stops the gateway (idempotent).
    fn stop(&self, py: Python<'_>) {
        py.detach(|| self.0.stop());
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, PyTuple>) {
        self.stop(py);
    }

    fn __repr__(&self) -> String {
        self.0.describe()
    }
}
