//! The webhook endpoint: each event handled exactly once, as one state machine every language
//! and framework adapter drives.
//!
//! ```text
//! receive (verify)  --refused-->  answer the refusal (401/400/413), touch no store
//!       |
//!   claim the event's key with a lease (default 60 s)
//!       |-- done         --> 200 {"duplicate": true}
//!       |-- in progress  --> 409 {"error": "in_progress"}  (the sender tries again later)
//!       |-- claimed
//!   run the handler
//!       |-- succeeded (returned; a 2xx where the framework gives a response)
//!       |        --> complete the key (default 7 days); answer 204 (or the handler's response)
//!       |-- failed (raised, or answered anything but 2xx)
//!                --> release the key at once; the handler's response (or its exception)
//! ```
//!
//! A process that dies inside the handler completes nothing and releases nothing: its lease
//! expires, and the next delivery of the event is handled. So no event is lost, and none is
//! handled twice while the store holds (and while handlers finish within the lease).
//!
//! The machine itself does no I/O ([`Endpoint::receive`], [`Delivery::after_claim`],
//! [`Delivery::after_handler`]): an adapter runs the store and the handler in its own
//! language and framework, and asks core what to do and what to answer at each step. Rust
//! callers can use [`Endpoint::handle`] with any [`DedupeStore`]; [`MemoryStore`] is the
//! in-process one every language wraps.
//!
//! ```
//! use paystar::webhook::{Endpoint, MemoryStore, Scheme, SignOptions, WebhookVerifier, sign};
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let verifier = WebhookVerifier::builder(Scheme::HmacSha256).secret("whsk_1").build()?;
//! let endpoint = Endpoint::new(verifier);
//! let store = MemoryStore::new();
//! let body = br#"{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_1","referenceNumber":"R1"}}"#;
//! let headers = sign(body, &SignOptions::new(Scheme::HmacSha256, "whsk_1"))?;
//! let first = endpoint.handle(body, &headers, &store, |_event| async { Ok::<_, std::io::Error>(None) }).await;
//! assert_eq!(first.unwrap().status, 204);
//! let again = endpoint.handle(body, &headers, &store, |_event| async { Ok::<_, std::io::Error>(None) }).await;
//! assert_eq!(again.unwrap().status, 200); // {"duplicate": true}: the handler did not run
//! # Ok::<(), paystar::Error>(()) }).unwrap();
//! ```

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::verify::{Headers, WebhookVerifier, hex};
use super::{WebhookEvent, WebhookReason};
use crate::error::{Error, Result};

/// How long a claim holds an event's key while its handler runs: 60 seconds. A handler that
/// may take longer needs a longer lease, or a redelivery arriving after it runs the handler
/// again.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);
/// How long a handled event's key is remembered: 7 days (redeliveries come within hours).
pub const DEFAULT_DONE_TTL: Duration = Duration::from_secs(7 * 86_400);
/// The longest lease accepted: 1 hour.
pub const MAX_LEASE: Duration = Duration::from_secs(3_600);
/// The longest done TTL accepted: 365 days.
pub const MAX_DONE_TTL: Duration = Duration::from_secs(365 * 86_400);
/// What every key a store sees starts with.
pub const STORE_KEY_PREFIX: &str = "paystar:webhook:";
/// The longest key a store sees, in bytes (memcached refuses keys over 250).
pub const MAX_STORE_KEY_BYTES: usize = 200;
/// The value a shared store keeps for a key whose handler is running (a lease).
pub const PENDING: &str = "pending";
/// The value a shared store keeps for a handled key.
pub const DONE: &str = "done";
/// How many keys a [`MemoryStore`] keeps; the oldest expiry goes first past it.
pub const MEMORY_STORE_MAX_KEYS: usize = 100_000;

/// What a store answers a claim with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Claim {
    /// The key was free: this delivery holds it now and runs the handler.
    Claimed,
    /// Another delivery of the event holds a lease on the key (its handler is running, or its
    /// process died and the lease has not expired yet).
    InProgress,
    /// The event was handled.
    Done,
}

