//! The per-call entry point through JNI: `io.paystar.NativeCalls.call(client, call, length)`.
//!
//! uniffi's Kotlin passes every argument through JNA, which allocates a `Memory` (a global map
//! entry and a cleaner registration) for the argument's `RustBuffer`, the answer's and the call
//! status: per call, contended by every calling thread (benches/NOTES.md, "Issue 23"). This path
//! takes the same bytes in a Java `byte[]` instead: the call is written with uniffi's own
//! serialisation of [`Call`] (Kotlin's generated `FfiConverterTypeCall`) and the outcome read
//! back with `FfiConverterTypeCallOutcome`, so no shape is declared twice and uniffi keeps the
//! rest of the surface.
//!
//! The JVM finds `NativeCalls.call` by `RegisterNatives`, not by a `Java_...` symbol: JNA loads
//! this library (from the JAR, into a temporary file it deletes), and the JVM only searches
//! libraries loaded by `System.load` for symbols. So the Kotlin layer calls
//! [`paystar_kotlin_bind_jni`] once through JNA, which hands over the calling thread's
//! `JNIEnv` (`com.sun.jna.JNIEnv.CURRENT`).
//!
//! The only unsafe code in the crate (its `deny` is lifted here alone): the two exports'
//! `no_mangle`, the raw `JNIEnv` JNA passes, and the method table `RegisterNatives` takes.
#![allow(unsafe_code)]

use std::ffi::c_void;

use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass};
use jni::sys::{jint, jlong};
use jni::{EnvUnowned, NativeMethod, jni_str};
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
        // SAFETY: `call` below is `extern "system"`, takes (JNIEnv, jclass, jlong, jbyteArray,
        // jint) and returns a jbyteArray: the JNI form of `static byte[] call(long, byte[],
        // int)`, which is what the signature says.
        let methods = [unsafe {
            NativeMethod::from_raw_parts(
                jni_str!("call"),
                jni_str!("(J[BI)[B"),
                call as *mut c_void,
            )
        }];
        // SAFETY: `call` is a static method, and its second parameter is the class.
        unsafe { env.register_native_methods(&class, &methods)? };
        Ok(1)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `NativeCalls.call`: the first `length` bytes of `call` are a [`Call`] as uniffi serialises
/// it; answers its [`CallOutcome`] the same way. Runs the call on the calling thread, as the
/// uniffi `execute` did (the Kotlin layer calls it from its IO dispatcher). Never unwinds
/// into the JVM: a panic in the call is a `CallOutcome` with an `internal_error`; only a JNI
/// failure (no memory for the answer) throws.
extern "system" fn call<'local>(
    mut env: EnvUnowned<'local>,
    _class: JClass<'local>,
    client: jlong,
    call: JByteArray<'local>,
    length: jint,
) -> JByteArray<'local> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'local>> {
        let mut bytes = env.convert_byte_array(&call)?;
        bytes.truncate(usize::try_from(length).unwrap_or(0));
        // The id is the Kotlin `ULong`'s bits, passed as a `long`.
        let answer = answer(u64::from_ne_bytes(client.to_ne_bytes()), &bytes);
        env.byte_array_from_slice(&answer)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// Reads the call, runs it, and writes its outcome (uniffi's serialisations).
fn answer(client: u64, bytes: &[u8]) -> Vec<u8> {
    let outcome = bridge::guard(|| {
        let call = <Call as Lift<UniFfiTag>>::try_read(&mut &bytes[..])
            .map_err(|e| paystar::Error::internal(format!("unreadable call: {e}")))?;
        Ok(crate::client::execute(client, call))
    })
    .unwrap_or_else(|e| CallOutcome::failed(&e));
    let mut out = Vec::with_capacity(512);
    <CallOutcome as Lower<UniFfiTag>>::write(outcome, &mut out);
    out
}
