package io.paystar

import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.net.ServerSocket
import java.time.Duration
import java.time.Instant

/** Runs every case of tests/vectors/\*.json through the Kotlin API (see tests/README.md). */
class VectorsTest {
    private val cases: List<JSONObject> = File("../tests/vectors").listFiles()!!
        .filter { it.name.endsWith(".json") && it.name != "vectors.schema.json" }
        .sortedBy { it.name }
        .flatMap { f -> JSONObject(f.readText()).getJSONArray("cases").let { a -> (0 until a.length()).map { a.getJSONObject(it) } } }

    private fun camel(v: Any?): Any? = when (v) {
        is JSONObject -> JSONObject().also { out ->
            for (k in v.keys()) out.put(k.replaceFirstChar { it.lowercase() }, if (k == "PaymentFields" || k == "Extra") v.get(k) else camel(v.get(k)))
        }
        is JSONArray -> JSONArray().also { out -> for (i in 0 until v.length()) out.put(camel(v.get(i))) }
        else -> v
    }

    private fun norm(path: String, rule: String) = if (rule == "unknown_field") path.replace("_", "").lowercase() else path

    private class Outcome(val session: Session?, val error: PaystarException?, val skip: Int)

    /** The typed request (data class) a case's input stands for, or null if only JSON can say it. */
    private fun typed(case: JSONObject): io.paystar.ffi.Request? =
        io.paystar.ffi.typedRequest(case.getString("operation"), case.get("input").toString())

    private fun run(case: JSONObject, gw: MockGateway, typed: Boolean = false): Outcome {
        val spec = case.optJSONObject("client") ?: JSONObject()
        val baseUrl = when (val u = spec.optString("base_url", "")) {
            "" -> gw.url
            "closed_port" -> ServerSocket(0).use { "http://127.0.0.1:${it.localPort}" }
            else -> u
        }
        val config = PaystarConfig(
            apiKey = if (spec.has("api_key")) spec.getString("api_key") else gw.apiKey,
            baseUrl = baseUrl,
            timeout = if (spec.has("timeout_ms")) Duration.ofMillis(spec.getLong("timeout_ms")) else null,
            maxRetries = if (spec.has("max_retries")) spec.getInt("max_retries") else null,
            clientValidation = if (spec.has("client_validation")) spec.getBoolean("client_validation") else null,
        )
        val client = try {
            PaystarClient(config)
        } catch (e: PaystarException) {
            return Outcome(null, e, 0)
        }
        client.use {
            val setup = case.optJSONArray("setup") ?: JSONArray()
            for (i in 0 until setup.length()) {
                val s = setup.getJSONObject(i)
                client.executeBlocking(s.getString("operation"), camel(s.get("input")).toString())
            }
            val skip = minOf(gw.requests.size, setup.length())
            case.optJSONArray("script")?.let { if (it.length() > 0) gw.script(it.toString()) }
            val o = case.optJSONObject("options") ?: JSONObject()
            val options = CallOptions(
                timeout = if (o.has("timeout_ms")) Duration.ofMillis(o.getLong("timeout_ms")) else null,
                maxRetries = if (o.has("max_retries")) o.getInt("max_retries") else null,
            )
            // The suspend API, driven from a blocking test: JSON, or the generated data classes.
            val operation = case.getString("operation")
            return try {
                val session = runBlocking {
                    if (typed) {
                        client.io(operation, typed(case)!!, options)
                    } else {
                        client.execute(operation, camel(case.get("input")).toString(), options)
                    }
                }
                Outcome(session, null, skip)
            } catch (e: PaystarException) {
                Outcome(null, e, skip)
            }
        }
    }

