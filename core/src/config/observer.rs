//! Per-attempt events for logging bridges.

use std::time::Duration;

/// What happened in one HTTP attempt (see [`ClientBuilder::on_attempt`](super::ClientBuilder::on_attempt)).
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptEvent {
    /// The operation called.
    pub operation: crate::Operation,
    /// Always `POST`.
    pub method: &'static str,
    /// The endpoint path, e.g. `/integrations/embedded/initiate`.
    pub path: &'static str,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// The HTTP status, when an answer came back.
    pub status: Option<u16>,
    /// How long the attempt took.
    pub elapsed: Duration,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// `None` on success, else the failure's code.
    pub error_code: Option<crate::ErrorCode>,
    /// `Some(wait)` when another attempt follows after `wait` (log it as a warning).
    pub retry_in: Option<Duration>,
}

/// A callback receiving [`AttemptEvent`]s.
pub type AttemptObserver = std::sync::Arc<dyn Fn(&AttemptEvent) + Send + Sync>;
