package io.paystar.webhooks

import io.paystar.PaystarException
import io.paystar.Telemetry
import io.paystar.ffi.NativeMemoryStore
import io.paystar.ffi.NativeWebhookVerifier
import io.paystar.ffi.core.Reception
import io.paystar.ffi.core.Settlement
import io.paystar.ffi.core.WebhookAnswer
import io.paystar.ffi.claimOfExisting
import io.paystar.errorInfo
import io.paystar.ffi.webhookAfterClaim
import io.paystar.ffi.webhookAnswers
import io.paystar.ffi.webhookParse
import io.paystar.ffi.webhookReasons
import io.paystar.ffi.webhookSchemeNamed
import io.paystar.ffi.webhookSign
import io.paystar.ffi.webhookStoreFacts
import io.paystar.options
import io.paystar.translated
import java.io.InputStream
import java.time.Duration
import java.time.Instant

/**
 * A parsed webhook: core's record as a class Java can import (`io.paystar.webhooks.WebhookEvent`).
 * Fields the business unit's template lacks are null; every value is parsed by core.
 */
class WebhookEvent internal constructor(private val record: io.paystar.ffi.core.WebhookEvent) {
    /** The event type (`Payment.Succeeded`, `AutoPay.Enrolled`, ...). */
    val action: String? get() = record.action

    /** `payload` as sent, as JSON text. */
    val payloadJson: String get() = record.payloadJson

    /** The whole body, as JSON text. */
    val rawJson: String get() = record.rawJson

    /** `payload.sessionIdentifier`: the payment session's id. */
    val sessionIdentifier: String? get() = record.sessionIdentifier

    /** `payload.status`. */
    val status: String? get() = record.status

    /** Paystar's reference number. */
    val referenceNumber: String? get() = record.referenceNumber

    /** `payload.accountNumber`. */
    val accountNumber: String? get() = record.accountNumber

    /** `payload.accountName`. */
    val accountName: String? get() = record.accountName

    /** `payload.amount` in cents, converted exactly (never through floating point). */
    val amountCents: Long? get() = record.amountCents

    /** `payload.serviceFee` in cents. */
    val serviceFeeCents: Long? get() = record.serviceFeeCents

    /** The same for every redelivery of this event: the key a handler de-duplicates on. */
    val idempotencyKey: String get() = record.idempotencyKey

    override fun equals(other: Any?): Boolean = other is WebhookEvent && other.record == record

    override fun hashCode(): Int = record.hashCode()

    override fun toString(): String = record.toString()
}

/**
 * How a webhook proves it comes from your Paystar account (Paystar documents none: configure
 * what yours sends): `SHARED_SECRET`, `HMAC_SHA256`, `STANDARD_WEBHOOKS`. Core's enum; its
 * configuration names (`hmac_sha256`, ...) are core's: [fromName] / [Webhooks.scheme].
 */
typealias WebhookScheme = io.paystar.ffi.core.WebhookScheme

/** How an `hmac_sha256` signature is written: `HEX` (the default) or `BASE64`. Core's enum. */
typealias SignatureEncoding = io.paystar.ffi.core.SignatureEncoding

/** The scheme named as in configuration (`hmac_sha256`, ...); a [PaystarException.Configuration] otherwise. */
fun io.paystar.ffi.core.WebhookScheme.Companion.fromName(name: String): WebhookScheme = Webhooks.scheme(name)

/**
 * Authenticates webhook deliveries, then parses them; [handle] is a whole endpoint. Build one at
 * startup and share it (immutable, thread-safe). [secrets] holds the new and the old secret
 * while rotating (`standard_webhooks`: `whsec_` + base64). [header] defaults to
 * `X-Webhook-Secret` (shared_secret) or `X-Webhook-Signature` (hmac_sha256); [timestampHeader]
 * makes `hmac_sha256` sign `"{timestamp}.{body}"` and check the time within [tolerance] (without
 * it a captured delivery verifies forever: prefer it, or `standard_webhooks`). [lease] (default
 * 60 s) and [doneTtl] (default 7 days) are [handle]'s. Bad options throw
 * [PaystarException.Configuration]; [toString] never shows a secret.
 */
