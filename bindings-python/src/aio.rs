//! How `AsyncClient` gets results back to asyncio without touching Python from the runtime's
//! threads.
//!
//! pyo3's coroutine wakes its awaiting task by taking the GIL on whichever thread completes the
//! Rust future — for a call on the shared runtime, a runtime worker, which would then wait for
//! the GIL while the event loop runs (and call into Python off the loop's thread). Instead, a
//! call's task on the runtime hands its outcome to the loop's [`Completions`] and writes one byte
//! to a socket the loop watches (`loop.add_reader`, set up by `paystar._aio`); the loop's reader
//! callback drains the queue on the loop's own thread, where completing each call's channel
//! wakes its coroutine with the GIL already held.

use std::io::Write;
use std::os::fd::{IntoRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use tokio::sync::oneshot;

/// A finished call waiting for the loop: where to deliver it, and what.
type Done<T> = (oneshot::Sender<T>, T);

/// One event loop's queue of finished calls, and the socket that wakes the loop.
pub struct Queue<T> {
    finished: Mutex<Vec<Done<T>>>,
    signaled: AtomicBool,
    wake: UnixStream,
}

impl<T> Queue<T> {
    /// Queues a finished call (any thread, no GIL) and wakes the loop once per batch.
    pub fn push(&self, to: oneshot::Sender<T>, outcome: T) {
        self.finished
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((to, outcome));
        if !self.signaled.swap(true, Ordering::AcqRel) {
            // Non-blocking: a full buffer means a wake-up is already pending.
            let _ = (&self.wake).write(b"x");
        }
    }

    /// Delivers every queued call (on the loop's thread): their coroutines resume there.
    fn drain(&self) -> usize {
        self.signaled.store(false, Ordering::Release);
        let batch = std::mem::take(&mut *self.finished.lock().unwrap_or_else(|p| p.into_inner()));
        let n = batch.len();
        for (to, outcome) in batch {
            // The coroutine may be gone (cancelled): its outcome is dropped.
            let _ = to.send(outcome);
        }
        n
    }
}

/// A call's outcome: core's result and the call's log events.
pub type Outcome = (paystar::Result<paystar::Reply>, Vec<paystar::AttemptEvent>);

/// What the clients queue: a call's outcome, or a warm-up's (the answer's status).
pub enum Finished {
    /// An operation's outcome.
    Call(Outcome),
    /// `warm_up`'s status, or why no connection could be made.
    WarmUp(paystar::Result<u16>),
}

/// One event loop's completions (`paystar._aio` makes one per loop and calls [`drain`] from
/// the loop's reader callback).
///
/// [`drain`]: Completions::drain
#[pyclass(module = "paystar._native", name = "_Completions", frozen)]
pub struct Completions {
    /// The queue the runtime's tasks push to.
    pub queue: Arc<Queue<Finished>>,
    reader: Mutex<Option<UnixStream>>,
}

#[pymethods]
impl Completions {
    /// A socket pair: paystar keeps the write end; [`take_reader`](Self::take_reader) hands
    /// the read end to Python.
    #[new]
    fn new() -> PyResult<Self> {
        let (reader, wake) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        reader.set_nonblocking(true)?;
        Ok(Completions {
            queue: Arc::new(Queue {
                finished: Mutex::new(Vec::new()),
                signaled: AtomicBool::new(false),
                wake,
            }),
            reader: Mutex::new(Some(reader)),
        })
    }

    /// The read end's file descriptor, once; Python owns it from then on
    /// (`socket.socket(fileno=...)`).
    fn take_reader(&self) -> PyResult<RawFd> {
        self.reader
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .map(IntoRawFd::into_raw_fd)
            .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("the reader was taken"))
    }

    /// Delivers the finished calls; returns how many.
    fn drain(&self) -> usize {
        self.queue.drain()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_wake_up_per_batch_and_nothing_lost() {
        use std::io::Read;
        let (mut read, write) = std::os::unix::net::UnixStream::pair().unwrap();
        let q = super::Queue {
            finished: std::sync::Mutex::new(Vec::new()),
            signaled: std::sync::atomic::AtomicBool::new(false),
            wake: write,
        };
        let (tx1, mut rx1) = tokio::sync::oneshot::channel();
        let (tx2, mut rx2) = tokio::sync::oneshot::channel();
        q.push(tx1, 1);
        q.push(tx2, 2);
        let mut buf = [0u8; 8];
        assert_eq!(read.read(&mut buf).unwrap(), 1);
        assert_eq!(q.drain(), 2);
        assert_eq!((rx1.try_recv().unwrap(), rx2.try_recv().unwrap()), (1, 2));
        let (tx3, _) = tokio::sync::oneshot::channel::<i32>();
        q.push(tx3, 3); // its receiver is gone: dropped quietly
        assert_eq!(q.drain(), 1);
    }
}
