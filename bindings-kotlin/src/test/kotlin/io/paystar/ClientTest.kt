package io.paystar

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.time.Duration
import java.time.Instant
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

class ClientTest {
    private val gateway = MockGateway()
    private val client = gateway.client()

    @AfterEach
    fun stop() {
        client.close()
        gateway.close()
    }

    private val user = ClientUser(emailAddress = "jane@example.com", firstName = "Jane")
    private val account = ClientAccount(accountNumber = "ACC-12345", name = "Jane Doe", balance = 15000)
    private fun wallet() = CustomerSessionRequest(businessUnitSlug = "acme-utilities", clientUser = user)
    private fun payment(amount: Long = 15000) = PaymentSessionRequest(
        businessUnitSlug = "acme-utilities",
        channel = "QuickPay",
        charges = listOf(Charge(amount = amount, description = "November bill", clientAccount = account)),
        clientUser = user,
    )

    /** JNA's live native allocations (its `Memory` registry): what the call path must not grow. */
    private fun jnaAllocations(): Int {
        val field = com.sun.jna.Memory::class.java.getDeclaredField("allocatedMemory")
        field.isAccessible = true
        return (field.get(null) as Map<*, *>).size
    }

    @Test
    fun `a call allocates no JNA memory (it crosses through JNI)`() = runBlocking {
        client.createWalletSessionBlocking(wallet())
        client.createWalletSession(wallet())
        val before = jnaAllocations()
        repeat(300) {
            client.createPaymentSessionBlocking(payment())
            client.createWalletSession(wallet())
        }
        // uniffi's JNA path allocated three `Memory` blocks per call (the argument, the answer and
        // the call status), freed only when collected: 1,800 here.
        val grown = jnaAllocations() - before
        assertTrue(grown < 60, "JNA memory grew by $grown over 600 calls")
    }

    @Test
    fun `every operation with data classes, suspend and blocking`() = runBlocking {
        val p = client.createPaymentSession(payment())
        assertEquals("payment", p.kind)
        assertNotNull(p.id)
        assertTrue(p.url.startsWith(gateway.url))
        assertEquals("completePayment", p.loaderCall)
        val minutes = Duration.between(Instant.now(), p.expiresAt).toMinutes()
        assertTrue(minutes in 25..30, "$minutes")
        assertTrue(p.rawJson.contains("PaymentLogInLink"))
        val acct = AccountSessionRequest(businessUnitSlug = "acme-utilities", clientAccount = account, clientUser = user, syncAccount = true)
        assertEquals("autopay", client.createAutopaySession(acct).kind)
        assertEquals("wallet", client.createWalletSession(wallet()).kind)
        assertEquals("paperless", client.createPaperlessSession(acct).kind)
        assertEquals("notification", client.createNotificationSession(wallet()).kind)
        assertEquals("payment", client.createPaymentSessionBlocking(payment()).kind)
        assertEquals("autopay", client.createAutopaySessionBlocking(acct).kind)
        assertEquals("wallet", client.createWalletSessionBlocking(wallet()).kind)
        assertEquals("paperless", client.createPaperlessSessionBlocking(acct).kind)
        assertEquals("startFlow", client.createNotificationSessionBlocking(wallet()).loaderCall)
        val body = gateway.requests[0].bodyJson
        assertTrue(body.contains("\"Amount\":15000"), body)
        assertFalse(body.contains("null"), "absent optionals are not sent: $body")
    }

    @Test
    fun `bad input is a typed validation error naming every field, before any request`() {
        val e = assertThrows<PaystarException.Validation> {
            client.createPaymentSessionBlocking(payment(amount = 0).copy(channel = "quickpay", businessUnitSlug = ""))
        }
        assertEquals("validation_error", e.code)
        assertEquals(setOf("BusinessUnitSlug", "Channel", "Charges[0].Amount"), e.fieldErrors.map { it.path }.toSet())
        assertEquals(0, e.attempts)
        assertEquals(0, gateway.requests.size)
        val typo = assertThrows<PaystarException.Validation> {
            client.executeBlocking("create_wallet_session", """{"businessUnitSlug":"a","clientUsr":{"emailAddress":"a@b.co"}}""")
        }
        assertTrue(typo.message!!.contains("did you mean clientUser?"), typo.message)
    }

