//! Any status, Retry-After and body as the gateway's answer: a session or a typed error, never
//! a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paystar::fuzz::answer_decode(data));
