package io.paystar

import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.api.metrics.DoubleHistogram
import io.opentelemetry.api.metrics.LongCounter
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.Tracer
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapSetter
import io.paystar.ffi.core.Attribute
import io.paystar.ffi.core.AttributeValue
import io.paystar.ffi.core.TelemetryRecord
import java.util.concurrent.TimeUnit

/**
 * Core's telemetry record onto the OpenTelemetry API (`GlobalOpenTelemetry`, read with
 * `getOrNoop()` so paystar never fixes the global before the application sets it). Core names
 * every span, attribute and instrument (docs/observability.md); this only hands them over:
 * - before the call, the call's INTERNAL span is opened under `Context.current()` and its W3C
 *   trace context goes to core, which sends it on every attempt (the gateway's `traceparent`
 *   names the call span: the attempt spans are made after the call, on the caller's thread,
 *   never from paystar's runtime threads, so they do not exist while the request is sent);
 * - after the call, each attempt becomes a CLIENT span under it with its real start and end
 *   times, plus its `http.client.request.duration` point and the `paystar.client.calls` point.
 */
internal object OtelTelemetry {
    private val scope = io.paystar.ffi.telemetryScope()
    private val spanNames: Map<String, String> = scope.callSpans.associate { it.operation to it.name }

    /** The tracer and instruments of one `OpenTelemetry` instance (remade if the global changes). */
    private class Instruments(val of: io.opentelemetry.api.OpenTelemetry) {
        val tracer: Tracer = of.getTracer(scope.name, scope.version)
        private val meter = of.meterBuilder(scope.name).setInstrumentationVersion(scope.version).build()
        val duration: DoubleHistogram = meter.histogramBuilder(scope.duration.name)
            .setUnit(scope.duration.unit)
            .setDescription(scope.duration.description)
            .setExplicitBucketBoundariesAdvice(scope.duration.buckets)
            .build()
        val calls: LongCounter = meter.counterBuilder(scope.calls.name)
            .setUnit(scope.calls.unit)
            .setDescription(scope.calls.description)
            .build()
    }

    @Volatile
    private var instruments: Instruments? = null

    private fun instruments(): Instruments {
        val current = GlobalOpenTelemetry.getOrNoop()
        val made = instruments
        if (made != null && made.of === current) return made
        return Instruments(current).also { instruments = it }
    }

    private val setter = TextMapSetter<MutableMap<String, String>> { carrier, key, value -> carrier?.put(key, value) }

    fun start(operation: String): TracedCall {
        val otel = instruments()
        val parent = Context.current()
        val span = otel.tracer.spanBuilder(spanNames[operation] ?: "paystar.$operation")
            .setSpanKind(SpanKind.INTERNAL)
            .setParent(parent)
            .startSpan()
        val carrier = HashMap<String, String>(2)
        otel.of.propagators.textMapPropagator.inject(parent.with(span), carrier, setter)
        val records = span.isRecording || otel.of.meterProvider !== io.opentelemetry.api.metrics.MeterProvider.noop()
        return Call(otel, span, carrier["traceparent"], carrier["tracestate"], records)
    }

    /** Sets [items] on the current span (a webhook endpoint's outcome on the server's span). */
    fun setCurrent(items: List<Attribute>) {
        Span.current().setAllAttributes(attributes(items))
    }

    private fun attributes(items: List<Attribute>): Attributes {
        val b = Attributes.builder()
        for (a in items) {
            when (val v = a.value) {
                is AttributeValue.Text -> b.put(AttributeKey.stringKey(a.key), v.value)
                is AttributeValue.Int -> b.put(AttributeKey.longKey(a.key), v.value)
                is AttributeValue.Bool -> b.put(AttributeKey.booleanKey(a.key), v.value)
            }
        }
        return b.build()
    }

    private class Call(
        val otel: Instruments,
        val span: Span,
        override val traceparent: String?,
        override val tracestate: String?,
        override val records: Boolean,
    ) : TracedCall {
        override fun finish(record: TelemetryRecord?) {
            try {
                if (!records) {
                    span.end() // nothing records: the call collected nothing
                    return
                }
                if (record == null) {
                    span.setStatus(StatusCode.ERROR, "cancelled")
                    span.end()
                    return
                }
                val parent = Context.current().with(span)
                for (a in record.attempts) {
                    val child = otel.tracer.spanBuilder(a.name)
                        .setSpanKind(SpanKind.CLIENT)
                        .setParent(parent)
                        .setAllAttributes(attributes(a.attributes))
                        .setStartTimestamp(a.startUnixNano, TimeUnit.NANOSECONDS)
                        .startSpan()
                    a.errorType?.let { child.setStatus(StatusCode.ERROR, it) }
                    child.end(a.endUnixNano, TimeUnit.NANOSECONDS)
                    otel.duration.record(a.durationS, attributes(a.metricAttributes))
                }
                span.setAllAttributes(attributes(record.attributes))
                record.errorType?.let { span.setStatus(StatusCode.ERROR, it) }
                span.end()
                otel.calls.add(1, attributes(record.callsAttributes))
            } catch (e: RuntimeException) {
                // A broken telemetry setup never breaks the call.
            }
        }
    }
}
