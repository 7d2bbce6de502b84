package io.paystar.example.spring

import io.paystar.ClientAccount
import io.paystar.ClientUser
import io.paystar.PaymentSessionRequest
import io.paystar.PaystarClient
import io.paystar.PaystarException
import io.paystar.Charge
import io.paystar.webhooks.DedupeStore
import io.paystar.webhooks.WebhookEvent
import io.paystar.webhooks.WebhookVerifier
import jakarta.servlet.http.HttpSession
import org.slf4j.LoggerFactory
import org.springframework.http.MediaType
import org.springframework.http.ResponseEntity
import org.springframework.stereotype.Component
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestBody
import org.springframework.web.bind.annotation.RequestHeader
import org.springframework.web.bind.annotation.RestController
import java.util.concurrent.ConcurrentHashMap

/** A payment Paystar reported, by the session it was made in. */
data class Payment(val sessionId: String, val amountCents: Long?, val referenceNumber: String?)

/** The payments webhooks recorded: replace with your database (keyed by the event's session). */
@Component
class Payments {
    private val bySession = ConcurrentHashMap<String, Payment>()

    /** Records [event] once per session (the endpoint already handles each event once). */
    fun record(event: WebhookEvent) {
        if (event.action != "Payment.Succeeded") return
        val session = event.sessionIdentifier ?: return
        bySession.putIfAbsent(session, Payment(session, event.amountCents, event.referenceNumber))
    }

    /** The payment made in [sessionId], if Paystar has reported it. */
    fun of(sessionId: String?): Payment? = sessionId?.let { bySession[it] }
}

/**
 * `GET /pay` opens a payment session for the customer's bill and renders the page that opens
 * it; `POST /paystar/webhook` records each payment once; `GET /paid` shows it.
 */
@RestController
class CheckoutController(
    private val client: PaystarClient,
    private val verifier: WebhookVerifier,
    private val store: DedupeStore,
    private val payments: Payments,
    private val properties: PaystarProperties,
) {
    private val log = LoggerFactory.getLogger(CheckoutController::class.java)

    /**
     * Who pays and how much come from the server's own data (here a fixed demo bill), never
     * from the request; where Paystar sends the customer back is configuration.
     */
    @GetMapping("/pay", produces = [MediaType.TEXT_HTML_VALUE])
    fun pay(session: HttpSession): ResponseEntity<String> {
        val public = properties.publicUrl.trimEnd('/')
        val created = try {
            client.createPaymentSessionBlocking(
                PaymentSessionRequest(
                    businessUnitSlug = properties.businessUnit, channel = "QuickPay",
                    charges = listOf(
                        Charge(amount = 15000, description = "Your bill", clientAccount = ClientAccount(accountNumber = "ACC-12345")),
                    ),
                    clientUser = ClientUser(emailAddress = "jane.doe@example.com"),
                    successUrl = "$public/paid", returnUrl = "$public/pay",
                ),
            )
        } catch (e: PaystarException.Validation) {
            log.warn("payment request refused: {}", e.message)
            return page(400, "We could not prepare this payment: ${e.fieldErrors.joinToString("; ") { it.message }}")
        } catch (e: PaystarException) {
            log.error("Paystar {} ({}, request id {})", if (e.retryable) "is unavailable" else "refused the session", e.code, e.requestId)
            return if (e.retryable) {
                page(503, "Online payments are briefly unavailable. Please try again in a minute.")
            } else {
                page(502, "Online payments are unavailable right now. Our team has been told.")
            }
        }
        session.setAttribute(SESSION_ID, created.id)
        val url = escape(created.url)
        val opener = client.loaderUrl?.let { loader ->
            """<script src="${escape(loader)}"></script>
              |<script>Paystar.${created.loaderCall}(document.getElementById("paystar-session").dataset.sessionUrl);</script>""".trimMargin()
        } ?: """<p>Mock gateway: <a href="$url">open the session</a>.</p>"""
        return page(200, "<div id=\"paystar-session\" data-session-url=\"$url\"></div>$opener", title = "Pay your bill")
    }

    /**
     * The webhook endpoint, through the library's handler: the raw body (the signature covers
     * its bytes) and the headers as Spring gives them. 204 when handled, 200 for a redelivery,
     * 409 while another delivery's handler runs, 401/400/413 when refused; a handler that throws
     * releases the event and the 500 makes Paystar redeliver it.
     */
    @PostMapping("/paystar/webhook")
    fun webhook(@RequestBody(required = false) body: ByteArray?, @RequestHeader headers: Map<String, String>): ResponseEntity<String> {
        val answer = try {
            verifier.handle(body ?: ByteArray(0), headers, store) { event -> payments.record(event) }
        } catch (e: Exception) {
            log.error("recording a Paystar webhook failed; it will be redelivered", e)
            return ResponseEntity.status(500).build()
        }
        answer.refused?.let { log.warn("webhook refused: {} ({})", it.reason, it.message) }
        val response = ResponseEntity.status(answer.status)
        return if (answer.body.isEmpty()) response.build() else response.contentType(MediaType.APPLICATION_JSON).body(answer.body)
    }

    /** What Paystar reported for this customer's session. */
    @GetMapping("/paid", produces = [MediaType.TEXT_HTML_VALUE])
    fun paid(session: HttpSession): ResponseEntity<String> {
        val payment = payments.of(session.getAttribute(SESSION_ID) as String?)
            ?: return page(200, "<h1 id=\"status\">Payment pending</h1><p>Paystar has not told us yet; this page updates when it does.</p>")
        val amount = payment.amountCents?.let { "$%d.%02d".format(it / 100, it % 100) } ?: "-"
        return page(
            200,
            "<h1 id=\"status\">Payment received</h1><p>We received <strong>${escape(amount)}</strong>, " +
                "reference <strong>${escape(payment.referenceNumber ?: "")}</strong>.</p>",
        )
    }

    private fun page(status: Int, body: String, title: String = "Checkout"): ResponseEntity<String> =
        ResponseEntity.status(status).contentType(MediaType.TEXT_HTML)
            .body("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>$title</title></head><body>$body</body></html>")

    private companion object {
        const val SESSION_ID = "paystarSessionId"

        fun escape(text: String) = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
    }
}
