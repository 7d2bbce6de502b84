package io.paystar.example.spring

import io.paystar.MockGateway
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.Webhooks
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.boot.test.web.server.LocalServerPort
import org.springframework.test.context.DynamicPropertyRegistry
import org.springframework.test.context.DynamicPropertySource
import java.net.CookieManager
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * The whole loop on the mock, through Spring on a random port: /pay creates the session, the mock
 * completes it and posts the signed webhook (three times), the endpoint records it once, /paid
 * shows it; a forged delivery is refused and records nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckoutTest {
    @LocalServerPort
    private var port: Int = 0

    private val http = HttpClient.newBuilder().cookieHandler(CookieManager()).build()

    private fun get(path: String): HttpResponse<String> =
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port$path")).build(), HttpResponse.BodyHandlers.ofString())

    private fun post(path: String, body: ByteArray, headers: Map<String, String>): HttpResponse<String> {
        val request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port$path"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        headers.forEach { (k, v) -> request.header(k, v) }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString())
    }

    @Test
    fun `pay, the webhook three times, then paid shows the payment once`() {
        gateway.setWebhook(
            "http://127.0.0.1:$port/paystar/webhook", WebhookScheme.HMAC_SHA256, SECRET,
            header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp", redeliveries = 2,
        )
        val page = get("/pay")
        assertEquals(200, page.statusCode(), page.body())
        val url = Regex("data-session-url=\"([^\"]+)\"").find(page.body())!!.groupValues[1]
        assertTrue(url.startsWith(gateway.url), url)
        assertTrue(get("/paid").body().contains("Payment pending"))

        val done = gateway.completeBlocking(url)
        assertEquals(listOf(204, 200, 200), done.deliveries.map { it.status })
        val paid = get("/paid").body()
        assertTrue(paid.contains("Payment received"), paid)
        assertTrue(paid.contains("$150.00"), paid)
    }

    @Test
    fun `a forged or unsigned delivery is refused with 401`() {
        val body = """{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"forged","amount":"1.00"}}""".toByteArray()
        val forged = Webhooks.sign(body, WebhookScheme.HMAC_SHA256, "not-the-secret",
            header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp")
        val refused = post("/paystar/webhook", body, forged)
        assertEquals(401, refused.statusCode())
        assertTrue(refused.body().contains("signature_mismatch"), refused.body())
        assertEquals(401, post("/paystar/webhook", body, emptyMap()).statusCode())
        val genuine = Webhooks.sign(body, WebhookScheme.HMAC_SHA256, SECRET,
            header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp")
        assertEquals(204, post("/paystar/webhook", body, genuine).statusCode())
        assertEquals(200, post("/paystar/webhook", body, genuine).statusCode())
    }

    companion object {
        private const val SECRET = "whsk_dev"
        private val gateway = MockGateway()

        /** The app's client and verifier, pointed at this test's mock and secret. */
        @JvmStatic
        @DynamicPropertySource
        fun paystar(registry: DynamicPropertyRegistry) {
            registry.add("paystar.api-key") { gateway.apiKey }
            registry.add("paystar.base-url") { gateway.url }
            registry.add("paystar.webhook-secrets") { SECRET }
        }

        @JvmStatic
        @AfterAll
        fun stop() = gateway.close()
    }
}
