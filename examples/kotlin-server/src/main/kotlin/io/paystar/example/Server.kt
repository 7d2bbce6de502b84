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
import java.net.InetSocketAddress
import java.util.concurrent.Executors

private fun escape(s: String) = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")

/** `GET /pay`: creates a payment session for the user and serves a page that opens it. */
class PayServer(private val client: PaystarClient, private val businessUnit: String = "acme-utilities", port: Int = 0) : AutoCloseable {
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", port), 0)
    val log = mutableListOf<String>()

    init {
        server.executor = Executors.newFixedThreadPool(8)
        server.createContext("/pay") { exchange -> handle(exchange) }
        server.start()
    }

    val port: Int get() = server.address.port

    private fun handle(exchange: HttpExchange) {
        val query = exchange.requestURI.query.orEmpty().split("&").mapNotNull { it.split("=", limit = 2).takeIf { p -> p.size == 2 } }
            .associate { (k, v) -> k to v }
        val (status, html) = try {
            val session = client.createPaymentSessionBlocking(
                PaymentSessionRequest(
                    businessUnitSlug = businessUnit,
                    channel = "QuickPay",
                    // Amounts are integer cents; a non-number becomes 0, which paystar refuses.
                    charges = listOf(Charge(amount = query["amount"]?.toLongOrNull() ?: if ("amount" in query) 0 else 15000, description = "Your bill",
                        clientAccount = ClientAccount(accountNumber = "ACC-12345", name = "Jane Doe"))),
                    clientUser = ClientUser(emailAddress = exchange.requestHeaders.getFirst("X-User-Email") ?: "jane.doe@example.com"),
                ),
            )
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
    val server = PayServer(client, System.getenv("PAYSTAR_BUSINESS_UNIT") ?: "acme-utilities", (System.getenv("PORT") ?: "8080").toInt())
    println("http://127.0.0.1:${server.port}/pay (${mock?.let { "mock gateway ${it.url}" } ?: client.toString()})")
}
