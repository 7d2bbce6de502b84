//! From an HTTP answer to a result or a typed error: the envelope, the status → error code
//! mapping and the retry input of a failed answer. Above `models` (what results are) and
//! `transport` (how answers arrive); `client` asks it for every attempt's answer.

mod receipt;
mod session;

pub(crate) use receipt::decode_receipt;
pub(crate) use session::decode_answer;

use std::time::SystemTime;

use serde_json::Value;

use crate::error::{ApiErrorItem, Error, ErrorCode};
use crate::retry::{Failure, parse_retry_after};
use crate::transport::{AttemptError, HttpAnswer};

fn failed(status: u16, retry_after: Option<std::time::Duration>, error: Error) -> AttemptError {
    AttemptError {
        failure: Failure::Status {
            status,
            retry_after,
        },
        error,
    }
}

/// The error (and retry input) a non-2xx answer stands for, or `None` for a 2xx: the same for
/// sessions and Events API calls.
/// Decision: docs/decisions.md#error-statuses.
pub(crate) fn status_error(answer: &HttpAnswer) -> Option<AttemptError> {
    let status = answer.status;
    if (200..300).contains(&status) {
        return None;
    }
    let request_id = answer.request_id();
    let retry_after = answer
        .header("retry-after")
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    let items = api_error_items(answer);
    let (code, what) = match status {
        401 | 403 => (ErrorCode::Authentication, "the gateway refused the API key"),
        408 => (
            ErrorCode::Timeout,
            "the gateway timed out waiting for the request",
        ),
        429 => (
            ErrorCode::RateLimited,
            "the gateway is rate limiting requests",
        ),
        500..=599 => (ErrorCode::Server, "the gateway failed"),
        300..=399 => (
            ErrorCode::Api,
            "the gateway redirected (redirects are never followed)",
        ),
        _ => (ErrorCode::Api, "the gateway refused the request"),
    };
    let mut message = format!("{what} (HTTP {status})");
    if let (300..=399, Some(loc)) = (status, answer.header("location")) {
        message.push_str(&format!(" to {}", crate::error::printable(loc, 200)));
    }
    let error = Error::new(code, message)
        .with_status(status)
        .with_api_errors(items)
        .with_retry_after(retry_after)
        .with_request_id(request_id);
    Some(failed(status, retry_after, error))
}

/// The envelope's `errors` items, when the body is JSON with an `errors` list.
pub(crate) fn api_error_items(answer: &HttpAnswer) -> Vec<ApiErrorItem> {
    serde_json::from_slice::<Value>(&answer.body)
        .ok()
        .as_ref()
        .and_then(|j| j.get("errors"))
        .and_then(Value::as_array)
        .map(|a| a.iter().map(ApiErrorItem::from_json).collect::<Vec<_>>())
        .unwrap_or_default()
}

/// The `api_error` of an envelope with `hasErrors: true` (any 2xx status).
pub(crate) fn has_errors_error(answer: &HttpAnswer) -> AttemptError {
    let status = answer.status;
    let error = Error::new(
        ErrorCode::Api,
        format!("the gateway reported errors (HTTP {status})"),
    )
    .with_status(status)
    .with_api_errors(api_error_items(answer))
    .with_request_id(answer.request_id());
    failed(status, None, error)
}

/// The `decode_error` of a 2xx answer that is not what was documented.
pub(crate) fn decode_error(answer: &HttpAnswer, why: &str) -> AttemptError {
    let status = answer.status;
    failed(
        status,
        None,
        Error::new(
            ErrorCode::Decode,
            format!("the answer is not the documented envelope: {why} (HTTP {status})"),
        )
        .with_status(status)
        .with_request_id(answer.request_id()),
    )
}