impl Claim {
    /// Every claim outcome.
    pub const ALL: [Claim; 3] = [Claim::Claimed, Claim::InProgress, Claim::Done];

    /// `claimed`, `in_progress` or `done`: what a store in any language answers.
    pub const fn as_str(self) -> &'static str {
        match self {
            Claim::Claimed => "claimed",
            Claim::InProgress => "in_progress",
            Claim::Done => "done",
        }
    }

    /// The outcome named `name` ([`as_str`](Self::as_str)).
    pub fn from_name(name: &str) -> Option<Claim> {
        Claim::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// A shared store's answer when its atomic "add if absent" failed: the value it holds for
    /// the key ([`DONE`] or [`PENDING`]; `None` when it expired meanwhile, which counts as in
    /// progress: the sender tries again).
    pub fn of_existing(stored: Option<&str>) -> Claim {
        if stored == Some(DONE) {
            Claim::Done
        } else {
            Claim::InProgress
        }
    }
}

/// What an endpoint answers the sender: a status and a JSON body (`None`: no body).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body, or `None` for an empty one (204).
    pub body: Option<Value>,
}

impl Answer {
    fn json(status: u16, body: Value) -> Answer {
        Answer {
            status,
            body: Some(body),
        }
    }

    /// The body as text (`""` when there is none); its content type is `application/json`.
    pub fn body_text(&self) -> String {
        self.body.as_ref().map(Value::to_string).unwrap_or_default()
    }

    /// A handled event, when the handler gave no response of its own: 204.
    pub fn handled() -> Answer {
        Answer {
            status: 204,
            body: None,
        }
    }

    /// A redelivery of a handled event: 200 `{"duplicate": true}`.
    pub fn duplicate() -> Answer {
        Answer::json(200, json!({"duplicate": true}))
    }

    /// A delivery of an event another delivery is handling: 409 `{"error": "in_progress"}`,
    /// which senders treat as "try again later".
    pub fn in_progress() -> Answer {
        Answer::json(409, json!({"error": "in_progress"}))
    }

    /// A refused delivery: the reason's status (401, 400 or 413) and `{"error": reason}`.
    pub fn refused(reason: WebhookReason) -> Answer {
        Answer::json(reason.response_status(), json!({"error": reason.as_str()}))
    }

    /// The server cannot check deliveries (no webhook settings, no secret): 500
    /// `{"error": "misconfigured"}`, so the sender keeps the event and retries (a 4xx is final
    /// to senders, and would drop every event). The adapter logs why.
    pub fn misconfigured() -> Answer {
        Answer::json(500, json!({"error": "misconfigured"}))
    }

    /// The dedupe store failed (a shared cache is down): 503 `{"error": "store_unavailable"}`,
    /// so the sender retries later rather than the event being handled without its guard.
    pub fn store_unavailable() -> Answer {
        Answer::json(503, json!({"error": "store_unavailable"}))
    }
}

/// What a handler did, as the adapter saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// It returned normally, with the status of its own response when the framework gives one
    /// (`None`: no response of its own).
    Returned {
        /// The handler's response status, when it made one.
        status: Option<u16>,
    },
    /// It raised (threw, panicked), or its response never finished (the connection closed).
    Raised,
}

/// What to do with the store once the handler is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreAction {
    /// Mark the key handled for this long.
    Complete(Duration),
    /// Free the key at once, so the next delivery runs the handler.
    Release,
}

/// The end of a delivery: the store action, and the answer when core makes it (`None`: send
/// the handler's own response, or let its exception propagate).
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// Complete or release the key.
    pub store: StoreAction,
    /// The answer, when it is core's.
    pub answer: Option<Answer>,
}

/// Whether the handler succeeded: it returned, and any response of its own is a 2xx.
pub fn succeeded(handled: Handled) -> bool {
    match handled {
        Handled::Returned { status: None } => true,
        Handled::Returned { status: Some(s) } => (200..300).contains(&s),
        Handled::Raised => false,
    }
}

