//! Any status, Retry-After and body as the gateway's answer: a session or a typed error, never
//! a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let ops = paystar::Operation::ALL;
    let op = ops[usize::from(data[0]) % ops.len()];
    let status = 100 + u16::from_le_bytes([data[1], data[2]]) % 500;
    let rest = &data[3..];
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(0);
    let retry_after = std::str::from_utf8(&rest[..split]).ok();
    let _ = paystar::models::decode_raw(op, status, retry_after, &rest[split..]);
});
