//! `paystar.webhooks`' native half: core's verifier, parser and signer, the endpoint's steps
//! and the in-memory dedupe store (`paystar::bridge`), with events handed to the package's
//! `WebhookEvent` class.

use paystar::bridge::{self, Dialect};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::{self, to_py};
use crate::shapes::py_err;

/// A `paystar.webhooks.WebhookEvent` from core's event value.
fn event<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    static FROM_VALUE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let f = FROM_VALUE.get_or_try_init(py, || {
        py.import("paystar.webhooks")?
            .getattr("_event_from_value")
            .map(Bound::unbind)
    })?;
    f.bind(py).call1((to_py(py, value)?,))
}

/// Core's webhook endpoint (`paystar::webhook::Endpoint`: a verifier, a lease and a done TTL);
/// the package's `paystar.webhooks.WebhookVerifier` wraps it. Its repr shows the scheme and
/// header names, never a secret.
#[pyclass(module = "paystar._native", name = "_WebhookVerifier", frozen)]
pub struct WebhookVerifier(paystar::webhook::Endpoint);

#[pymethods]
impl WebhookVerifier {
    /// `WebhookVerifier(scheme, secrets, *, header=None, encoding=None, timestamp_header=None,
    /// tolerance=300.0, lease=60.0, done_ttl=604800.0)`: `secrets` is one secret or a list
    /// (rotation); durations in seconds.
    #[new]
    #[pyo3(signature = (scheme, secrets, **options))]
    fn new(
        py: Python<'_>,
        scheme: &Bound<'_, PyAny>,
        secrets: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let all = PyDict::new(py);
        if let Some(o) = options {
            all.update(o.as_mapping())?;
        }
        all.set_item("scheme", scheme)?;
        all.set_item("secrets", secrets)?;
        let options = convert::options(Some(all.as_any())).map_err(py_err(py))?;
        bridge::guard(|| bridge::webhook_endpoint(&options, Dialect::PYTHON))
            .map(WebhookVerifier)
            .map_err(py_err(py))
    }

    /// Authenticates `body` (the raw bytes) against `headers` (a dict, or a list of
    /// `(name, value)` pairs), then parses it; raises `paystar.WebhookError`. `now` (Unix
    /// seconds) is for tests.
    #[pyo3(signature = (body, headers, *, now = None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        body: &[u8],
        headers: &Bound<'_, PyAny>,
        now: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let headers = convert::value(Some(headers)).map_err(py_err(py))?;
        let value = py
            .detach(|| {
                bridge::guard(|| {
                    bridge::webhook_verify(self.0.verifier(), body, &headers, now, Dialect::PYTHON)
                })
            })
            .map_err(py_err(py))?;
        event(py, &value)
    }

    /// The endpoint's first step: `{"refused": {"answer", "error"}}` (the error a
    /// `paystar.WebhookError`) or `{"delivery": {"event", "store_key", "lease", "done_ttl"}}`
    /// (the event a `paystar.webhooks.WebhookEvent`, durations in seconds).
    #[pyo3(signature = (body, headers, *, now = None))]
    fn receive<'py>(
        &self,
        py: Python<'py>,
        body: &[u8],
        headers: &Bound<'_, PyAny>,
        now: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let headers = convert::value(Some(headers)).map_err(py_err(py))?;
        let mut step = py
            .detach(|| {
                bridge::guard(|| {
                    bridge::webhook_receive(&self.0, body, &headers, now, Dialect::PYTHON)
                })
            })
            .map_err(py_err(py))?;
        if let Some(refused) = step.get_mut("refused") {
            let error = refused["error"].take();
            let out = to_py(py, &step)?;
            let exception = crate::shapes::error_from_value(py, &error)?;
            out.get_item("refused")?.set_item("error", exception)?;
            return Ok(out);
        }
        let event_value = step["delivery"]["event"].take();
        let out = to_py(py, &step)?;
        out.get_item("delivery")?
            .set_item("event", event(py, &event_value)?)?;
        Ok(out)
    }

    /// The endpoint's last step: `{"store": "complete" | "release", "ttl", "answer"}` for a
    /// handler that `raised`, or returned a response with `status` (`None`: no response).
    #[pyo3(signature = (raised, status = None))]
    fn settle<'py>(
        &self,
        py: Python<'py>,
        raised: bool,
        status: Option<u16>,
    ) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &bridge::webhook_settle(&self.0, raised, status, Dialect::PYTHON),
        )
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.0.verifier().scheme().as_str()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0.verifier())
    }
}

/// The endpoint's middle step: the answer for a store's claim (`claimed`, `in_progress`,
/// `done`), or `None` to run the handler.
#[pyfunction]
pub fn _webhook_after_claim<'py>(py: Python<'py>, claim: &str) -> PyResult<Bound<'py, PyAny>> {
    let answer = bridge::webhook_after_claim(claim).map_err(py_err(py))?;
    to_py(py, &answer)
}

/// A shared store's claim when its atomic add failed, from the value it holds for the key.
#[pyfunction]
#[pyo3(signature = (stored))]
pub fn _claim_of_existing(stored: Option<&str>) -> &'static str {
    bridge::claim_of_existing(stored)
}

/// Core's in-memory dedupe store (`paystar.webhooks.MemoryStore` wraps it); seconds.
#[pyclass(module = "paystar._native", name = "_MemoryStore", frozen)]
pub struct MemoryStore(bridge::MemoryStoreHandle);

#[pymethods]
impl MemoryStore {
    #[new]
    fn new() -> Self {
        MemoryStore(bridge::MemoryStoreHandle::new())
    }

    fn claim(&self, py: Python<'_>, key: &str, lease: f64) -> PyResult<&'static str> {
        self.0
            .claim(key, lease, Dialect::PYTHON)
            .map_err(py_err(py))
    }

    fn complete(&self, py: Python<'_>, key: &str, ttl: f64) -> PyResult<()> {
        self.0
            .complete(key, ttl, Dialect::PYTHON)
            .map_err(py_err(py))
    }

    fn release(&self, key: &str) {
        self.0.release(key);
    }

    fn state(&self, key: &str) -> Option<&'static str> {
        self.0.state(key)
    }

    fn advance(&self, py: Python<'_>, seconds: f64) -> PyResult<()> {
        self.0.advance(seconds, Dialect::PYTHON).map_err(py_err(py))
    }
}

/// Parses a body without authentication (`paystar.webhooks.parse`).
#[pyfunction]
pub fn _webhook_parse<'py>(py: Python<'py>, body: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let value =
        bridge::guard(|| bridge::webhook_parse(body, Dialect::PYTHON)).map_err(py_err(py))?;
    event(py, &value)
}

/// The headers a sender attaches (`paystar.webhooks.sign`).
#[pyfunction]
#[pyo3(signature = (body, **options))]
pub fn _webhook_sign<'py>(
    py: Python<'py>,
    body: &[u8],
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = convert::options(options.map(|o| o.as_any())).map_err(py_err(py))?;
    let headers = bridge::guard(|| bridge::webhook_sign(body, &options, Dialect::PYTHON))
        .map_err(py_err(py))?;
    to_py(py, &headers)
}