/// The key a store sees for an event's idempotency key: [`STORE_KEY_PREFIX`] and the key,
/// which [`WebhookEvent::idempotency_key`] keeps within [`MAX_STORE_KEY_BYTES`] in printable
/// ASCII without spaces (hashing one that is not).
pub fn store_key(idempotency_key: &str) -> String {
    format!("{STORE_KEY_PREFIX}{}", bounded_key(idempotency_key))
}

/// The longest idempotency key kept as it reads; a longer one is hashed.
pub(crate) const MAX_IDEMPOTENCY_KEY_BYTES: usize = MAX_STORE_KEY_BYTES - STORE_KEY_PREFIX.len();

/// `key` itself when it is printable ASCII without spaces and short enough, else `sha256:`
/// and its hex SHA-256 (71 bytes).
pub(crate) fn bounded_key(key: &str) -> String {
    let readable = key.len() <= MAX_IDEMPOTENCY_KEY_BYTES
        && !key.is_empty()
        && key.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if readable {
        key.to_owned()
    } else {
        format!("sha256:{}", hex(&Sha256::digest(key.as_bytes())))
    }
}

/// A verified delivery whose key is not claimed yet.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The authentic event.
    pub event: WebhookEvent,
    store_key: String,
    lease: Duration,
    done_ttl: Duration,
}

impl Delivery {
    /// The key to claim, complete or release.
    pub fn store_key(&self) -> &str {
        &self.store_key
    }

    /// How long the claim holds the key.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    /// How long a completed key is remembered.
    pub fn done_ttl(&self) -> Duration {
        self.done_ttl
    }

    /// After the claim: `None` runs the handler; otherwise the answer (a duplicate, or
    /// another delivery in progress), and the handler does not run.
    pub fn after_claim(&self, claim: Claim) -> Option<Answer> {
        after_claim(claim)
    }

    /// After the handler: complete the key when it succeeded (answering 204 when it made no
    /// response), release it at once when it failed.
    pub fn after_handler(&self, handled: Handled) -> Settlement {
        settlement(self.done_ttl, handled)
    }
}

/// After a claim: `None` runs the handler; otherwise the answer (a duplicate, or another
/// delivery in progress), and the handler does not run.
pub fn after_claim(claim: Claim) -> Option<Answer> {
    match claim {
        Claim::Claimed => None,
        Claim::InProgress => Some(Answer::in_progress()),
        Claim::Done => Some(Answer::duplicate()),
    }
}

/// After a handler: complete the key for `done_ttl` when it succeeded (answering 204 when it
/// made no response of its own), release it at once when it failed.
pub fn settlement(done_ttl: Duration, handled: Handled) -> Settlement {
    if succeeded(handled) {
        Settlement {
            store: StoreAction::Complete(done_ttl),
            answer: match handled {
                Handled::Returned { status: None } => Some(Answer::handled()),
                _ => None,
            },
        }
    } else {
        Settlement {
            store: StoreAction::Release,
            answer: None,
        }
    }
}

/// What [`Endpoint::receive`] found.
#[derive(Debug)]
pub enum Reception {
    /// Not authentic, unreadable or too large: answer it and touch no store.
    Refused {
        /// The `webhook_error` (log its message: it says why, never a secret).
        error: Error,
        /// What to answer.
        answer: Answer,
    },
    /// Authentic: claim its key next.
    Verified(Delivery),
}

/// A webhook endpoint: a verifier and the lease and done TTL of its keys. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Endpoint {
    verifier: Arc<WebhookVerifier>,
    lease: Duration,
    done_ttl: Duration,
}

impl Endpoint {
    /// An endpoint checking deliveries with `verifier`, with the default lease and done TTL.
    pub fn new(verifier: WebhookVerifier) -> Endpoint {
        Endpoint {
            verifier: Arc::new(verifier),
            lease: DEFAULT_LEASE,
            done_ttl: DEFAULT_DONE_TTL,
        }
    }

