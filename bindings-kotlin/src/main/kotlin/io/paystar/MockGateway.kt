package io.paystar

import io.paystar.webhooks.SignatureEncoding
import io.paystar.webhooks.WebhookScheme
import io.paystar.ffi.MockGateway as NativeMock

/**
 * An in-process Paystar gateway on 127.0.0.1 (port 0) for tests and demos: it checks the key,
 * validates, syncs customers and accounts, issues session links, and can be scripted with
 * faults. Stops on [stop] / [close].
 *
 * ```
 * MockGateway().use { gateway ->
 *     gateway.script("""[{"kind": "status", "status": 503, "retry_after": "0"}]""")
 *     val session = gateway.client().createWalletSessionBlocking(request)
 *     check(session.attempts == 2)
 * }
 * ```
 */
class MockGateway @JvmOverloads constructor(
    apiKey: String? = null,
    seed: Long? = null,
    /**
     * HTTPS on `https://localhost:<port>` with a certificate from a CA made at start ([caPem]):
     * `"on"` (HTTP/2 and HTTP/1.1), `"http1"` (HTTP/1.1 only) or `"expired"`; null for plain HTTP.
     */
    tls: String? = null,
    /** Delays every answer by this much (a gateway far away). */
    latency: java.time.Duration? = null,
    /**
     * Faults below HTTP from a TCP proxy in front (the URL is then the proxy's), as JSON:
     * `{"latency": 2, "jitter": 8, "bytesPerSecond": 524288, "slice": 64, "cutRequest": 0.05,
     * "cutResponse": 0.05, "stall": 0.03, "seed": 1}` (milliseconds; shares from 0 to 1).
     */
    networkJson: String? = null,
) : AutoCloseable {
    private val native: NativeMock = translated {
        NativeMock(options("apiKey" to apiKey, "seed" to seed, "tls" to tls, "latency" to latency, "network" to networkJson?.let(::JsonText)))
    }

    /** The base URL: pass it as `baseUrl`. */
    val url: String = native.url()

    /** The API key it accepts. */
    val apiKey: String = native.apiKey()

    /** The PEM of the CA that signed its certificate (started with [tls]), else null. */
    val caPem: String? = native.caPem()

    /**
     * A client bound to this gateway, trusting its CA when it serves HTTPS (other options from
     * [config]). The client keeps the gateway running while it is reachable.
     */
    @JvmOverloads
    fun client(config: PaystarConfig = PaystarConfig()): PaystarClient =
        PaystarClient(config.boundTo(apiKey, url).let { c -> if (caPem == null || c.caCertificates != null) c else c.copy(caCertificates = caPem) })
            .also { it.keepAlive = this }   // the gateway is not collected (and stopped) under its client

    /** Queues faults as JSON, one per coming request: `[{"kind":"delay","ms":2000}, ...]`. */
    fun script(faultsJson: String) = translated { native.scriptJson(faultsJson) }

    /** Forgets queued faults. */
    fun clearScript() = translated { native.clearScript() }

    /** Every request received, oldest first. */
    val requests: List<RecordedRequest> get() = translated { native.requests() }

    /** How many sessions it has issued. */
    val sessionCount: Long get() = translated { native.sessionCount() }

    /** The gateway's record of a customer (JSON), or null. */
    fun customerJson(email: String): String? = translated { native.customerJson(email) }

    /** The gateway's record of an account (JSON), or null. */
    @JvmOverloads
    fun accountJson(accountNumber: String, subAccountNumber: String? = null): String? =
        translated { native.accountJson(accountNumber, subAccountNumber) }

    /** Moves its clock forward (to expire links); at most 100 years in all, else a [PaystarException.Configuration]. */
    fun advanceClock(by: java.time.Duration) = translated { native.advanceClock(by.seconds * 1000.0 + by.nano / 1e6) }

    /** Everything the gateway holds, as JSON text: `url`, `requests`, `customers`, `accounts`. */
    fun snapshotJson(): String = translated { native.snapshotJson() }

    /** Forgets the requests and sessions recorded so far (customers and accounts stay). */
    fun forgetRequests() = translated { native.forgetRequests() }

    /**
     * Where completed sessions' webhooks go, signed as [scheme] with [secret] (the header
     * names as the verifier expects them), sent `1 + redeliveries` times; `setWebhook(null)`
     * for nowhere.
     */
    @JvmOverloads
    fun setWebhook(
        url: String?,
        scheme: WebhookScheme = WebhookScheme.HMAC_SHA256,
        secret: String = "",
        header: String? = null,
        encoding: SignatureEncoding? = null,
        timestampHeader: String? = null,
        redeliveries: Int = 0,
    ) = translated {
        native.setWebhook(
            url?.let {
                options(
                    "url" to it, "scheme" to scheme, "secret" to secret, "header" to header,
                    "encoding" to encoding, "timestampHeader" to timestampHeader, "redeliveries" to redeliveries,
                )
            },
        )
    }

    /**
     * Completes a session (its [Session.url], id or URL) as the customer would on its page and
     * delivers its webhook; suspends until every delivery is done.
     */
    suspend fun complete(session: String): Completion = translated { native.complete(session) }

    /** [complete] for a [Session]. */
    suspend fun complete(session: Session): Completion = complete(session.url)

    /** The blocking twin of [complete] (the calling thread waits). */
    fun completeBlocking(session: String): Completion = translated { native.completeBlocking(session) }

    /** [completeBlocking] for a [Session]. */
    fun completeBlocking(session: Session): Completion = completeBlocking(session.url)

    /** Stops it (idempotent). */
    fun stop() = native.stop()

    override fun close() {
        native.stop()
        native.close()
    }

    override fun toString(): String = native.describe()
}
