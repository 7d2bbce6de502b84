package io.paystar.example

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import io.paystar.Charge
import io.paystar.ClientAccount
import io.paystar.ClientUser
import io.paystar.MockGateway
import io.paystar.PaymentSessionRequest
import io.paystar.PaystarClient
import io.paystar.PaystarConfig
import io.paystar.PaystarException
import io.paystar.webhooks.DedupeStore
import io.paystar.webhooks.MemoryDedupeStore
import io.paystar.webhooks.RedisDedupeStore
import io.paystar.webhooks.WebhookEvent
import io.paystar.webhooks.WebhookResponse
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import java.net.InetSocketAddress
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors

private fun escape(s: String) = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")

/** Who is signed in (replace with your authentication); `null` when nobody is. */
data class User(val email: String, val name: String, val account: String)

/** What a customer owes (replace with your billing data). */
data class Bill(val amountCents: Long, val description: String)

/** A payment Paystar reported (your database's table). */
data class Payment(val sessionId: String, val amountCents: Long?, val referenceNumber: String?)

/**
 * `GET /pay`: creates a payment session for the signed-in user's bill and serves a page that
 * opens it. Who pays and how much come from the server's own data ([currentUser], [billFor]),
 * never from the query string or a header; where Paystar sends the customer back is
 * [publicUrl], never the request's `Host` (a forged one would make an open redirect). It
 * listens on 127.0.0.1: put it behind your TLS proxy.
 *
 * `POST /paystar/webhook`: Paystar reports the payment; [verifier] authenticates it and core's
 * endpoint records it in [payments] once ([dedupe] remembers events: per process, or Redis for
 * several). `GET /paid` shows it.
 */
class PayServer(
    private val client: PaystarClient,
    private val publicUrl: String = "http://127.0.0.1:8080",
    private val businessUnit: String = "acme-utilities",
    port: Int = 0,
    private val currentUser: (HttpExchange) -> User? = { User("jane.doe@example.com", "Jane Doe", "ACC-12345") },
    private val billFor: (User) -> Bill = { Bill(15000, "Your bill") },
    private val verifier: WebhookVerifier,
    private val dedupe: DedupeStore = MemoryDedupeStore(),
    /** Handles one event (default: [recordPayment]); throwing makes Paystar redeliver it. */
    private val handleEvent: ((WebhookEvent) -> Unit)? = null,
    /** Filters every request passes first (tracing, auth): the JDK server's own extension point. */
    private val filters: List<com.sun.net.httpserver.Filter> = emptyList(),
) : AutoCloseable {
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", port), 0)
    val log: MutableList<String> = java.util.Collections.synchronizedList(mutableListOf())

    /** Payments by session id (your database). */
    val payments = ConcurrentHashMap<String, Payment>()

    /** Records a reported payment in [payments] (your database). */
    private fun recordPayment(event: WebhookEvent) {
        val session = event.sessionIdentifier
        if (event.action == "Payment.Succeeded" && session != null) {
            payments.putIfAbsent(session, Payment(session, event.amountCents, event.referenceNumber))
        }
    }
    private val lastSession = ConcurrentHashMap<String, String>() // user email -> session id

    init {
        server.executor = Executors.newFixedThreadPool(8)
        for (context in listOf(
            server.createContext("/pay") { exchange -> handle(exchange) },
            server.createContext("/paystar/webhook") { exchange -> webhook(exchange) },
            server.createContext("/paid") { exchange -> paid(exchange) },
        )) {
            context.filters.addAll(filters)
        }
        server.start()
    }

    /**
     * Paystar reports payments here; core's endpoint ([WebhookVerifier.handle]) runs the handler
     * once per event. It reads at most 256 KiB + 1 byte of the body (a larger one is answered
     * 413 unread). If recording throws, the event is released and answered 500, so Paystar's
     * redelivery is handled. The webhook is authentic once verified; Paystar documents no API to
     * look a payment up, so reconcile with Paystar's reports before shipping goods.
     */
    private fun webhook(exchange: HttpExchange) {
        if (exchange.requestMethod != "POST") {
            exchange.sendResponseHeaders(405, -1)
            exchange.close()
            return
        }
        val r = try {
            verifier.handle(exchange.requestBody, exchange.requestHeaders, dedupe) { event ->
                handleEvent?.invoke(event) ?: recordPayment(event)
            }
        } catch (e: Exception) {
            log += "webhook handler failed, released for redelivery: ${e.message}"
            WebhookResponse(500, "", null)
        }
        r.refused?.let { log += "webhook refused: ${it.reason}" }
        if (r.status == 413) exchange.responseHeaders.add("Connection", "close")
        exchange.responseHeaders.add("Content-Type", "application/json")
        exchange.sendResponseHeaders(r.status, if (r.body.isEmpty()) -1 else r.body.toByteArray().size.toLong())
        if (r.body.isNotEmpty()) exchange.responseBody.use { it.write(r.body.toByteArray()) } else exchange.close()
    }

    private fun paid(exchange: HttpExchange) {
        val payment = currentUser(exchange)?.let { lastSession[it.email] }?.let { payments[it] }
        val html = if (payment == null) {
            "<h1 id=\"status\">Payment pending</h1><p>Paystar has not told us about this payment yet.</p>"
        } else {
            val cents = payment.amountCents ?: 0
            val amount = "$" + "%,d.%02d".format(cents / 100, cents % 100)
            "<h1 id=\"status\">Payment received</h1><p>We received <strong id=\"amount\">${escape(amount)}</strong>, reference <strong id=\"reference\">${escape(payment.referenceNumber ?: "")}</strong>.</p>"
        }
        respond(exchange, 200, html)
    }

    val port: Int get() = server.address.port

    private fun handle(exchange: HttpExchange) {
        val user = currentUser(exchange)
        if (user == null) {
            respond(exchange, 401, "<p>Sign in to pay your bill.</p>")
            return
        }
        val bill = billFor(user)
        val (status, html) = try {
            val session = client.createPaymentSessionBlocking(
                PaymentSessionRequest(
                    businessUnitSlug = businessUnit,
                    channel = "QuickPay",
                    charges = listOf(Charge(amount = bill.amountCents, description = bill.description,
                        clientAccount = ClientAccount(accountNumber = user.account, name = user.name))),
                    clientUser = ClientUser(emailAddress = user.email),
                    successUrl = java.net.URI.create(publicUrl).resolve("/paid").toString(),
                    returnUrl = java.net.URI.create(publicUrl).resolve("/pay").toString(),
                ),
            )
            lastSession[user.email] = session.id ?: session.url.substringAfterLast('/')
            val loader = client.loaderUrl
            val open = if (loader != null) {
                "<script src=\"${escape(loader)}\"></script><script>Paystar.${session.loaderCall}(document.getElementById('paystar-session').dataset.sessionUrl);</script>"
            } else {
                "<p>Mock gateway: <a href=\"${escape(session.url)}\">open the session</a>.</p>"
            }
            200 to "<h1>Pay your bill</h1><div id=\"paystar-session\" data-session-url=\"${escape(session.url)}\" data-expires-at=\"${session.expiresAt}\"></div>$open"
        } catch (e: PaystarException.Validation) {
            log += "payment request refused: ${e.message}"
            400 to "<p class=\"message\">We could not prepare this payment: ${escape(e.fieldErrors.joinToString("; ") { it.message })}</p>"
        } catch (e: PaystarException) {
            if (e.retryable) { // an outage, not a mistake: core says which codes these are
                log += "Paystar is unavailable: ${e.code} after ${e.attempts} attempts"
                503 to "<p class=\"message\">Online payments are briefly unavailable. Please try again in a minute.</p>"
            } else {
                log += "Paystar refused the session: ${e.code} (request id ${e.requestId ?: "-"})"
                502 to "<p class=\"message\">Online payments are unavailable right now. Our team has been told.</p>"
            }
        }
        respond(exchange, status, html)
    }

    private fun respond(exchange: HttpExchange, status: Int, html: String) {
        val bytes = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pay</title></head><body>$html</body></html>".toByteArray()
        exchange.responseHeaders.add("Content-Type", "text/html; charset=utf-8")
        exchange.sendResponseHeaders(status, bytes.size.toLong())
        exchange.responseBody.use { it.write(bytes) }
    }

    override fun close() = server.stop(0)
}

