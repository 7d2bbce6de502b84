//! Webhook verification, parsing and the amount converters: any bytes, never a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paystar::fuzz::webhook(data));
