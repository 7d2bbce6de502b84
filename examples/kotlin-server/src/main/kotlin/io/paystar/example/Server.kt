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
 * `POST /paystar/webhook`: Paystar reports the payment; [verifier] authenticates it and
 * [dedupe] drops redeliveries, so it is recorded in [payments] once. `GET /paid` shows it.
 */
class PayServer(
    private val client: PaystarClient,
    private val publicUrl: String = "http://127.0.0.1:8080",
    private val businessUnit: String = "acme-utilities",
    port: Int = 0,
    private val currentUser: (HttpExchange) -> User? = { User("jane.doe@example.com", "Jane Doe", "ACC-12345") },
    private val billFor: (User) -> Bill = { Bill(15000, "Your bill") },
    private val verifier: WebhookVerifier = WebhookVerifier(WebhookScheme.HMAC_SHA256, listOf("whsk_dev_only_not_a_secret")),
    private val dedupe: DedupeStore = MemoryDedupeStore(),
) : AutoCloseable {
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", port), 0)
    val log: MutableList<String> = java.util.Collections.synchronizedList(mutableListOf())

    /** Payments by session id (your database). */
    val payments = ConcurrentHashMap<String, Payment>()
    private val lastSession = ConcurrentHashMap<String, String>() // user email -> session id

    init {
        server.executor = Executors.newFixedThreadPool(8)
        server.createContext("/pay") { exchange -> handle(exchange) }
        server.createContext("/paystar/webhook") { exchange -> webhook(exchange) }
        server.createContext("/paid") { exchange -> paid(exchange) }
        server.start()
    }

    /** The webhook is authentic once verified, but still a hint: confirm the session through Paystar's Query API before shipping goods. */
    private fun webhook(exchange: HttpExchange) {
        if (exchange.requestMethod != "POST") {
            exchange.sendResponseHeaders(405, -1)
            exchange.close()
            return
        }
        val r = verifier.handle(exchange.requestBody.readAllBytes(), exchange.requestHeaders, dedupe) { event ->
            val session = event.sessionIdentifier
            if (event.action == "Payment.Succeeded" && session != null) {
                payments.putIfAbsent(session, Payment(session, event.amountCents, event.referenceNumber))
            }
        }
        r.refused?.let { log += "webhook refused: ${it.reason}" }
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

/** Runs the service: PAYSTAR_API_KEY (development gateway) or an embedded MockGateway. */
fun main() {
    val mock = if (System.getenv("PAYSTAR_API_KEY").isNullOrEmpty()) MockGateway() else null
    val client = mock?.client() ?: PaystarClient(PaystarConfig())
    val port = (System.getenv("PORT") ?: "8080").toInt()
    val publicUrl = System.getenv("PUBLIC_URL") ?: "http://127.0.0.1:$port"
    // What this account's webhooks carry (Paystar documents no scheme: see the README).
    val secrets = (System.getenv("PAYSTAR_WEBHOOK_SECRETS") ?: "whsk_dev_only_not_a_secret").split(",")
    val verifier = WebhookVerifier(WebhookScheme.HMAC_SHA256, secrets)
    // On the mock, its session page's Pay button delivers the webhook here.
    mock?.setWebhook("$publicUrl/paystar/webhook", WebhookScheme.HMAC_SHA256, secrets[0])
    val server = PayServer(client, publicUrl, System.getenv("PAYSTAR_BUSINESS_UNIT") ?: "acme-utilities", port, verifier = verifier)
    println("http://127.0.0.1:${server.port}/pay (${mock?.let { "mock gateway ${it.url}" } ?: client.toString()})")
}
