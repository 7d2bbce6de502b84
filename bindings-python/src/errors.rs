//! `paystar::Error` -> the `paystar.PaystarError` subclass for its code (classes live in
//! `paystar/_errors.py`, so they can also subclass the builtin `TimeoutError` and
//! `ConnectionError`).

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};

use crate::convert::to_py;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    ERRORS
        .get_or_try_init(py, || py.import("paystar._errors").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// Converts a core error into the Python exception for its code, with every attribute set.
pub fn to_pyerr(py: Python<'_>, error: &paystar::Error) -> PyErr {
    match build(py, error) {
        Ok(exception) => PyErr::from_value(exception),
        Err(e) => e,
    }
}

fn build<'py>(py: Python<'py>, error: &paystar::Error) -> PyResult<Bound<'py, PyAny>> {
    let module = errors_module(py)?;
    let class = module
        .getattr("_BY_CODE")?
        .get_item(error.code().as_str())?;
    let field_error = module.getattr("FieldError")?;
    let field_errors = PyList::empty(py);
    for f in error.field_errors() {
        field_errors.append(field_error.call1((&f.path, &f.rule, &f.message))?)?;
    }
    let api_error = module.getattr("GatewayError")?;
    let api_errors = PyList::empty(py);
    for a in error.api_errors() {
        api_errors.append(api_error.call1((
            a.property_name.as_deref(),
            &a.error_message,
            to_py(py, &a.raw)?,
        ))?)?;
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", error.code().as_str())?;
    kwargs.set_item("status", error.status())?;
    kwargs.set_item("field_errors", field_errors.to_tuple())?;
    kwargs.set_item("api_errors", api_errors.to_tuple())?;
    kwargs.set_item("attempts", error.attempts())?;
    kwargs.set_item("ambiguous", error.ambiguous())?;
    kwargs.set_item("retry_after", error.retry_after().map(|d| d.as_secs_f64()))?;
    kwargs.set_item("request_id", error.request_id())?;
    class.call((error.message(),), Some(&kwargs))
}

/// Extension: `result.map_err(py_err(py))`.
pub fn py_err(py: Python<'_>) -> impl Fn(paystar::Error) -> PyErr + '_ {
    move |e| to_pyerr(py, &e)
}