    @Test
    fun `a client made by gateway client() keeps its gateway running through garbage collection`() {
        // The examples' development mode keeps only the client: the gateway must not be
        // collected (and stopped by its cleaner) under it.
        val kept = MockGateway().client(PaystarConfig(maxRetries = 0))
        repeat(10) {
            System.gc()
            Thread.sleep(20)
        }
        assertTrue(kept.createWalletSessionBlocking(wallet()).url.contains("/session/"))
        kept.close()
    }

    @Test
    fun `bad config fails at construction with the option named`() {
        val e = assertThrows<PaystarException.Configuration> { PaystarClient(PaystarConfig(apiKey = "k", baseUrl = "http://example.com")) }
        assertTrue(e.message!!.startsWith("baseUrl:"), e.message)
        assertThrows<PaystarException.Configuration> { PaystarClient(PaystarConfig(apiKey = "k", timeout = Duration.ZERO)) }
        assertThrows<PaystarException.Configuration> { PaystarClient(PaystarConfig(apiKey = "k", maxRetries = -1)) }
        assertThrows<PaystarException.Configuration> { client.createWalletSessionBlocking(wallet(), CallOptions(maxRetries = -1)) }
    }

    @Test
    fun `the key never appears in toString of the client, config or any exception`() {
        val key = "sk_test_very_secret_key_4242"
        val config = PaystarConfig(apiKey = key, baseUrl = gateway.url, maxRetries = 0)
        val c = PaystarClient(config)
        val texts = mutableListOf(config.toString(), c.toString())
        texts += assertThrows<PaystarException.Authentication> { c.createWalletSessionBlocking(wallet()) }.let { listOf(it.toString(), it.stackTraceToString(), it.message!!) }
        texts += assertThrows<PaystarException.Configuration> { PaystarClient(config.copy(timeout = Duration.ofDays(1))) }.toString()
        for (t in texts) assertFalse(t.contains(key), t)
        assertTrue(config.toString().contains("apiKey=***"))
        assertEquals("***", gateway.requests[0].headers["x-paystar-api-key"])
        c.close()
        // A proxy URL may carry credentials: core's spec marks it secret, so the generated
        // config hides it like the key (and has no getter for it).
        val proxied = PaystarConfig(apiKey = key, proxy = "http://user:proxy-password@127.0.0.1:3128")
        assertFalse(proxied.toString().contains("proxy-password"), proxied.toString())
        assertTrue(proxied.toString().contains("proxy=***"), proxied.toString())
        assertTrue(PaystarConfig::class.java.methods.none { it.name == "getProxy" || it.name == "getApiKey" })
    }

    @Test
    fun `1,000 concurrent coroutine calls on one client`() = runBlocking {
        val sessions = (1..1000).map { async(Dispatchers.Default) { client.createWalletSession(wallet()) } }.awaitAll()
        assertEquals(1000, sessions.map { it.url }.toSet().size)
        assertEquals(1000L, gateway.sessionCount)
    }

    @Test
    fun `suspended calls hold no thread while they wait`() = runBlocking {
        val calls = 200
        gateway.script((1..calls).joinToString(",", "[", "]") { """{"kind":"delay","ms":600}""" })
        gateway.client(PaystarConfig(maxInFlight = calls)).use { wide ->
            wide.createWalletSession(wallet()) // the completion thread and the runtime start
            val threads = java.lang.management.ManagementFactory.getThreadMXBean()
            val before = threads.threadCount
            val started = Instant.now()
            val pending = (1..calls).map { async { wide.createWalletSession(wallet()) } }
            delay(300)
            val during = threads.threadCount
            assertEquals(calls, pending.awaitAll().size)
            // All 200 waited at once (one 600 ms delay, not several), on no thread of their own.
            assertTrue(Duration.between(started, Instant.now()) < Duration.ofMillis(1500))
            assertTrue(during - before < 20, "$before threads before, $during while $calls calls waited")
        }
        gateway.clearScript()
    }

