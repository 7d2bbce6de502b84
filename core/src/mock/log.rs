//! The mock's request log: bounded in count and in bytes, the oldest requests going first.

use std::collections::VecDeque;

use super::RecordedRequest;

/// Requests in arrival order, with what they weigh.
#[derive(Debug, Default)]
pub(crate) struct Log {
    entries: VecDeque<(RecordedRequest, usize)>,
    bytes: usize,
}

impl Log {
    /// Records `r`, which weighs `size` bytes, then drops the oldest until at most `max_count`
    /// requests and `max_bytes` bytes remain (the newest is always kept).
    pub fn push(&mut self, r: RecordedRequest, size: usize, max_count: usize, max_bytes: usize) {
        self.bytes = self.bytes.saturating_add(size);
        self.entries.push_back((r, size));
        while self.entries.len() > 1 && (self.entries.len() > max_count || self.bytes > max_bytes) {
            if let Some((_, gone)) = self.entries.pop_front() {
                self.bytes = self.bytes.saturating_sub(gone);
            }
        }
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }

    /// The requests, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.entries.iter().map(|(r, _)| r.clone()).collect()
    }

    /// How many bytes the log holds.
    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(n: u64) -> RecordedRequest {
        RecordedRequest {
            method: "POST".into(),
            path: format!("/{n}"),
            headers: Default::default(),
            api_key_valid: true,
            body: serde_json::Value::Null,
            received_ms: n,
            fault: None,
            connection: 1,
            version: "HTTP/1.1".into(),
            tls: false,
        }
    }

    #[test]
    fn bounded_in_count_and_in_bytes() {
        let mut log = Log::default();
        for n in 0..10 {
            log.push(request(n), 100, 5, 10_000);
        }
        let kept: Vec<u64> = log.requests().iter().map(|r| r.received_ms).collect();
        assert_eq!(kept, [5, 6, 7, 8, 9]);
        log.push(request(10), 9_800, 5, 10_000);
        let kept: Vec<u64> = log.requests().iter().map(|r| r.received_ms).collect();
        assert_eq!(kept, [8, 9, 10], "the bytes bound dropped the oldest");
        assert!(log.bytes() <= 10_000);
        log.push(request(11), 50_000, 5, 10_000);
        assert_eq!(
            log.requests().len(),
            1,
            "one request over the bound is still kept"
        );
        log.clear();
        assert_eq!((log.requests().len(), log.bytes()), (0, 0));
    }
}
