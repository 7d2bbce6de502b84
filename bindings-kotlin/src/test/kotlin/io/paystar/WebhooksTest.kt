package io.paystar

import com.sun.net.httpserver.HttpServer
import io.paystar.ffi.checkWebhookVector
import io.paystar.ffi.vectorBody
import io.paystar.webhooks.MemoryDedupeStore
import io.paystar.webhooks.SignatureEncoding
import io.paystar.webhooks.WebhookEvent
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import io.paystar.webhooks.Webhooks
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.net.InetSocketAddress
import java.time.Duration
import java.time.Instant
import java.util.Collections

/** Every webhook vector through io.paystar.webhooks, and the mock delivering to a JDK server. */
class WebhooksTest {
    private val cases: List<JSONObject> = JSONObject(File("../tests/vectors/webhooks/webhooks.json").readText())
        .getJSONArray("cases").let { a -> (0 until a.length()).map { a.getJSONObject(it) } }

    private fun scheme(name: String) = Webhooks.scheme(name)

    private fun event(e: WebhookEvent) = JSONObject().apply {
        put("action", e.action ?: JSONObject.NULL)
        put("session_identifier", e.sessionIdentifier ?: JSONObject.NULL)
        put("status", e.status ?: JSONObject.NULL)
        put("reference_number", e.referenceNumber ?: JSONObject.NULL)
        put("account_number", e.accountNumber ?: JSONObject.NULL)
        put("account_name", e.accountName ?: JSONObject.NULL)
        put("amount_cents", e.amountCents ?: JSONObject.NULL)
        put("service_fee_cents", e.serviceFeeCents ?: JSONObject.NULL)
        put("idempotency_key", e.idempotencyKey)
    }

    /** Runs a case through the typed Kotlin API; null when it cannot say it (an unknown scheme or option name is a compile error here). */
    private fun run(case: JSONObject): JSONObject? {
        val body = vectorBody(case.toString())
        try {
            when (case.getString("operation")) {
                "verify" -> {
                    val spec = case.getJSONObject("verifier")
                    val known = setOf("scheme", "secrets", "header", "encoding", "timestamp_header", "tolerance_s")
                    if (spec.keySet().any { it !in known }) return null
                    val scheme = scheme(spec.getString("scheme")) ?: return null
                    val secrets = spec.getJSONArray("secrets").let { a -> (0 until a.length()).map { a.getString(it) } }
                    val verifier = WebhookVerifier(
                        scheme, secrets,
                        header = spec.optString("header", "").ifEmpty { null },
                        encoding = spec.optString("encoding", "").ifEmpty { null }?.let { SignatureEncoding.valueOf(it.uppercase()) },
                        timestampHeader = spec.optString("timestamp_header", "").ifEmpty { null },
                        tolerance = if (spec.has("tolerance_s")) Duration.ofSeconds(spec.getLong("tolerance_s")) else null,
                    )
                    val headersSpec = case.getJSONObject("headers")
                    val headers = headersSpec.keySet().associateWith { k ->
                        when (val v = headersSpec.get(k)) {
                            is org.json.JSONArray -> (0 until v.length()).map { v.getString(it) }
                            else -> listOf(v.toString())
                        }
                    }
                    return JSONObject().put("event", event(verifier.use { it.verify(body, headers, Instant.ofEpochSecond(case.getLong("now"))) }))
                }
                "parse" -> return JSONObject().put("event", event(Webhooks.parse(body)))
                else -> {
                    val spec = case.getJSONObject("sign")
                    val headers = Webhooks.sign(
                        body, scheme(spec.getString("scheme"))!!, spec.getString("secret"),
                        header = spec.optString("header", "").ifEmpty { null },
                        encoding = spec.optString("encoding", "").ifEmpty { null }?.let { SignatureEncoding.valueOf(it.uppercase()) },
                        timestampHeader = spec.optString("timestamp_header", "").ifEmpty { null },
                        timestamp = if (spec.has("timestamp")) Instant.ofEpochSecond(spec.getLong("timestamp")) else null,
                        id = spec.optString("id", "").ifEmpty { null },
                    )
                    return JSONObject().put("headers", JSONObject(headers))
                }
            }
        } catch (e: PaystarException) {
            assertEquals(PaystarException.CLASSES[e.code], e.javaClass)
            return JSONObject().put("error", JSONObject().put("code", e.code).put("reason", e.reason ?: JSONObject.NULL).put("message", "${e.message} $e"))
        }
    }

