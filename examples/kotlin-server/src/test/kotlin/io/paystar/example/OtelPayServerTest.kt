package io.paystar.example

import com.sun.net.httpserver.Filter
import com.sun.net.httpserver.HttpExchange
import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import io.paystar.MockGateway
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * With OpenTelemetry configured (the SDK, an in-memory exporter, and a SERVER span per request
 * as the Java agent's HTTP server instrumentation makes one), one `/pay` request is one trace:
 * the server span, paystar's call span under it and the attempt span under that; the gateway
 * received the trace's `traceparent`.
 */
class OtelPayServerTest {
    /** A SERVER span around each request, current while the server handles it. */
    private class ServerSpans : Filter() {
        override fun description() = "a server span per request"

        override fun doFilter(exchange: HttpExchange, chain: Chain) {
            val span = GlobalOpenTelemetry.getTracer("http").spanBuilder("${exchange.requestMethod} ${exchange.requestURI.path}")
                .setSpanKind(SpanKind.SERVER).startSpan()
            try {
                span.makeCurrent().use { chain.doFilter(exchange) }
            } finally {
                span.end()
            }
        }
    }

    @Test
    fun `one pay request is one trace from the server to the gateway`() {
        val spans = InMemorySpanExporter.create()
        GlobalOpenTelemetry.resetForTest()
        val sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .buildAndRegisterGlobal()
        val gateway = MockGateway()
        val verifier = WebhookVerifier(WebhookScheme.HMAC_SHA256, listOf("whsk_kotlin_test"))
        val server = PayServer(gateway.client(), verifier = verifier, filters = listOf(ServerSpans()))
        try {
            val response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.port}/pay")).build(),
                HttpResponse.BodyHandlers.ofString(),
            )
            assertEquals(200, response.statusCode())
            val finished = spans.finishedSpanItems
            val serverSpan = finished.single { it.kind == SpanKind.SERVER }
            val call = finished.single { it.name == "paystar.create_payment_session" }
            val attempt = finished.single { it.kind == SpanKind.CLIENT }
            assertEquals("POST /integrations/embedded/initiate", attempt.name)
            assertEquals(setOf(serverSpan.traceId), setOf(call.traceId, attempt.traceId))
            assertEquals(serverSpan.spanId, call.parentSpanId)
            assertEquals(call.spanId, attempt.parentSpanId)
            val traceparent = gateway.requests.single().headers["traceparent"]!!
            assertTrue(traceparent.startsWith("00-${serverSpan.traceId}-${call.spanId}-"), traceparent)
        } finally {
            server.close()
            gateway.close()
            sdk.close()
            GlobalOpenTelemetry.resetForTest()
        }
    }
}
