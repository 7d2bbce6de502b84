//! Any bytes as a request in any key style, for every operation, validated or not: a body or a
//! typed error, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paystar::fuzz::request_json(data));
