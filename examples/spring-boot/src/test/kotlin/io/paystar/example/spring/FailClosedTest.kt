package io.paystar.example.spring

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Outside development the app refuses to start without its secrets, and never prints them. */
class FailClosedTest {
    private fun properties(apiKey: String = "", secrets: String = "", dev: Boolean = false) = PaystarProperties(
        apiKey = apiKey, environment = "development", baseUrl = "", webhookSecrets = secrets, dev = dev,
        businessUnit = "acme-utilities", publicUrl = "http://127.0.0.1:8080",
    )

    @Test
    fun `no key or no webhook secret outside development is refused, naming what is missing`() {
        val e = assertThrows<IllegalStateException> { PaystarBeans().webhookSecrets(properties()) }
        assertTrue(e.message!!.contains("PAYSTAR_API_KEY, PAYSTAR_WEBHOOK_SECRETS not set; refusing to start"), e.message)
        val secretOnly = assertThrows<IllegalStateException> { PaystarBeans().webhookSecrets(properties(apiKey = "sk_live_x")) }
        assertTrue(secretOnly.message!!.startsWith("checkout: PAYSTAR_WEBHOOK_SECRETS not set"), secretOnly.message)
    }

    @Test
    fun `development makes a random secret, never a published one, and nothing prints a secret`() {
        val a = PaystarBeans().webhookSecrets(properties(dev = true))
        val b = PaystarBeans().webhookSecrets(properties(dev = true))
        assertEquals(32, a.values.single().length)
        assertTrue(a.values != b.values)
        val given = properties(apiKey = "sk_live_secret_1", secrets = "whsk_secret_2,whsk_secret_3")
        assertEquals(listOf("whsk_secret_2", "whsk_secret_3"), PaystarBeans().webhookSecrets(given).values)
        assertFalse("$given ${PaystarBeans().webhookSecrets(given)}".contains("secret_"))
    }
}
