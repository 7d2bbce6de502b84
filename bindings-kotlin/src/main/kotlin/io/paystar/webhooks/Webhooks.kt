package io.paystar.webhooks

import io.paystar.PaystarException
import io.paystar.ffi.NativeWebhookVerifier
import io.paystar.ffi.WebhookEventRecord
import io.paystar.ffi.webhookParse
import io.paystar.ffi.webhookReasons
import io.paystar.ffi.webhookSign
import io.paystar.options
import io.paystar.translated
import java.time.Duration
import java.time.Instant
import java.util.concurrent.ConcurrentHashMap

/** A parsed webhook (`action`, typed accessors, `payloadJson`, `rawJson`); fields the template lacks are null. */
typealias WebhookEvent = WebhookEventRecord

/** How a webhook proves it comes from your Paystar account (Paystar documents none: configure what yours sends). */
enum class WebhookScheme(internal val wireName: String) {
    /** A header whose value is one of the secrets. */
    SHARED_SECRET("shared_secret"),

    /** A header with the HMAC-SHA256 of the body (or of `"{timestamp}.{body}"`). */
    HMAC_SHA256("hmac_sha256"),

    /** The Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`). */
    STANDARD_WEBHOOKS("standard_webhooks"),
}

/** How an `hmac_sha256` signature is written. */
enum class SignatureEncoding(internal val wireName: String) {
    /** Hex (the default). */
    HEX("hex"),

    /** Standard base64. */
    BASE64("base64"),
}

/**
 * Authenticates webhook deliveries, then parses them: build one at startup and share it
 * (immutable, thread-safe). [secrets] holds the new and the old secret while rotating
 * (`standard_webhooks`: `whsec_` + base64). [header] defaults to `X-Webhook-Secret`
 * (shared_secret) or `X-Webhook-Signature` (hmac_sha256); [timestampHeader] makes
 * `hmac_sha256` sign `"{timestamp}.{body}"` and check the time within [tolerance]. Bad options
 * throw [PaystarException.Configuration]; [toString] never shows a secret.
 */
class WebhookVerifier @JvmOverloads constructor(
    scheme: WebhookScheme,
    secrets: List<String>,
    header: String? = null,
    encoding: SignatureEncoding? = null,
    timestampHeader: String? = null,
    tolerance: Duration? = null,
) : AutoCloseable {
    private val native: NativeWebhookVerifier = translated {
        NativeWebhookVerifier(
            options(
                "scheme" to scheme.wireName, "header" to header, "encoding" to encoding?.wireName,
                "timestampHeader" to timestampHeader, "tolerance" to tolerance,
            ),
            secrets,
        )
    }

    /**
     * Authenticates [body] (the raw bytes, exactly as received) against [headers] (names in any
     * case: the JDK's `Headers`, Spring's `HttpHeaders`, a servlet's headers as a map), then
     * parses it. Throws [PaystarException.Webhook] (`reason` says why). [now] is for tests.
     */
    @JvmOverloads
    fun verify(body: ByteArray, headers: Map<String, List<String>>, now: Instant? = null): WebhookEvent =
        translated { native.verify(body, headers, now?.epochSecond) }

    /** [verify] with one value per header. */
    @JvmName("verifySingle")
    @JvmOverloads
    fun verify(body: ByteArray, headers: Map<String, String>, now: Instant? = null): WebhookEvent =
        translated { native.verify(body, headers.mapValues { listOf(it.value) }, now?.epochSecond) }

    /**
     * The whole endpoint, for any JVM server: verifies, de-duplicates on the event's
     * `idempotencyKey` through [store], and runs [handler] once per event. Returns what to
     * answer: 204 when handled, 200 `{"duplicate":true}` for a redelivery, or the refusal's
     * status (401, 400, 413) with `{"error":"<reason>"}` (and [handler] is not run). If
     * [handler] throws, the key is released (so Paystar's redelivery is handled) and the
     * exception propagates (answer 5xx).
     */
    fun handle(
        body: ByteArray,
        headers: Map<String, List<String>>,
        store: DedupeStore,
        handler: WebhookHandler,
    ): WebhookResponse {
        val event = try {
            verify(body, headers)
        } catch (e: PaystarException.Webhook) {
            return WebhookResponse(e.responseStatus ?: 400, "{\"error\":\"${e.reason}\"}", e)
        }
        val key = event.idempotencyKey
        if (!store.add(key)) return WebhookResponse(200, "{\"duplicate\":true}", null)
        try {
            handler.handle(event)
        } catch (e: Throwable) {
            store.remove(key)
            throw e
        }
        return WebhookResponse(204, "", null)
    }

    override fun toString(): String = native.describe()

    override fun close() = native.close()
}

/** Handles one authentic, first-seen event (a Kotlin lambda or a Java lambda). */
fun interface WebhookHandler {
    /** Records [event]; throwing releases its key so a redelivery is handled. */
    fun handle(event: WebhookEvent)
}

/** What a webhook endpoint answers: [status] and a JSON [body] (empty for 204); [refused] says why, when it did. */
data class WebhookResponse(val status: Int, val body: String, val refused: PaystarException.Webhook?)

/** Remembers handled events: [add] is false for a key already handled. Use a shared store (Redis, a unique database key) across processes. */
interface DedupeStore {
    /** Records [key]; false when it was already there (and not expired). */
    fun add(key: String): Boolean

    /** Forgets [key] (its handler failed). */
    fun remove(key: String)
}

/** An in-memory [DedupeStore] for one process: keys live [ttl], at most [max] of them. */
class MemoryDedupeStore @JvmOverloads constructor(
    private val ttl: Duration = Duration.ofDays(7),
    private val max: Int = 100_000,
) : DedupeStore {
    private val seen = ConcurrentHashMap<String, Instant>()

    override fun add(key: String): Boolean {
        val now = Instant.now()
        if (seen.size >= max) seen.entries.removeIf { it.value.isBefore(now) }
        if (seen.size >= max) seen.keys.firstOrNull()?.let { seen.remove(it) }
        var fresh = false
        seen.compute(key) { _, until ->
            if (until != null && until.isAfter(now)) until else now.plus(ttl).also { fresh = true }
        }
        return fresh
    }

    override fun remove(key: String) {
        seen.remove(key)
    }
}

/** Parsing and signing without a verifier. */
object Webhooks {
    /** Every `PaystarException.Webhook.reason`. */
    @JvmField
    val REASONS: List<String> = webhookReasons()

    /** Parses a body WITHOUT authentication; throws [PaystarException.Webhook]. */
    @JvmStatic
    fun parse(body: ByteArray): WebhookEvent = translated { webhookParse(body) }

    /** The headers a sender using [scheme] attaches to [body]: for tests of an endpoint. */
    @JvmStatic
    @JvmOverloads
    fun sign(
        body: ByteArray,
        scheme: WebhookScheme,
        secret: String,
        header: String? = null,
        encoding: SignatureEncoding? = null,
        timestampHeader: String? = null,
        timestamp: Instant? = null,
        id: String? = null,
    ): Map<String, String> = translated {
        webhookSign(
            body,
            options(
                "scheme" to scheme.wireName, "secret" to secret, "header" to header, "encoding" to encoding?.wireName,
                "timestampHeader" to timestampHeader, "timestamp" to timestamp?.epochSecond, "id" to id,
            ),
        )
    }
}
