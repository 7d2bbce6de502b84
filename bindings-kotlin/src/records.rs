//! The wire JSON of the request records (generated in `requests.rs`): what core reads.

use serde::Serialize;
use serde_json::Value;

/// The wire JSON of a typed request, with its JSON-text field (`Extra`, `Payload`) parsed
/// into `key` (text that is not JSON is core's `validation_error` at `key`).
pub(crate) fn wire<T: Serialize>(
    request: &T,
    key: &str,
    json_text: Option<&str>,
) -> paystar::Result<Value> {
    let mut value = serde_json::to_value(request)
        .map_err(|e| paystar::Error::internal(format!("a request record is not JSON: {e}")))?;
    if let (Some(text), Value::Object(map)) = (json_text, &mut value) {
        map.insert(key.into(), paystar::bridge::json_text(key, text)?);
    }
    Ok(value)
}

/// A raw JSON request or script (core's reading of JSON text).
pub(crate) fn parse_json(text: &str) -> paystar::Result<Value> {
    paystar::bridge::json_text("", text)
}
