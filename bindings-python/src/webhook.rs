//! `paystar.webhooks`' native half: core's verifier, parser and signer (`paystar::bridge`),
//! with events handed to the package's `WebhookEvent` class.

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

/// Core's webhook verifier (`paystar::webhook::WebhookVerifier`); the package's
/// `paystar.webhooks.WebhookVerifier` wraps it. Its repr shows the scheme and header
/// names, never a secret.
#[pyclass(module = "paystar._native", name = "_WebhookVerifier", frozen)]
pub struct WebhookVerifier(paystar::webhook::WebhookVerifier);

#[pymethods]
impl WebhookVerifier {
    /// `WebhookVerifier(scheme, secrets, *, header=None, encoding=None, timestamp_header=None,
    /// tolerance=300.0)`: `secrets` is one secret or a list (rotation); `tolerance` in seconds.
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
        bridge::guard(|| bridge::webhook_verifier(&options, Dialect::PYTHON))
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
                    bridge::webhook_verify(&self.0, body, &headers, now, Dialect::PYTHON)
                })
            })
            .map_err(py_err(py))?;
        event(py, &value)
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.0.scheme().as_str()
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.0)
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

/// The problems of a webhook vector's outcome (for the vector runner).
#[pyfunction]
pub fn _check_webhook_vector(
    py: Python<'_>,
    case: &Bound<'_, PyAny>,
    outcome: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    let case = convert::value(Some(case)).map_err(py_err(py))?;
    let outcome = convert::value(Some(outcome)).map_err(py_err(py))?;
    Ok(bridge::check_webhook_vector(&case, &outcome))
}

/// A vector's body bytes (for the vector runner).
#[pyfunction]
pub fn _vector_body(py: Python<'_>, case: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let case = convert::value(Some(case)).map_err(py_err(py))?;
    Ok(bridge::vector_body(&case))
}