    @TestFactory
    fun vectors(): List<DynamicTest> = cases.map { case ->
        DynamicTest.dynamicTest(case.getString("name")) {
            val outcome = run(case) ?: return@dynamicTest // typed API: a typo does not compile
            assertEquals(emptyList<String>(), checkWebhookVector(case.toString(), outcome.toString()))
        }
    }

    @Test
    fun `the typed API runs nearly every vector`() {
        val ran = cases.count { run(it) != null }
        assertTrue(ran >= cases.size - 2, "$ran of ${cases.size}")
        assertEquals(cases.mapNotNull { it.getJSONObject("expect").optJSONObject("error")?.optString("reason")?.ifEmpty { null } }.toSet(), Webhooks.REASONS.toSet())
    }

    @Test
    fun `secrets never shown, headers in any case`() {
        val v = WebhookVerifier(WebhookScheme.SHARED_SECRET, listOf("s3cret-jvm"), header = "X-Token")
        val body = """{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_1"}}""".toByteArray()
        assertEquals("ps_1", v.verify(body, mapOf("x-token" to "s3cret-jvm")).sessionIdentifier)
        assertFalse(v.toString().contains("s3cret"))
        val e = assertThrows(PaystarException.Webhook::class.java) { v.verify(body, mapOf("X-Token" to "nope")) }
        assertEquals("signature_mismatch", e.reason)
        assertEquals(401, e.responseStatus)
        assertFalse("${e.message} $e".contains("s3cret"))
        assertThrows(PaystarException.Configuration::class.java) { WebhookVerifier(WebhookScheme.HMAC_SHA256, emptyList()) }
    }

