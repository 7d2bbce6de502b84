package io.paystar

import io.paystar.ffi.core.Attribute
import io.paystar.ffi.core.AttributeValue
import io.paystar.ffi.core.TelemetryRecord

/**
 * One call's telemetry as the client records it: the trace context to send, and what to do
 * with core's record once the call is over (on the caller's thread).
 */
internal interface TracedCall {
    /** The call span's W3C `traceparent`, sent on every attempt (null: none to send). */
    val traceparent: String?

    /** Its `tracestate`, when there is one. */
    val tracestate: String?

    /** Whether anything records (a sampled span, a meter): else the call collects nothing. */
    val records: Boolean

    /** Records the attempts and points of [record] and ends the call span; null: the call was cancelled. */
    fun finish(record: TelemetryRecord?)
}

/**
 * Whether a call records telemetry. The OpenTelemetry API is an optional dependency: it is
 * looked up once (without initialising anything), and [OtelTelemetry], the only class that
 * names it, is loaded on the first call that records: a JAR without it loads no
 * OpenTelemetry class, and a client with `telemetry(false)` never looks.
 */
internal object Telemetry {
    private val available: Boolean by lazy {
        try {
            Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, Telemetry::class.java.classLoader)
            true
        } catch (e: ClassNotFoundException) {
            false
        } catch (e: LinkageError) {
            false
        }
    }

    /**
     * Core's webhook attributes as a map, set on `Span.current()` (the server's span) when the
     * API is present.
     */
    fun spanned(items: List<Attribute>): Map<String, Any> {
        if (items.isEmpty()) return emptyMap()
        val out = items.associate { a ->
            a.key to when (val v = a.value) {
                is AttributeValue.Text -> v.value
                is AttributeValue.Int -> v.value
                is AttributeValue.Bool -> v.value
            }
        }
        if (available) {
            try {
                OtelTelemetry.setCurrent(items)
            } catch (e: LinkageError) {
                // an OpenTelemetry API too old for what is used here
            } catch (e: RuntimeException) {
                // a broken telemetry setup never breaks the endpoint
            }
        }
        return out
    }

    /** Starts the call's span for [operation] when [enabled] and the API is present, else null. */
    fun start(enabled: Boolean, operation: String): TracedCall? {
        if (!enabled || !available) return null
        return try {
            OtelTelemetry.start(operation)
        } catch (e: LinkageError) {
            null // an OpenTelemetry API too old for what is used here: record nothing
        } catch (e: RuntimeException) {
            null // a broken telemetry setup never breaks the call
        }
    }
}
