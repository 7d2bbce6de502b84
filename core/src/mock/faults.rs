//! Scripted faults: what the mock does instead of (or on top of) answering normally.
//!
//! The JSON form (`{"kind": "status", "status": 503, "retry_after": "1"}`) is the same in every
//! language binding and in `tests/vectors`.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// One fault, applied to one request to a session endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Answer normally (a placeholder in a script).
    None,
    /// Do not process; answer `status` with a `hasErrors: true` envelope (or `body` verbatim)
    /// and the given `Retry-After`.
    Status {
        /// HTTP status to answer.
        status: u16,
        /// `Retry-After` header value, verbatim (e.g. `"1"`).
        #[serde(default)]
        retry_after: Option<String>,
        /// `Retry-After` as an HTTP date this many seconds ahead.
        #[serde(default)]
        retry_after_date_in_s: Option<u64>,
        /// A raw body instead of the envelope.
        #[serde(default)]
        body: Option<String>,
    },
    /// Process the request (the session is created), then wait before answering.
    Delay {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// Read the request, do not process it, and reset the connection (TCP RST).
    Reset,
    /// Process the request, then send the headers and half of the body, and break the
    /// connection.
    Truncate,
    /// Do not process; answer `status` (default 200) with an HTML body.
    NonJson {
        /// HTTP status to answer.
        #[serde(default = "ok")]
        status: u16,
    },
    /// Do not process; answer a redirect (default 302) to `location`.
    Redirect {
        /// HTTP status (3xx).
        #[serde(default = "found")]
        status: u16,
        /// The `Location` header.
        location: String,
    },
    /// Do not process; answer 200 with a JSON body over 1 MiB, with a `Content-Length` or (with
    /// `chunked`) streamed in chunks with no length.
    Oversize {
        /// Stream the body without a length.
        #[serde(default)]
        chunked: bool,
    },
    /// Do not process; answer `status` with exactly `body` (content type JSON).
    Raw {
        /// HTTP status to answer.
        status: u16,
        /// The body, verbatim.
        body: String,
    },
}

impl Fault {
    /// Answer `status` with the `hasErrors: true` envelope, without `Retry-After`.
    pub fn status(status: u16) -> Fault {
        Fault::Status {
            status,
            retry_after: None,
            retry_after_date_in_s: None,
            body: None,
        }
    }

    /// Answer `status` with `Retry-After: seconds`.
    pub fn status_retry_after(status: u16, seconds: u64) -> Fault {
        Fault::Status {
            status,
            retry_after: Some(seconds.to_string()),
            retry_after_date_in_s: None,
            body: None,
        }
    }
}

fn ok() -> u16 {
    200
}
fn found() -> u16 {
    302
}

/// Faults at a seeded random rate, for soak tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomFaults {
    /// Seed of the generator (the same seed gives the same sequence).
    pub seed: u64,
    /// Probability in `[0, 1]` that a request gets a fault.
    pub rate: f64,
    /// The faults to choose from, uniformly.
    pub faults: Vec<Fault>,
}

/// A script: a queue of faults taken one per request, then random faults (if any).
#[derive(Debug, Default)]
pub(crate) struct Script {
    queue: std::collections::VecDeque<Fault>,
    random: Option<(RandomFaults, SmallRng)>,
}

impl Script {
    pub fn push(&mut self, faults: impl IntoIterator<Item = Fault>) {
        self.queue.extend(faults);
    }

    pub fn set_random(&mut self, random: Option<RandomFaults>) {
        self.random = random.map(|r| {
            let rng = SmallRng::seed_from_u64(r.seed);
            (r, rng)
        });
    }

    pub fn clear(&mut self) {
        self.queue.clear();
        self.random = None;
    }

    /// The fault for the next request.
    pub fn next(&mut self) -> Fault {
        if let Some(f) = self.queue.pop_front() {
            return f;
        }
        if let Some((r, rng)) = &mut self.random {
            if !r.faults.is_empty() && rng.random_bool(r.rate.clamp(0.0, 1.0)) {
                let i = rng.random_range(0..r.faults.len());
                return r.faults[i].clone();
            }
        }
        Fault::None
    }
}

/// The soak's per-attempt timeout, in milliseconds (the delay fault is twice this).
pub const SOAK_TIMEOUT_MS: u64 = 1000;

/// The soak's fault mix at `rate` (0.3 for the documented soak): 429 with and without
/// Retry-After, 500/502/503/504, a reset after the request was read, a truncated body, a
/// non-JSON 502, and a delay past the timeout; each equally likely.
pub fn soak_faults(seed: u64, rate: f64) -> RandomFaults {
    RandomFaults {
        seed,
        rate,
        faults: vec![
            Fault::status_retry_after(429, 0),
            Fault::status(429),
            Fault::status_retry_after(500, 0),
            Fault::status_retry_after(502, 0),
            Fault::status_retry_after(503, 0),
            Fault::status_retry_after(504, 0),
            Fault::Reset,
            Fault::Truncate,
            Fault::NonJson { status: 502 },
            Fault::Delay {
                ms: 2 * SOAK_TIMEOUT_MS,
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_form() {
        let f: Fault =
            serde_json::from_str(r#"{"kind":"status","status":429,"retry_after":"2"}"#).unwrap();
        assert_eq!(
            f,
            Fault::Status {
                status: 429,
                retry_after: Some("2".into()),
                retry_after_date_in_s: None,
                body: None
            }
        );
        let r: Fault =
            serde_json::from_str(r#"{"kind":"redirect","location":"https://x.io"}"#).unwrap();
        assert_eq!(
            r,
            Fault::Redirect {
                status: 302,
                location: "https://x.io".into()
            }
        );
        assert!(serde_json::from_str::<Fault>(r#"{"kind":"delay","ms":1,"typo":1}"#).is_err());
        assert!(serde_json::from_str::<Fault>(r#"{"kind":"explode"}"#).is_err());
    }

    #[test]
    fn queue_then_seeded_random() {
        let mut s = Script::default();
        s.push([Fault::Reset]);
        let rf = RandomFaults {
            seed: 7,
            rate: 0.5,
            faults: vec![Fault::Oversize { chunked: false }],
        };
        s.set_random(Some(rf.clone()));
        assert_eq!(s.next(), Fault::Reset);
        let a: Vec<Fault> = (0..50).map(|_| s.next()).collect();
        s.set_random(Some(rf));
        let b: Vec<Fault> = (0..50).map(|_| s.next()).collect();
        assert_eq!(a, b);
        let hits = a
            .iter()
            .filter(|f| matches!(f, Fault::Oversize { .. }))
            .count();
        assert!((10..=40).contains(&hits), "{hits}");
    }
}
