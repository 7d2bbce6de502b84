//! Replays the committed fuzz corpora (`core/fuzz/corpus/<target>/*`) through the same entry
//! points as the cargo-fuzz targets (`paystar::fuzz`), on stable: every input found so far
//! still gives a result or a typed error, never a panic. The fuzzers themselves run on nightly
//! (`make fuzz`, RELIABILITY.md).

fn replay(target: &str, run: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .collect();
    assert!(!inputs.is_empty(), "no corpus for {target}");
    for data in inputs {
        run(&data);
    }
}

#[test]
fn request_json_corpus() {
    replay("request_json", paystar::fuzz::request_json);
}

#[test]
fn answer_decode_corpus() {
    replay("answer_decode", paystar::fuzz::answer_decode);
}

#[test]
fn retry_after_corpus() {
    replay("retry_after", paystar::fuzz::retry_after);
}

#[test]
fn webhook_corpus() {
    replay("webhook", paystar::fuzz::webhook);
}