    /// How long a claim holds a key (1 second to 1 hour; default [`DEFAULT_LEASE`]).
    pub fn with_lease(mut self, lease: Duration) -> Result<Endpoint> {
        if lease < Duration::from_secs(1) || lease > MAX_LEASE {
            return Err(Error::option(
                "lease",
                "must be between 1 second and 1 hour",
            ));
        }
        self.lease = lease;
        self.check()
    }

    /// How long a handled key is remembered (longer than the lease, at most 365 days;
    /// default [`DEFAULT_DONE_TTL`]).
    pub fn with_done_ttl(mut self, ttl: Duration) -> Result<Endpoint> {
        if ttl > MAX_DONE_TTL {
            return Err(Error::option("done_ttl", "must be at most 365 days"));
        }
        self.done_ttl = ttl;
        self.check()
    }

    fn check(self) -> Result<Endpoint> {
        if self.done_ttl <= self.lease {
            return Err(Error::option("done_ttl", "must be longer than the lease"));
        }
        Ok(self)
    }

    /// The verifier.
    pub fn verifier(&self) -> &WebhookVerifier {
        &self.verifier
    }

    /// The lease.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    /// The done TTL.
    pub fn done_ttl(&self) -> Duration {
        self.done_ttl
    }

    /// Verifies and parses a delivery (`body` as received; an adapter reads at most
    /// [`MAX_WEBHOOK_BYTES`](super::MAX_WEBHOOK_BYTES) + 1 bytes of it).
    pub fn receive<H: Headers + ?Sized>(&self, body: &[u8], headers: &H) -> Reception {
        self.reception(self.verifier.verify(body, headers))
    }

    /// [`receive`](Self::receive) as if the time were `now` (Unix seconds): for tests.
    pub fn receive_at<H: Headers + ?Sized>(&self, body: &[u8], headers: &H, now: i64) -> Reception {
        self.reception(self.verifier.verify_at(body, headers, now))
    }

    fn reception(&self, verified: Result<WebhookEvent>) -> Reception {
        match verified {
            Ok(event) => Reception::Verified(Delivery {
                store_key: store_key(event.idempotency_key()),
                event,
                lease: self.lease,
                done_ttl: self.done_ttl,
            }),
            Err(error) => {
                let reason = error.webhook_reason().unwrap_or(WebhookReason::NotJson);
                Reception::Refused {
                    answer: Answer::refused(reason),
                    error,
                }
            }
        }
    }

    /// The whole endpoint for Rust servers: verifies, claims through `store`, runs `handler`
    /// once per event, completes or releases, and returns the answer. The handler gives
    /// `Ok(None)` when it handled the event (204), `Ok(Some(status))` for a response of its own
    /// (a non-2xx releases the key), or `Err` (the key is released and the error returned).
    /// A store failure answers [`Answer::store_unavailable`] (a failure after a successful
    /// handler keeps its answer: the lease then expires on its own).
    pub async fn handle<H, S, F, Fut, E>(
        &self,
        body: &[u8],
        headers: &H,
        store: &S,
        handler: F,
    ) -> std::result::Result<Answer, E>
    where
        H: Headers + ?Sized,
        S: DedupeStore,
        F: FnOnce(WebhookEvent) -> Fut,
        Fut: Future<Output = std::result::Result<Option<u16>, E>>,
    {
        let reception = self.receive(body, headers);
        self.run(reception, store, handler).await
    }

    /// [`handle`](Self::handle) as if the time were `now` (Unix seconds): for tests.
    pub async fn handle_at<H, S, F, Fut, E>(
        &self,
        body: &[u8],
        headers: &H,
        now: i64,
        store: &S,
        handler: F,
    ) -> std::result::Result<Answer, E>
    where
        H: Headers + ?Sized,
        S: DedupeStore,
        F: FnOnce(WebhookEvent) -> Fut,
        Fut: Future<Output = std::result::Result<Option<u16>, E>>,
    {
        let reception = self.receive_at(body, headers, now);
        self.run(reception, store, handler).await
    }

