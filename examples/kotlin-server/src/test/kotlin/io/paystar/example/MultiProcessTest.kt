package io.paystar.example

import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.Webhooks
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.TestMethodOrder
import java.io.File
import java.net.ServerSocket
import java.net.Socket
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.util.concurrent.CompletableFuture

/**
 * Several processes, one real Redis: two JVMs (MultiProcessWorker) run the example's webhook
 * endpoint on RedisDedupeStore. The same delivery posted to both at once is handled exactly once;
 * a JVM SIGKILLed inside the handler leaves a lease that expires, after which the redelivery is
 * handled. Needs Debian's redis-server (.ci/run installs it; PAYSTAR_REQUIRE_REDIS=1 makes its
 * absence a failure, not a skip).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation::class) // the second kills a JVM
class MultiProcessTest {
    private val children = mutableListOf<Process>()
    private val dir = Files.createTempDirectory("paystar-multi-").toFile()
    private val log = File(dir, "handlers.log").apply { writeText("") }
    private lateinit var ports: List<Int>
    private val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

    private fun freePort() = ServerSocket(0).use { it.localPort }

    private fun waitForPort(port: Int) {
        repeat(600) {
            if (runCatching { Socket("127.0.0.1", port).close() }.isSuccess) return
            Thread.sleep(50)
        }
        error("nothing listens on $port")
    }

    private fun start(vararg command: String): Process =
        ProcessBuilder(*command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start().also { children += it }

    @BeforeAll
    fun startAll() {
        val haveRedis = runCatching { ProcessBuilder("redis-server", "--version").start().waitFor() == 0 }.getOrDefault(false)
        if (!haveRedis && System.getenv("PAYSTAR_REQUIRE_REDIS") != null) error("redis-server is required here")
        assumeTrue(haveRedis, "needs Debian's redis-server (.ci/run installs it)")
        val redisPort = freePort()
        start("redis-server", "--port", "$redisPort", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
        waitForPort(redisPort)
        ports = listOf(freePort(), freePort())
        val java = ProcessHandle.current().info().command().orElse("java")
        for (port in ports) {
            start(
                java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.paystar.example.MultiProcessWorkerKt", "$port", "redis://127.0.0.1:$redisPort", log.path, "3000",
            )
        }
        ports.forEach(::waitForPort)
    }

    @AfterAll
    fun stopAll() {
        children.forEach { it.destroyForcibly() }
        dir.deleteRecursively()
    }

    private fun body(reference: String) =
        """{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_multi","referenceNumber":"$reference","amount":"150.00"}}""".toByteArray()

    private fun post(port: Int, data: ByteArray): Int {
        val headers = Webhooks.sign(
            data, WebhookScheme.HMAC_SHA256, "whsk_multiprocess_test", header = "X-Paystar-Signature", timestampHeader = "X-Paystar-Timestamp",
        )
        val req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:$port/paystar/webhook")).POST(HttpRequest.BodyPublishers.ofByteArray(data))
        headers.forEach { (k, v) -> req.header(k, v) }
        return try {
            http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
        } catch (e: java.io.IOException) {
            System.err.println("no answer from $port: $e")
            0
        }
    }

    private fun lines(word: String, ref: String) = log.readLines().filter { it.startsWith(word) && it.endsWith(ref) }

    @Test
    @Order(1)
    fun `one delivery posted to two JVMs at once is handled once`() {
        val data = body("R-ONCE")
        val statuses = (ports + ports).map { p -> CompletableFuture.supplyAsync { post(p, data) } }.map { it.join() }.sorted()
        assertEquals(1, statuses.count { it == 204 }, statuses.toString())
        assertTrue(statuses.all { it in setOf(200, 204, 409) }, statuses.toString())
        assertEquals(1, lines("start", "R-ONCE").size, log.readText())
        assertEquals(listOf(200, 200), ports.map { post(it, data) })
    }

    @Test
    @Order(2)
    fun `a JVM killed in the handler leaves a lease that expires`() {
        val data = body("SLOW-1")
        val first = CompletableFuture.supplyAsync { post(ports[0], data) }
        val deadline = System.nanoTime() + 20_000_000_000
        while (lines("start", "SLOW-1").isEmpty() && System.nanoTime() < deadline) Thread.sleep(20)
        val pid = lines("start", "SLOW-1").single().split(" ")[1].toLong()
        ProcessHandle.of(pid).get().destroyForcibly() // SIGKILL: the OOM killer, a deploy
        assertEquals(0, first.join()) // its connection died with it
        assertEquals(409, post(ports[1], data)) // its lease still holds
        Thread.sleep(3_500) // the 3 s lease expires
        assertEquals(204, post(ports[1], data)) // handled, on the other JVM
        assertEquals(2, lines("start", "SLOW-1").size, log.readText())
        assertEquals(1, lines("done", "SLOW-1").size, log.readText())
        assertEquals(200, post(ports[1], data))
    }
}
