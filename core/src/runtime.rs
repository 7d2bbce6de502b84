//! One process-wide tokio runtime, created lazily and tagged with the process id.
//!
//! After `fork()` (gunicorn `--preload`, Celery prefork) the child inherits the parent's runtime
//! object but not its threads, and registering sockets on the inherited epoll descriptor can
//! crash the parent. So the runtime (and every connection pool, see `transport`) is keyed by
//! `std::process::id()`: a child builds fresh ones and leaks the inherited ones, never touching
//! them. The runtime is never created at import or link time, only on first use.

use std::cell::Cell;
use std::future::Future;
use std::sync::Mutex;

use tokio::runtime::{Handle, Runtime};

use crate::error::{Error, Result};

static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

thread_local! {
    /// This thread's copy of the slot, so a call finds the runtime without taking the lock. A
    /// forked child inherits it with the parent's pid, which no longer matches.
    static CACHED: Cell<Option<(u32, &'static Runtime)>> = const { Cell::new(None) };
}

/// The handle of this process's shared runtime, building it on first use (and again after a
/// fork). Lock-free once this thread has seen the runtime.
pub fn handle() -> Result<Handle> {
    let pid = std::process::id();
    if let Some((owner, rt)) = CACHED.with(Cell::get) {
        if owner == pid {
            return Ok(rt.handle().clone());
        }
    }
    let rt = runtime_for(pid)?;
    CACHED.with(|c| c.set(Some((pid, rt))));
    Ok(rt.handle().clone())
}

/// The handle of the runtime for process `pid` (see [`runtime_for`]).
#[cfg(test)]
fn handle_for(pid: u32) -> Result<Handle> {
    runtime_for(pid).map(|rt| rt.handle().clone())
}

/// The runtime for process `pid`: reused while the pid matches, rebuilt (the old one leaked)
/// when it changes. The lock is held only to read or swap the slot, never while building, so
/// a `fork()` from another thread cannot leave it held for long.
fn runtime_for(pid: u32) -> Result<&'static Runtime> {
    let current = || *RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, rt)) = current() {
        if owner == pid {
            return Ok(rt);
        }
        // Inherited through fork: its threads do not exist here. Leak it (it is &'static
        // already) and build a fresh one.
    }
    let built = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(worker_threads())
        .thread_name("paystar-rt")
        .enable_all()
        .build()
        .map_err(|e| Error::internal(format!("could not start the runtime: {e}")))?;
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    match *slot {
        // Another thread won the race: use its runtime, shut ours down without blocking.
        Some((owner, rt)) if owner == pid => {
            drop(slot);
            built.shutdown_background();
            Ok(rt)
        }
        _ => {
            let rt: &'static Runtime = Box::leak(Box::new(built));
            *slot = Some((pid, rt));
            Ok(rt)
        }
    }
}

fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4))
}

/// Runs `fut` on the shared runtime and blocks the calling thread until it finishes.
///
/// (Driving the future on the calling thread with `Handle::block_on` was tried: a call then
/// started before the previous one's connection was back in the pool, so sequential calls
/// opened a second connection; `tests/soak.rs` catches it.)
///
/// Safe to call from any thread, including from inside another runtime (it blocks that thread
/// rather than panicking).
pub fn block_on<F>(fut: F) -> Result<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handle = handle()?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    handle.spawn(async move {
        let _ = tx.send(fut.await);
    });
    rx.recv()
        .map_err(|_| Error::internal("the runtime stopped before the call finished"))
}

/// Runs `fut` on the shared runtime and awaits it from any executor; dropping the returned
/// future cancels it. Already on the shared runtime (a binding spawned the call there), it is
/// awaited in place: no second hop, and task-locals of the caller's task (the Node binding's
/// per-call log) stay visible.
pub async fn run<F>(fut: F) -> Result<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let shared = handle()?;
    if Handle::try_current().is_ok_and(|current| current.id() == shared.id()) {
        return Ok(fut.await);
    }
    struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);
    impl<T> Drop for AbortOnDrop<T> {
        fn drop(&mut self) {
            self.0.abort();
        }
    }
    let mut task = AbortOnDrop(shared.spawn(fut));
    (&mut task.0)
        .await
        .map_err(|e| Error::internal(format!("the call's task failed: {e}")))
}

/// A value of this process (a connection pool, an in-flight limit): built for the process that
/// first asks, rebuilt in a child after `fork()` (the inherited one is forgotten, never used or
/// dropped: it belongs to the parent's threads, which do not exist in the child).
///
/// A fork can happen at any instant, also while a parent's thread held this slot's lock: the
/// child would then wait forever for a thread it does not have. So a child never waits on the
/// lock: it tries it for a while, and if the lock stays taken it uses a value of its own,
/// uncached (a fresh pool per call: slower, never stuck).
pub(crate) struct PerProcess<T> {
    slot: std::sync::RwLock<Option<(u32, T)>>,
}

impl<T: Clone> PerProcess<T> {
    /// A slot holding `value` for this process.
    pub fn new(value: T) -> PerProcess<T> {
        PerProcess {
            slot: std::sync::RwLock::new(Some((std::process::id(), value))),
        }
    }

    /// This process's value, built by `build` when the slot holds another process's.
    pub fn get(&self, build: impl FnOnce() -> Result<T>) -> Result<T> {
        self.get_for(std::process::id(), build)
    }

