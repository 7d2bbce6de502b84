//! `paystar.Session`: the result of every operation.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::to_py;

/// A created session: give `url` to the page, which opens it with Paystar's loader.
#[pyclass(module = "paystar._native", name = "Session", frozen)]
pub struct Session(pub paystar::Session);

#[pymethods]
impl Session {
    /// `"payment"`, `"autopay"`, `"wallet"`, `"paperless"` or `"notification"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }

    /// The payment session id (payments), or `None` when the gateway sent none.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.0.id.as_deref()
    }

    /// The short-lived session URL.
    #[getter]
    fn url(&self) -> &str {
        &self.0.url
    }

    /// The gateway's status string, when sent.
    #[getter]
    fn status(&self) -> Option<&str> {
        self.0.status.as_deref()
    }

    /// When the link stops working (a timezone-aware UTC `datetime`).
    #[getter]
    fn expires_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.0.expires_at)
    }

    /// The gateway's `data` object as received (a fresh dict on every access).
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &serde_json::Value::Object(self.0.raw.clone()))
    }

    /// How many HTTP attempts the call took.
    #[getter]
    fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// The gateway's request id (`X-Request-Id`), when sent.
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The Paystar.js loader function that opens this session (`completePayment` or
    /// `startFlow`).
    #[getter]
    fn loader_call(&self) -> &'static str {
        self.0.kind.loader_call()
    }

    /// A JSON-ready dict (`expires_at` as an RFC 3339 string), for handing to a page.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(&self.0)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        to_py(py, &value)
    }

    fn __repr__(&self) -> String {
        let s = &self.0;
        let expires = s
            .expires_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        format!(
            "Session(kind={:?}, id={}, url={:?}, status={}, expires_at={:?}, attempts={}, request_id={})",
            s.kind.as_str(),
            opt(s.id.as_deref()),
            s.url,
            opt(s.status.as_deref()),
            expires,
            s.attempts,
            opt(s.request_id.as_deref()),
        )
    }
}

fn opt(v: Option<&str>) -> String {
    v.map_or_else(|| "None".into(), |s| format!("{s:?}"))
}

/// An aware UTC `datetime` (built through the `datetime` module: abi3 has no C datetime API).
pub fn datetime(py: Python<'_>, at: time::OffsetDateTime) -> PyResult<Bound<'_, PyAny>> {
    static PARTS: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    let (class, utc) = PARTS.get_or_try_init(py, || -> PyResult<_> {
        let m = py.import("datetime")?;
        let utc = m.getattr("timezone")?.getattr("utc")?;
        Ok((m.getattr("datetime")?.unbind(), utc.unbind()))
    })?;
    let at = at.to_offset(time::UtcOffset::UTC);
    let kwargs = PyDict::new(py);
    kwargs.set_item("tzinfo", utc.bind(py))?;
    class.bind(py).call(
        (
            at.year(),
            u8::from(at.month()),
            at.day(),
            at.hour(),
            at.minute(),
            at.second(),
            at.microsecond(),
        ),
        Some(&kwargs),
    )
}
