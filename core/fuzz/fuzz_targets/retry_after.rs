//! Any text as a Retry-After value: a bounded wait or nothing, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paystar::fuzz::retry_after(data));
