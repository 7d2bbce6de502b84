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

/** Who is signed in (replace with your authentication); `null` when nobody is. */
data class User(val email: String, val name: String, val account: String)

/** What a customer owes (replace with your billing data). */
data class Bill(val amountCents: Long, val description: String)

/**
 * `GET /pay`: creates a payment session for the signed-in user's bill and serves a page that
 * opens it. Who pays and how much come from the server's own data ([currentUser], [billFor]),
 * never from the query string or a header; where Paystar sends the customer back is
 * [publicUrl], never the request's `Host` (a forged one would make an open redirect). It
 * listens on 127.0.0.1: put it behind your TLS proxy.
 */
class PayServer(
    private val client: PaystarClient,
    private val publicUrl: String = "http://127.0.0.1:8080",
    private val businessUnit: String = "acme-utilities",
    port: Int = 0,
    private val currentUser: (HttpExchange) -> User? = { User("jane.doe@example.com", "Jane Doe", "ACC-12345") },
    private val billFor: (User) -> Bill = { Bill(15000, "Your bill") },
) : AutoCloseable {
    private val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", port), 0)
    val log = mutableListOf<String>()

    init {
        server.executor = Executors.newFixedThreadPool(8)
        server.createContext("/pay") { exchange -> handle(exchange) }
        server.start()
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
    val server = PayServer(client, publicUrl, System.getenv("PAYSTAR_BUSINESS_UNIT") ?: "acme-utilities", port)
    println("http://127.0.0.1:${server.port}/pay (${mock?.let { "mock gateway ${it.url}" } ?: client.toString()})")
}
