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

/// What a call collects for its caller: log events at a level, and every attempt's telemetry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Collect {
    /// The events the caller's logger wants.
    pub log: LogLevel,
    /// Every attempt, for the caller's spans and metrics.
    pub telemetry: bool,
}

impl From<LogLevel> for Collect {
    fn from(log: LogLevel) -> Collect {
        Collect {
            log,
            telemetry: false,
        }
    }
}

impl Collect {
    /// What a binding asks for: `level` is 0 (no log events), 1 (retries) or 2 (every attempt),
    /// plus [`Collect::TELEMETRY`] when its host records telemetry for this call.
    pub fn from_bits(bits: u32) -> Collect {
        Collect {
            log: match bits & 3 {
                0 => LogLevel::Off,
                1 => LogLevel::Warn,
                _ => LogLevel::Debug,
            },
            telemetry: bits & Collect::TELEMETRY != 0,
        }
    }

    /// The bit a binding adds to its log level to collect telemetry.
    pub const TELEMETRY: u32 = 4;

    /// Whether anything is collected at all.
    pub fn any(self) -> bool {
        self.telemetry || self.log != LogLevel::Off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collect_bits_are_a_level_and_a_telemetry_flag() {
        assert_eq!(Collect::from_bits(0), Collect::default());
        assert!(!Collect::from_bits(0).any());
        let c = Collect::from_bits(1 | Collect::TELEMETRY);
        assert_eq!((c.log, c.telemetry), (LogLevel::Warn, true));
        assert_eq!(Collect::from_bits(2).log, LogLevel::Debug);
    }
}
