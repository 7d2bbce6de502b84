//! Integration tests: everything talks to a real mock gateway on loopback.
// `unwrap_used` is denied outside tests; this whole crate is tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod endpoint;
mod hostile;
mod props;
mod telemetry;
mod tls;
mod vectors;
mod webhooks;