    async fn run<S, F, Fut, E>(
        &self,
        reception: Reception,
        store: &S,
        handler: F,
    ) -> std::result::Result<Answer, E>
    where
        S: DedupeStore,
        F: FnOnce(WebhookEvent) -> Fut,
        Fut: Future<Output = std::result::Result<Option<u16>, E>>,
    {
        let delivery = match reception {
            Reception::Refused { error, answer } => {
                tracing::warn!(reason = ?error.webhook_reason(), "webhook refused: {error}");
                return Ok(answer);
            }
            Reception::Verified(d) => d,
        };
        let key = delivery.store_key().to_owned();
        let claim = match store.claim(&key, delivery.lease()).await {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("webhook dedupe store failed to claim: {e}");
                return Ok(Answer::store_unavailable());
            }
        };
        if let Some(answer) = delivery.after_claim(claim) {
            return Ok(answer);
        }
        let outcome = handler(delivery.event.clone()).await;
        let handled = match &outcome {
            Ok(status) => Handled::Returned { status: *status },
            Err(_) => Handled::Raised,
        };
        let settlement = delivery.after_handler(handled);
        let stored = match settlement.store {
            StoreAction::Complete(ttl) => store.complete(&key, ttl).await,
            StoreAction::Release => store.release(&key).await,
        };
        if let Err(e) = stored {
            tracing::error!("webhook dedupe store failed to settle {key}: {e}");
        }
        let status = outcome?;
        Ok(settlement.answer.unwrap_or(Answer {
            status: status.unwrap_or(204),
            body: None,
        }))
    }
}

/// Where an endpoint remembers events: three atomic operations, each on one key.
///
/// A store for several processes must make `claim` atomic across them (Redis `SET key pending
/// NX PX lease`, a cache's `add`, a database insert on a unique key).
pub trait DedupeStore: Send + Sync {
    /// Takes `key` for `lease` if it is free; otherwise says whether it is done or held.
    fn claim(&self, key: &str, lease: Duration) -> impl Future<Output = Result<Claim>> + Send;
    /// Marks `key` handled for `ttl`.
    fn complete(&self, key: &str, ttl: Duration) -> impl Future<Output = Result<()>> + Send;
    /// Frees `key` (its handler failed).
    fn release(&self, key: &str) -> impl Future<Output = Result<()>> + Send;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Pending { until: Duration },
    Done { until: Duration },
}

impl Entry {
    fn until(self) -> Duration {
        match self {
            Entry::Pending { until } | Entry::Done { until } => until,
        }
    }
}

#[derive(Debug)]
struct Keys {
    entries: HashMap<String, Entry>,
    /// Added to the real clock: [`MemoryStore::advance`] moves it, for tests of expiry.
    offset: Duration,
}

