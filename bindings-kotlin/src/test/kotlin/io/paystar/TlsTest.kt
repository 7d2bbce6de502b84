package io.paystar

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.net.ServerSocket
import java.net.Socket
import java.nio.file.Path
import java.util.Collections
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread

/**
 * HTTPS to the mock (its CA generated at start): HTTP/2 and HTTP/1.1, certificate failures that
 * are final, `caBundle`, and the JVM's own conventions — a trust store built by `keytool` and
 * the `https.proxyHost` properties — each in a child JVM started with them.
 */
class TlsTest {
    private fun wallet() = CustomerSessionRequest(
        businessUnitSlug = "acme-utilities",
        clientUser = ClientUser(emailAddress = "jane@example.com"),
    )

    @Test
    fun `HTTPS calls over HTTP 2 and HTTP 1_1 with the mock's CA`() {
        for ((tls, version) in listOf("on" to "HTTP/2.0", "http1" to "HTTP/1.1")) {
            MockGateway(tls = tls).use { gateway ->
                assertTrue(gateway.url.startsWith("https://localhost:"), gateway.url)
                assertTrue(gateway.caPem!!.contains("BEGIN CERTIFICATE"))
                gateway.client().use { client ->
                    repeat(3) { assertTrue(client.createWalletSessionBlocking(wallet()).url.startsWith("https://")) }
                }
                assertEquals(setOf(version to true), gateway.requests.map { it.version to it.tls }.toSet())
            }
        }
    }

    @Test
    fun `warmUp opens the connection the first call reuses`() {
        for ((tls, version) in listOf("on" to "HTTP/2.0", "http1" to "HTTP/1.1")) {
            MockGateway(tls = tls).use { gateway ->
                gateway.client().use { client ->
                    assertTrue(client.warmUpBlocking() in 100..599)
                    assertEquals(0L, gateway.sessionCount)
                    client.createWalletSessionBlocking(wallet())
                    assertTrue(kotlinx.coroutines.runBlocking { client.warmUp() } in 100..599)
                }
                val (head, call, suspended) = gateway.requests
                assertEquals(listOf("HEAD", "POST", "HEAD"), listOf(head.method, call.method, suspended.method))
                assertEquals(setOf(version to true), gateway.requests.map { it.version to it.tls }.toSet())
                assertEquals(head.connection, call.connection, "the call reuses the warm-up's connection")
                assertFalse(head.headers.keys.any { it.equals("x-paystar-api-key", ignoreCase = true) })
            }
        }
        val closed = MockGateway().use { it.client() }
        closed.close()
        assertThrows<PaystarException.Configuration> { closed.warmUpBlocking() }
    }