    private fun check(case: JSONObject, gw: MockGateway, out: Outcome): List<String> {
        val x = case.getJSONObject("expect")
        val problems = mutableListOf<String>()
        fun want(ok: Boolean, what: String) { if (!ok) problems += what }
        val attempts: Int
        if (x.has("result")) {
            val s = out.session ?: return listOf("expected a session, got ${out.error?.code}: ${out.error?.message}")
            val r = x.getJSONObject("result")
            if (r.has("kind")) want(s.kind == r.getString("kind"), "kind ${s.kind}")
            if (r.has("status")) want(s.status == r.getString("status"), "status ${s.status}")
            if (r.has("has_id")) want((s.id != null) == r.getBoolean("has_id"), "id ${s.id}")
            if (r.has("has_request_id")) want((s.requestId != null) == r.getBoolean("has_request_id"), "request id")
            if (r.has("url_prefix")) {
                val p = r.getString("url_prefix").replace("{mock}", gw.url)
                want(s.url.startsWith(p), "url ${s.url}")
            }
            if (r.has("expires_at")) want(s.expiresAt == Instant.parse(r.getString("expires_at")), "expiresAt ${s.expiresAt}")
            if (r.has("expires_in_s")) {
                val off = Duration.between(Instant.now(), s.expiresAt).seconds - r.getLong("expires_in_s")
                want(kotlin.math.abs(off) <= 120, "expiresAt off by $off s")
            }
            attempts = s.attempts
        } else {
            val e = out.error ?: return listOf("expected an error, got a session ${out.session?.url}")
            val er = x.getJSONObject("error")
            val code = er.getString("code")
            want(e.code == code, "code ${e.code} != $code (${e.message})")
            want(PaystarException.CLASSES[code]!!.isInstance(e), "class ${e.javaClass.simpleName}")
            er.optJSONArray("field_errors")?.let { fe ->
                val got = e.fieldErrors.map { "${norm(it.path, it.rule)}|${it.rule}" }.sorted()
                val exp = (0 until fe.length()).map { fe.getJSONObject(it) }.map { "${norm(it.getString("path"), it.getString("rule"))}|${it.getString("rule")}" }.sorted()
                want(got == exp, "field errors $got != $exp")
            }
            if (er.has("status")) want(e.status == er.getInt("status"), "status ${e.status}")
            if (er.has("ambiguous")) want(e.ambiguous == er.getBoolean("ambiguous"), "ambiguous ${e.ambiguous}")
            if (er.has("retry_after_s")) {
                val want = Duration.ofMillis((er.getDouble("retry_after_s") * 1000).toLong())
                want(e.retryAfter == want, "retryAfter ${e.retryAfter}")
            }
            er.optJSONArray("api_errors")?.let { items ->
                want(e.apiErrors.size == items.length(), "api errors ${e.apiErrors}")
                for (i in 0 until minOf(items.length(), e.apiErrors.size)) {
                    val w = items.getJSONObject(i)
                    if (w.has("propertyName")) want(e.apiErrors[i].propertyName == w.getString("propertyName"), "property ${e.apiErrors[i].propertyName}")
                    if (w.has("errorMessage")) want(e.apiErrors[i].errorMessage == w.getString("errorMessage"), "message ${e.apiErrors[i].errorMessage}")
                }
            }
            er.optJSONArray("message_contains")?.let { a ->
                for (i in 0 until a.length()) {
                    val s = a.getString(i)
                    // Option names appear in the caller's style (see tests/README.md).
                    val expected = if (Regex("^[a-z]+(_[a-z]+)+$").matches(s)) s.replace(Regex("_([a-z])")) { it.groupValues[1].uppercase() } else s
                    want(e.message!!.contains(expected), "message lacks $expected")
                }
            }
            er.optJSONArray("message_excludes")?.let { a ->
                for (i in 0 until a.length()) want(!e.toString().contains(a.getString(i)), "error shows ${a.getString(i)}")
            }
            attempts = e.attempts
        }
        val requests = gw.requests.drop(out.skip)
        if (x.has("attempts")) want(attempts == x.getInt("attempts"), "attempts $attempts != ${x.getInt("attempts")}")
        if (x.has("requests")) want(requests.size == x.getInt("requests"), "requests ${requests.size}")
        x.optJSONObject("wire")?.let { w ->
            val first = requests.firstOrNull()
            if (first == null) {
                problems += "no request reached the mock"
            } else {
                if (w.has("method")) want(first.method == w.getString("method"), "method ${first.method}")
                if (w.has("path")) want(first.path == w.getString("path"), "path ${first.path}")
                w.optJSONObject("headers")?.let { h -> for (k in h.keys()) want(first.headers[k] == h.getString(k), "header $k: ${first.headers[k]}") }
                if (w.has("user_agent_prefix")) want((first.headers["user-agent"] ?: "").startsWith(w.getString("user_agent_prefix")), "user-agent")
                if (w.has("body")) want(JSONObject(first.bodyJson).similar(w.getJSONObject("body")), "body ${first.bodyJson} != ${w.get("body")}")
            }
        }
        x.optJSONArray("min_gaps_ms")?.let { gaps ->
            for (i in 0 until gaps.length()) {
                val waited = if (i + 1 < requests.size) requests[i + 1].receivedMs - requests[i].receivedMs else 0
                want(waited >= gaps.getLong(i), "gap $i was $waited ms")
            }
        }
        x.optJSONArray("customers")?.let { a ->
            for (i in 0 until a.length()) {
                val c = a.getJSONObject(i)
                val got = gw.customerJson(c.getString("email"))
                want(got != null && JSONObject(got).similar(c.getJSONObject("record")), "customer $got")
            }
        }
        x.optJSONArray("accounts")?.let { a ->
            for (i in 0 until a.length()) {
                val c = a.getJSONObject(i)
                val got = gw.accountJson(c.getString("account_number"), c.optString("sub_account_number", "").ifEmpty { null })
                want(got != null && JSONObject(got).similar(c.getJSONObject("record")), "account $got")
            }
        }
        return problems
    }

