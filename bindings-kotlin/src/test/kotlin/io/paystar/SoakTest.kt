package io.paystar

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.time.Duration

/**
 * The fault soak (RELIABILITY.md): PAYSTAR_SOAK_CALLS wallet sessions (300 here; 10,000 for the
 * documented run) through a gateway failing at a seeded 30 % rate, 16 coroutines at a time,
 * audited by core against the gateway's log. File descriptors and RSS are measured around it.
 */
class SoakTest {
    private val calls = System.getenv("PAYSTAR_SOAK_CALLS")?.toInt() ?: 300
    private val maxRetries = 2

    private fun fds() = File("/proc/self/fd").list()?.size ?: 0
    private fun rssKb() = File("/proc/self/status").readLines().first { it.startsWith("VmRSS:") }.filter(Char::isDigit).toLong()

    private fun soak(client: PaystarClient, first: Int, n: Int): List<JSONObject> = runBlocking(Dispatchers.Default) {
        val limit = Semaphore(16)
        (first until first + n).map { i ->
            async {
                limit.withPermit {
                    val email = "soak$i@example.com"
                    try {
                        val s = client.createWalletSession(CustomerSessionRequest("acme-utilities", ClientUser(email)))
                        JSONObject().put("email", email).put("session", JSONObject().put("attempts", s.attempts).put("ambiguous", s.ambiguous))
                    } catch (e: PaystarException) {
                        JSONObject().put("email", email)
                            .put("error", JSONObject().put("code", e.code).put("attempts", e.attempts).put("ambiguous", e.ambiguous))
                    }
                }
            }
        }.awaitAll()
    }

    /** Two equal passes, each audited and its log then freed: a leak shows as growth from the
     * first pass to the second (RSS is reported; the JVM's heap grows lazily, so only descriptors
     * are asserted). */
    @Test
    fun `random faults never break the accounting`() {
        MockGateway().use { gateway ->
            gateway.client(PaystarConfig(timeout = Duration.ofSeconds(1), maxRetries = maxRetries)).use { client ->
                soak(client, 2 * calls, 50) // warm: runtime, pool
                gateway.forgetRequests()
                val after = mutableListOf<Pair<Int, Long>>()
                for (pass in 0 until 2) {
                    gateway.script(io.paystar.ffi.soakScript((2026L + pass).toULong(), 0.3))
                    val outcomes = soak(client, 0, calls) // the same customers each pass
                    gateway.clearScript()
                    val report = JSONObject(io.paystar.ffi.auditSoak(JSONArray(outcomes).toString(), JSONObject(gateway.snapshotJson()).getJSONArray("requests").toString(), maxRetries.toUInt()))
                    gateway.forgetRequests()
                    println("soak (kotlin) pass ${pass + 1}: $report")
                    assertEquals(0, report.getJSONArray("problems").length(), report.toString())
                    assertEquals(calls, report.getInt("calls"))
                    after += fds() to rssKb()
                }
                println("soak (kotlin): after pass 1 fds, rss KiB ${after[0]}; after pass 2 ${after[1]}")
                assertTrue(after[1].first <= after[0].first + 10, "fds $after")
            }
        }
    }

    /** The same calls through the mock's fault proxy (faults below HTTP: latency with jitter, a
     * slow link, tiny segments, connections cut mid-request and mid-response, a gateway that
     * stops answering), audited by core: nothing lost, nothing sent twice without ambiguous,
     * attempts within bounds. */
    @Test
    fun `network faults never break the accounting`() {
        val network = """{"seed": 2026, "latency": 2, "jitter": 8, "bytesPerSecond": 524288, "slice": 64,
            "cutRequest": 0.05, "cutResponse": 0.05, "stall": 0.03}"""
        MockGateway(networkJson = network).use { gateway ->
            gateway.client(PaystarConfig(timeout = Duration.ofSeconds(1), maxRetries = maxRetries)).use { client ->
                val outcomes = soak(client, 0, calls)
                val requests = JSONObject(gateway.snapshotJson()).getJSONArray("requests").toString()
                val report = JSONObject(io.paystar.ffi.auditNetworkSoak(JSONArray(outcomes).toString(), requests, maxRetries.toUInt()))
                println("soak (kotlin, network faults): $report")
                assertEquals(0, report.getJSONArray("problems").length(), report.toString())
                assertEquals(calls, report.getInt("calls"))
                assertTrue(report.getJSONObject("attempts").optInt("2") > 0, report.toString())
            }
        }
    }
}
