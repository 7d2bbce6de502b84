package io.paystar

import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Test

/**
 * The Events API from Kotlin (suspend and blocking) against a real MockGateway; the wire shape
 * and validation are in tests/vectors/events.json, run by VectorsTest.
 */
class EventsTest {
    private val slug = "acme-utilities"

    @Test
    fun `updateCustomer changes the names a session cannot, and moves the email`() {
        MockGateway().use { gw ->
            PaystarClient(PaystarConfig(apiKey = gw.apiKey, baseUrl = gw.url)).use { client ->
                val jane = ClientUser(emailAddress = "jane@example.com", firstName = "Jane", lastName = "Doe")
                client.createWalletSessionBlocking(CustomerSessionRequest(businessUnitSlug = slug, clientUser = jane))
                client.createWalletSessionBlocking(CustomerSessionRequest(businessUnitSlug = slug, clientUser = jane.copy(lastName = "Smith")))
                assertEquals("Doe", JSONObject(gw.customerJson("jane@example.com")!!).getString("LastName"))
                val receipt = runBlocking {
                    client.updateCustomer(
                        UpdateCustomerRequest(
                            businessUnitSlug = slug, accountNumber = "ACC-1", firstName = "Jane", lastName = "Smith",
                            emailAddress = "jane.smith@example.com", originalEmailAddress = "jane@example.com",
                        ),
                    )
                }
                assertEquals(listOf("Accounts.ManageCustomer", 200, 1), listOf(receipt.eventType, receipt.httpStatus, receipt.attempts))
                assertEquals("Smith", JSONObject(gw.customerJson("jane.smith@example.com")!!).getString("LastName"))
                val payload = JSONObject(gw.requests.last().bodyJson).getString("payload")
                assertEquals("jane@example.com", JSONObject(payload).getString("originalEmailAddress"))
            }
        }
    }

    @Test
    fun `sendEvent sends the payload as text, and bad events throw before sending`() {
        MockGateway().use { gw ->
            PaystarClient(PaystarConfig(apiKey = gw.apiKey, baseUrl = gw.url)).use { client ->
                val r = client.sendEventBlocking(
                    EventRequest(businessUnitSlug = slug, eventType = "Accounts.UnenrollAutopay", payloadJson = """{"accountNumber":"ACC-1"}"""),
                )
                assertEquals("Accounts.UnenrollAutopay", r.eventType)
                assertEquals("""{"accountNumber":"ACC-1"}""", JSONObject(gw.requests.last().bodyJson).getString("payload"))
                val before = gw.requests.size
                val e = assertThrows(PaystarException.Validation::class.java) {
                    client.sendEventBlocking(EventRequest(businessUnitSlug = slug, eventType = "Accounts.Nope", payloadJson = "{}"))
                }
                assertEquals(listOf("EventType" to "one_of"), e.fieldErrors.map { it.path to it.rule })
                val bad = assertThrows(PaystarException.Validation::class.java) {
                    client.sendEventBlocking(EventRequest(businessUnitSlug = slug, eventType = "Accounts.UnenrollAutopay", payloadJson = "[1"))
                }
                assertEquals("Payload", bad.fieldErrors.single().path)
                assertEquals(before, gw.requests.size)
            }
        }
    }

    @Test
    fun `execute refuses an Events API operation before sending`() {
        MockGateway().use { gw ->
            PaystarClient(PaystarConfig(apiKey = gw.apiKey, baseUrl = gw.url)).use { client ->
                val e = assertThrows(PaystarException.Configuration::class.java) {
                    client.executeBlocking("update_customer", "{}")
                }
                assertEquals("operation", e.option)
                assertEquals(true, e.message!!.contains("update_customer answers an event receipt"), e.message)
                assertEquals(0, gw.requests.size)
            }
        }
    }

    @Test
    fun `Events API calls go to the events host in production`() {
        PaystarClient(PaystarConfig(apiKey = "sk_test", environment = "production")).use {
            assertEquals("https://gateway.paystar.io/", it.eventsBaseUrl)
        }
    }
}
