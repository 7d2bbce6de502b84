//! Any bytes as a request in any key style, for every operation, validated or not: a body or a
//! typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    let ops = paystar::Operation::ALL;
    let op = ops[usize::from(selector) % ops.len()];
    let case = [
        paystar::Case::Pascal,
        paystar::Case::Snake,
        paystar::Case::Camel,
    ][usize::from(selector >> 4) % 3];
    let validate = selector & 0x80 == 0;
    let _ = paystar::models::input::prepare(op, &input, case, validate);
});
