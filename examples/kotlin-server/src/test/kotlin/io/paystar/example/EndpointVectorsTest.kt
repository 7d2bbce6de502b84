package io.paystar.example

import io.paystar.MockGateway
import io.paystar.ffi.checkEndpointStep
import io.paystar.ffi.vectorBody
import io.paystar.webhooks.ClaimResult
import io.paystar.webhooks.DedupeStore
import io.paystar.webhooks.MemoryDedupeStore
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import io.paystar.webhooks.Webhooks
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/**
 * The webhook endpoint vectors (tests/vectors/webhooks/endpoint.json) through the example's JDK
 * HttpServer: each delivery a real HTTP request to `POST /paystar/webhook`, the example's
 * event hook doing what the step's handler does (a throw is answered 500 by the example). Its handler makes no response of its own,
 * so the `status_NNN` cases run through the library (`handleResponding`) only.
 */
class EndpointVectorsTest {
    private val file = JSONObject(File("../../tests/vectors/webhooks/endpoint.json").readText())
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()

    /** The process died inside the handler: nothing after it reaches the store (the example answers 500, nobody hears it). */
    private class Died : RuntimeException("the process died inside the handler")

    private class Recording : DedupeStore {
        val inner = MemoryDedupeStore()
        @Volatile var ops = 0
        @Volatile var dead = false

        override fun claim(key: String, lease: Duration): ClaimResult {
            ops += 1
            return inner.claim(key, lease)
        }

        override fun complete(key: String, ttl: Duration) {
            if (!dead) {
                ops += 1
                inner.complete(key, ttl)
            }
        }

        override fun release(key: String) {
            if (!dead) {
                ops += 1
                inner.release(key)
            }
        }
    }

    private fun hasOwnStatus(step: JSONObject): Boolean =
        step.getString("handler").startsWith("status_") || (step.optJSONObject("during")?.let { hasOwnStatus(it) } ?: false)

    @TestFactory
    fun `every endpoint vector through the example server`(): List<DynamicTest> {
        val cases = file.getJSONArray("cases")
        return (0 until cases.length()).map { cases.getJSONObject(it) }.filter { case ->
            val steps = case.getJSONArray("steps")
            (0 until steps.length()).none { steps.getJSONObject(it).has("handler") && hasOwnStatus(steps.getJSONObject(it)) }
        }.map { case -> DynamicTest.dynamicTest(case.getString("name")) { run(case) } }
    }

    private fun run(case: JSONObject) {
        val spec = case.getJSONObject("verifier")
        val verifier = WebhookVerifier(
            Webhooks.scheme(spec.getString("scheme")),
            spec.getJSONArray("secrets").let { a -> (0 until a.length()).map { a.getString(it) } },
            header = spec.optString("header", "").ifEmpty { null },
            timestampHeader = spec.optString("timestamp_header", "").ifEmpty { null },
            lease = if (spec.has("lease_s")) Duration.ofSeconds(spec.getLong("lease_s")) else null,
            doneTtl = if (spec.has("done_ttl_s")) Duration.ofSeconds(spec.getLong("done_ttl_s")) else null,
        )
        val store = Recording()
        var calls = 0
        val current = ArrayDeque<JSONObject>()
        lateinit var deliver: (JSONObject) -> JSONObject
        val gateway = MockGateway()
        val server = PayServer(gateway.client(), verifier = verifier, dedupe = store, handleEvent = {
            val step = current.last()
            calls += 1
            step.optJSONObject("during")?.let { during ->
                assertEquals(emptyList<String>(), checkEndpointStep(during.toString(), deliver(during).toString()))
            }
            when (step.getString("handler")) {
                "raise" -> throw IllegalStateException("the handler failed")
                "never_returns" -> {
                    store.dead = true
                    throw Died()
                }
            }
        })
        deliver = { step ->
            val delivery = file.getJSONObject("deliveries").getJSONObject(step.getString("deliver"))
            val body = vectorBody(delivery.toString())
            val req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:${server.port}/paystar/webhook"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            delivery.optJSONObject("sign")?.let { sign ->
                Webhooks.sign(
                    body, Webhooks.scheme(sign.getString("scheme")), sign.getString("secret"),
                    header = sign.optString("header", "").ifEmpty { null },
                    timestampHeader = sign.optString("timestamp_header", "").ifEmpty { null },
                ).forEach { (k, v) -> req.header(k, v) }
            }
            val outerOps = store.ops
            store.ops = 0
            current.addLast(step)
            val answer: Any = try {
                val r = http.send(req.build(), HttpResponse.BodyHandlers.ofString())
                when {
                    store.dead -> "died"
                    step.getString("handler") == "raise" && r.statusCode() == 500 -> "raised"
                    else -> JSONObject().put("status", r.statusCode()).put("body", r.body())
                }
            } finally {
                current.removeLast()
            }
            store.dead = false
            val ops = store.ops
            store.ops = outerOps
            val states = JSONObject()
            step.getJSONObject("expect").optJSONObject("store")?.keySet()?.forEach {
                states.put(it, store.inner.state(it) ?: JSONObject.NULL)
            }
            JSONObject().put("answer", answer).put("handler_calls", calls).put("store", states).put("store_ops", ops)
        }
        try {
            val steps = case.getJSONArray("steps")
            for (s in 0 until steps.length()) {
                val step = steps.getJSONObject(s)
                if (step.has("advance_s")) {
                    store.inner.advance(Duration.ofSeconds(step.getLong("advance_s")))
                    continue
                }
                assertEquals(emptyList<String>(), checkEndpointStep(step.toString(), deliver(step).toString()), "step $s")
            }
        } finally {
            server.close()
            gateway.close()
        }
    }
}
