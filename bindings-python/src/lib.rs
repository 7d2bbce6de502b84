//! The `paystar._native` extension module: a thin pyo3 shim over the `paystar` core crate.
//! It converts types and errors, bridges async and logging, and nothing else; every Paystar
//! rule is in core. The Python package (`python/paystar`) re-exports it.

mod client;
mod convert;
mod errors;
mod logging;
mod mock;
mod session;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Every core error code, for the test that each maps to its exception class.
fn error_codes(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    PyTuple::new(py, paystar::ErrorCode::ALL.iter().map(|c| c.as_str()))
}

/// The wire field paths of an operation's request (`Charges[].ClientAccount.Address.City`) with
/// whether each is required; lets the test suite keep the `.pyi` TypedDicts in step with core.
#[pyfunction]
fn _request_fields(operation: &str) -> PyResult<Vec<(String, bool)>> {
    let op = paystar::Operation::from_name(operation).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("unknown operation {operation}"))
    })?;
    Ok(paystar::models::input::field_paths(op))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ERROR_CODES", error_codes(py)?)?;
    m.add(
        "OPERATIONS",
        PyTuple::new(py, paystar::Operation::ALL.iter().map(|o| o.name()))?,
    )?;
    m.add("DEFAULT_MOCK_API_KEY", paystar::mock::DEFAULT_MOCK_API_KEY)?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<session::Session>()?;
    m.add_class::<mock::MockGateway>()?;
    m.add_function(wrap_pyfunction!(_request_fields, m)?)?;
    Ok(())
}
