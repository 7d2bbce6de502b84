//! Python values <-> JSON. Only conversion: every rule about the values is core's, and so are
//! the limits and the errors a conversion reports (`paystar::bridge`).

use paystar::FieldError;
use paystar::bridge::{MAX_DEPTH, child_path, converted, converted_options, not_json, too_deep};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Converts a Python value (dicts with string keys, lists, tuples, str, int, float, bool, None,
/// `datetime`/`date`) into JSON, with paths in wire names (`Charges[0].Amount`).
///
/// What JSON cannot carry (a `Decimal`, a NaN, a set, an object) is reported, all at once, as
/// one `validation_error`; so is nesting deeper than `MAX_DEPTH` — which is also where a dict
/// or list that contains itself ends, so no input can overflow the stack. An integer too large
/// for 64 bits becomes a float, which core refuses where a whole number is needed, so no
/// number is silently changed. `datetime` and `date` values become ISO 8601 strings.
pub fn value(obj: Option<&Bound<'_, PyAny>>) -> paystar::Result<Value> {
    let (v, problems) = walk(obj);
    converted(v, problems)
}

/// Like [`value`], for options: a problem is a `configuration_error` naming the option.
pub fn options(obj: Option<&Bound<'_, PyAny>>) -> paystar::Result<Value> {
    let (v, problems) = walk(obj);
    converted_options(v, problems)
}

fn walk(obj: Option<&Bound<'_, PyAny>>) -> (Value, Vec<FieldError>) {
    let mut problems = Vec::new();
    let v = match obj {
        None => Value::Object(Map::new()),
        Some(o) => to_json(o, "", 0, &mut problems),
    };
    (v, problems)
}

fn to_json(
    obj: &Bound<'_, PyAny>,
    path: &str,
    depth: usize,
    problems: &mut Vec<FieldError>,
) -> Value {
    fn bad(problems: &mut Vec<FieldError>, problem: FieldError) -> Value {
        problems.push(problem);
        Value::Null
    }
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
                None => bad(problems, not_json(path, "an integer too large to send")),
            }
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        match Number::from_f64(f.value()) {
            Some(n) => Value::Number(n),
            None => bad(
                problems,
                not_json(path, &format!("a non-finite number ({})", f.value())),
            ),
        }
    } else if let Ok(s) = obj.cast::<PyString>() {
        match s.to_cow() {
            Ok(s) => Value::String(s.into_owned()),
            Err(_) => bad(
                problems,
                not_json(path, "text that is not valid UTF-8 (a lone surrogate)"),
            ),
        }
    } else if depth >= MAX_DEPTH
        && (obj.is_instance_of::<PyDict>()
            || obj.is_instance_of::<PyList>()
            || obj.is_instance_of::<PyTuple>())
    {
        bad(problems, too_deep(path))
    } else if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let Ok(key) = k.extract::<String>() else {
                bad(
                    problems,
                    not_json(
                        path,
                        &format!("a key that is not a string ({})", type_name(&k)),
                    ),
                );
                continue;
            };
            let at = child_path(path, &key);
            let item = to_json(&v, &at, depth + 1, problems);
            map.insert(key, item);
        }
        Value::Object(map)
    } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        if let Ok(iter) = obj.try_iter() {
            for (i, item) in iter.enumerate() {
                match item {
                    Ok(item) => {
                        items.push(to_json(&item, &format!("{path}[{i}]"), depth + 1, problems))
                    }
                    Err(e) => return bad(problems, not_json(path, &e.to_string())),
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
            Err(e) => bad(problems, not_json(path, &e.to_string())),
        }
    } else {
        bad(problems, not_json(path, &format!("a {}", type_name(obj))))
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

/// Converts JSON into Python objects (dicts, lists, str, int, float, bool, None). JSON from
/// core is bounded in depth (serde_json refuses deeper than 128 levels), so this cannot
/// recurse without end.
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