class WebhookVerifier @JvmOverloads constructor(
    scheme: WebhookScheme,
    secrets: List<String>,
    header: String? = null,
    encoding: SignatureEncoding? = null,
    timestampHeader: String? = null,
    tolerance: Duration? = null,
    lease: Duration? = null,
    doneTtl: Duration? = null,
) : AutoCloseable {
    private val native: NativeWebhookVerifier = translated {
        NativeWebhookVerifier(
            options(
                "scheme" to scheme, "header" to header, "encoding" to encoding,
                "timestampHeader" to timestampHeader, "tolerance" to tolerance, "lease" to lease,
                "doneTtl" to doneTtl,
            ),
            secrets,
        )
    }

    /**
     * Authenticates [body] (the raw bytes, exactly as received) against [headers] (names in any
     * case; each value a text or a list of texts: the JDK's `Headers`, Spring's `HttpHeaders`
     * or its `@RequestHeader Map<String, String>`, a servlet's headers as a map), then
     * parses it. Throws [PaystarException.Webhook] (`reason` says why). [now] is for tests.
     */
    @JvmOverloads
    fun verify(body: ByteArray, headers: Map<String, *>, now: Instant? = null): WebhookEvent =
        WebhookEvent(translated { native.verify(body, headerLists(headers), now?.epochSecond) })

    /**
     * [verify] for a server that looks headers up one name at a time: a servlet's
     * `request::getHeader`, Spring's `HttpServletRequest`, Ktor's `call.request.header`.
     */
    @JvmOverloads
    fun verify(body: ByteArray, headers: HeaderLookup, now: Instant? = null): WebhookEvent =
        verify(body, headers.read(native.headerNames()), now)

    /**
     * [verify] with one value per header (the general [verify] reads those too; this name stays
     * for Java callers of `verifySingle`).
     */
    @JvmName("verifySingle")
    @JvmOverloads
    fun verify(body: ByteArray, headers: Map<String, String>, now: Instant? = null): WebhookEvent {
        val general: Map<String, *> = headers
        return verify(body, general, now)
    }

    /**
     * The whole endpoint, for any JVM server: verifies, claims the event's key in [store] with
     * a lease, runs [handler] once per event, then completes the key (handled) or, if [handler]
     * throws, releases it and rethrows (answer 5xx; Paystar's redelivery is then handled).
     * Returns what to answer: 204 when handled, 200 `{"duplicate":true}` for a redelivery of a
     * handled event, 409 `{"error":"in_progress"}` while another delivery's handler runs, the
     * refusal's 401/400/413 with `{"error":"<reason>"}`, or 503 when [store] fails. A process
     * that dies in [handler] leaves a lease that expires. [now] is for tests.
     */
    @JvmOverloads
    fun handle(
        body: ByteArray,
        headers: Map<String, *>,
        store: DedupeStore,
        now: Instant? = null,
        handler: WebhookHandler,
    ): WebhookResponse = endpoint(body, headers, store, now) { event ->
        handler.handle(event)
        null
    }

    /** [handle] for a server that looks headers up one name at a time (see [verify]). */
    @JvmOverloads
    fun handle(
        body: ByteArray,
        headers: HeaderLookup,
        store: DedupeStore,
        now: Instant? = null,
        handler: WebhookHandler,
    ): WebhookResponse = handle(body, headers.read(native.headerNames()), store, now, handler)

    /**
     * [handle] reading [body] as it arrives: at most 256 KiB + 1 byte is read, so a larger body
     * is refused (413) without reading the rest (close the request afterwards).
     */
    @JvmOverloads
    fun handle(
        body: InputStream,
        headers: Map<String, *>,
        store: DedupeStore,
        now: Instant? = null,
        handler: WebhookHandler,
    ): WebhookResponse = handle(body.readNBytes(READ_LIMIT), headers, store, now, handler)

    /**
     * [handle] for a handler that makes the response itself: a 2xx completes the event's key,
     * any other status releases it (so a handler answering 503 gets the redelivery), and the
     * handler's response is returned.
     */
    @JvmOverloads
    fun handleResponding(
        body: ByteArray,
        headers: Map<String, *>,
        store: DedupeStore,
        now: Instant? = null,
        handler: WebhookResponder,
    ): WebhookResponse = endpoint(body, headers, store, now) { event -> handler.respond(event) }

    /** Core's endpoint around [run] (its response, or null for none); every status and rule is core's. */
    private fun endpoint(
        body: ByteArray,
        headers: Map<String, *>,
        store: DedupeStore,
        now: Instant?,
        run: (WebhookEvent) -> WebhookResponse?,
    ): WebhookResponse {
        val step = when (val r = translated { native.receive(body, headerLists(headers), now?.epochSecond) }) {
            is Reception.Refused -> return response(r.answer, PaystarException.of(r.error) as? PaystarException.Webhook)
            is Reception.Delivery -> r
        }
        Telemetry.spanned(step.attributes)
        val event = WebhookEvent(step.event)
        val key = step.storeKey
        val claim = try {
            store.claim(key, step.lease)
        } catch (e: Exception) {
            System.getLogger("paystar.webhooks").log(System.Logger.Level.ERROR, "webhook dedupe store failed to claim $key", e)
            return response(ANSWERS.storeUnavailable, null)
        }
        translated { webhookAfterClaim(claim.wireName) }?.let { return response(it, null) }
        val own = try {
            run(event)
        } catch (e: Throwable) {
            settle(store, key, raised = true, status = null)
            throw e
        }
        val settled = settle(store, key, raised = false, status = own?.status?.toUShort())
        settled.answer?.let { return response(it, null) }
        return (own ?: WebhookResponse(204, "", null)).copy(attributes = Telemetry.spanned(settled.attributes))
    }

    private fun settle(store: DedupeStore, key: String, raised: Boolean, status: UShort?): Settlement {
        val s = translated { native.settle(raised, status) }
        try {
            val ttl = s.ttl
            if (ttl != null) store.complete(key, ttl) else store.release(key)
        } catch (e: Exception) { // the lease expires on its own; the answer stands
            System.getLogger("paystar.webhooks").log(System.Logger.Level.ERROR, "webhook dedupe store failed to settle $key", e)
        }
        if (raised) Telemetry.spanned(s.attributes)
        return s
    }

    override fun toString(): String = native.describe()

    override fun close() = native.close()

    companion object {
        private val FACTS = webhookStoreFacts()
        private val ANSWERS = webhookAnswers()

        /** The most body bytes an endpoint reads: 256 KiB + 1 (a larger body is refused unread). */
        @JvmField
        val READ_LIMIT: Int = FACTS.readLimit

        /** What a shared store keeps for a claimed key, and for a handled one. */
        internal val PENDING: String = FACTS.pending
        internal val DONE: String = FACTS.done

        /** What an endpoint answers when the server cannot check deliveries (no secret): 500, so the sender retries. */
        @JvmStatic
        fun misconfigured(): WebhookResponse = response(ANSWERS.misconfigured, null)

        private fun response(a: WebhookAnswer, refused: PaystarException.Webhook?) =
            WebhookResponse(a.status, a.body, refused, Telemetry.spanned(a.attributes))
    }
}