/// An in-process [`DedupeStore`]: for one process (every language wraps this one), bounded to
/// [`MEMORY_STORE_MAX_KEYS`] keys. Several processes need a shared store.
#[derive(Debug)]
pub struct MemoryStore {
    keys: Mutex<Keys>,
    started: Instant,
    max: usize,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new()
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::with_capacity(MEMORY_STORE_MAX_KEYS)
    }

    /// An empty store keeping at most `max` keys (at least 1).
    pub fn with_capacity(max: usize) -> MemoryStore {
        MemoryStore {
            keys: Mutex::new(Keys {
                entries: HashMap::new(),
                offset: Duration::ZERO,
            }),
            started: Instant::now(),
            max: max.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Keys> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now(&self, keys: &Keys) -> Duration {
        self.started.elapsed().saturating_add(keys.offset)
    }

    /// [`DedupeStore::claim`], synchronously.
    pub fn claim_now(&self, key: &str, lease: Duration) -> Claim {
        let mut keys = self.lock();
        let now = self.now(&keys);
        match keys.entries.get(key) {
            Some(Entry::Done { until }) if *until > now => return Claim::Done,
            Some(Entry::Pending { until }) if *until > now => return Claim::InProgress,
            _ => {}
        }
        if keys.entries.len() >= self.max && !keys.entries.contains_key(key) {
            keys.entries.retain(|_, e| e.until() > now);
            if keys.entries.len() >= self.max {
                // Still full of live keys: the one expiring soonest goes.
                if let Some(oldest) = keys
                    .entries
                    .iter()
                    .min_by_key(|(_, e)| e.until())
                    .map(|(k, _)| k.clone())
                {
                    keys.entries.remove(&oldest);
                }
            }
        }
        keys.entries.insert(
            key.to_owned(),
            Entry::Pending {
                until: now.saturating_add(lease),
            },
        );
        Claim::Claimed
    }

    /// [`DedupeStore::complete`], synchronously.
    pub fn complete_now(&self, key: &str, ttl: Duration) {
        let mut keys = self.lock();
        let until = self.now(&keys).saturating_add(ttl);
        keys.entries.insert(key.to_owned(), Entry::Done { until });
    }

    /// [`DedupeStore::release`], synchronously.
    pub fn release_now(&self, key: &str) {
        self.lock().entries.remove(key);
    }

    /// What the store holds for `key` now: [`PENDING`], [`DONE`] or `None`.
    pub fn state(&self, key: &str) -> Option<&'static str> {
        let keys = self.lock();
        let now = self.now(&keys);
        match keys.entries.get(key) {
            Some(Entry::Pending { until }) if *until > now => Some(PENDING),
            Some(Entry::Done { until }) if *until > now => Some(DONE),
            _ => None,
        }
    }

    /// Moves this store's clock forward (leases and done keys expire as if `by` had passed):
    /// for tests of crash recovery and expiry.
    pub fn advance(&self, by: Duration) {
        let mut keys = self.lock();
        keys.offset = keys.offset.saturating_add(by);
    }
}

impl DedupeStore for MemoryStore {
    fn claim(&self, key: &str, lease: Duration) -> impl Future<Output = Result<Claim>> + Send {
        std::future::ready(Ok(self.claim_now(key, lease)))
    }

    fn complete(&self, key: &str, ttl: Duration) -> impl Future<Output = Result<()>> + Send {
        self.complete_now(key, ttl);
        std::future::ready(Ok(()))
    }

    fn release(&self, key: &str) -> impl Future<Output = Result<()>> + Send {
        self.release_now(key);
        std::future::ready(Ok(()))
    }
}

impl<T: DedupeStore> DedupeStore for Arc<T> {
    fn claim(&self, key: &str, lease: Duration) -> impl Future<Output = Result<Claim>> + Send {
        (**self).claim(key, lease)
    }

    fn complete(&self, key: &str, ttl: Duration) -> impl Future<Output = Result<()>> + Send {
        (**self).complete(key, ttl)
    }