    @Test
    fun `16 threads share one client through the blocking API`() {
        val pool = Executors.newFixedThreadPool(16)
        val futures = (1..160).map { pool.submit<String> { client.createWalletSessionBlocking(wallet()).url } }
        val urls = futures.map { it.get(60, TimeUnit.SECONDS) }
        pool.shutdown()
        assertEquals(160, urls.toSet().size)
    }

    @Test
    fun `cancelling a coroutine during a slow call stops the call`() = runBlocking {
        gateway.script("""[{"kind":"delay","ms":1500},{"kind":"delay","ms":1500}]""")
        var finished = false
        val job = launch {
            client.createWalletSession(wallet(), CallOptions(timeout = Duration.ofSeconds(1)))
            finished = true
        }
        delay(150)
        job.cancel()
        job.join()
        assertTrue(job.isCancelled)
        // Had the call gone on, its 1 s timeout would have fired a retry by now.
        delay(1500)
        assertFalse(finished)
        assertEquals(1, gateway.requests.size)
        gateway.clearScript()
        assertEquals(1, client.createWalletSession(wallet()).attempts)
    }

    @Test
    fun `retries and typed errors after them`() {
        gateway.script("""[{"kind":"status","status":503,"retry_after":"0"}]""")
        assertEquals(2, client.createWalletSessionBlocking(wallet()).attempts)
        gateway.script("""[{"kind":"status","status":500},{"kind":"status","status":500},{"kind":"status","status":500}]""")
        val e = assertThrows<PaystarException.Server> { client.createWalletSessionBlocking(wallet()) }
        assertEquals(3, e.attempts)
        assertEquals(500, e.status)
    }

    @Test
    fun `the java caller of the blocking API works`() {
        assertTrue(JavaCaller.walletUrl(gateway.url, gateway.apiKey).startsWith(gateway.url))
        assertEquals("payment", JavaCaller.paymentKind(gateway.url, gateway.apiKey))
        assertTrue(JavaCaller.readmeQuickStart().contains("/app/embedded/acme-utilities/session/"))
        assertEquals("Accounts.ManageCustomer 200", JavaCaller.customerUpdate(gateway.url, gateway.apiKey))
        assertEquals("Smith", org.json.JSONObject(gateway.customerJson("jane@example.com")!!).getString("LastName"))
    }

    @Test
    fun `each attempt is logged to the paystar logger, warning before a retry, never the key`() {
        val logger = java.util.logging.Logger.getLogger("paystar")
        val records = java.util.Collections.synchronizedList(mutableListOf<java.util.logging.LogRecord>())
        val handler = object : java.util.logging.Handler() {
            override fun publish(record: java.util.logging.LogRecord) { records += record }
            override fun flush() {}
            override fun close() {}
        }
        val old = logger.level
        logger.level = java.util.logging.Level.ALL
        logger.addHandler(handler)
        try {
            gateway.script("""[{"kind":"status","status":503,"retry_after":"0"}]""")
            val s = client.createWalletSessionBlocking(wallet())
            val lines = records.map { it.level to it.message }
            assertEquals(listOf(java.util.logging.Level.WARNING, java.util.logging.Level.FINE), lines.map { it.first }, lines.toString())
            val path = "/integrations/embedded/initiate-manage-wallet"
            assertTrue(lines[0].second.startsWith("POST $path -> 503 server_error (attempt 1, "), lines[0].second)
            assertTrue(lines[0].second.endsWith("retrying in 0 ms"), lines[0].second)
            assertTrue(lines[1].second.startsWith("POST $path -> 200 (attempt 2, "), lines[1].second)
            assertTrue(lines[1].second.contains("request id ${s.requestId})"), lines[1].second)
            assertFalse(lines.any { it.second.contains(gateway.apiKey) || it.second.contains("jane@example.com") })
        } finally {
            logger.removeHandler(handler)
            logger.level = old
        }
    }

    @Test
    fun `the user agent names kotlin and the jvm`() {
        client.createWalletSessionBlocking(wallet())
        val ua = gateway.requests[0].headers["user-agent"]!!
        assertTrue(ua.startsWith("paystar/0.1.0 (kotlin; jvm "), ua)
    }
}
