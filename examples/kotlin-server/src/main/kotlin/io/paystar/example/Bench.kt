package io.paystar.example

import io.paystar.ClientUser
import io.paystar.CustomerSessionRequest
import io.paystar.MockGateway
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Numbers, not a test: one blocking wallet-session call on the mock gateway, paystar vs
 * java.net.http.HttpClient (same body, keep-alive), median and p90 of 1,000 after 200 warm-up;
 * then throughput of 16 threads making 8,000 blocking calls in all.
 */
fun main() {
    val n = 1000
    val warmup = 200
    fun measure(call: () -> Any): Pair<Double, Double> {
        repeat(warmup) { call() }
        val samples = DoubleArray(n) { val t = System.nanoTime(); call(); (System.nanoTime() - t) / 1000.0 }
        samples.sort()
        return samples[n / 2] to samples[(n * 0.9).toInt()]
    }
    MockGateway().use { gw ->
        val client = gw.client()
        val request = CustomerSessionRequest("acme-utilities", ClientUser(emailAddress = "jane@example.com"))
        val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        val post = HttpRequest.newBuilder(URI.create("${gw.url}/integrations/embedded/initiate-manage-wallet"))
            .header("Content-Type", "application/json").header("X-Paystar-Api-Key", gw.apiKey)
            .POST(HttpRequest.BodyPublishers.ofString("""{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}""")).build()
        val results = linkedMapOf(
            "HttpClient" to measure {
                val r = http.send(post, HttpResponse.BodyHandlers.ofString())
                check(r.statusCode() == 200)
                r.body()
            },
            "paystar blocking" to measure { client.createWalletSessionBlocking(request).url },
        )
        fun throughput(call: () -> Any): Double {
            val threads = 16
            val each = 500
            val start = System.nanoTime()
            val workers = List(threads) { Thread { repeat(each) { call() } }.also { it.start() } }
            workers.forEach { it.join() }
            return threads * each / ((System.nanoTime() - start) / 1e9)
        }
        val rates = linkedMapOf(
            "HttpClient" to throughput { http.send(post, HttpResponse.BodyHandlers.ofString()).body() },
            "paystar blocking" to throughput { client.createWalletSessionBlocking(request).url },
        )
        val base = results.getValue("HttpClient").first
        println("one blocking wallet-session call on the mock gateway, $n calls after $warmup warm-up (java ${Runtime.version()})")
        for ((name, r) in results) {
            println("  %-17s median %7.1f us   p90 %7.1f us   %.2fx HttpClient".format(name, r.first, r.second, r.first / base))
        }
        println("16 threads, 8000 blocking calls in all")
        for ((name, rate) in rates) {
            println("  %-17s %8.0f calls/s   %.2fx HttpClient".format(name, rate, rate / rates.getValue("HttpClient")))
        }
        client.close()
    }
}
