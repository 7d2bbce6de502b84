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

/** Runs every case of tests/vectors/\*.json through the Kotlin API (see tests/README.md). */
class VectorsTest {
    // Read through core (org.json does not keep key order; a payload's order is on the wire).
    private val texts: List<io.paystar.ffi.VectorCaseText> = File("../tests/vectors").listFiles()!!
        .filter { it.name.endsWith(".json") && it.name != "vectors.schema.json" }
        .sortedBy { it.name }
        .flatMap { f -> io.paystar.ffi.vectorCases(f.readText()) }
    private val cases: List<JSONObject> = texts.map { JSONObject(it.caseJson) }
    private fun text(case: JSONObject) = texts[cases.indexOf(case)]

    private fun camel(v: Any?): Any? = when (v) {
        is JSONObject -> JSONObject().also { out ->
            for (k in v.keys()) out.put(k.replaceFirstChar { it.lowercase() }, if (k == "PaymentFields" || k == "Extra" || k == "Payload") v.get(k) else camel(v.get(k)))
        }
        is JSONArray -> JSONArray().also { out -> for (i in 0 until v.length()) out.put(camel(v.get(i))) }
        else -> v
    }


    private class RunResult(
        val session: Session?,
        val error: PaystarException?,
        val skip: Int,
        val receipt: EventReceipt? = null,
    )

    /** The typed request (data class) a case's input stands for, or null if only JSON can say it. */
    private fun typed(case: JSONObject): io.paystar.ffi.Request? =
        io.paystar.ffi.typedRequest(case.getString("operation"), text(case).wireInputJson)

    private fun run(case: JSONObject, gw: MockGateway, typed: Boolean = false): RunResult {
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
            return RunResult(null, e, 0)
        }
        client.use {
            val setup = case.optJSONArray("setup") ?: JSONArray()
            for (i in 0 until setup.length()) {
                val s = setup.getJSONObject(i)
                val done = client.callBlocking(s.getString("operation"), io.paystar.ffi.Request.Json(camel(s.get("input")).toString()), CallOptions())
                done.error?.let { throw PaystarException.of(it) }
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
                val request = if (typed) typed(case)!! else io.paystar.ffi.Request.Json(text(case).inputJson)
                val done = runBlocking { client.call(operation, request, options) }
                when {
                    done.receipt != null -> RunResult(null, null, skip, settleReceipt(done))
                    else -> RunResult(settle(done), null, skip)
                }
            } catch (e: PaystarException) {
                RunResult(null, e, skip)
            }
        }
    }

    /** What came back, from the objects' attributes, for core's shared checks. */
    private fun outcome(out: RunResult): JSONObject {
        out.receipt?.let { r ->
            return JSONObject().put("receipt", JSONObject()
                .put("event_type", r.eventType).put("http_status", r.httpStatus)
                .put("raw", org.json.JSONTokener(r.rawJson).nextValue())
                .put("attempts", r.attempts).put("ambiguous", r.ambiguous).put("request_id", r.requestId ?: JSONObject.NULL))
        }
        out.session?.let { s ->
            return JSONObject().put("session", JSONObject()
                .put("kind", s.kind).put("id", s.id ?: JSONObject.NULL).put("url", s.url).put("status", s.status ?: JSONObject.NULL)
                .put("expires_at", s.expiresAt.toString()).put("attempts", s.attempts).put("ambiguous", s.ambiguous)
                .put("request_id", s.requestId ?: JSONObject.NULL))
        }
        val e = out.error!!
        return JSONObject().put("error", JSONObject()
            .put("code", e.code).put("message", e.message).put("option", e.option ?: JSONObject.NULL).put("repr", e.toString()).put("status", e.status ?: JSONObject.NULL)
            .put("field_errors", JSONArray(e.fieldErrors.map { JSONObject().put("path", it.path).put("rule", it.rule) }))
            .put("api_errors", JSONArray(e.apiErrors.map { JSONObject().put("property_name", it.propertyName ?: JSONObject.NULL).put("error_message", it.errorMessage) }))
            .put("attempts", e.attempts).put("ambiguous", e.ambiguous)
            .put("retry_after", e.retryAfter?.let { it.toNanos() / 1e9 } ?: JSONObject.NULL))
    }

    private fun check(case: JSONObject, gw: MockGateway, out: RunResult): List<String> {
        val e = out.error
        if (e != null && PaystarException.CLASSES[e.code] != e.javaClass) return listOf("class ${e.javaClass.simpleName} for ${e.code}")
        return io.paystar.ffi.checkVector(case.toString(), outcome(out).toString(), gw.snapshotJson(), out.skip.toUInt())
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
        assertEquals(11, codes.size)
        assertEquals(codes.toSet(), PaystarException.CLASSES.keys)
        val retryable = setOf("rate_limited", "server_error", "timeout", "connection_error")
        for (code in codes) {
            val e = PaystarException.of(io.paystar.ffi.sampleError(code)!!)
            assertEquals(PaystarException.CLASSES[code], e.javaClass, code)
            assertEquals(code in retryable, e.retryable, code)
        }
        // internal_error is a bug inside paystar: no gateway behaviour causes it; webhook_error
        // has its own vectors (WebhooksTest).
        for (code in codes - "internal_error" - "webhook_error") {
            val case = cases.first { it.getJSONObject("expect").optJSONObject("error")?.getString("code") == code }
            MockGateway().use { gw ->
                val e = run(case, gw).error
                assertEquals(PaystarException.CLASSES[code], e?.javaClass, code)
                assertEquals(code, e?.code)
            }
        }
    }
}
