package io.paystar

import io.paystar.ffi.ErrorInfo
import io.paystar.ffi.NativeException
import java.time.Duration

/**
 * Every paystar failure: one subclass per stable [code]. Never contains the API key.
 *
 * ```
 * try { client.createWalletSession(request) }
 * catch (e: PaystarException.Validation) { e.fieldErrors.forEach { println("${it.path}: ${it.message}") } }
 * catch (e: PaystarException) { log.warn("paystar {} (status {}, request id {})", e.code, e.status, e.requestId) }
 * ```
 */
sealed class PaystarException(info: ErrorInfo) : RuntimeException(info.message) {
    /** Stable code: `validation_error`, `timeout`, ... */
    val code: String = info.code

    /** Whether trying the same call again later may succeed (core decides, per code). */
    val retryable: Boolean = info.retryable

    /** HTTP status, when the gateway answered. */
    val status: Int? = info.status

    /** Every broken rule (`validation_error`). */
    val fieldErrors: List<FieldError> = info.fieldErrors

    /** The gateway's `errors` items (`api_error`). */
    val apiErrors: List<GatewayError> = info.apiErrors

    /** HTTP attempts made (0 when nothing was sent). */
    val attempts: Int = info.attempts

    /** True when an earlier attempt may have reached the gateway. */
    val ambiguous: Boolean = info.ambiguous

    /** How long the gateway asked to wait (`Retry-After`), when sent. */
    val retryAfter: Duration? = info.retryAfter

    /** The gateway's request id, when sent. */
    val requestId: String? = info.requestId

    /** Why a webhook was refused ([Webhook]): `signature_mismatch`, ...; else null. */
    val reason: String? = info.reason

    /** The HTTP status a webhook endpoint answers a [Webhook] failure with (401, 400, 413). */
    val responseStatus: Int? = info.responseStatus

    /** `validation_error`: the input breaks a rule; nothing was sent. */
    class Validation internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `configuration_error`: a bad option. */
    class Configuration internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `authentication_error`: 401 / 403. */
    class Authentication internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `api_error`: `hasErrors: true` or another 4xx (see [apiErrors]). */
    class Api internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `rate_limited`: 429 still failing after retries. */
    class RateLimited internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `server_error`: 5xx still failing after retries. */
    class Server internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `timeout`: attempts timed out and retries ran out. */
    class Timeout internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `connection_error`: DNS / connect / reset, retries ran out. */
    class Connection internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `decode_error`: a 2xx answer that is not the documented envelope. */
    class Decode internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `internal_error`: a bug or a broken runtime inside paystar (never a crash). */
    class Internal internal constructor(info: ErrorInfo) : PaystarException(info)

    /** `webhook_error`: a webhook failed authentication or parsing ([reason] says why). */
    class Webhook internal constructor(info: ErrorInfo) : PaystarException(info)

    companion object {
        /** The subclass for each core code. */
        @JvmField
        val CLASSES: Map<String, Class<out PaystarException>> = mapOf(
            "validation_error" to Validation::class.java,
            "configuration_error" to Configuration::class.java,
            "authentication_error" to Authentication::class.java,
            "api_error" to Api::class.java,
            "rate_limited" to RateLimited::class.java,
            "server_error" to Server::class.java,
            "timeout" to Timeout::class.java,
            "connection_error" to Connection::class.java,
            "decode_error" to Decode::class.java,
            "internal_error" to Internal::class.java,
            "webhook_error" to Webhook::class.java,
        )

        internal fun of(info: ErrorInfo): PaystarException = when (info.code) {
            "validation_error" -> Validation(info)
            "configuration_error" -> Configuration(info)
            "authentication_error" -> Authentication(info)
            "api_error" -> Api(info)
            "rate_limited" -> RateLimited(info)
            "server_error" -> Server(info)
            "timeout" -> Timeout(info)
            "connection_error" -> Connection(info)
            "decode_error" -> Decode(info)
            "webhook_error" -> Webhook(info)
            else -> Internal(info) // a code newer than this layer: still a PaystarException
        }
    }
}

/** An `internal_error`'s attributes. */
internal fun internalInfo(message: String) =
    ErrorInfo("internal_error", message, false, null, emptyList(), emptyList(), 0, false, null, null, null, null)

/** A `configuration_error` raised by the Kotlin layer itself (a misused entry point). */
internal fun configurationInfo(message: String) =
    ErrorInfo("configuration_error", message, false, null, emptyList(), emptyList(), 0, false, null, null, null, null)

/**
 * Runs a native call, turning its error into the [PaystarException] for its code, and a Rust
 * panic that uniffi caught into [PaystarException.Internal]: nothing else escapes.
 */
internal inline fun <T> translated(block: () -> T): T =
    try {
        block()
    } catch (e: NativeException.Failure) {
        throw PaystarException.of(e.info)
    } catch (e: io.paystar.ffi.InternalException) {
        throw PaystarException.of(internalInfo("paystar failed inside (a bug): ${e.message}"))
    }
