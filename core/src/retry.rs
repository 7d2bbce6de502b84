//! The retry policy: which failures are retried, and how long to wait first (our decision:
//! docs/decisions.md#retries).
//!
//! It is pure: no clock, no randomness of its own. The caller passes the jitter (a number in
//! `[0, 1)`) and the current time, so tests are exact.
//!
//! Defaults (the same in every binding):
//! - `max_retries` 2, so at most 3 attempts;
//! - backoff 0.5 s doubling per retry, capped at 5 s, scaled by a jitter of 50–100 %;
//! - `Retry-After` (delta seconds or an HTTP date) is honoured exactly up to 30 s; a longer one
//!   stops at once, and the error carries it;
//! - a connection dropped before any answer byte (typically a pooled keep-alive socket the server
//!   had closed) is retried once at once, on top of `max_retries`, even when it is 0.
//!
//! When we do not retry: any answer that is not 408, 429, 500, 502, 503 or 504 (a 4xx is the
//! caller's problem; a 2xx with `hasErrors: true` is the gateway's verdict), a body that cannot be
//! decoded, a redirect, and anything found by validation before sending.

use std::time::{Duration, SystemTime};

/// Longest `Retry-After` that is waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// First backoff, before jitter.
pub const INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// Backoff cap, before jitter.
pub const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The gateway answered with this status (only non-2xx reach the policy).
    Status {
        /// HTTP status.
        status: u16,
        /// The parsed `Retry-After`, if any.
        retry_after: Option<Duration>,
    },
    /// The attempt timed out.
    Timeout,
    /// The connection failed. `sent` is false when it failed before the request could have
    /// reached the gateway (DNS, connect, TLS handshake).
    Connection {
        /// Whether the request may have reached the gateway.
        sent: bool,
    },
    /// The connection was closed before any byte of the answer came back.
    Dropped,
    /// The TLS handshake failed, or the client refused the gateway's certificate (an unknown
    /// issuer, another host's name, expired): the request never left, and trying again
    /// reaches the same certificate. Decision: docs/decisions.md#tls-final.
    Tls,
    /// Something retrying cannot fix (the HTTP client could not be built, for example).
    Fatal,
}

impl Failure {
    /// Whether the gateway may have acted on the attempt without the caller seeing it: no
    /// answer after the request was sent (a timeout, a connection lost after sending), or a
    /// 500/502/503/504 (a proxy's 504 can follow a create that happened). A call with such an
    /// attempt is `ambiguous`: a retried create may collide with its own first attempt.
    /// Decision: docs/decisions.md#ambiguous.
    pub const fn may_have_acted(self) -> bool {
        matches!(
            self,
            Failure::Timeout
                | Failure::Dropped
                | Failure::Connection { sent: true }
                | Failure::Status {
                    status: 500 | 502 | 503 | 504,
                    ..
                }
        )
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Give up and report the failure.
    Stop,
}

/// The retry policy of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
}

/// What the policy needs to know about the call so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallState {
    /// Ordinary retries already made.
    pub retries: u32,
    /// Whether a dropped connection was already retried at once.
    pub dropped_retry_used: bool,
}

impl RetryPolicy {
    /// Whether a failure kind is ever retried.
    pub fn is_retryable(failure: Failure) -> bool {
        match failure {
            Failure::Status { status, .. } => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
            Failure::Timeout | Failure::Connection { .. } | Failure::Dropped => true,
            Failure::Tls | Failure::Fatal => false,
        }
    }

    /// Decides what to do after `failure`. `jitter` is in `[0, 1)`.
    pub fn decide(&self, failure: Failure, state: CallState, jitter: f64) -> Decision {
        if !Self::is_retryable(failure) {
            return Decision::Stop;
        }
        // Every retry counts against max_retries, so a call makes at most max_retries + 1
        // requests (0: exactly one).
        if state.retries >= self.max_retries {
            return Decision::Stop;
        }
        // A dropped connection (most likely a stale keep-alive socket) is retried at once the
        // first time.
        if failure == Failure::Dropped && !state.dropped_retry_used {
            return Decision::Retry(Duration::ZERO);
        }
        match failure {
            Failure::Status {
                retry_after: Some(wait),
                ..
            } if wait > MAX_RETRY_AFTER => Decision::Stop,
            Failure::Status {
                retry_after: Some(wait),
                ..
            } => Decision::Retry(wait),
            _ => Decision::Retry(backoff(state.retries, jitter)),
        }
    }

    /// Records the retry a [`Decision::Retry`] for `failure` stands for.
    pub fn record(failure: Failure, mut state: CallState) -> CallState {
        if failure == Failure::Dropped {
            state.dropped_retry_used = true;
        }
        state.retries += 1;
        state
    }
}

/// The backoff before ordinary retry number `retry + 1`: 0.5 s doubling, capped at 5 s, times
/// `0.5 + jitter / 2` (so 50–100 % of it).
pub fn backoff(retry: u32, jitter: f64) -> Duration {
    let base = INITIAL_BACKOFF.saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX));
    let capped = base.min(MAX_BACKOFF);
    let factor = 0.5 + jitter.clamp(0.0, 1.0) / 2.0;
    capped.mul_f64(factor)
}

