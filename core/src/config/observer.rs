//! Per-attempt events for logging and telemetry bridges.

use std::time::{Duration, SystemTime};

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
    /// When the attempt started (wall clock, for a span's start time).
    pub started_at: SystemTime,
    /// How long the attempt took.
    pub elapsed: Duration,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// `None` on success, else the failure's code.
    pub error_code: Option<crate::ErrorCode>,
    /// `Some(wait)` when another attempt follows after `wait` (log it as a warning).
    pub retry_in: Option<Duration>,
    /// The gateway's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
    /// The attempt failed in a way that may have reached the gateway and acted.
    pub ambiguous: bool,
}

/// A callback receiving [`AttemptEvent`]s.
pub type AttemptObserver = std::sync::Arc<dyn Fn(&AttemptEvent) + Send + Sync>;

/// Which attempt events a call collects for its caller: bindings ask for the level their
/// host's logger has enabled, and log what comes back on the caller's thread once the call
/// ends (never from the runtime's threads). `Off` collects nothing and formats nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum LogLevel {
    /// Nothing.
    #[default]
    Off,
    /// Only attempts followed by a retry.
    Warn,
    /// Every attempt.
    Debug,
}

impl AttemptEvent {
    /// `Warn` when a retry follows this attempt, else `Debug`.
    pub fn level(&self) -> LogLevel {
        if self.retry_in.is_some() {
            LogLevel::Warn
        } else {
            LogLevel::Debug
        }
    }
}
