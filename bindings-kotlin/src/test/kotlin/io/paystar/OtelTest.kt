package io.paystar

import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.metrics.SdkMeterProvider
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.util.concurrent.TimeUnit

/** OpenTelemetry: spans and points from core's report through the API into the SDK's in-memory exporters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtelTest {
    private val spans = InMemorySpanExporter.create()
    private val metrics = InMemoryMetricReader.create()
    private lateinit var sdk: OpenTelemetrySdk
    private val gateway = MockGateway()
    private val client = gateway.client()

    @BeforeAll
    fun install() {
        GlobalOpenTelemetry.resetForTest()
        sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .buildAndRegisterGlobal()
    }

    @AfterAll
    fun uninstall() {
        client.close()
        gateway.close()
        sdk.close()
        GlobalOpenTelemetry.resetForTest()
    }

    @BeforeEach
    fun clear() {
        spans.reset()
        gateway.forgetRequests()
        gateway.clearScript()
    }

    private val user = ClientUser(emailAddress = "jane@example.com", firstName = "Jane")
    private val account = ClientAccount(accountNumber = "ACC-12345", name = "Jane Doe")
    private fun payment() = PaymentSessionRequest(
        businessUnitSlug = "acme-utilities",
        channel = "QuickPay",
        charges = listOf(Charge(amount = 15000, description = "November bill", clientAccount = account)),
        clientUser = user,
    )

    private fun finished(kind: SpanKind): List<SpanData> =
        spans.finishedSpanItems.filter { it.kind == kind }.sortedBy { it.startEpochNanos }

    private fun prefix(s: SpanData) = "00-${s.traceId}-${s.spanId}-"

    @Test
    fun `a success is one call span and one attempt span, in the caller's trace`() {
        val server = GlobalOpenTelemetry.getTracer("test").spanBuilder("GET /pay").setSpanKind(SpanKind.SERVER).startSpan()
        val session = server.makeCurrent().use { client.createPaymentSessionBlocking(payment()) }
        server.end()
        val call = finished(SpanKind.INTERNAL).single()
        val attempt = finished(SpanKind.CLIENT).single()
        assertEquals("paystar.create_payment_session", call.name)
        assertEquals(server.spanContext.spanId, call.parentSpanId)
        assertEquals(server.spanContext.traceId, call.traceId)
        assertEquals(StatusCode.UNSET, call.status.statusCode)
        assertEquals(
            mapOf("paystar.operation" to "create_payment_session", "paystar.attempts" to 1L, "paystar.request_id" to session.requestId),
            call.attributes.asMap().mapKeys { it.key.key },
        )
        assertEquals("POST /integrations/embedded/initiate", attempt.name)
        assertEquals(call.spanId, attempt.parentSpanId)
        val port = java.net.URI(gateway.url).port.toLong()
        assertEquals(
            mapOf(
                "http.request.method" to "POST",
                "server.address" to "127.0.0.1",
                "server.port" to port,
                "url.full" to "${gateway.url}/integrations/embedded/initiate",
                "url.template" to "/integrations/embedded/initiate",
                "http.response.status_code" to 200L,
                "paystar.request_id" to session.requestId,
            ),
            attempt.attributes.asMap().mapKeys { it.key.key },
        )
        assertTrue(call.startEpochNanos <= attempt.startEpochNanos && attempt.endEpochNanos <= call.endEpochNanos)
        assertTrue(gateway.requests.single().headers["traceparent"]!!.startsWith(prefix(call)))
    }

    @Test
    fun `a retried 503 is two attempt spans under an OK call, the trace on each`() = runBlocking {
        gateway.script("""[{"kind":"status","status":503,"retry_after":"0"}]""")
        client.createPaymentSession(payment())
        val call = finished(SpanKind.INTERNAL).single()
        val (first, second) = finished(SpanKind.CLIENT)
        assertEquals(StatusCode.UNSET, call.status.statusCode)
        assertEquals(2L, call.attributes.get(AttributeKey.longKey("paystar.attempts")))
        assertEquals(StatusCode.ERROR, first.status.statusCode)
        assertEquals("server_error", first.attributes.get(AttributeKey.stringKey("error.type")))
        assertEquals(503L, first.attributes.get(AttributeKey.longKey("http.response.status_code")))
        assertNull(first.attributes.get(AttributeKey.longKey("http.request.resend_count")))
        assertEquals(1L, second.attributes.get(AttributeKey.longKey("http.request.resend_count")))
        assertEquals(StatusCode.UNSET, second.status.statusCode)
        assertEquals(2, gateway.requests.size)
        gateway.requests.forEach { assertTrue(it.headers["traceparent"]!!.startsWith(prefix(call))) }
    }

    @Test
    fun `a validation error is a call span with error type and no attempt`() {
        assertThrows<PaystarException.Validation> {
            client.createPaymentSessionBlocking(payment().copy(channel = "Nope"))
        }
        val call = spans.finishedSpanItems.single()
        assertEquals(StatusCode.ERROR, call.status.statusCode)
        assertEquals("validation_error", call.attributes.get(AttributeKey.stringKey("error.type")))
        assertEquals(0L, call.attributes.get(AttributeKey.longKey("paystar.attempts")))
        assertEquals(0, gateway.requests.size)
    }

    @Test
    fun `the duration histogram and the calls counter`() {
        gateway.script("""[{"kind":"status","status":503,"retry_after":"0"}]""")
        client.createPaymentSessionBlocking(payment())
        val found = metrics.collectAllMetrics().filter { it.instrumentationScopeInfo.name == "paystar" }.associateBy { it.name }
        val duration = found.getValue("http.client.request.duration")
        assertEquals("s", duration.unit)
        val points = duration.histogramData.points
        val codes = points.map { it.attributes.get(AttributeKey.longKey("http.response.status_code")) }.toSet()
        assertTrue(codes.containsAll(listOf(200L, 503L)), "$codes")
        assertEquals(listOf(0.005, 0.01, 0.025), points.first().boundaries.take(3))
        val calls = found.getValue("paystar.client.calls").longSumData.points
        assertTrue(calls.any { it.attributes.size() == 1 && it.value >= 1 })
    }

    @Test
    fun `nothing secret or personal in any span`() {
        gateway.script("""[{"kind":"status","status":429,"retry_after":"0"}]""")
        val session = client.createPaymentSessionBlocking(payment())
        assertThrows<PaystarException.Validation> { client.createPaymentSessionBlocking(payment().copy(channel = "Nope")) }
        val text = spans.finishedSpanItems.joinToString { "${it.name} ${it.attributes} ${it.events} ${it.status}" }
        assertTrue(text.contains("paystar.create_payment_session"))
        for (secret in listOf(gateway.apiKey, "jane@example.com", "ACC-12345", session.url)) {
            assertFalse(text.contains(secret), secret)
        }
    }

    @Test
    fun `telemetry off records nothing and sends no traceparent`() {
        val quiet = PaystarClient(PaystarConfig(apiKey = gateway.apiKey, baseUrl = gateway.url, telemetry = false))
        quiet.use { it.createPaymentSessionBlocking(payment()) }
        assertEquals(emptyList<SpanData>(), spans.finishedSpanItems)
        assertNull(gateway.requests.single().headers["traceparent"])
    }

    @Test
    fun `an explicit traceparent wins`() {
        val mine = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        client.createPaymentSessionBlocking(payment(), CallOptions(traceparent = mine, tracestate = "congo=t61"))
        assertEquals(mine, gateway.requests.single().headers["traceparent"])
        assertEquals("congo=t61", gateway.requests.single().headers["tracestate"])
        val bad = assertThrows<PaystarException.Configuration> {
            client.createPaymentSessionBlocking(payment(), CallOptions(traceparent = "00-nope"))
        }
        assertEquals("traceparent", bad.option)
    }

    @Test
    fun `a webhook endpoint sets what happened on the current server span`() {
        val now = java.time.Instant.ofEpochSecond(1_764_840_000)
        val body = """{"action": "Payment.Succeeded", "payload": {"sessionIdentifier": "ps_1"}}""".toByteArray()
        val headers = io.paystar.webhooks.Webhooks.sign(body, io.paystar.webhooks.WebhookScheme.HMAC_SHA256, "whsk_dev", timestamp = now)
        val v = io.paystar.webhooks.WebhookVerifier(io.paystar.webhooks.WebhookScheme.HMAC_SHA256, listOf("whsk_dev"))
        val store = io.paystar.webhooks.MemoryDedupeStore()
        val tracer = GlobalOpenTelemetry.getTracer("test")
        val answers = listOf(headers, headers, headers + ("X-Webhook-Signature" to "0".repeat(64))).map { sent ->
            val span = tracer.spanBuilder("POST /hooks").setSpanKind(SpanKind.SERVER).startSpan()
            try {
                span.makeCurrent().use { v.handle(body, sent, store, now) { } }
            } finally {
                span.end()
            }
        }
        assertEquals(listOf(204, 200, 401), answers.map { it.status })
        assertEquals(
            listOf(
                mapOf("paystar.webhook.event_type" to "Payment.Succeeded", "paystar.webhook.outcome" to "handled"),
                mapOf("paystar.webhook.event_type" to "Payment.Succeeded", "paystar.webhook.outcome" to "duplicate"),
                mapOf("paystar.webhook.outcome" to "refused", "paystar.webhook.reason" to "signature_mismatch"),
            ),
            spans.finishedSpanItems.map { s -> s.attributes.asMap().mapKeys { it.key.key } },
        )
        assertEquals(mapOf("paystar.webhook.outcome" to "refused", "paystar.webhook.reason" to "signature_mismatch"), answers[2].attributes)
    }

    /** A fresh JVM running [OtelProbe]: which OpenTelemetry classes it loaded (`-verbose:class`). */
    private fun probe(withApi: Boolean, telemetry: Boolean): List<String> {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val classpath = System.getProperty("java.class.path").split(File.pathSeparator)
            .filter { withApi || !it.contains("opentelemetry") }
        val inherited = listOf("jna.library.path", "jna.nosys").mapNotNull { p -> System.getProperty(p)?.let { "-D$p=$it" } }
        val command = listOf(java, "--enable-native-access=ALL-UNNAMED", "-verbose:class") + inherited +
            listOf("-cp", classpath.joinToString(File.pathSeparator), OtelProbe::class.java.name, telemetry.toString())
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val out = process.inputStream.bufferedReader().readLines()
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish")
        assertEquals(0, process.exitValue(), out.takeLast(20).joinToString("\n"))
        assertTrue(out.contains("called wallet"), out.takeLast(20).joinToString("\n"))
        return out.filter { it.contains("io.opentelemetry") }
    }

    @Test
    fun `without the API on the classpath, or with telemetry off, no OpenTelemetry class loads`() {
        assertEquals(emptyList<String>(), probe(withApi = false, telemetry = true))
        assertEquals(emptyList<String>(), probe(withApi = true, telemetry = false))
        assertTrue(probe(withApi = true, telemetry = true).any { it.contains("io.opentelemetry.api.GlobalOpenTelemetry") })
    }
}

/** A call against a mock in a fresh JVM (see [OtelTest.probe]). */
object OtelProbe {
    @JvmStatic
    fun main(args: Array<String>) {
        MockGateway().use { gw ->
            PaystarClient(PaystarConfig(apiKey = gw.apiKey, baseUrl = gw.url, telemetry = args[0].toBoolean())).use {
                it.createWalletSessionBlocking(CustomerSessionRequest(businessUnitSlug = "a", clientUser = ClientUser(emailAddress = "j@e.com")))
            }
        }
        println("called wallet")
    }
}
