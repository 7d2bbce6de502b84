//! Python values <-> JSON. Only conversion: every rule about the values is core's.

use paystar::FieldError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Converts a request (a dict of snake_case keys, nested dicts and lists) into JSON. Anything
/// else is passed on for core to refuse ("the request must be an object").
///
/// Values JSON cannot carry (a `Decimal`, a NaN, a set) are reported together as one
/// `validation_error`, with wire paths like core's (`Charges[0].Amount`). An integer too large
/// for 64 bits becomes a float, which core refuses as not being whole cents, so no number is
/// ever silently changed. `datetime` and `date` values become ISO 8601 strings.
pub fn request(input: Option<&Bound<'_, PyAny>>) -> Result<Value, paystar::Error> {
    let mut problems = Vec::new();
    let value = match input {
        None => Value::Object(Map::new()),
        Some(d) => to_json(d, "", &mut problems),
    };
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(paystar::Error::validation(problems))
    }
}

/// Converts any Python value into JSON (for mock scripts), with the same rules as [`request`].
pub fn any(obj: &Bound<'_, PyAny>) -> Result<Value, paystar::Error> {
    let mut problems = Vec::new();
    let value = to_json(obj, "", &mut problems);
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(paystar::Error::validation(problems))
    }
}

fn to_json(obj: &Bound<'_, PyAny>, path: &str, problems: &mut Vec<FieldError>) -> Value {
    let bad = |problems: &mut Vec<FieldError>, message: String| {
        problems.push(FieldError {
            path: path.to_owned(),
            rule: "type".into(),
            message,
        });
        Value::Null
    };
    if obj.is_none() {
        Value::Null
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Value::Bool(b.is_true())
    } else if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            Value::from(i)
        } else if let Ok(u) = obj.extract::<u64>() {
            Value::from(u)
        } else {
            match obj.extract::<f64>().ok().and_then(Number::from_f64) {
                Some(n) => Value::Number(n),
                None => bad(problems, "is an integer too large to send".into()),
            }
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        match Number::from_f64(f.value()) {
            Some(n) => Value::Number(n),
            None => bad(
                problems,
                format!("must be a finite number (got {})", f.value()),
            ),
        }
    } else if let Ok(s) = obj.cast::<PyString>() {
        match s.to_cow() {
            Ok(s) => Value::String(s.into_owned()),
            Err(_) => bad(problems, "is not valid UTF-8 text".into()),
        }
    } else if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.extract::<String>() else {
                bad(
                    problems,
                    format!("has a key that is not a string ({})", type_name(&k)),
                );
                continue;
            };
            let at = join(path, &key);
            map.insert(key, to_json(&v, &at, problems));
        }
        Value::Object(map)
    } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        if let Ok(iter) = obj.try_iter() {
            for (i, item) in iter.enumerate() {
                match item {
                    Ok(item) => items.push(to_json(&item, &format!("{path}[{i}]"), problems)),
                    Err(e) => return bad(problems, e.to_string()),
                }
            }
        }
        Value::Array(items)
    } else if is_date(obj) {
        match obj
            .call_method0("isoformat")
            .and_then(|s| s.extract::<String>())
        {
            Ok(s) => Value::String(s),
            Err(e) => bad(problems, e.to_string()),
        }
    } else {
        bad(
            problems,
            format!(
                "has an unsupported type {} (amounts are integer cents)",
                type_name(obj)
            ),
        )
    }
}

/// `Charges[0]` + `client_account` -> `Charges[0].ClientAccount`: paths use wire names in every
/// language, as core's do.
fn join(path: &str, key: &str) -> String {
    let wire: String = key
        .split('_')
        .map(|part| {
            let mut c = part.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    if path.is_empty() {
        wire
    } else {
        format!("{path}.{wire}")
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

fn is_date(obj: &Bound<'_, PyAny>) -> bool {
    static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = obj.py();
    DATE.get_or_try_init(py, || {
        py.import("datetime")?.getattr("date").map(Bound::unbind)
    })
    .is_ok_and(|date| obj.is_instance(date.bind(py)).unwrap_or(false))
}

/// Converts JSON into Python objects (dicts, lists, str, int, float, bool, None).
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