    fn release(&self, key: &str) -> impl Future<Output = Result<()>> + Send {
        (**self).release(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_store_claims_leases_and_remembers() {
        let store = MemoryStore::new();
        let lease = Duration::from_secs(60);
        assert_eq!(store.claim_now("k", lease), Claim::Claimed);
        assert_eq!(store.claim_now("k", lease), Claim::InProgress);
        assert_eq!(store.state("k"), Some(PENDING));
        store.advance(Duration::from_secs(61));
        assert_eq!(store.state("k"), None, "the lease expired");
        assert_eq!(store.claim_now("k", lease), Claim::Claimed);
        store.complete_now("k", Duration::from_secs(3600));
        assert_eq!(store.claim_now("k", lease), Claim::Done);
        store.advance(Duration::from_secs(3601));
        assert_eq!(store.claim_now("k", lease), Claim::Claimed);
        store.release_now("k");
        assert_eq!(store.state("k"), None);
    }

    #[test]
    fn a_full_memory_store_drops_expired_keys_then_the_oldest() {
        let store = MemoryStore::with_capacity(2);
        let lease = Duration::from_secs(10);
        assert_eq!(store.claim_now("a", lease), Claim::Claimed);
        assert_eq!(
            store.claim_now("b", Duration::from_secs(20)),
            Claim::Claimed
        );
        assert_eq!(store.claim_now("c", lease), Claim::Claimed);
        assert_eq!(store.state("a"), None, "the soonest to expire went");
        assert_eq!(store.state("b"), Some(PENDING));
        assert_eq!(store.lock().entries.len(), 2);
    }

    #[test]
    fn keys_a_store_sees_are_bounded_printable_ascii() {
        let doc = "Payment.Succeeded:a6fb5g42-4280-46af-b04e-2c58067bc111:NYDVNT-WSQPG";
        assert_eq!(store_key(doc), format!("{STORE_KEY_PREFIX}{doc}"));
        for odd in [
            "a b",
            "é",
            &"x".repeat(MAX_IDEMPOTENCY_KEY_BYTES + 1),
            "",
            "tab\t",
        ] {
            let k = store_key(odd);
            assert!(k.len() <= MAX_STORE_KEY_BYTES, "{k}");
            assert!(k.starts_with("paystar:webhook:sha256:"), "{k}");
            assert!(k.bytes().all(|b| (0x21..=0x7e).contains(&b)), "{k}");
        }
        let edge = "x".repeat(MAX_IDEMPOTENCY_KEY_BYTES);
        assert_eq!(store_key(&edge).len(), MAX_STORE_KEY_BYTES);
    }

    #[test]
    fn the_rules_of_the_machine() {
        let verifier = WebhookVerifier::builder(super::super::Scheme::SharedSecret)
            .secret("s3cret-token")
            .build()
            .unwrap();
        let endpoint = Endpoint::new(verifier);
        let body = br#"{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_1","referenceNumber":"R"}}"#;
        let Reception::Verified(d) =
            endpoint.receive(body, &[("X-Webhook-Secret", "s3cret-token")][..])
        else {
            panic!("refused")
        };
        assert_eq!(d.store_key(), "paystar:webhook:Payment.Succeeded:ps_1:R");
        assert_eq!(d.after_claim(Claim::Claimed), None);
        assert_eq!(d.after_claim(Claim::Done).unwrap().status, 200);
        assert_eq!(d.after_claim(Claim::InProgress).unwrap().status, 409);
        let ok = d.after_handler(Handled::Returned { status: None });
        assert_eq!(ok.store, StoreAction::Complete(DEFAULT_DONE_TTL));
        assert_eq!(ok.answer, Some(Answer::handled()));
        let own = d.after_handler(Handled::Returned { status: Some(201) });
        assert_eq!(
            (own.store, own.answer),
            (StoreAction::Complete(DEFAULT_DONE_TTL), None)
        );
        for failed in [
            Handled::Raised,
            Handled::Returned { status: Some(500) },
            Handled::Returned { status: Some(400) },
            Handled::Returned { status: Some(302) },
        ] {
            assert_eq!(
                d.after_handler(failed).store,
                StoreAction::Release,
                "{failed:?}"
            );
        }
        let Reception::Refused { answer, .. } =
            endpoint.receive(body, &[("X-Webhook-Secret", "nope")][..])
        else {
            panic!("accepted a wrong secret")
        };
        assert_eq!(answer, Answer::refused(WebhookReason::SignatureMismatch));
        assert_eq!(answer.status, 401);
        assert!(endpoint.clone().with_lease(Duration::ZERO).is_err());
        assert!(
            endpoint
                .clone()
                .with_lease(Duration::from_secs(3601))
                .is_err()
        );
        assert!(
            endpoint
                .clone()
                .with_done_ttl(Duration::from_secs(30))
                .is_err()
        );
        assert!(
            endpoint
                .clone()
                .with_done_ttl(Duration::from_secs(366 * 86_400))
                .is_err()
        );
        assert_eq!(Claim::of_existing(Some(DONE)), Claim::Done);
        assert_eq!(Claim::of_existing(Some(PENDING)), Claim::InProgress);
        assert_eq!(Claim::of_existing(None), Claim::InProgress);
    }
}