/// Parses a `Retry-After` value: delta seconds (`"3"`) or an HTTP date, relative to `now`.
/// A date in the past is zero; anything unreadable is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs.min(MAX_REPORTED_RETRY_AFTER.as_secs()))
    } else if let Ok(secs) = value.parse::<f64>() {
        if !(secs.is_finite() && secs >= 0.0) {
            return None;
        }
        Duration::from_secs_f64(secs.min(MAX_REPORTED_RETRY_AFTER.as_secs_f64()))
    } else {
        let at = httpdate::parse_http_date(value).ok()?;
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_REPORTED_RETRY_AFTER))
}

/// The longest `Retry-After` an error reports: one day. A larger value (a bug, or an attack on
/// the caller's arithmetic: `u64::MAX` seconds overflows a JVM `Duration`) is reported as this.
pub const MAX_REPORTED_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const P: RetryPolicy = RetryPolicy { max_retries: 2 };

    fn status(status: u16) -> Failure {
        Failure::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn retries_exactly_the_documented_statuses() {
        for s in 100..600 {
            let want = matches!(s, 408 | 429 | 500 | 502 | 503 | 504);
            assert_eq!(RetryPolicy::is_retryable(status(s)), want, "status {s}");
        }
        assert!(RetryPolicy::is_retryable(Failure::Timeout));
        assert!(RetryPolicy::is_retryable(Failure::Connection {
            sent: false
        }));
    }

    #[test]
    fn stops_after_max_retries() {
        let mut st = CallState::default();
        for _ in 0..2 {
            assert!(matches!(P.decide(status(503), st, 0.0), Decision::Retry(_)));
            st = RetryPolicy::record(status(503), st);
        }
        assert_eq!(P.decide(status(503), st, 0.0), Decision::Stop);
        assert_eq!(
            P.decide(status(400), CallState::default(), 0.0),
            Decision::Stop
        );
    }

    #[test]
    fn backoff_doubles_to_the_cap_with_jitter() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(250));
        assert_eq!(backoff(0, 1.0), Duration::from_millis(500));
        assert_eq!(backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(4, 1.0), Duration::from_secs(5));
        assert_eq!(backoff(40, 1.0), Duration::from_secs(5));
    }

    #[test]
    fn retry_after_is_honoured_up_to_30_seconds() {
        let f = |secs| Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            P.decide(f(3), CallState::default(), 0.9),
            Decision::Retry(Duration::from_secs(3))
        );
        assert_eq!(
            P.decide(f(30), CallState::default(), 0.9),
            Decision::Retry(MAX_RETRY_AFTER)
        );
        assert_eq!(P.decide(f(31), CallState::default(), 0.9), Decision::Stop);
    }

    #[test]
    fn a_dropped_connection_is_retried_at_once_and_counts_as_a_retry() {
        let none = RetryPolicy { max_retries: 0 };
        let st = CallState::default();
        // max_retries 0 is exactly one request on the wire, dropped connection or not.
        assert_eq!(none.decide(Failure::Dropped, st, 0.5), Decision::Stop);
        assert_eq!(
            P.decide(Failure::Dropped, st, 0.5),
            Decision::Retry(Duration::ZERO)
        );
        let st = RetryPolicy::record(Failure::Dropped, st);
        // It counts as a retry: attempts never exceed max_retries + 1.
        assert_eq!(
            st,
            CallState {
                retries: 1,
                dropped_retry_used: true
            }
        );
        assert_eq!(none.decide(Failure::Dropped, st, 0.5), Decision::Stop);
        // With retries left, the second drop is an ordinary retry with backoff.
        assert_eq!(
            P.decide(Failure::Dropped, st, 1.0),
            Decision::Retry(backoff(1, 1.0))
        );
    }

    #[test]
    fn parses_retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(12))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(12));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
        // Huge values are capped (u64::MAX seconds overflows a JVM Duration).
        for huge in ["18446744073709551615", "1e300", "99999999999999999999999"] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(MAX_REPORTED_RETRY_AFTER),
                "{huge}"
            );
        }
        let far = httpdate::fmt_http_date(now + Duration::from_secs(400 * 24 * 3600));
        assert_eq!(parse_retry_after(&far, now), Some(MAX_REPORTED_RETRY_AFTER));
    }

    proptest! {
        #[test]
        fn backoff_stays_within_bounds(retry in 0u32..64, jitter in 0.0f64..1.0) {
            let d = backoff(retry, jitter);
            let nominal = INITIAL_BACKOFF.saturating_mul(1u32.checked_shl(retry).unwrap_or(u32::MAX)).min(MAX_BACKOFF);
            prop_assert!(d >= nominal / 2);
            prop_assert!(d <= nominal);
            prop_assert!(d <= MAX_BACKOFF);
        }

        #[test]
        fn never_more_than_max_retries(max in 0u32..6, drops in proptest::collection::vec(any::<bool>(), 0..20)) {
            let p = RetryPolicy { max_retries: max };
            let mut st = CallState::default();
            let mut retries = 0u32;
            for dropped in drops {
                let f = if dropped { Failure::Dropped } else { Failure::Timeout };
                match p.decide(f, st, 0.5) {
                    Decision::Retry(_) => { retries += 1; st = RetryPolicy::record(f, st); }
                    Decision::Stop => break,
                }
            }
            prop_assert!(retries <= max);
        }
    }
}
