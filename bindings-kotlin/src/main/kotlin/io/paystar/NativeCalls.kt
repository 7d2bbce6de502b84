package io.paystar

import com.sun.jna.JNIEnv
import com.sun.jna.Native
import io.paystar.ffi.Call
import io.paystar.ffi.CallOutcome
import io.paystar.ffi.FfiConverterTypeCall
import io.paystar.ffi.FfiConverterTypeCallOutcome
import java.nio.ByteBuffer

/**
 * The per-call path into the native library through JNI (bindings-kotlin/src/jni_entry.rs).
 *
 * Every other native function goes through uniffi's JNA bindings, which allocate a JNA `Memory`
 * per argument buffer, per answer and per call status: a global map entry and a cleaner
 * registration each, contended by every calling thread. A call is the one function that runs
 * per request, so it crosses as a plain `byte[]` each way instead, in uniffi's own
 * serialisation of [Call] and [CallOutcome] (the generated converters): the shapes stay
 * core's and uniffi's, and nothing is allocated outside the Java heap on this side.
 */
internal object NativeCalls {
    init {
        JniBinding.bind()
    }

    /** Runs [call] on the client numbered [client] (blocking the calling thread) and returns its outcome. */
    fun execute(client: ULong, call: Call): CallOutcome {
        // uniffi's size is an upper bound (3 bytes per UTF-16 unit): the native side reads `length`.
        val request = ByteBuffer.allocate(FfiConverterTypeCall.allocationSize(call).toInt())
        FfiConverterTypeCall.write(call, request)
        val answer = ByteBuffer.wrap(call(client.toLong(), request.array(), request.position()))
        return FfiConverterTypeCallOutcome.read(answer)
    }

    /** The native call: the first [length] bytes of [call] are a serialised [Call]; answers a serialised [CallOutcome]. */
    @JvmStatic
    private external fun call(client: Long, call: ByteArray, length: Int): ByteArray
}

/**
 * Binds [NativeCalls]'s `external` method to the library JNA loaded for uniffi: the JVM only
 * looks up `Java_...` symbols in libraries loaded by `System.load`, and JNA's copy of the
 * library is extracted from the JAR into a file it deletes at once, so the library registers
 * the method itself (JNI `RegisterNatives`), given the calling thread's `JNIEnv`.
 */
private object JniBinding {
    init {
        // The library uniffi's bindings load (the same name and class loader: JNA's one instance).
        val name = System.getProperty("uniffi.component.paystar_kotlin.libraryOverride") ?: "paystar_kotlin"
        Native.register(JniBinding::class.java, name)
    }

    /** Registers `NativeCalls.call`; throws when the class or the method cannot be bound. */
    fun bind() {
        check(paystar_kotlin_bind_jni(JNIEnv.CURRENT) == 1) { "paystar could not bind its native call" }
    }

    @JvmStatic
    @Suppress("FunctionName")
    private external fun paystar_kotlin_bind_jni(env: JNIEnv): Int
}