    /// The value for process `pid` (tests stand in for a fork with another pid).
    fn get_for(&self, pid: u32, build: impl FnOnce() -> Result<T>) -> Result<T> {
        // Shared read: calls in flight do not queue behind each other.
        if let Ok(slot) = self.slot.try_read() {
            if let Some((owner, value)) = slot.as_ref() {
                if *owner == pid {
                    return Ok(value.clone());
                }
            }
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(100);
        loop {
            match self.slot.try_write() {
                Ok(mut slot) => {
                    if let Some((owner, value)) = slot.as_ref() {
                        if *owner == pid {
                            return Ok(value.clone());
                        }
                    }
                    let fresh = build()?;
                    if let Some(inherited) = slot.replace((pid, fresh.clone())) {
                        std::mem::forget(inherited);
                    }
                    return Ok(fresh);
                }
                Err(std::sync::TryLockError::Poisoned(p)) => {
                    let mut slot = p.into_inner();
                    let fresh = build()?;
                    if let Some(inherited) = slot.replace((pid, fresh.clone())) {
                        std::mem::forget(inherited);
                    }
                    return Ok(fresh);
                }
                Err(std::sync::TryLockError::WouldBlock)
                    if std::time::Instant::now() < deadline =>
                {
                    std::thread::yield_now();
                }
                // Held since before the fork by a thread this process does not have.
                Err(std::sync::TryLockError::WouldBlock) => return build(),
            }
        }
    }
}

/// A number that differs between calls and between processes (the process's random hasher keys
/// and the clock): for retry jitter and the mock's seeds, which need no cryptographic strength.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

#[cfg(test)]
mod tests {
    /// Tests that compare runtime ids must not interleave with the one that swaps the slot.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    #[test]
    fn one_runtime_per_process() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let a = super::handle().unwrap();
        let b = super::handle().unwrap();
        assert_eq!(a.id(), b.id());
        assert_eq!(super::block_on(async { 40 + 2 }).unwrap(), 42);
    }

    #[test]
    fn a_thread_that_has_seen_the_runtime_finds_it_without_the_lock() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            let first = super::handle().unwrap().id();
            ready_tx.send(()).unwrap();
            go_rx.recv().unwrap();
            done_tx
                .send(super::handle().unwrap().id() == first)
                .unwrap();
        });
        ready_rx.recv().unwrap();
        // Another thread holds the lock (as one forking mid-build would): the lookup must not
        // need it.
        let held = super::RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
        go_tx.send(()).unwrap();
        let found = done_rx.recv_timeout(std::time::Duration::from_secs(5));
        drop(held);
        worker.join().unwrap();
        assert_eq!(found, Ok(true), "the lookup waited for the lock");
    }

    #[test]
    fn a_new_process_id_gets_a_new_runtime_and_the_old_one_is_left_alone() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        // Stands in for fork(): what the child sees is a different pid in the slot.
        let real = std::process::id();
        let fake = real.wrapping_add(1_000_000);
        let parent = super::handle_for(real).unwrap();
        let child = super::handle_for(fake).unwrap();
        assert_ne!(parent.id(), child.id());
        assert_eq!(super::handle_for(fake).unwrap().id(), child.id());
        // The leaked runtime still runs what was spawned on it, untouched.
        assert_eq!(parent.block_on(async { 1 }), 1);
        let back = super::handle_for(real).unwrap();
        assert_ne!(back.id(), child.id());
        assert_eq!(super::block_on(async { 2 }).unwrap(), 2);
    }

    /// A child (another pid) gets its own value; and when the slot's lock was held at the fork
    /// by a thread the child does not have, the child does not wait for it.
    #[test]
    fn per_process_values_are_rebuilt_and_never_wait_on_an_inherited_lock() {
        let slot = std::sync::Arc::new(super::PerProcess::new(1u32));
        let me = std::process::id();
        let child = me.wrapping_add(1_000_000);
        assert_eq!(slot.get_for(me, || Ok(99)).unwrap(), 1);
        assert_eq!(slot.get_for(child, || Ok(2)).unwrap(), 2);
        assert_eq!(
            slot.get_for(child, || Ok(3)).unwrap(),
            2,
            "cached for the child"
        );
        // A reader that never lets go (the state a fork can leave behind).
        let held = std::sync::Arc::clone(&slot);
        let (taken_tx, taken_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let holder = std::thread::spawn(move || {
            let _guard = held.slot.read().unwrap();
            taken_tx.send(()).unwrap();
            release_rx.recv().unwrap();
        });
        taken_rx.recv().unwrap();
        let started = std::time::Instant::now();
        let grandchild = child.wrapping_add(1);
        assert_eq!(slot.get_for(grandchild, || Ok(7)).unwrap(), 7);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        release_tx.send(()).unwrap();
        holder.join().unwrap();
    }

    #[tokio::test]
    async fn block_on_inside_a_runtime_does_not_panic() {
        let v = tokio::task::spawn_blocking(|| super::block_on(async { 7 }).unwrap()).await;
        assert_eq!(v.unwrap(), 7);
        assert_eq!(super::run(async { 8 }).await.unwrap(), 8);
    }

    #[test]
    fn run_on_the_shared_runtime_stays_in_the_callers_task() {
        let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
        tokio::task_local! { static TAG: u32; }
        let handle = super::handle().unwrap();
        let seen = super::block_on(async move {
            let inner = handle.spawn(TAG.scope(7, async {
                super::run(async { TAG.try_with(|t| *t).ok() })
                    .await
                    .unwrap()
            }));
            inner.await.unwrap()
        })
        .unwrap();
        assert_eq!(seen, Some(7));
        // From elsewhere it still hops onto the shared runtime.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let id = rt.block_on(super::run(async { tokio::runtime::Handle::current().id() }));
        assert_eq!(id.unwrap(), super::handle().unwrap().id());
    }
}
