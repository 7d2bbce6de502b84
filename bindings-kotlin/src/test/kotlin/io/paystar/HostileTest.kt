package io.paystar

import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows

/**
 * Hostile input (RELIABILITY.md), through the data classes and the JSON entry point: each row
 * is a [PaystarException.Validation] naming the field, nothing is sent, the JVM lives on.
 */
class HostileTest {
    private val gateway = MockGateway()
    private val client = gateway.client()

    @AfterEach
    fun stop() {
        client.close()
        gateway.close()
    }

    private val mb = "x".repeat(1_000_000)
    private fun charge(amount: Long = 15000, description: String? = "Bill") = Charge(amount = amount, description = description)
    private fun payment(charges: List<Charge> = listOf(charge())) =
        PaymentSessionRequest(businessUnitSlug = "acme", channel = "QuickPay", charges = charges)

    private val rows: List<Triple<String, () -> Session, Pair<String, String>>> = listOf(
        Triple("negative amount", { client.createPaymentSessionBlocking(payment(listOf(charge(-1)))) }, "Charges[0].Amount" to "positive_integer"),
        Triple("amount 2^53", { client.createPaymentSessionBlocking(payment(listOf(charge(1L shl 53)))) }, "Charges[0].Amount" to "max_value"),
        Triple("1 MB description", { client.createPaymentSessionBlocking(payment(listOf(charge(description = mb)))) }, "Charges[0].Description" to "max_length"),
        Triple("control character", { client.createPaymentSessionBlocking(payment().copy(clientReference = "INV\u0000-1")) }, "ClientReference" to "control_characters"),
        Triple("bidi override", { client.createPaymentSessionBlocking(payment().copy(clientReference = "INV\u202e1-VNI")) }, "ClientReference" to "control_characters"),
        Triple("10,000 charges", { client.createPaymentSessionBlocking(payment(List(10_000) { charge() })) }, "Charges" to "max_items"),
        Triple("javascript: URL", { client.createPaymentSessionBlocking(payment().copy(successUrl = "javascript:alert(1)")) }, "SuccessUrl" to "url"),
        Triple("relative URL", { client.createPaymentSessionBlocking(payment().copy(returnUrl = "/pay")) }, "ReturnUrl" to "url"),
        Triple("1 MB extra value", { client.createPaymentSessionBlocking(payment().copy(extraJson = """{"Blob":"$mb"}""")) }, "Extra.Blob" to "max_length"),
        Triple("deep extra", { client.createPaymentSessionBlocking(payment().copy(extraJson = """{"Deep":${"[".repeat(100)}${"]".repeat(100)}}""")) }, "Extra.Deep" to "max_depth"),
        Triple("amount as text (JSON)", { client.executeBlocking("create_payment_session", """{"businessUnitSlug":"a","channel":"QuickPay","charges":[{"amount":"150"}]}""") }, "Charges[0].Amount" to "integer"),
        Triple("null where required (JSON)", { client.executeBlocking("create_wallet_session", """{"businessUnitSlug":null,"clientUser":{"emailAddress":"a@b.co"}}""") }, "BusinessUnitSlug" to "required"),
        Triple("unknown key (JSON)", { client.executeBlocking("create_wallet_session", """{"businessUnitSlug":"a","clientUser":{"emailAddress":"a@b.co"},"amout":1}""") }, "amout" to "unknown_field"),
    )

    @TestFactory
    fun `hostile input is a typed error naming the field`(): List<DynamicTest> = rows.map { (name, call, expected) ->
        DynamicTest.dynamicTest(name) {
            val sent = gateway.requests.size
            val e = assertThrows<PaystarException.Validation> { call() }
            assertTrue(e.fieldErrors.any { it.path == expected.first && it.rule == expected.second }, "$name: ${e.fieldErrors}")
            assertEquals(sent, gateway.requests.size)
            assertTrue(client.createWalletSessionBlocking(CustomerSessionRequest("acme", ClientUser("a@b.co"))).url.isNotEmpty())
        }
    }
}
