//! Replays the committed fuzz corpora (`core/fuzz/corpus/<target>/*`) through the same calls
//! as the cargo-fuzz targets, on stable: every input found so far still gives a result or a
//! typed error, never a panic. The fuzzers themselves run on nightly (see RELIABILITY.md).

use std::path::Path;

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .collect()
}

#[test]
fn request_json_corpus() {
    for data in corpus("request_json") {
        let Some((&selector, rest)) = data.split_first() else {
            continue;
        };
        let Ok(input) = serde_json::from_slice::<serde_json::Value>(rest) else {
            continue;
        };
        let ops = paystar::Operation::ALL;
        let op = ops[usize::from(selector) % ops.len()];
        let case = [
            paystar::Case::Pascal,
            paystar::Case::Snake,
            paystar::Case::Camel,
        ][usize::from(selector >> 4) % 3];
        let _ = paystar::models::input::prepare(op, &input, case, selector & 0x80 == 0);
    }
}

#[test]
fn answer_decode_corpus() {
    for data in corpus("answer_decode") {
        if data.len() < 3 {
            continue;
        }
        let ops = paystar::Operation::ALL;
        let op = ops[usize::from(data[0]) % ops.len()];
        let status = 100 + u16::from_le_bytes([data[1], data[2]]) % 500;
        let rest = &data[3..];
        let split = rest.iter().position(|b| *b == b'\n').unwrap_or(0);
        let retry_after = std::str::from_utf8(&rest[..split]).ok();
        let _ = paystar::models::decode_raw(op, status, retry_after, &rest[split..]);
    }
}

#[test]
fn retry_after_corpus() {
    for data in corpus("retry_after") {
        if let Ok(text) = std::str::from_utf8(&data) {
            let wait = paystar::retry::parse_retry_after(text, std::time::SystemTime::now());
            assert!(wait.is_none_or(|w| w <= paystar::retry::MAX_REPORTED_RETRY_AFTER));
        }
    }
}