/**
 * Runs the service. Production needs PAYSTAR_API_KEY and PAYSTAR_WEBHOOK_SECRETS
 * (comma-separated, the new one first while rotating) and refuses to start without them.
 * Development (PAYSTAR_DEV=1) may lack them: without a key the embedded mock gateway plays
 * Paystar, without a secret a random one is made for this run (never a published one); it says
 * so. REDIS_URL makes the webhook dedupe store shared by every process.
 */
fun main() {
    val env = System.getenv()
    val dev = env["PAYSTAR_DEV"] == "1"
    val missing = listOf("PAYSTAR_API_KEY", "PAYSTAR_WEBHOOK_SECRETS").filter { env[it].isNullOrEmpty() }
    if (missing.isNotEmpty() && !dev) {
        System.err.println(
            "kotlin example: ${missing.joinToString(", ")} not set; refusing to start " +
                "(set them, or PAYSTAR_DEV=1 for local development on the mock)",
        )
        kotlin.system.exitProcess(1)
    }
    val port = (env["PORT"] ?: "8080").toInt()
    val publicUrl = env["PUBLIC_URL"] ?: "http://127.0.0.1:$port"
    // What this account's webhooks carry (Paystar documents no scheme: docs/webhooks.md). A
    // timestamped scheme: a captured delivery replayed after 5 minutes is refused.
    val secrets = (env["PAYSTAR_WEBHOOK_SECRETS"]?.ifEmpty { null } ?: randomSecret()).split(",")
    val verifier = WebhookVerifier(
        WebhookScheme.HMAC_SHA256, secrets, header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp",
    )
    val client = if (env["PAYSTAR_API_KEY"].isNullOrEmpty()) {
        val mock = MockGateway()
        // Its session page's Pay button delivers the signed webhook here.
        mock.setWebhook(
            "$publicUrl/paystar/webhook", WebhookScheme.HMAC_SHA256, secrets[0],
            header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp",
        )
        System.err.println("development mode, no PAYSTAR_API_KEY: the embedded mock gateway at ${mock.url} plays Paystar")
        mock.client()
    } else {
        PaystarClient(PaystarConfig())
    }
    val dedupe = env["REDIS_URL"]?.let { RedisDedupeStore(redis.clients.jedis.RedisClient.create(java.net.URI.create(it))) }
        ?: MemoryDedupeStore()
    val server = PayServer(
        client, publicUrl, env["PAYSTAR_BUSINESS_UNIT"] ?: "acme-utilities", port, verifier = verifier, dedupe = dedupe,
    )
    println("http://127.0.0.1:${server.port}/pay ($client)")
}

private fun randomSecret(): String =
    java.util.HexFormat.of().formatHex(ByteArray(16).also { java.security.SecureRandom().nextBytes(it) })
