//! The call path through JNI: `io.paystar.NativeCalls`'s `call` (blocking), `start` and
//! `finished` (suspending).
//!
//! uniffi's Kotlin passes every argument through JNA, which allocates a `Memory` (a global map
//! entry and a cleaner registration) for the argument's `RustBuffer`, the answer's and the call
//! status: per call, contended by every calling thread (benches/NOTES.md, "Issue 23"). These
//! take the same bytes in a Java `byte[]` instead: the call is written with uniffi's own
//! serialisation of [`Call`] (Kotlin's generated `FfiConverterTypeCall`) and the outcome read
//! back with `FfiConverterTypeCallOutcome`, so no shape is declared twice and uniffi keeps the
//! rest of the surface.
//!
//! A suspending call blocks no JVM thread: `start` spawns it on core's runtime and returns;
//! the runtime's task queues the outcome under the call's ticket and signals (it never calls
//! into the JVM); the Kotlin layer's one completion thread waits in `finished`, which hands
//! over every outcome queued by then in one `byte[]`.
//!
//! The JVM finds these methods by `RegisterNatives`, not by `Java_...` symbols: JNA loads
//! this library (from the JAR, into a temporary file it deletes), and the JVM only searches
//! libraries loaded by `System.load` for symbols. So the Kotlin layer calls
//! [`paystar_kotlin_bind_jni`] once through JNA, which hands over the calling thread's
//! `JNIEnv` (`com.sun.jna.JNIEnv.CURRENT`).
//!
//! The only unsafe code in the crate (its `deny` is lifted here alone): the export's
//! `no_mangle`, the raw `JNIEnv` JNA passes, and the method table `RegisterNatives` takes.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::sync::{Arc, Condvar, Mutex, RwLock};

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass};
use jni::sys::{jint, jlong};
use jni::{Env, EnvUnowned, NativeMethod, jni_str};
use paystar::bridge;
use uniffi::{Lift, Lower};

use crate::{Call, CallOutcome, UniFfiTag};

