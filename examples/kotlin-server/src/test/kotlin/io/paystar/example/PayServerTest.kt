package io.paystar.example

import io.paystar.MockGateway
import io.paystar.PaystarClient
import io.paystar.PaystarConfig
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import io.paystar.webhooks.Webhooks
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

class PayServerTest {
    private val gateway = MockGateway()
    private var user: User? = User("sam@example.com", "Sam Doe", "ACC-777")
    private var bill = Bill(15000, "Your bill")
    private val publicUrl = "https://billing.acme.example"
    private val hookVerifier = WebhookVerifier(
        WebhookScheme.HMAC_SHA256, listOf("whsk_kotlin_test"), header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp",
    )
    private fun serve(client: PaystarClient) = PayServer(client, publicUrl, currentUser = { user }, billFor = { bill }, verifier = hookVerifier)
    private var server = serve(gateway.client())
    private val http = HttpClient.newHttpClient()

    private fun get(path: String, vararg headers: String): HttpResponse<String> {
        val b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.port}$path"))
        if (headers.isNotEmpty()) b.headers(*headers)
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    @AfterEach
    fun stop() {
        server.close()
        gateway.close()
    }

    @Test
    fun `creates a session and serves a page that opens it`() {
        val r = get("/pay")
        assertEquals(200, r.statusCode())
        val url = Regex("data-session-url=\"([^\"]+)\"").find(r.body())!!.groupValues[1]
        assertTrue(url.startsWith(gateway.url), url)
        val body = gateway.requests.single().bodyJson
        assertTrue(body.contains("\"EmailAddress\":\"sam@example.com\""), body)
        assertTrue(body.contains("\"Amount\":15000"), body)
    }

    @Test
    fun `the request cannot choose the amount, the payer or where the customer returns to`() {
        // java.net.http will not send a forged Host; the query string and a header it will.
        val r = get("/pay?amount=1&email=eve@evil.example", "X-User-Email", "eve@evil.example")
        assertEquals(200, r.statusCode())
        val body = gateway.requests.single().bodyJson
        assertTrue(body.contains("\"Amount\":15000") && body.contains("\"EmailAddress\":\"sam@example.com\""), body)
        assertTrue(body.contains("\"SuccessUrl\":\"$publicUrl/paid\""), body)
    }

    @Test
    fun `nobody signed in gets 401 and nothing is sent`() {
        user = null
        assertEquals(401, get("/pay").statusCode())
        assertEquals(0, gateway.requests.size)
    }

    @Test
    fun `bad billing data shows the reasons and sends nothing`() {
        bill = Bill(0, "Your bill")
        val r = get("/pay")
        assertEquals(400, r.statusCode())
        assertTrue(r.body().contains("We could not prepare this payment"), r.body())
        assertEquals(0, gateway.requests.size)
    }

    @Test
    fun `an outage shows a retry message`() {
        gateway.script("""[{"kind":"status","status":503,"retry_after":"0"},{"kind":"status","status":503,"retry_after":"0"},{"kind":"status","status":503,"retry_after":"0"}]""")
        val r = get("/pay")
        assertEquals(503, r.statusCode())
        assertTrue(r.body().contains("briefly unavailable"))
        assertTrue(server.log.single().contains("server_error after 3 attempts"), server.log.toString())
    }

    @Test
    fun `a wrong key is reported without leaking it`() {
        server.close()
        server = serve(PaystarClient(PaystarConfig(apiKey = "sk_wrong_secret_123", baseUrl = gateway.url)))
        val r = get("/pay")
        assertEquals(502, r.statusCode())
        assertFalse(r.body().contains("sk_wrong_secret_123"))
        assertFalse(server.log.toString().contains("sk_wrong_secret_123"))
        assertTrue(server.log.single().contains("authentication_error"))
    }

