package io.paystar

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.Duration

/**
 * The boundary: bad values are typed [PaystarException]s (never an IllegalArgumentException or
 * a crash), every attribute comes from core, and log records are made on the caller's thread.
 */
class BoundaryTest {
    private val gateway = MockGateway()
    private val client = gateway.client()

    @AfterEach
    fun stop() {
        client.close()
        gateway.close()
    }

    private fun wallet(extraJson: String? = null) =
        CustomerSessionRequest(businessUnitSlug = "acme", clientUser = ClientUser(emailAddress = "a@b.co"), extraJson = extraJson)

    @Test
    fun `a negative Duration is a Configuration error before anything is sent`() {
        val e = assertThrows<PaystarException.Configuration> {
            client.createWalletSessionBlocking(wallet(), CallOptions(timeout = Duration.ofSeconds(-5)))
        }
        assertTrue(e.message!!.startsWith("timeout: must be a positive"), e.message)
        assertThrows<PaystarException.Configuration> { PaystarClient(PaystarConfig(apiKey = "k", timeout = Duration.ofMillis(-1))) }
        assertThrows<PaystarException.Configuration> { PaystarClient(PaystarConfig(apiKey = "k", maxRetries = -1)) }
        assertEquals(0, gateway.requests.size)
    }

    @Test
    fun `JSON nested past what the parser takes is a Validation error, not a stack overflow`() {
        val deep = "[".repeat(100_000) + "]".repeat(100_000)
        val e = assertThrows<PaystarException.Validation> { client.createWalletSessionBlocking(wallet(extraJson = """{"Deep": $deep}""")) }
        assertEquals("Extra", e.fieldErrors.single().path)
        assertThrows<PaystarException.Validation> { client.executeBlocking("create_wallet_session", deep) }
        assertEquals(0, gateway.requests.size)
    }

    @Test
    fun `the mock clock refuses overflow with a Configuration error`() {
        repeat(2) { assertThrows<PaystarException.Configuration> { gateway.advanceClock(Duration.ofDays(365L * 1_000_000)) } }
        gateway.advanceClock(Duration.ofMinutes(1))
    }

    @Test
    fun `sessions and errors carry every attribute from core`() {
        val s = client.createWalletSessionBlocking(wallet())
        assertEquals(false, s.ambiguous)
        assertEquals("startFlow", s.loaderCall)
        val e = assertThrows<PaystarException.Validation> {
            client.createWalletSessionBlocking(CustomerSessionRequest(businessUnitSlug = "", clientUser = ClientUser(emailAddress = "x")))
        }
        assertEquals(false, e.retryable)
        assertTrue(e.fieldErrors.all { it.rule in PaystarClient.rules() }, e.fieldErrors.toString())
    }

    @Test
    fun `no getter or serializable field of the config or the client holds the key`() {
        val key = "sk_test_write_only_4242"
        val config = PaystarConfig(apiKey = key, baseUrl = gateway.url)
        fun shows(v: Any?) = v?.toString()?.contains(key) == true
        PaystarClient(config).use { c ->
            for (target in listOf<Any>(config, c)) {
                // What Jackson and a debugger's property view read: public getters.
                val getters = target.javaClass.methods
                    .filter { it.parameterCount == 0 && '$' !in it.name }
                    .filter { m -> listOf("get", "is", "component").any { m.name.startsWith(it) } }
                    .filter { shows(runCatching { it.invoke(target) }.getOrNull()) }
                    .map { it.name }
                // What Gson and Java serialization read: every non-transient field.
                val fields = generateSequence<Class<*>>(target.javaClass) { it.superclass }
                    .flatMap { it.declaredFields.asSequence() }
                    .filter { f -> listOf(java.lang.reflect.Modifier::isTransient, java.lang.reflect.Modifier::isStatic).none { it(f.modifiers) } }
                    .filter { f -> f.isAccessible = true; shows(f.get(target)) }
                    .map { it.name }
                    .toList()
                assertEquals(emptyList<String>(), getters + fields, target.javaClass.simpleName)
            }
        }
    }

    @Test
    fun `log records are made on the thread that made the call`() {
        val logger = java.util.logging.Logger.getLogger("paystar")
        val threads = java.util.Collections.synchronizedList(mutableListOf<String>())
        val handler = object : java.util.logging.Handler() {
            override fun publish(record: java.util.logging.LogRecord) { threads += Thread.currentThread().name }
            override fun flush() {}
            override fun close() {}
        }
        val old = logger.level
        logger.level = java.util.logging.Level.ALL
        logger.addHandler(handler)
        try {
            gateway.script("""[{"kind":"status","status":503,"retry_after":"0"}]""")
            client.createWalletSessionBlocking(wallet())
            assertEquals(listOf(Thread.currentThread().name, Thread.currentThread().name), threads.toList())
            threads.clear()
            runBlocking { client.createWalletSession(wallet()) }
            assertEquals(1, threads.size)
            assertTrue(!threads[0].startsWith("paystar-rt"), threads.toString())
        } finally {
            logger.removeHandler(handler)
            logger.level = old
        }
    }
}