    @Test
    fun `the mock delivers to a JDK server, and handle verifies and de-duplicates`() {
        val verifier = WebhookVerifier(WebhookScheme.HMAC_SHA256, listOf("whsk_jvm"), timestampHeader = "X-Paystar-Timestamp")
        val store = MemoryDedupeStore()
        val handled = Collections.synchronizedList(mutableListOf<WebhookEvent>())
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/hook") { x ->
            val r = verifier.handle(x.requestBody.readAllBytes(), x.requestHeaders, store) { handled += it }
            x.sendResponseHeaders(r.status, if (r.body.isEmpty()) -1 else r.body.length.toLong())
            if (r.body.isNotEmpty()) x.responseBody.use { it.write(r.body.toByteArray()) } else x.close()
        }
        server.start()
        try {
            MockGateway().use { gw ->
                gw.setWebhook(
                    "http://127.0.0.1:${server.address.port}/hook", WebhookScheme.HMAC_SHA256, "whsk_jvm",
                    timestampHeader = "X-Paystar-Timestamp", redeliveries = 2,
                )
                val client = gw.client()
                val session = client.executeBlocking(
                    "create_payment_session",
                    """{"businessUnitSlug":"acme","channel":"QuickPay","charges":[{"amount":9999,"description":"x","clientAccount":{"accountNumber":"K-1","name":"Kay"}}]}""",
                )
                val done = runBlocking { gw.complete(session) }
                assertEquals(listOf(204, 200, 200), done.deliveries.map { it.status })
                assertEquals(1, handled.size)
                assertEquals(9999L, handled[0].amountCents)
                assertEquals(session.id, handled[0].sessionIdentifier)
                assertEquals(done.referenceNumber, handled[0].referenceNumber)
                val again = assertThrows(PaystarException.Configuration::class.java) { gw.completeBlocking(session.id!!) }
                assertTrue(again.message!!.contains("already completed"))
                // A tampered delivery: 401, nothing handled.
                val tampered = done.body!!.replace("99.99", "1.00").toByteArray()
                val headers = Webhooks.sign(done.body!!.toByteArray(), WebhookScheme.HMAC_SHA256, "whsk_jvm", timestampHeader = "X-Paystar-Timestamp")
                val refused = verifier.handle(tampered, headers.mapValues { listOf(it.value) }, store) { handled += it }
                assertEquals(401, refused.status)
                assertEquals("{\"error\":\"signature_mismatch\"}", refused.body)
                assertEquals(1, handled.size)
                client.close()
            }
        } finally {
            server.stop(0)
        }
    }

    @Test
    fun `from Java`() {
        val body = """{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"j","referenceNumber":"R"}}""".toByteArray()
        val seen = mutableListOf<String>()
        val headers = JavaCaller.sign(body).mapValues { listOf(it.value) }
        assertEquals(204_200, JavaCaller.webhookStatus(body, headers, seen))
        assertEquals(listOf("Payment.Succeeded:j:R"), seen)
        // Spring's @RequestHeader Map<String, String> fits handle and verify as they are.
        val single = mutableListOf<String>()
        assertEquals(204_200, JavaCaller.webhookStatusSingleValued(body, JavaCaller.sign(body), single))
        assertEquals(listOf("Payment.Succeeded:j:R"), single)
        // A servlet's request::getHeader (names in any case) fits handle and verify too.
        val signed = JavaCaller.sign(body).mapKeys { it.key.lowercase() }
        val looked = mutableListOf<String>()
        assertEquals(204_200, JavaCaller.webhookStatusLookedUp(body, { name -> signed[name.lowercase()] }, looked))
        assertEquals(listOf("Payment.Succeeded:j:R"), looked)
        // completeBlocking takes the Session a call returned (no webhook set: no deliveries).
        assertEquals(0, JavaCaller.completeFromJava())
        // A value that is neither a text nor a list is a configuration error naming the header.
        val e = assertThrows(PaystarException.Configuration::class.java) {
            WebhookVerifier(WebhookScheme.HMAC_SHA256, listOf("java-secret")).verify(body, mapOf("X-Webhook-Signature" to 42))
        }
        assertTrue(e.message!!.contains("X-Webhook-Signature is a Integer"), e.message)
        // A secret read from an unset variable (System.getenv gives null) is named, not an NPE.
        val unset = assertThrows(PaystarException.Configuration::class.java) {
            WebhookVerifier(WebhookScheme.HMAC_SHA256, java.util.Arrays.asList(System.getenv("PAYSTAR_SURELY_UNSET_SECRET")))
        }
        assertTrue(unset.message!!.startsWith("secrets: item 0 is not set (null: read from an environment variable"), unset.message)
    }

    @Test
    fun `a failing handler releases the key`() {
        val verifier = WebhookVerifier(WebhookScheme.SHARED_SECRET, listOf("t"))
        val store = MemoryDedupeStore()
        val body = """{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"s","referenceNumber":"r"}}""".toByteArray()
        val headers = mapOf("X-Webhook-Secret" to listOf("t"))
        assertThrows(IllegalStateException::class.java) { verifier.handle(body, headers, store) { error("database down") } }
        assertEquals(204, verifier.handle(body, headers, store) {}.status)
        assertEquals(200, verifier.handle(body, headers, store) {}.status)
    }

    @Test
    fun `a 16 MiB stream gets 413 after at most 256 KiB + 1 byte is read`() {
        var read = 0L
        val sixteen = object : java.io.InputStream() {
            var left = 16L * 1024 * 1024
            override fun read(): Int = if (left-- > 0) { read++; ' '.code } else -1
            override fun read(b: ByteArray, off: Int, len: Int): Int {
                if (left <= 0) return -1
                val n = minOf(len.toLong(), left, 64L * 1024).toInt()
                java.util.Arrays.fill(b, off, off + n, ' '.code.toByte())
                left -= n
                read += n
                return n
            }
        }
        val verifier = WebhookVerifier(WebhookScheme.SHARED_SECRET, listOf("t"))
        val r = verifier.handle(sixteen, mapOf("X-Webhook-Secret" to listOf("t")), MemoryDedupeStore()) { error("never") }
        assertEquals(413, r.status)
        assertEquals("{\"error\":\"too_large\"}", r.body)
        assertTrue(read <= WebhookVerifier.READ_LIMIT, "read $read bytes")
    }
}
