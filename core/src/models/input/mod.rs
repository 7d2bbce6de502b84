//! Requests given as JSON in a binding's case style (snake_case for Python, camelCase for Node
//! and Kotlin, PascalCase as on the wire), checked against the schema of each operation.
//!
//! This is how every binding (and the conformance vectors) reach core: the binding turns its
//! native dict/object into a `serde_json::Value`, and everything else happens here. Unknown
//! keys (typos) are errors with a "did you mean" hint; wrong types, floats or booleans for
//! amounts, and missing required fields are reported with every other violation at once, by
//! wire path (`Charges[0].Amount`). A `null` optional is the same as leaving it out.

use serde_json::{Map, Value};

mod schema;
#[cfg(test)]
mod tests;

use super::{
    ApiRequest, AutopaySessionRequest, EventRequest, NotificationSessionRequest, Operation,
    PaperlessSessionRequest, PaymentSessionRequest, UpdateCustomerRequest, WalletSessionRequest,
};
use crate::error::{Error, FieldError, Result, Rule};
use crate::validate::{Violations, limits};

pub use crate::case::Case;

pub use schema::{Field, Shape, Ty, field_paths, shape, top_level_fields};

/// Checks `input` (keys in `case`) for `op` and returns the JSON body to send.
///
/// With `validate`, every rule is checked and any violation is a `validation_error` listing all
/// of them. Without it, only the key style is converted (unknown keys and odd values go to the
/// gateway as they are), so the gateway's own validation can be exercised.
pub fn prepare(
    op: Operation,
    input: &Value,
    case: Case,
    validate: bool,
) -> Result<Map<String, Value>> {
    if !validate {
        let mut ignored = Violations::default();
        return match walk(input, &Ty::Obj(shape(op)), "", case, false, &mut ignored) {
            Value::Object(map) if op.is_event() => Ok(super::event_wire_body(op, map)),
            Value::Object(map) => Ok(merge_extra(map)),
            _ => Err(Error::validation(vec![FieldError {
                path: String::new(),
                rule: Rule::Type,
                message: "the request must be an object".into(),
            }])),
        };
    }
    match op {
        Operation::CreatePaymentSession => typed::<PaymentSessionRequest>(input, case),
        Operation::CreateAutopaySession => typed::<AutopaySessionRequest>(input, case),
        Operation::CreateWalletSession => typed::<WalletSessionRequest>(input, case),
        Operation::CreatePaperlessSession => typed::<PaperlessSessionRequest>(input, case),
        Operation::CreateNotificationSession => typed::<NotificationSessionRequest>(input, case),
        Operation::UpdateCustomer => typed::<UpdateCustomerRequest>(input, case),
        Operation::SendEvent => typed::<EventRequest>(input, case),
    }
}

/// `Extra`'s fields merged into the body the way a typed request's `to_body` merges them:
/// added beside the modelled fields, never replacing one. An `Extra` that is not an object is
/// sent as it is (unvalidated mode sends odd values to the gateway unchanged).
fn merge_extra(mut body: Map<String, Value>) -> Map<String, Value> {
    if let Some(Value::Object(extra)) = body.get("Extra").cloned() {
        body.remove("Extra");
        for (k, v) in extra {
            body.entry(k).or_insert(v);
        }
    }
    body
}

