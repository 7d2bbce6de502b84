//! The result of a session call (decoded from the gateway's answer by `crate::decode`).

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::SessionKind;

/// A created session: hand [`url`](Session::url) to the page, which opens it with Paystar's
/// loader (`completePayment` for payments, `startFlow` for the others).
///
/// `Serialize` gives `{kind, id, url, status, expires_at (RFC 3339), raw, attempts,
/// request_id}`, for a backend that hands the session to its page as JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Session {
    /// What kind of session this is.
    pub kind: SessionKind,
    /// `PaymentSessionIdentifier` (payments). Management answers carry no documented id; when
    /// they send `SessionIdentifier` or `PaymentSessionIdentifier` it is used. Keep it for
    /// tracking and support.
    pub id: Option<String>,
    /// `PaymentLogInLink` (payments) or `SessionLink` (management): the short-lived URL.
    pub url: String,
    /// `Status` (payments) or `SessionStatus` (management), when sent.
    pub status: Option<String>,
    /// When the link stops working: `ValidUntil` when sent and readable, else the documented
    /// lifetime (30 or 60 minutes) after the successful attempt was sent.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// The `data` object exactly as received.
    pub raw: Map<String, Value>,
    /// HTTP attempts the call took.
    pub attempts: u32,
    /// The gateway's request id (header `X-Request-Id`), when sent.
    pub request_id: Option<String>,
    /// True when an earlier attempt may have reached the gateway without an answer (a
    /// timeout or a connection lost after sending): it may have created a session too.
    pub ambiguous: bool,
}

impl Session {
    /// Whether the link has expired at `now`.
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        now >= self.expires_at
    }
}
