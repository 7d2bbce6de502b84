package io.paystar

import com.sun.jna.JNIEnv
import com.sun.jna.Native
import io.paystar.ffi.Call
import io.paystar.ffi.CallOutcome
import io.paystar.ffi.FfiConverterTypeCall
import io.paystar.ffi.FfiConverterTypeCallOutcome
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine
import java.nio.ByteBuffer
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread

/**
 * The per-call path into the native library through JNI (bindings-kotlin/src/jni_entry.rs).
 *
 * Every other native function goes through uniffi's JNA bindings, which allocate a JNA `Memory`
 * per argument buffer, per answer and per call status: a global map entry and a cleaner
 * registration each, contended by every calling thread. A call is the one function that runs
 * per request, so it crosses as a plain `byte[]` each way instead, in uniffi's own
 * serialisation of [Call] and [CallOutcome] (the generated converters): the shapes stay
 * core's and uniffi's, and nothing is allocated outside the Java heap on this side.
 *
 * A `suspend` call blocks no thread: it starts the call on the native runtime and suspends.
 * The runtime's threads never call into the JVM; they queue the outcome under the call's
 * ticket, and one daemon thread (`paystar-completions`) waits in native code for finished
 * calls, takes every one queued by then in one crossing and resumes their coroutines (each on
 * its own dispatcher).
 */
internal object NativeCalls {
    init {
        JniBinding.bind()
    }

    /** This copy of the layer's completion queue in the library (one per class loader). */
    private val queue: Long = openQueue()

    /** Suspended calls by ticket, until their outcome arrives or they are cancelled. */
    private val waiting = ConcurrentHashMap<Long, CancellableContinuation<ByteBuffer>>()
    private val tickets = AtomicLong()

    /** The thread that resumes suspended calls, started with the first. */
    private val completions: Thread by lazy {
        thread(isDaemon = true, name = "paystar-completions") { deliver() }
    }

    /** Runs [call] on the client numbered [client] (blocking the calling thread) and returns its outcome. */
    fun execute(client: ULong, call: Call): CallOutcome {
        val request = serialised(call)
        return FfiConverterTypeCallOutcome.read(ByteBuffer.wrap(call(client.toLong(), request.array(), request.position())))
    }

    /**
     * Runs [call] on the client numbered [client] without blocking a thread. Cancelling the
     * coroutine stops the call through its `callId` (its outcome is then dropped).
     */
    suspend fun executeSuspending(client: ULong, call: Call): CallOutcome {
        val request = serialised(call)
        completions.isAlive // started before the first outcome can be queued
        val answer = suspendCancellableCoroutine { waiter ->
            if (!waiter.isActive) return@suspendCancellableCoroutine // cancelled already: send nothing
            val ticket = tickets.incrementAndGet()
            waiting[ticket] = waiter
            waiter.invokeOnCancellation {
                waiting.remove(ticket)
                io.paystar.ffi.cancel(call.callId)
            }
            try {
                start(client.toLong(), request.array(), request.position(), queue, ticket)
            } catch (e: Throwable) {
                waiting.remove(ticket)
                throw e
            }
        }
        return FfiConverterTypeCallOutcome.read(answer)
    }

    /** uniffi's serialisation of [call]; its size is an upper bound (the native side reads up to `position`). */
    private fun serialised(call: Call): ByteBuffer {
        val buffer = ByteBuffer.allocate(FfiConverterTypeCall.allocationSize(call).toInt())
        FfiConverterTypeCall.write(call, buffer)
        return buffer
    }

    /** The completion thread: resumes each finished call's coroutine with its outcome's bytes. */
    private fun deliver() {
        while (true) {
            val batch = try {
                ByteBuffer.wrap(finished(queue))
            } catch (e: Throwable) {
                // Only a JVM out of memory for the batch's array gets here.
                System.getLogger("paystar").log(System.Logger.Level.ERROR, "paystar could not take finished calls", e)
                continue
            }
            while (batch.hasRemaining()) {
                val ticket = batch.getLong()
                val length = batch.getInt()
                val outcome = ByteBuffer.wrap(batch.array(), batch.position(), length)
                batch.position(batch.position() + length)
                waiting.remove(ticket)?.resumeWith(Result.success(outcome))
            }
        }
    }

    /** The native call: the first [length] bytes of [call] are a serialised [Call]; answers a serialised [CallOutcome]. */
    @JvmStatic
    private external fun call(client: Long, call: ByteArray, length: Int): ByteArray

    /** A new completion queue in the library. */
    @JvmStatic
    private external fun openQueue(): Long

    /** Starts the call in the first [length] bytes of [call]; its outcome comes from [finished] on [queue] under [ticket]. */
    @JvmStatic
    private external fun start(client: Long, call: ByteArray, length: Int, queue: Long, ticket: Long)

    /** Waits for finished calls on [queue]: each is its ticket (8 bytes), its outcome's length (4) and the outcome. */
    @JvmStatic
    private external fun finished(queue: Long): ByteArray
}

/**
 * Binds [NativeCalls]'s `external` methods to the library JNA loaded for uniffi: the JVM only
 * looks up `Java_...` symbols in libraries loaded by `System.load`, and JNA's copy of the
 * library is extracted from the JAR into a file it deletes at once, so the library registers
 * the methods itself (JNI `RegisterNatives`), given the calling thread's `JNIEnv`.
 */
private object JniBinding {
    init {
        // The library uniffi's bindings load (the same name and class loader: JNA's one instance).
        val name = System.getProperty("uniffi.component.paystar_kotlin.libraryOverride") ?: "paystar_kotlin"
        Native.register(JniBinding::class.java, name)
    }

    /** Registers the native methods of [NativeCalls]; throws when the class or a method cannot be bound. */
    fun bind() {
        check(paystar_kotlin_bind_jni(JNIEnv.CURRENT) == 1) { "paystar could not bind its native calls" }
    }

    @JvmStatic
    @Suppress("FunctionName")
    private external fun paystar_kotlin_bind_jni(env: JNIEnv): Int
}
