//! Any text as a Retry-After value: a bounded wait or nothing, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let now = std::time::SystemTime::now();
        if let Some(wait) = paystar::retry::parse_retry_after(text, now) {
            assert!(wait <= paystar::retry::MAX_REPORTED_RETRY_AFTER);
        }
    }
});
