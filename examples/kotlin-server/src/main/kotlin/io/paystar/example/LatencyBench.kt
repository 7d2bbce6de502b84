package io.paystar.example

import io.paystar.ClientUser
import io.paystar.CustomerSessionRequest
import io.paystar.PaystarClient
import io.paystar.PaystarConfig
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import java.lang.management.ManagementFactory
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.io.File

/**
 * Numbers, not a test (`make bench-latency`; BENCHMARKS.md "Latency"): calls per second against
 * a mock gateway that holds every answer PAYSTAR_LATENCY_MS (50) ms, with N calls in flight for
 * each N in PAYSTAR_LATENCY_LEVELS (100,500,1000): N coroutines each make
 * PAYSTAR_LATENCY_ROUNDS calls one after another. paystar's suspend API (maxInFlight = N)
 * against java.net.http's `sendAsync` (HTTP/1.1, no connection limit), each doing the same work:
 * POST the JSON, parse the answer (org.json), check hasErrors, take the link. One JSON line per
 * run on stdout. Both clients are warmed up first (the JIT), unmeasured.
 */
fun main() {
    val env = System.getenv()
    val base = env["PAYSTAR_BENCH_URL"] ?: error("set PAYSTAR_BENCH_URL (make bench-latency starts paystar-mock)")
    val key = env["PAYSTAR_BENCH_KEY"] ?: "sk_mock_paystar_0000"
    val levels = (env["PAYSTAR_LATENCY_LEVELS"] ?: "100,500,1000").split(",").map { it.trim().toInt() }
    val rounds = (env["PAYSTAR_LATENCY_ROUNDS"] ?: "20").toInt()
    val latencyMs = (env["PAYSTAR_LATENCY_MS"] ?: "50").toDouble()
    val url = "$base/integrations/embedded/initiate-manage-wallet"
    val body = """{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}"""
    val stats = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    val process = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

    // A fresh client per stats request (its own connection, counted and taken off).
    fun connections(): Long {
        val fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        val answer = fresh.send(HttpRequest.newBuilder(URI("$base/__mock/stats")).build(), HttpResponse.BodyHandlers.ofString())
        return JSONObject(answer.body()).getLong("connections") - 1
    }

    fun rssMb(): Double = File("/proc/self/status").readLines().firstOrNull { it.startsWith("VmRSS:") }
        ?.split(Regex("\\s+"))?.get(1)?.toDouble()?.div(1024) ?: Double.NaN

    fun measure(client: String, level: Int, call: suspend () -> String) {
        val before = connections()
        val cpu0 = process.processCpuTime
        val t0 = System.nanoTime()
        runBlocking(Dispatchers.Default) {
            coroutineScope { repeat(level) { launch { repeat(rounds) { call() } } } }
        }
        val seconds = (System.nanoTime() - t0) / 1e9
        val cpu = (process.processCpuTime - cpu0) / 1e9
        val calls = level * rounds
        println(
            """{"language":"jvm","client":"$client","in_flight":$level,"calls":$calls,""" +
                """"calls_per_s":${calls / seconds},"ideal_per_s":${level / (latencyMs / 1000)},""" +
                """"connections":${connections() - before},"cpu_s":$cpu,"wall_s":$seconds,"rss_mb":${rssMb()}}""",
        )
    }

    val request = CustomerSessionRequest(businessUnitSlug = "acme-utilities", clientUser = ClientUser(emailAddress = "jane@example.com"))
    val post = HttpRequest.newBuilder(URI(url))
        .header("X-Paystar-Api-Key", key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build()

    // The JIT's warm-up, for both clients alike (not printed): 100 in flight, PAYSTAR_LATENCY_WARMUP
    // rounds each (20: 2,000 calls, as Bench.kt warms up).
    val warmRounds = (env["PAYSTAR_LATENCY_WARMUP"] ?: "20").toInt()
    runBlocking(Dispatchers.Default) {
        PaystarClient(PaystarConfig(apiKey = key, baseUrl = base)).use { client ->
            coroutineScope { repeat(100) { launch { repeat(warmRounds) { client.createWalletSession(request) } } } }
        }
        val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        coroutineScope { repeat(100) { launch { repeat(warmRounds) { http.sendAsync(post, HttpResponse.BodyHandlers.ofString()).await() } } } }
    }

    for (level in levels) {
        PaystarClient(PaystarConfig(apiKey = key, baseUrl = base, maxInFlight = level)).use { client ->
            measure("paystar (suspend)", level) { client.createWalletSession(request).url }
        }
        val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        measure("java.net.http sendAsync", level) {
            val answer = JSONObject(http.sendAsync(post, HttpResponse.BodyHandlers.ofString()).await().body())
            check(!answer.getBoolean("hasErrors")) { "the mock refused the call" }
            answer.getJSONObject("data").getString("SessionLink")
        }
    }
}