/** Handles one authentic, first-seen event (a Kotlin lambda or a Java lambda). */
fun interface WebhookHandler {
    /** Records [event]; throwing releases its key so a redelivery is handled. */
    fun handle(event: WebhookEvent)
}

/** Handles one authentic, first-seen event and makes the response (a non-2xx releases its key). */
fun interface WebhookResponder {
    /** Records [event] and answers. */
    fun respond(event: WebhookEvent): WebhookResponse
}

/**
 * What a webhook endpoint answers: [status] and a JSON [body] (empty for 204); [refused] says
 * why, when it did. [attributes] say what happened for the server's span
 * (`paystar.webhook.outcome`, ...): the endpoint sets them on `Span.current()` when the
 * OpenTelemetry API is on the classpath.
 */
data class WebhookResponse @JvmOverloads constructor(
    val status: Int,
    val body: String,
    val refused: PaystarException.Webhook?,
    val attributes: Map<String, Any> = emptyMap(),
)

/**
 * Request headers read one name at a time, as servlets and most JVM servers offer them
 * (`request::getHeader`): the value of [name] (any case), or null when there is none.
 */
fun interface HeaderLookup {
    /** The value of the header [name], or null. */
    fun get(name: String): String?

    /** The headers in [names] that are present. */
    fun read(names: List<String>): Map<String, String> =
        names.mapNotNull { name -> get(name)?.let { name to it } }.toMap()
}

/** What a store answers a claim with. */
enum class ClaimResult(internal val wireName: String) {
    /** The key was free: this delivery holds it and runs the handler. */
    CLAIMED("claimed"),