/// Parses and validates `input` as a typed request.
fn typed<R: ApiRequest>(input: &Value, case: Case) -> Result<Map<String, Value>> {
    let mut shape = Violations::default();
    let repaired = walk(
        input,
        &Ty::Obj(schema::shape(R::OPERATION)),
        "",
        case,
        true,
        &mut shape,
    );
    let shape = shape.into_vec();
    let request: R = serde_json::from_value(repaired).map_err(|e| {
        Error::validation(vec![FieldError {
            path: String::new(),
            rule: Rule::Type,
            message: e.to_string(),
        }])
    })?;
    let mut rules = Violations::default();
    request.check(&mut rules);
    // A field already reported for its shape is not reported again for what the placeholder
    // put in its place (nor are its children).
    let mut all = shape.clone();
    all.extend(rules.into_vec().into_iter().filter(|e| {
        !shape.iter().any(|s| {
            e.path == s.path
                || e.path.starts_with(&format!("{}.", s.path))
                || e.path.starts_with(&format!("{}[", s.path))
        })
    }));
    if all.is_empty() {
        Ok(request.to_body())
    } else {
        Err(Error::validation(all))
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn placeholder(ty: &Ty) -> Value {
    match ty {
        Ty::Str => Value::String(String::new()),
        // Only ever optional: a bad one is dropped.
        Ty::DateTime => Value::Null,
        Ty::Int => Value::from(0),
        Ty::Bool => Value::Bool(false),
        Ty::Obj(shape) => Value::Object(
            shape
                .fields
                .iter()
                .filter(|f| f.required)
                .map(|f| (f.wire.to_owned(), placeholder(&f.ty)))
                .collect(),
        ),
        Ty::List(_) => Value::Array(Vec::new()),
        Ty::StrMap | Ty::Json => Value::Object(Map::new()),
    }
}

/// Walks `v` as `ty`: converts keys to wire names and records shape violations. With `repair`,
/// the result is always deserializable (bad values become placeholders, unknown keys are
/// dropped, missing required fields are filled); without it, everything is kept as given.
fn walk(v: &Value, ty: &Ty, path: &str, case: Case, repair: bool, errs: &mut Violations) -> Value {
    let mut bad = |rule: Rule, message: String| {
        errs.add(path, rule, message);
        if repair { placeholder(ty) } else { v.clone() }
    };
    match (ty, v) {
        (Ty::Str, Value::String(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::Json, Value::Object(_)) => {
            v.clone()
        }
        (Ty::Str, _) => bad(
            Rule::Type,
            format!("must be a string (got {})", type_name(v)),
        ),
        (Ty::Bool, _) => bad(
            Rule::Type,
            format!("must be true or false (got {})", type_name(v)),
        ),
        (Ty::Json, _) => bad(
            Rule::Type,
            format!("must be an object (got {})", type_name(v)),
        ),
        (Ty::Int, Value::Number(n)) => match (n.as_i64(), n.as_u64()) {
            (Some(_), _) => v.clone(),
            (None, Some(_)) => bad(
                Rule::MaxValue,
                format!("must be at most {}", limits::MAX_SAFE_INTEGER),
            ),
            _ => bad(
                Rule::Integer,
                format!("amounts are integer cents, e.g. 15000 for $150.00 (got {n})"),
            ),
        },
        (Ty::Int, _) => bad(
            Rule::Integer,
            format!(
                "amounts are integer cents, e.g. 15000 for $150.00 (got {})",
                type_name(v)
            ),
        ),
        (Ty::DateTime, Value::String(s)) => {
            if time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .is_ok()
            {
                v.clone()
            } else {
                bad(
                    Rule::Datetime,
                    "must be an RFC 3339 date-time such as 2026-08-24T14:15:22Z".into(),
                )
            }
        }
        (Ty::DateTime, _) => bad(
            Rule::Datetime,
            format!(
                "must be an RFC 3339 date-time string (got {})",
                type_name(v)
            ),
        ),
        (Ty::StrMap, Value::Object(map)) => {
            let mut out = Map::new();
            for (k, item) in map {
                if item.is_string() || !repair {
                    out.insert(k.clone(), item.clone());
                }
                if !item.is_string() {
                    errs.add(
                        join(path, k),
                        Rule::Type,
                        format!("must be a string (got {})", type_name(item)),
                    );
                }
            }
            Value::Object(out)
        }
        (Ty::StrMap, _) => bad(
            Rule::Type,
            format!("must be an object of strings (got {})", type_name(v)),
        ),
        (Ty::List(item_ty), Value::Array(items)) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| walk(item, item_ty, &format!("{path}[{i}]"), case, repair, errs))
                .collect(),
        ),
        (Ty::List(_), _) => bad(Rule::Type, format!("must be a list (got {})", type_name(v))),
        (Ty::Obj(shape), Value::Object(map)) => {
            walk_object(map, shape.fields, path, case, repair, errs)
        }
        (Ty::Obj(_), _) => bad(
            Rule::Type,
            format!("must be an object (got {})", type_name(v)),
        ),
    }
}

fn walk_object(
    map: &Map<String, Value>,
    fields: &'static [Field],
    path: &str,
    case: Case,
    repair: bool,
    errs: &mut Violations,
) -> Value {
    let mut out = Map::new();
    for (key, value) in map {
        let Some(field) = fields.iter().find(|f| case.convert(f.wire) == *key) else {
            let hint = suggest(key, fields, case)
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            errs.add(
                join(path, key),
                Rule::UnknownField,
                format!("is not a known field{hint}"),
            );
            if !repair {
                out.insert(key.clone(), value.clone());
            }
            continue;
        };
        if value.is_null() {
            continue;
        }
        let at = join(path, field.wire);
        let walked = walk(value, &field.ty, &at, case, repair, errs);
        if !walked.is_null() {
            out.insert(field.wire.to_owned(), walked);
        }
    }
    let missing: Vec<&Field> = fields
        .iter()
        .filter(|f| f.required && !out.contains_key(f.wire))
        .collect();
    for f in missing {
        errs.add(join(path, f.wire), Rule::Required, "is required");
        if repair {
            out.insert(f.wire.to_owned(), placeholder(&f.ty));
        }
    }
    Value::Object(out)
}

/// The known field closest to a mistyped key (edit distance ≤ 2, ignoring case and `_`).
fn suggest(key: &str, fields: &[Field], case: Case) -> Option<String> {
    did_you_mean(key, fields.iter().map(|f| case.convert(f.wire)))
}

/// The candidate closest to a mistyped `key` (case and underscores ignored, at most two edits
/// away), for "did you mean ...?" hints; bindings use it for their option names too.
///
/// ```
/// use paystar::models::input::did_you_mean;
/// assert_eq!(did_you_mean("maxRetires", ["timeout", "maxRetries"]).as_deref(), Some("maxRetries"));
/// assert_eq!(did_you_mean("maxRetry", ["timeout", "maxRetries"]).as_deref(), Some("maxRetries"));
/// assert_eq!(did_you_mean("colour", ["timeout"]), None);
/// ```
pub fn did_you_mean<S: AsRef<str>>(
    key: &str,
    candidates: impl IntoIterator<Item = S>,
) -> Option<String> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "");
    let k = norm(key);
    // Two edits, or three in a long name (`maxRetry` for `maxRetries`).
    let within = if k.chars().count() >= 8 { 3 } else { 2 };
    candidates
        .into_iter()
        .map(|name| (distance(&k, &norm(name.as_ref())), name.as_ref().to_owned()))
        .filter(|(d, _)| *d <= within)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
