package io.paystar.example

import io.paystar.ClientUser
import io.paystar.CustomerSessionRequest
import io.paystar.PaystarClient
import io.paystar.PaystarConfig
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.json.JSONObject
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import kotlin.system.exitProcess

/**
 * The cold-start program (`make bench`; BENCHMARKS.md "Cold start"): a fresh JVM loads one client
 * library, builds a client, makes one wallet-session call to the mock gateway at
 * PAYSTAR_BENCH_URL (trusting PAYSTAR_BENCH_CA), prints the link and its peak RSS and exits.
 * benches/run.py times the whole process from outside.
 *
 *     java -cp ... io.paystar.example.ColdKt paystar|okhttp|jdk
 */
fun main(args: Array<String>) {
    val env = System.getenv()
    val base = env["PAYSTAR_BENCH_URL"] ?: error("set PAYSTAR_BENCH_URL")
    val key = env["PAYSTAR_BENCH_KEY"] ?: "sk_mock_paystar_0000"
    val ca = env["PAYSTAR_BENCH_CA"]?.takeIf { it.isNotEmpty() }
    val url = "$base/integrations/embedded/initiate-manage-wallet"
    val body = """{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}"""
    fun link(answer: String): String {
        val v = JSONObject(answer)
        check(!v.getBoolean("hasErrors")) { "the mock refused the call" }
        return v.getJSONObject("data").getString("SessionLink")
    }
    val answer = when (args.singleOrNull()) {
        "paystar" -> PaystarClient(PaystarConfig(apiKey = key, baseUrl = base, caBundle = ca)).use {
            it.createWalletSessionBlocking(CustomerSessionRequest("acme-utilities", ClientUser(emailAddress = "jane@example.com"))).url
        }
        "okhttp" -> {
            val trust = ca?.let { trustingPem(it) }
            val ok = OkHttpClient.Builder().apply { trust?.let { sslSocketFactory(it.first.socketFactory, it.second) } }.build()
            val r = Request.Builder().url(url).header("X-Paystar-Api-Key", key)
                .post(body.toRequestBody("application/json".toMediaType())).build()
            ok.newCall(r).execute().use { link(it.body.string()) }
        }
        "jdk" -> {
            val http = HttpClient.newBuilder().apply { ca?.let { sslContext(trustingPem(it).first) } }.build()
            val post = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").header("X-Paystar-Api-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()
            link(http.send(post, HttpResponse.BodyHandlers.ofString()).body())
        }
        else -> {
            System.err.println("usage: ColdKt paystar|okhttp|jdk")
            exitProcess(2)
        }
    }
    println(answer)
    // This process's peak resident memory (VmHWM): benches/run.py reads it from the last line
    // (the kernel's rusage of a child counts its parent's memory at the fork).
    println(java.io.File("/proc/self/status").readLines().first { it.startsWith("VmHWM:") })
    // OkHttp's and the JDK client's threads would keep the JVM up for a minute: a service
    // exits on its own terms; the measurement ends at the answer.
    exitProcess(0)
}