    @TestFactory
    fun `every vector passes through the Kotlin API`(): List<DynamicTest> {
        assertTrue(cases.size >= 100)
        assertEquals(cases.size, cases.map { it.getString("name") }.toSet().size)
        return cases.map { case ->
            DynamicTest.dynamicTest(case.getString("name")) {
                MockGateway().use { gw -> assertEquals(emptyList<String>(), check(case, gw, run(case, gw))) }
            }
        }
    }

    @TestFactory
    fun `every expressible vector passes through the data classes`(): List<DynamicTest> {
        val expressible = cases.filter { typed(it) != null }
        assertTrue(expressible.size >= cases.size / 2, "only ${expressible.size} of ${cases.size}")
        return expressible.map { case ->
            DynamicTest.dynamicTest(case.getString("name")) {
                MockGateway().use { gw -> assertEquals(emptyList<String>(), check(case, gw, run(case, gw, typed = true))) }
            }
        }
    }

    @Test
    fun `every operation and code has a vector, and every code maps to its class`() {
        assertEquals(PaystarClient.operations().toSet(), cases.map { it.getString("operation") }.toSet())
        val codes = PaystarClient.errorCodes()
        assertEquals(10, codes.size)
        assertEquals(codes.toSet(), PaystarException.CLASSES.keys)
        val retryable = setOf("rate_limited", "server_error", "timeout", "connection_error")
        for (code in codes) {
            val e = PaystarException.of(io.paystar.ffi.sampleError(code)!!)
            assertEquals(PaystarException.CLASSES[code], e.javaClass, code)
            assertEquals(code in retryable, e.retryable, code)
        }
        // internal_error is a bug inside paystar: no gateway behaviour causes it.
        for (code in codes - "internal_error") {
            val case = cases.first { it.getJSONObject("expect").optJSONObject("error")?.getString("code") == code }
            MockGateway().use { gw ->
                val e = run(case, gw).error
                assertEquals(PaystarException.CLASSES[code], e?.javaClass, code)
                assertEquals(code, e?.code)
            }
        }
    }
}
