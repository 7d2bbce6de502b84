//! The `paystar._native` extension module: a thin pyo3 shim over the `paystar` core crate.
//! It converts values, moves core's shapes (`paystar::bridge`) onto the package's classes and
//! bridges async; every Paystar rule, option, attribute and log text is in core. The Python
//! package (`python/paystar`) re-exports it.

mod aio;
mod client;
mod convert;
mod mock;
mod shapes;
mod webhook;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The wire field paths of an operation's request (`Charges[].ClientAccount.Address.City`) with
/// whether each is required; lets the test suite keep the TypedDicts in step with core.
#[pyfunction]
fn _request_fields(operation: &str) -> PyResult<Vec<(String, bool)>> {
    let op = paystar::Operation::from_name(operation).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("unknown operation {operation}"))
    })?;
    Ok(paystar::models::input::field_paths(op))
}

/// Raises a sample error of `code` through the same mapping every call uses (for the test that
/// each code has its own class; `internal_error` cannot be caused through a real call).
#[pyfunction]
fn _raise_sample(py: Python<'_>, code: &str) -> PyResult<()> {
    let code = paystar::ErrorCode::from_str_code(code)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err(format!("unknown code {code}")))?;
    Err(shapes::to_pyerr(py, &paystar::bridge::sample_error(code)))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "ERROR_CODES",
        PyTuple::new(py, paystar::ErrorCode::ALL.iter().map(|c| c.as_str()))?,
    )?;
    m.add(
        "RULES",
        PyTuple::new(py, paystar::Rule::ALL.iter().map(|r| r.as_str()))?,
    )?;
    m.add(
        "OPERATIONS",
        PyTuple::new(py, paystar::Operation::ALL.iter().map(|o| o.name()))?,
    )?;
    m.add("MAX_DEPTH", paystar::bridge::MAX_DEPTH)?;
    m.add("DEFAULT_MOCK_API_KEY", paystar::mock::DEFAULT_MOCK_API_KEY)?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<mock::MockGateway>()?;
    m.add_class::<aio::Completions>()?;
    m.add_function(wrap_pyfunction!(_request_fields, m)?)?;
    m.add_function(wrap_pyfunction!(_raise_sample, m)?)?;
    m.add(
        "WEBHOOK_REASONS",
        PyTuple::new(
            py,
            paystar::webhook::WebhookReason::ALL
                .iter()
                .map(|r| r.as_str()),
        )?,
    )?;
    m.add(
        "WEBHOOK_SCHEMES",
        PyTuple::new(py, paystar::webhook::Scheme::ALL.iter().map(|s| s.as_str()))?,
    )?;
    m.add("MAX_WEBHOOK_BYTES", paystar::webhook::MAX_WEBHOOK_BYTES)?;
    m.add_class::<webhook::WebhookVerifier>()?;
    m.add_class::<webhook::MemoryStore>()?;
    m.add_function(wrap_pyfunction!(webhook::_webhook_after_claim, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::_claim_of_existing, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::_check_endpoint_step, m)?)?;
    m.add(
        "WEBHOOK_ANSWERS",
        convert::to_py(py, &paystar::bridge::webhook_answers())?,
    )?;
    m.add(
        "WEBHOOK_STORE",
        convert::to_py(py, &paystar::bridge::webhook_store_facts())?,
    )?;
    m.add_function(wrap_pyfunction!(webhook::_webhook_parse, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::_webhook_sign, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::_check_webhook_vector, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::_vector_body, m)?)?;
    Ok(())
}