    private fun refused(gateway: MockGateway, baseUrl: String, trust: Boolean): PaystarException.Connection {
        val config = PaystarConfig(
            apiKey = gateway.apiKey,
            baseUrl = baseUrl,
            maxRetries = 3,
            caCertificates = if (trust) gateway.caPem else null,
        )
        val started = System.nanoTime()
        val err = PaystarClient(config).use { client ->
            assertThrows<PaystarException.Connection> { client.createWalletSessionBlocking(wallet()) }
        }
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "a certificate failure was retried with backoff")
        assertEquals(1, err.attempts)
        assertFalse(err.retryable)
        assertFalse(err.ambiguous)
        assertTrue(err.message!!.contains("not retried"), err.message)
        return err
    }

    @Test
    fun `an unknown CA, a wrong name and an expired certificate are final`() {
        MockGateway(tls = "on").use { valid ->
            MockGateway(tls = "expired").use { expired ->
                val port = valid.url.substringAfterLast(':')
                assertTrue(refused(valid, valid.url, trust = false).message!!.contains("issuer is not trusted"))
                val wrong = refused(valid, "https://127.0.0.1:$port", trust = true)
                assertTrue(wrong.message!!.contains("not valid for the gateway's host name"), wrong.message)
                assertTrue(refused(expired, expired.url, trust = true).message!!.contains("expired"))
                assertEquals(0, valid.requests.size + expired.requests.size)
            }
        }
    }

    @Test
    fun `caBundle is a PEM file, and a missing one names the option`(@TempDir dir: Path) {
        MockGateway(tls = "on").use { gateway ->
            val bundle = dir.resolve("ca.pem").toFile().apply { writeText(gateway.caPem!!) }
            PaystarClient(PaystarConfig(apiKey = gateway.apiKey, baseUrl = gateway.url, caBundle = bundle.path)).use {
                assertEquals(1, it.createWalletSessionBlocking(wallet()).attempts)
            }
            val missing = assertThrows<PaystarException.Configuration> {
                PaystarClient(PaystarConfig(apiKey = "k", baseUrl = gateway.url, caBundle = dir.resolve("nope.pem").toString()))
            }
            assertEquals("caBundle", missing.option)
        }
    }

    @Test
    fun `http nonProxyHosts is translated to NO_PROXY's spelling`() {
        assertEquals(".internal,localhost,*", JvmNetwork.noProxyOf("*.internal| localhost |10.*|*"))
        assertEquals(".corp.example", JvmNetwork.noProxyOf("*corp.example"))
        assertEquals("", JvmNetwork.noProxyOf(""))
    }

    /** Runs [ChildCall] in a fresh JVM with [props]: its stdout (`ok <url>` or `err <code> <message>`). */
    private fun childCall(gateway: MockGateway, vararg props: String): String {
        val java = File(System.getProperty("java.home"), "bin/java").path
        val inherited = listOf("jna.library.path", "jna.nosys").mapNotNull { p -> System.getProperty(p)?.let { "-D$p=$it" } }
        val command = listOf(java, "--enable-native-access=ALL-UNNAMED") + inherited + props +
            listOf("-cp", System.getProperty("java.class.path"), ChildCall::class.java.name, gateway.url, gateway.apiKey)
        val process = ProcessBuilder(command).redirectErrorStream(false).start()
        val out = process.inputStream.bufferedReader().readText()
        val err = process.errorStream.bufferedReader().readText()
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish")
        assertEquals(0, process.exitValue(), err)
        return out.trim()
    }

    @Test
    fun `the JVM trust store counts (a store built by keytool)`(@TempDir dir: Path) {
        MockGateway(tls = "on").use { gateway ->
            val pem = dir.resolve("ca.pem").toFile().apply { writeText(gateway.caPem!!) }
            val store = dir.resolve("trust.p12").toFile()
            val keytool = File(System.getProperty("java.home"), "bin/keytool").path
            val made = ProcessBuilder(
                keytool, "-importcert", "-noprompt", "-alias", "paystar-mock", "-file", pem.path,
                "-keystore", store.path, "-storepass", "changeit", "-storetype", "PKCS12",
            ).redirectErrorStream(true).start()
            val log = made.inputStream.bufferedReader().readText()
            assertEquals(0, made.waitFor(), log)

            val trusted = childCall(gateway, "-Djavax.net.ssl.trustStore=${store.path}", "-Djavax.net.ssl.trustStorePassword=changeit")
            assertTrue(trusted.startsWith("ok https://localhost:"), trusted)
            val default = childCall(gateway)
            assertTrue(default.startsWith("err connection_error") && default.contains("issuer is not trusted"), default)
        }
    }

    @Test
    fun `the JVM proxy properties count, and http nonProxyHosts bypasses them`(@TempDir dir: Path) {
        MockGateway(tls = "on").use { gateway ->
            val store = dir.resolve("trust.p12").toFile()
            val pem = dir.resolve("ca.pem").toFile().apply { writeText(gateway.caPem!!) }
            val keytool = File(System.getProperty("java.home"), "bin/keytool").path
            assertEquals(0, ProcessBuilder(keytool, "-importcert", "-noprompt", "-alias", "m", "-file", pem.path,
                "-keystore", store.path, "-storepass", "changeit", "-storetype", "PKCS12").start().waitFor())
            val trust = arrayOf("-Djavax.net.ssl.trustStore=${store.path}", "-Djavax.net.ssl.trustStorePassword=changeit")
            ConnectProxy().use { proxy ->
                val via = childCall(gateway, *trust, "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=${proxy.port}")
                assertTrue(via.startsWith("ok https://localhost:"), via)
                assertEquals(listOf("localhost:${gateway.url.substringAfterLast(':')}"), proxy.targets.toList())

                val bypassed = childCall(gateway, *trust, "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=${proxy.port}",
                    "-Dhttp.nonProxyHosts=*.example.com|localhost")
                assertTrue(bypassed.startsWith("ok https://localhost:"), bypassed)
                assertEquals(1, proxy.targets.size, "nonProxyHosts did not bypass the proxy")
            }
        }
    }
}

/** A child JVM's one call: prints `ok <url>` or `err <code> <message>`. */
object ChildCall {
    @JvmStatic
    fun main(args: Array<String>) {
        val config = PaystarConfig(apiKey = args[1], baseUrl = args[0], maxRetries = 0)
        val request = CustomerSessionRequest(businessUnitSlug = "a", clientUser = ClientUser(emailAddress = "a@b.co"))
        try {
            PaystarClient(config).use { println("ok " + it.createWalletSessionBlocking(request).url) }
        } catch (e: PaystarException) {
            println("err ${e.code} ${e.message}")
        }
    }
}

/** A minimal HTTP CONNECT proxy on loopback that records each tunnel's target. */
class ConnectProxy : AutoCloseable {
    private val server = ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())
    val port: Int = server.localPort
    val targets: MutableList<String> = Collections.synchronizedList(mutableListOf())

    init {
        thread(isDaemon = true) {
            while (!server.isClosed) {
                val client = runCatching { server.accept() }.getOrNull() ?: break
                thread(isDaemon = true) { tunnel(client) }
            }
        }
    }

    private fun tunnel(client: Socket) = client.use {
        val input = client.getInputStream()
        val head = StringBuilder()
        while (!head.endsWith("\r\n\r\n")) {
            val b = input.read()
            if (b < 0) return
            head.append(b.toChar())
        }
        val target = head.lineSequence().first().split(' ')[1]
        targets.add(target)
        Socket(target.substringBeforeLast(':'), target.substringAfterLast(':').toInt()).use { upstream ->
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".toByteArray())
            val up = thread(isDaemon = true) { runCatching { input.transferTo(upstream.getOutputStream()) }; runCatching { upstream.shutdownOutput() } }
            runCatching { upstream.getInputStream().transferTo(client.getOutputStream()) }
            up.join(5000)
        }
    }

    override fun close() = server.close()
}
