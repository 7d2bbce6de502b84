//! Why a webhook was refused: the `reason` of a `webhook_error`, and what an endpoint answers.

/// Why a webhook was refused: the `reason` of a `webhook_error`, the same names in every
/// language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebhookReason {
    /// The body is over [`MAX_WEBHOOK_BYTES`](crate::webhook::MAX_WEBHOOK_BYTES).
    TooLarge,
    /// A header the scheme needs is absent.
    MissingHeader,
    /// A signature or timestamp header cannot be read (not hex/base64, not an integer).
    MalformedHeader,
    /// No configured secret produced the signature (a tampered body or a wrong secret).
    SignatureMismatch,
    /// The timestamp is older than the tolerance (a replay, or a slow redelivery).
    TimestampTooOld,
    /// The timestamp is further ahead than the tolerance.
    TimestampInFuture,
    /// The body is not JSON (or not UTF-8).
    NotJson,
    /// The body is JSON but not an object.
    NotObject,
    /// `amount` or `serviceFee` is present but not an exact amount.
    InvalidAmount,
}

impl WebhookReason {
    /// Every reason, for bindings that export the list.
    pub const ALL: [WebhookReason; 9] = [
        WebhookReason::TooLarge,
        WebhookReason::MissingHeader,
        WebhookReason::MalformedHeader,
        WebhookReason::SignatureMismatch,
        WebhookReason::TimestampTooOld,
        WebhookReason::TimestampInFuture,
        WebhookReason::NotJson,
        WebhookReason::NotObject,
        WebhookReason::InvalidAmount,
    ];

    /// The stable name, e.g. `"signature_mismatch"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            WebhookReason::TooLarge => "too_large",
            WebhookReason::MissingHeader => "missing_header",
            WebhookReason::MalformedHeader => "malformed_header",
            WebhookReason::SignatureMismatch => "signature_mismatch",
            WebhookReason::TimestampTooOld => "timestamp_too_old",
            WebhookReason::TimestampInFuture => "timestamp_in_future",
            WebhookReason::NotJson => "not_json",
            WebhookReason::NotObject => "not_object",
            WebhookReason::InvalidAmount => "invalid_amount",
        }
    }
}

impl WebhookReason {
    /// The HTTP status a webhook endpoint answers with for this refusal (the framework
    /// helpers use it): 401 when the sender is not authenticated, 413 for a body too large,
    /// 400 for an authentic body that cannot be read.
    /// Decision: docs/decisions.md#webhook-answers.
    pub const fn response_status(self) -> u16 {
        match self {
            WebhookReason::TooLarge => 413,
            WebhookReason::NotJson | WebhookReason::NotObject | WebhookReason::InvalidAmount => 400,
            _ => 401,
        }
    }
}

impl std::fmt::Display for WebhookReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
