package io.paystar

import io.paystar.ffi.checkEndpointStep
import io.paystar.ffi.vectorBody
import io.paystar.webhooks.ClaimResult
import io.paystar.webhooks.DedupeStore
import io.paystar.webhooks.MemoryDedupeStore
import io.paystar.webhooks.WebhookResponse
import io.paystar.webhooks.WebhookScheme
import io.paystar.webhooks.WebhookVerifier
import io.paystar.webhooks.Webhooks
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.time.Duration
import java.time.Instant

/** The webhook endpoint vectors (tests/vectors/webhooks/endpoint.json) through `WebhookVerifier.handle` / `handleResponding` with a `MemoryDedupeStore`. */
class EndpointVectorsTest {
    private val file = JSONObject(File("../tests/vectors/webhooks/endpoint.json").readText())

    private class Died : Error("the process died inside the handler")

    private class Raised : RuntimeException("the handler failed")

    /** A MemoryDedupeStore counting operations, which a dead process no longer reaches. */
    private class Recording : DedupeStore {
        val inner = MemoryDedupeStore()
        var ops = 0
        var dead = false

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

    private fun verifier(spec: JSONObject): WebhookVerifier {
        val secrets = spec.getJSONArray("secrets").let { a -> (0 until a.length()).map { a.getString(it) } }
        return WebhookVerifier(
            Webhooks.scheme(spec.getString("scheme")),
            secrets,
            header = spec.optString("header", "").ifEmpty { null },
            timestampHeader = spec.optString("timestamp_header", "").ifEmpty { null },
            lease = if (spec.has("lease_s")) Duration.ofSeconds(spec.getLong("lease_s")) else null,
            doneTtl = if (spec.has("done_ttl_s")) Duration.ofSeconds(spec.getLong("done_ttl_s")) else null,
        )
    }

    private fun signed(name: String, now: Long): Pair<ByteArray, Map<String, List<String>>> {
        val spec = file.getJSONObject("deliveries").getJSONObject(name)
        val body = vectorBody(spec.toString())
        val sign = spec.optJSONObject("sign") ?: return body to emptyMap()
        val headers = Webhooks.sign(
            body,
            Webhooks.scheme(sign.getString("scheme")),
            sign.getString("secret"),
            header = sign.optString("header", "").ifEmpty { null },
            timestampHeader = sign.optString("timestamp_header", "").ifEmpty { null },
            timestamp = Instant.ofEpochSecond(now),
        )
        return body to headers.mapValues { listOf(it.value) }
    }

    private inner class Run(case: JSONObject) {
        val endpoint = verifier(case.getJSONObject("verifier"))
        val store = Recording()
        var now = file.getLong("now_default")
        var calls = 0

        fun deliver(step: JSONObject): JSONObject {
            val (body, headers) = signed(step.getString("deliver"), now)
            val outerOps = store.ops
            store.ops = 0
            val behaviour = step.getString("handler")
            val respond = { _: Any ->
                calls += 1
                step.optJSONObject("during")?.let { during ->
                    assertEquals(emptyList<String>(), checkEndpointStep(during.toString(), deliver(during).toString()))
                }
                when (behaviour) {
                    "raise" -> throw Raised()
                    "never_returns" -> {
                        store.dead = true
                        throw Died()
                    }
                    "ok" -> null
                    else -> WebhookResponse(behaviour.removePrefix("status_").toInt(), "", null)
                }
            }
            val answer: Any = try {
                val r = if (behaviour.startsWith("status_")) {
                    endpoint.handleResponding(body, headers, store, Instant.ofEpochSecond(now)) { respond(it)!! }
                } else {
                    endpoint.handle(body, headers, store, Instant.ofEpochSecond(now)) { respond(it) }
                }
                JSONObject().put("status", r.status).put("body", r.body)
            } catch (e: Raised) {
                "raised"
            } catch (e: Died) {
                "died"
            }
            store.dead = false
            val ops = store.ops
            store.ops = outerOps
            val states = JSONObject()
            step.getJSONObject("expect").optJSONObject("store")?.keySet()?.forEach {
                states.put(it, store.inner.state(it) ?: JSONObject.NULL)
            }
            return JSONObject().put("answer", answer).put("handler_calls", calls).put("store", states).put("store_ops", ops)
        }
    }

    @TestFactory
    fun `every endpoint vector`(): List<DynamicTest> {
        val cases = file.getJSONArray("cases")
        return (0 until cases.length()).map { i ->
            val case = cases.getJSONObject(i)
            DynamicTest.dynamicTest(case.getString("name")) {
                val run = Run(case)
                val steps = case.getJSONArray("steps")
                for (s in 0 until steps.length()) {
                    val step = steps.getJSONObject(s)
                    if (step.has("advance_s")) {
                        run.now += step.getLong("advance_s")
                        run.store.inner.advance(Duration.ofSeconds(step.getLong("advance_s")))
                        continue
                    }
                    assertEquals(emptyList<String>(), checkEndpointStep(step.toString(), run.deliver(step).toString()), "step $s")
                }
            }
        }
    }
}
