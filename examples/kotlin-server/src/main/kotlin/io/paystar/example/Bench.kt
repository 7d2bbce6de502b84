package io.paystar.example

import io.paystar.ClientUser
import io.paystar.CustomerSessionRequest
import io.paystar.PaystarClient
import io.paystar.PaystarConfig
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.json.JSONObject
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread

/**
 * Numbers, not a test (`make bench`; BENCHMARKS.md): one wallet-session call against the mock
 * gateway process at PAYSTAR_BENCH_URL, made with paystar and with the fastest hand-rolled JVM
 * clients (java.net.http, OkHttp), each doing the same work: send the JSON, parse the answer
 * (org.json), check hasErrors, take the link. Sequential: PAYSTAR_BENCH_SEQ blocking calls
 * (median, p99); concurrent: PAYSTAR_BENCH_CONC calls from PAYSTAR_BENCH_INFLIGHT threads (and
 * paystar's suspend API from as many coroutines); first call: the first call of
 * PAYSTAR_BENCH_FIRST new clients in this warm process (median; the connection, and over HTTPS
 * the handshake, included). Over HTTPS (PAYSTAR_BENCH_CA: the mock's CA, trusted by every client)
 * java.net.http and OkHttp ask for HTTP/2 (ALPN) and the telemetry rows are skipped. One JSON
 * line per result on stdout. PAYSTAR_BENCH_ALONE=paystar|jdk|okhttp runs that client alone (the
 * process's RSS with one client against another's).
 */
