package io.paystar.example

import io.paystar.AccountSessionRequest
import io.paystar.Charge
import io.paystar.ClientAccount
import io.paystar.ClientUser
import io.paystar.CustomerSessionRequest
import io.paystar.MockGateway
import io.paystar.PaymentSessionRequest
import io.paystar.UpdateCustomerRequest
import io.paystar.PaystarClient
import io.paystar.PaystarConfig
import io.paystar.PaystarException
import io.paystar.Session
import kotlinx.coroutines.runBlocking
import java.time.temporal.ChronoUnit
import kotlin.system.exitProcess

private fun show(kind: String, s: Session) {
    val plural = if (s.attempts == 1) "" else "s"
    println("  ${kind.padEnd(13)} ${s.url}  (id ${s.id ?: "-"}, status ${s.status ?: "-"}, expires ${s.expiresAt.truncatedTo(ChronoUnit.SECONDS)}, ${s.attempts} attempt$plural)")
}

/** Creates every session type from Kotlin (mock gateway, or the development gateway with PAYSTAR_API_KEY). */
fun main(): Unit = runBlocking {
    val mock = if (System.getenv("PAYSTAR_API_KEY").isNullOrEmpty()) MockGateway() else null
    val client = if (mock != null) {
        println("Kotlin demo: embedded mock gateway at ${mock.url}")
        mock.client()
    } else {
        val baseUrl = System.getenv("PAYSTAR_BASE_URL")?.ifEmpty { null }
        if (baseUrl == null && (System.getenv("PAYSTAR_ENVIRONMENT") ?: "development") != "development") {
            System.err.println("the demo only talks to Paystar's development gateway")
            exitProcess(2)
        }
        println("Kotlin demo: ${baseUrl?.let { "custom gateway $it" } ?: "Paystar development gateway"}")
        PaystarClient(PaystarConfig(baseUrl = baseUrl, environment = if (baseUrl == null) "development" else null))
    }
    val slug = System.getenv("PAYSTAR_BUSINESS_UNIT") ?: "acme-utilities"
    val customer = ClientUser(emailAddress = "jane.doe@example.com", firstName = "Jane", lastName = "Doe")
    val account = ClientAccount(accountNumber = "ACC-12345", name = "Jane Doe", balance = 15000)
    try {
        show("payment", client.createPaymentSession(PaymentSessionRequest(
            businessUnitSlug = slug, channel = "QuickPay",
            charges = listOf(Charge(amount = 15000, description = "January Water Bill", clientAccount = account)),
            clientUser = customer,
            successUrl = "https://yoursite.example/payment-success", returnUrl = "https://yoursite.example/payment-cancelled",
        )))
        show("autopay", client.createAutopaySession(AccountSessionRequest(slug, account, customer, syncAccount = true)))
        show("wallet", client.createWalletSession(CustomerSessionRequest(slug, customer)))
        show("paperless", client.createPaperlessSession(AccountSessionRequest(slug, account, customer, syncAccount = true)))
        show("notification", client.createNotificationSession(CustomerSessionRequest(slug, customer)))
        if (mock != null) {
            // The Events API changes a real customer: on the mock only (docs/decisions.md#demo-events).
            val r = client.updateCustomer(UpdateCustomerRequest(
                businessUnitSlug = slug, accountNumber = account.accountNumber,
                firstName = "Jane", lastName = "Smith", emailAddress = customer.emailAddress,
            ))
            val now = mock.customerJson(customer.emailAddress)
            println("  ${"events".padEnd(13)} ${r.eventType} accepted (HTTP ${r.httpStatus}): customer record $now")
        }
    } catch (e: PaystarException) {
        System.err.println("demo failed: ${e.message} [${e.code}]")
        e.fieldErrors.forEach { System.err.println("  ${it.path}: ${it.message}") }
        exitProcess(1)
    } finally {
        client.close()
        mock?.close()
    }
}