    /** Another delivery holds a lease on it (its handler runs, or its process died). */
    IN_PROGRESS("in_progress"),

    /** The event was handled. */
    DONE("done"),

    ;

    companion object {
        internal fun of(name: String): ClaimResult = entries.first { it.wireName == name }
    }
}

/**
 * Where an endpoint remembers events: three operations on one key each. A store shared by
 * several processes makes [claim] atomic across them ([RedisDedupeStore], a database insert on
 * a unique key).
 */
interface DedupeStore {
    /** Takes [key] for [lease] if free; else says whether it is held or handled. */
    fun claim(key: String, lease: Duration): ClaimResult

    /** Marks [key] handled for [ttl]. */
    fun complete(key: String, ttl: Duration)

    /** Frees [key] (its handler failed). */
    fun release(key: String)
}

/** The in-process [DedupeStore] (core's): one process, at most 100,000 keys. */
class MemoryDedupeStore : DedupeStore, AutoCloseable {
    private val native = NativeMemoryStore()

    override fun claim(key: String, lease: Duration): ClaimResult =
        ClaimResult.of(translated { native.claim(key, lease.toMillis().toDouble()) })

    override fun complete(key: String, ttl: Duration) = translated { native.complete(key, ttl.toMillis().toDouble()) }

    override fun release(key: String) = native.release(key)

    /** `pending`, `done` or null: what the store holds for [key] now. */
    fun state(key: String): String? = native.state(key)

    /** Moves the store's clock forward (leases and handled keys expire as if [by] had passed): for tests. */
    fun advance(by: Duration) = translated { native.advance(by.toMillis().toDouble()) }

    override fun close() = native.close()
}

/**
 * A [DedupeStore] on Redis through Jedis (an optional dependency: add `redis.clients:jedis`):
 * `SET key pending NX PX lease` claims, `SET key done PX ttl` completes, `DEL key` releases.
 * Shared by every process using the same Redis.
 */
class RedisDedupeStore(private val jedis: redis.clients.jedis.UnifiedJedis) : DedupeStore {
    override fun claim(key: String, lease: Duration): ClaimResult {
        val params = redis.clients.jedis.params.SetParams.setParams().nx().px(lease.toMillis())
        if (jedis.set(key, WebhookVerifier.PENDING, params) == "OK") return ClaimResult.CLAIMED
        return ClaimResult.of(claimOfExisting(jedis.get(key)))
    }

    override fun complete(key: String, ttl: Duration) {
        jedis.set(key, WebhookVerifier.DONE, redis.clients.jedis.params.SetParams.setParams().px(ttl.toMillis()))
    }

    override fun release(key: String) {
        jedis.del(key)
    }
}

/** Parsing and signing without a verifier. */
object Webhooks {
    /** Every `PaystarException.Webhook.reason`. */
    @JvmField
    val REASONS: List<String> = webhookReasons()

    /** The scheme named as in configuration (`hmac_sha256`, ...); a [PaystarException.Configuration] naming `scheme` otherwise. */
    @JvmStatic
    fun scheme(name: String): WebhookScheme = translated { webhookSchemeNamed(name) }

    /** Parses a body WITHOUT authentication; throws [PaystarException.Webhook]. */
    @JvmStatic
    fun parse(body: ByteArray): WebhookEvent = WebhookEvent(translated { webhookParse(body) })

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
                "scheme" to scheme, "secret" to secret, "header" to header, "encoding" to encoding,
                "timestampHeader" to timestampHeader, "timestamp" to timestamp?.epochSecond, "id" to id,
            ),
        )
    }
}

/**
 * Request headers as core reads them: each value a text or a list of texts (a Java caller's
 * `Map<String, String>` and `Map<String, List<String>>` both fit `Map<String, ?>`); a null value
 * is no header.
 */
private fun headerLists(headers: Map<String, *>): Map<String, List<String>> =
    headers.entries.mapNotNull { (name, value) ->
        when (value) {
            null -> null
            is String -> name to listOf(value)
            is Iterable<*> -> name to value.map { it.toString() }
            is Array<*> -> name to value.map { it.toString() }
            else -> throw PaystarException.of(
                errorInfo("configuration_error", "headers: $name is a ${value.javaClass.simpleName}, not a text or a list of texts"),
            )
        }
    }.toMap()