    @Test
    fun `the whole loop - pay, the webhook records the payment once though redelivered, paid shows it`() {
        server.close()
        val verifier = WebhookVerifier(WebhookScheme.STANDARD_WEBHOOKS, listOf("whsec_a290bGluLWtleQ=="))
        server = PayServer(gateway.client(), publicUrl, currentUser = { user }, billFor = { bill }, verifier = verifier)
        gateway.setWebhook("http://127.0.0.1:${server.port}/paystar/webhook", WebhookScheme.STANDARD_WEBHOOKS, "whsec_a290bGluLWtleQ==", redeliveries = 2)
        val url = Regex("data-session-url=\"([^\"]+)\"").find(get("/pay").body())!!.groupValues[1]
        assertTrue(get("/paid").body().contains("Payment pending"))
        val done = gateway.completeBlocking(url) // what the Pay button on that page does
        assertEquals(listOf(204, 200, 200), done.deliveries.map { it.status })
        assertEquals(1, server.payments.size)
        val paid = get("/paid").body()
        assertTrue(paid.contains("Payment received") && paid.contains("$150.00") && paid.contains(done.referenceNumber), paid)

        // Tampered, forged and unsigned deliveries: 401, nothing recorded.
        server.payments.clear()
        val body = done.body!!
        val signed = Webhooks.sign(body.toByteArray(), WebhookScheme.STANDARD_WEBHOOKS, "whsec_a290bGluLWtleQ==")
        val forged = Webhooks.sign(body.toByteArray(), WebhookScheme.STANDARD_WEBHOOKS, "whsec_b3RoZXI=")
        fun post(b: String, h: Map<String, String>): Int {
            val req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.port}/paystar/webhook")).POST(HttpRequest.BodyPublishers.ofString(b))
            h.forEach { (k, v) -> req.header(k, v) }
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode()
        }
        assertEquals(401, post(body.replace("150.00", "1.00"), signed))
        assertEquals(401, post(body, forged))
        assertEquals(401, post(body, emptyMap()))
        assertEquals(0, server.payments.size)
        assertEquals(listOf("webhook refused: signature_mismatch", "webhook refused: signature_mismatch", "webhook refused: missing_header"), server.log.toList())
        assertEquals(200, post(body, signed)) // a redelivery of an event already handled
    }

    private fun postHook(body: ByteArray, headers: Map<String, String>): Int {
        val req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.port}/paystar/webhook"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        headers.forEach { (k, v) -> req.header(k, v) }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode()
    }

    private fun signed(body: ByteArray) = Webhooks.sign(
        body, WebhookScheme.HMAC_SHA256, "whsk_kotlin_test", header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp",
    )

    @Test
    fun `the paystar command's webhooks trigger is recorded once and a wrong secret is answered 401`() {
        // The JAR's own command (`java -jar paystar-<version>-cli.jar webhooks trigger ...`), in
        // process: it blocks this thread while the server answers on its own.
        fun trigger(secret: String, vararg more: String) = io.paystar.Cli.run(
            listOf(
                "webhooks", "trigger", "Payment.Succeeded", "--to", "http://127.0.0.1:${server.port}/paystar/webhook",
                "--scheme", "hmac_sha256", "--secret", secret, "--signature-header", "X-Paystar-Signature",
                "--timestamp-header", "X-Paystar-Timestamp",
                "--set", "payload.sessionIdentifier=ps_cli", "--set", "payload.amount=42.50",
            ) + more,
        )
        assertEquals(0, trigger("whsk_kotlin_test", "--redeliver", "1"))
        assertEquals(4250L, server.payments.getValue("ps_cli").amountCents)
        assertEquals(1, server.payments.size)
        assertEquals(1, trigger("not-the-secret")) // answered 401: exit code 1
        assertEquals(1, server.payments.size)
    }

    @Test
    fun `a handler that throws is redelivered and records the payment once`() {
        server.close()
        val recorded = mutableListOf<Payment>()
        var failures = 1
        server = PayServer(gateway.client(), publicUrl, verifier = hookVerifier, handleEvent = { e ->
            if (failures-- > 0) throw IllegalStateException("database down")
            recorded += Payment(e.sessionIdentifier!!, e.amountCents, e.referenceNumber)
        })
        val body = """{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_k","referenceNumber":"R-K","amount":"150.00"}}""".toByteArray()
        assertEquals(500, postHook(body, signed(body)))
        assertTrue(server.log.single().contains("released for redelivery"), server.log.toString())
        assertEquals(204, postHook(body, signed(body)))
        assertEquals(200, postHook(body, signed(body)))
        assertEquals(listOf(Payment("ps_k", 15000, "R-K")), recorded)
    }

    @Test
    fun `a 16 MiB body gets 413 without being read`() {
        // A raw socket, as a sender sees it: the answer arrives while the body is still being
        // written (the server reads at most 256 KiB + 1 byte of it, then closes).
        val total = 16 * 1024 * 1024
        java.net.Socket("127.0.0.1", server.port).use { socket ->
            socket.soTimeout = 10_000
            val writer = Thread {
                runCatching {
                    val out = socket.getOutputStream()
                    out.write("POST /paystar/webhook HTTP/1.1\r\nHost: x\r\nContent-Length: $total\r\n\r\n".toByteArray())
                    val chunk = ByteArray(64 * 1024) { ' '.code.toByte() }
                    repeat(total / chunk.size) { out.write(chunk) }
                }
            }.apply { start() }
            val status = socket.getInputStream().bufferedReader().readLine()
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status)
            writer.join(10_000)
        }
        assertTrue(server.log.single().contains("too_large"), server.log.toString())
    }

    @Test
    fun `started without its secrets and without the dev switch it refuses in one line`() {
        fun run(vararg env: Pair<String, String>): Pair<Int, String> {
            val java = ProcessHandle.current().info().command().orElse("java")
            val pb = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.paystar.example.ServerKt")
            pb.environment().keys.removeIf { it.startsWith("PAYSTAR_") }
            env.forEach { (k, v) -> pb.environment()[k] = v }
            val p = pb.start()
            val err = p.errorStream.bufferedReader().readText()
            return p.waitFor() to err
        }
        val (code, err) = run()
        assertEquals(1, code, err)
        assertEquals(1, err.trim().lines().size, err)
        assertTrue(err.contains("PAYSTAR_API_KEY, PAYSTAR_WEBHOOK_SECRETS not set; refusing to start"), err)
        val (code2, err2) = run("PAYSTAR_API_KEY" to "sk_live_x")
        assertEquals(1, code2)
        assertTrue(err2.contains("PAYSTAR_WEBHOOK_SECRETS not set") && !err2.contains("sk_live_x"), err2)
    }
}