fun main() {
    val loadStart = System.nanoTime()
    val env = System.getenv()
    val base = env["PAYSTAR_BENCH_URL"] ?: error("set PAYSTAR_BENCH_URL (make bench starts paystar-mock)")
    val key = env["PAYSTAR_BENCH_KEY"] ?: "sk_mock_paystar_0000"
    val seq = (env["PAYSTAR_BENCH_SEQ"] ?: "2000").toInt()
    val conc = (env["PAYSTAR_BENCH_CONC"] ?: "20000").toInt()
    val inflight = (env["PAYSTAR_BENCH_INFLIGHT"] ?: "64").toInt()
    val warm = minOf((env["PAYSTAR_BENCH_WARMUP"] ?: "2000").toInt(), seq * 5)
    val url = "$base/integrations/embedded/initiate-manage-wallet"
    val first = maxOf((env["PAYSTAR_BENCH_FIRST"] ?: "20").toInt(), 1)
    val ca = env["PAYSTAR_BENCH_CA"]?.takeIf { it.isNotEmpty() }
    val trust = ca?.let { trustingPem(it) }
    val body = """{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}"""

    fun link(answer: String): String {
        val v = JSONObject(answer)
        check(!v.getBoolean("hasErrors")) { "the mock refused the call" }
        return v.getJSONObject("data").getString("SessionLink")
    }

    fun sequential(call: () -> Any): String {
        repeat(warm) { call() } // the JIT's warm-up
        val samples = DoubleArray(seq) { val t = System.nanoTime(); call(); (System.nanoTime() - t) / 1000.0 }
        samples.sort()
        return """{"median_us":${samples[seq / 2]},"p99_us":${samples[minOf(seq * 99 / 100, seq - 1)]}}"""
    }

    fun threads(call: () -> Any): String {
        val left = AtomicInteger(conc)
        val t = System.nanoTime()
        (1..inflight).map { thread { while (left.getAndDecrement() > 0) call() } }.forEach { it.join() }
        return """{"calls_per_s":${conc / ((System.nanoTime() - t) / 1e9)}}"""
    }

    /** [first] new clients: the median time to build one (µs), and of its first call. */
    fun <C> firstCall(build: () -> C, call: (C) -> Any, close: (C) -> Unit): Pair<Double, Double> {
        val builds = DoubleArray(first)
        val calls = DoubleArray(first)
        repeat(first) { i ->
            var t = System.nanoTime()
            val c = build()
            builds[i] = (System.nanoTime() - t) / 1000.0
            t = System.nanoTime()
            call(c)
            calls[i] = (System.nanoTime() - t) / 1000.0
            close(c)
        }
        builds.sort()
        calls.sort()
        return builds[first / 2] to calls[first / 2]
    }

    fun report(client: String, kind: String, seqResult: String, concResult: String, how: String, first: Pair<Double, Double>? = null) =
        println("""{"language":"jvm","client":"$client","kind":"$kind","sequential":$seqResult,"concurrent":$concResult,"concurrency":"$how","new_client_us":${first?.first},"first_call_us":${first?.second}}""")

    val alone = env["PAYSTAR_BENCH_ALONE"]?.takeIf { it.isNotEmpty() }
    fun runs(name: String) = alone == null || alone == name
    val config = PaystarConfig(apiKey = key, baseUrl = base, caBundle = ca)
    // Built only when paystar runs: a peer alone loads none of paystar.
    val client by lazy { PaystarClient(config) }
    // paystar's classes and native library, first client
    val loadMs = if (runs("paystar")) client.let { (System.nanoTime() - loadStart) / 1e6 } else 0.0
    val request = CustomerSessionRequest("acme-utilities", ClientUser(emailAddress = "jane@example.com"))
    val ours = { client.createWalletSessionBlocking(request).url }
    if (runs("paystar")) {
        val newOurs = firstCall({ PaystarClient(config) }, { it.createWalletSessionBlocking(request).url }, { it.close() })
        report("PaystarClient (blocking)", "paystar", sequential(ours), threads(ours), "threads", newOurs)
        // warmUpBlocking(): the connection opened ahead of the first call.
        run {
            val ups = DoubleArray(first)
            val calls = DoubleArray(first)
            repeat(first) { i ->
                PaystarClient(config).use { fresh ->
                    var t = System.nanoTime()
                    fresh.warmUpBlocking()
                    ups[i] = (System.nanoTime() - t) / 1000.0
                    t = System.nanoTime()
                    fresh.createWalletSessionBlocking(request)
                    calls[i] = (System.nanoTime() - t) / 1000.0
                }
            }
            ups.sort()
            calls.sort()
            println("""{"language":"jvm","warm_up":{"client":"PaystarClient","method":"warmUpBlocking()","warm_up_us":${ups[first / 2]},"first_call_us":${calls[first / 2]}}}""")
        }
        val coroutines = run {
            val left = AtomicInteger(conc)
            val t = System.nanoTime()
            runBlocking(Dispatchers.Default) {
                (1..inflight).map { async { while (left.getAndDecrement() > 0) client.createWalletSession(request) } }.awaitAll()
            }
            """{"calls_per_s":${conc / ((System.nanoTime() - t) / 1e9)}}"""
        }
        val suspendSeq = sequential { runBlocking { client.createWalletSession(request).url } }
        report("PaystarClient (suspend)", "paystar", suspendSeq, coroutines, "coroutines")
    }

    // Plain HTTP: HTTP/1.1 (no h2c upgrade); over HTTPS, HTTP/2 when the server offers it.
    fun newJdk(): HttpClient = HttpClient.newBuilder()
        .version(if (trust == null) HttpClient.Version.HTTP_1_1 else HttpClient.Version.HTTP_2)
        .apply { trust?.let { sslContext(it.first) } }
        .build()
    val http = newJdk()
    val post = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").header("X-Paystar-Api-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build()
    val jdk = { link(http.send(post, HttpResponse.BodyHandlers.ofString()).body()) }
    if (runs("jdk")) {
        val newJdkCall = firstCall({ newJdk() }, { link(it.send(post, HttpResponse.BodyHandlers.ofString()).body()) }, { })
        report("java.net.http", "peer", sequential(jdk), threads(jdk), "threads", newJdkCall)
    }

    fun newOk(): OkHttpClient = OkHttpClient.Builder()
        .dispatcher(okhttp3.Dispatcher().apply { maxRequests = inflight; maxRequestsPerHost = inflight })
        .connectionPool(okhttp3.ConnectionPool(inflight, 5, java.util.concurrent.TimeUnit.MINUTES))
        .apply { trust?.let { sslSocketFactory(it.first.socketFactory, it.second) } }
        .build()
    val ok = newOk()
    val json = "application/json".toMediaType()
    fun okCallOn(c: OkHttpClient): String {
        val r = Request.Builder().url(url).header("X-Paystar-Api-Key", key).post(body.toRequestBody(json)).build()
        return c.newCall(r).execute().use { link(it.body.string()) }
    }
    val okCall = { okCallOn(ok) }
    if (runs("okhttp")) {
        val newOkCall = firstCall({ newOk() }, { okCallOn(it) }, { it.dispatcher.executorService.shutdown(); it.connectionPool.evictAll() })
        report("OkHttp", "peer", sequential(okCall), threads(okCall), "threads", newOkCall)
    }

    val rss = java.io.File("/proc/self/status").readLines().first { it.startsWith("VmRSS:") }.split(Regex("\\s+"))[1].toDouble() / 1024
    println("""{"language":"jvm","rss_mb":$rss,"load_ms":{"paystar":$loadMs}}""")
    if (ca != null || alone != null) {
        if (runs("paystar")) client.close()
        ok.dispatcher.executorService.shutdown()
        ok.connectionPool.evictAll()
        return
    }

    // paystar's telemetry (docs/observability.md) against the rows above (the OpenTelemetry API on
    // the classpath, no SDK): off for the client (nothing collected, as without the API), then an
    // SDK registered with a no-op exporter (spans and points are made).
    fun telemetryRow(config: PaystarConfig, name: String) = PaystarClient(config).use { c ->
        val call = { c.createWalletSessionBlocking(request).url }
        report(name, "telemetry", sequential(call), threads(call), "threads")
    }
    telemetryRow(PaystarConfig(apiKey = key, baseUrl = base, telemetry = false), "PaystarClient (blocking), telemetry = false")
    val drop = object : io.opentelemetry.sdk.trace.export.SpanExporter {
        override fun export(spans: Collection<io.opentelemetry.sdk.trace.data.SpanData>) = io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess()
        override fun flush() = io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess()
        override fun shutdown() = io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess()
    }
    val sdk = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
        .setTracerProvider(
            io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
                .addSpanProcessor(io.opentelemetry.sdk.trace.export.BatchSpanProcessor.builder(drop).build()).build(),
        )
        .setMeterProvider(io.opentelemetry.sdk.metrics.SdkMeterProvider.builder().build())
        .buildAndRegisterGlobal()
    telemetryRow(PaystarConfig(apiKey = key, baseUrl = base), "PaystarClient (blocking), OTel SDK (no-op exporter)")
    sdk.close()
    client.close()
    ok.dispatcher.executorService.shutdown()
    ok.connectionPool.evictAll()
}

/** An SSLContext (and its trust manager, for OkHttp) trusting only the CA in the PEM file `path`. */
internal fun trustingPem(path: String): Pair<javax.net.ssl.SSLContext, javax.net.ssl.X509TrustManager> {
    val cert = java.io.File(path).inputStream().use {
        java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(it)
    }
    val store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType()).apply {
        load(null, null)
        setCertificateEntry("paystar-mock", cert)
    }
    val factory = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm())
    factory.init(store)
    val manager = factory.trustManagers.filterIsInstance<javax.net.ssl.X509TrustManager>().first()
    val context = javax.net.ssl.SSLContext.getInstance("TLS").apply { init(null, arrayOf(manager), null) }
    return context to manager
}