/// Binds the `external` methods of `io.paystar.NativeCalls` to this library (JNI
/// `RegisterNatives`). The Kotlin layer calls it once, through JNA with
/// `JNIEnv.CURRENT`, before the first call. Returns 1; a failure (the class not found, a
/// signature that does not match) is thrown as a `RuntimeException` (the 0 returned beside it
/// is never seen).
#[unsafe(no_mangle)]
pub extern "C" fn paystar_kotlin_bind_jni(env: *mut jni::sys::JNIEnv) -> jint {
    if env.is_null() {
        return 0;
    }
    // SAFETY: JNA passes the JNIEnv of the calling thread, which the JVM keeps attached for
    // the duration of this (native method) call.
    let mut env = unsafe { EnvUnowned::from_raw(env) };
    env.with_env(|env| -> jni::errors::Result<jint> {
        let class = env.find_class(jni_str!("io/paystar/NativeCalls"))?;
        // SAFETY (each): the function named is `extern "system"`, takes the JNIEnv, the class
        // and the JNI forms of the parameters the signature lists, and returns its result.
        let methods = unsafe {
            [
                NativeMethod::from_raw_parts(
                    jni_str!("call"),
                    jni_str!("(J[BI)[B"),
                    call as *mut c_void,
                ),
                NativeMethod::from_raw_parts(
                    jni_str!("openQueue"),
                    jni_str!("()J"),
                    open_queue as *mut c_void,
                ),
                NativeMethod::from_raw_parts(
                    jni_str!("start"),
                    jni_str!("(J[BIJJ)V"),
                    start as *mut c_void,
                ),
                NativeMethod::from_raw_parts(
                    jni_str!("finished"),
                    jni_str!("(J)[B"),
                    finished as *mut c_void,
                ),
            ]
        };
        // SAFETY: the four are static methods, and each function's second parameter is the class.
        unsafe { env.register_native_methods(&class, &methods)? };
        Ok(1)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `NativeCalls.call`: the first `length` bytes of `call` are a [`Call`] as uniffi serialises
/// it; answers its [`CallOutcome`] the same way. The calling thread waits for the call (the
/// Kotlin layer's blocking twins). Never unwinds into the JVM: a panic in the call is a
/// `CallOutcome` with an `internal_error`; only a JNI failure (no memory for the answer)
/// throws.
extern "system" fn call<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    client: jlong,
    call: JByteArray<'local>,
    length: jint,
) -> JByteArray<'local> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'local>> {
        let bytes = call_bytes(env, &call, length)?;
        // The id is the Kotlin `ULong`'s bits, passed as a `long`.
        let answer = answer(u64::from_ne_bytes(client.to_ne_bytes()), &bytes);
        env.byte_array_from_slice(&answer)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `NativeCalls.openQueue`: a new completion queue's id. Each copy of the Kotlin layer (one
/// per class loader that loads the JAR) opens its own, so two copies sharing this library (a
/// library path both find) never take each other's outcomes.
extern "system" fn open_queue<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
) -> jlong {
    env.with_env(|_| -> jni::errors::Result<jlong> {
        let mut queues = QUEUES.write().unwrap_or_else(|p| p.into_inner());
        queues.push(Arc::new(Finished::default()));
        Ok(jlong::try_from(queues.len() - 1).unwrap_or(jlong::MAX))
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// The completion queue `id` ([`open_queue`]); an id never opened is a JNI error (thrown).
fn queue(id: jlong) -> jni::errors::Result<Arc<Finished>> {
    let queues = QUEUES.read().unwrap_or_else(|p| p.into_inner());
    usize::try_from(id)
        .ok()
        .and_then(|i| queues.get(i).cloned())
        .ok_or(jni::errors::Error::JniCall(
            jni::errors::JniError::InvalidArguments,
        ))
}

/// `NativeCalls.start`: starts the call in the first `length` bytes of `call` (as in [`call`])
/// on core's runtime and returns at once; its outcome is put on the completion queue `queue`
/// under `ticket`, for [`finished`]. The runtime's threads never call into the JVM: they queue
/// and signal.
extern "system" fn start<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    client: jlong,
    call: JByteArray<'local>,
    length: jint,
    queue_id: jlong,
    ticket: jlong,
) {
    env.with_env(|env| -> jni::errors::Result<()> {
        let bytes = call_bytes(env, &call, length)?;
        let settle = Settle {
            ticket: u64::from_ne_bytes(ticket.to_ne_bytes()),
            queue: queue(queue_id)?,
            queued: false,
        };
        let started = bridge::guard(|| {
            let call = read_call(&bytes)?;
            let handle = paystar::runtime::handle()?;
            Ok((call, handle))
        });
        let begun = started
            .map_err(|e| CallOutcome::failed(&e))
            .and_then(|(call, handle)| {
                let call = crate::client::begin(u64::from_ne_bytes(client.to_ne_bytes()), call)?;
                Ok((call, handle))
            });
        match begun {
            Err(done) => settle.done(done),
            Ok((call, handle)) => {
                handle.spawn(async move { settle.done(call.await) });
            }
        }
        Ok(())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `NativeCalls.finished`: waits until at least one call started on the completion queue
/// `queue_id` has finished, then answers every finished one: for each, its ticket (8 bytes),
/// the length of its outcome (4 bytes, both big-endian) and the outcome as [`call`] answers it.
/// The Kotlin layer's one completion thread calls it in a loop.
extern "system" fn finished<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    queue_id: jlong,
) -> JByteArray<'local> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'local>> {
        let finished = queue(queue_id)?;
        let batch = {
            let mut queue = lock(&finished.queue);
            while queue.is_empty() {
                queue = finished
                    .ready
                    .wait(queue)
                    .unwrap_or_else(|p| p.into_inner());
            }
            std::mem::take(&mut *queue)
        };
        env.byte_array_from_slice(&batch)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// One completion queue: finished calls not yet taken by [`finished`], already in its format.
#[derive(Default)]
struct Finished {
    queue: Mutex<Vec<u8>>,
    ready: Condvar,
}

/// Every completion queue opened, by id (a handful per process at most: one per class loader).
static QUEUES: RwLock<Vec<Arc<Finished>>> = RwLock::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A started call's outcome, queued exactly once: the outcome, or (if the task ends any other
/// way: a panic, the runtime shutting down) an `internal_error`, so no coroutine waits forever.
struct Settle {
    ticket: u64,
    queue: Arc<Finished>,
    queued: bool,
}

impl Settle {
    fn done(mut self, outcome: CallOutcome) {
        self.queue(outcome);
    }

    fn queue(&mut self, outcome: CallOutcome) {
        if std::mem::replace(&mut self.queued, true) {
            return;
        }
        let bytes = write_outcome(outcome);
        let length = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        let mut queue = lock(&self.queue.queue);
        queue.extend_from_slice(&self.ticket.to_be_bytes());
        queue.extend_from_slice(&length.to_be_bytes());
        queue.extend_from_slice(&bytes);
        drop(queue);
        self.queue.ready.notify_one();
    }
}

impl Drop for Settle {
    fn drop(&mut self) {
        if !self.queued {
            let e = paystar::Error::internal("the call stopped before it finished (a bug)");
            self.queue(CallOutcome::failed(&e));
        }
    }
}

/// A [`Call`] from uniffi's serialisation of it.
fn read_call(bytes: &[u8]) -> paystar::Result<Call> {
    <Call as Lift<UniFfiTag>>::try_read(&mut &bytes[..])
        .map_err(|e| paystar::Error::internal(format!("unreadable call: {e}")))
}

/// uniffi's serialisation of a [`CallOutcome`].
fn write_outcome(outcome: CallOutcome) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    <CallOutcome as Lower<UniFfiTag>>::write(outcome, &mut out);
    out
}

/// The first `length` bytes of the Java array `call` (its size is uniffi's upper bound).
fn call_bytes(env: &Env<'_>, call: &JByteArray<'_>, length: jint) -> jni::errors::Result<Vec<u8>> {
    let mut bytes = env.convert_byte_array(call)?;
    bytes.truncate(usize::try_from(length).unwrap_or(0));
    Ok(bytes)
}

/// Reads the call, runs it, and writes its outcome.
fn answer(client: u64, bytes: &[u8]) -> Vec<u8> {
    let outcome = bridge::guard(|| Ok(crate::client::execute(client, read_call(bytes)?)))
        .unwrap_or_else(|e| CallOutcome::failed(&e));
    write_outcome(outcome)
}
